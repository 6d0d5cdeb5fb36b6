"""Forms of the export pages: the pro-forma invoice (currency, terms, freight and insurance, priced lines), the
export order (the buyer's confirmation, a T/T payment, the shipment), a checklist item's reference and the
seller's exporter settings. They only parse; exports.services and exports.orders check."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    LocationChoiceField,
    OrganizationChoiceField,
    PricedRowsForm,
    date_field,
    number_field,
    offer_organizations,
    rupiah_field,
)
from binakarya.exports.models import Currency, Incoterm

FOREIGN_AMOUNT_RE = re.compile(r"^\d{1,15}(?:[.,]\d{1,3})*$")


def parse_foreign_amount(text: str) -> Decimal | None:
    """An amount typed either way, as a Decimal; None when it is not a number. The last separator is the
    decimal one when one or two digits follow it, and every other separator groups thousands: ``292,20``,
    ``292.20``, ``1.234,56`` and ``1,234.56`` are amounts with cents, ``12.000`` (yen) is twelve thousand."""
    value = re.sub(r"[\sA-Za-z$€¥]", "", text or "")
    if not FOREIGN_AMOUNT_RE.match(value):
        return None
    head, separator, tail = max(value.rpartition(","), value.rpartition("."), key=lambda parts: len(parts[0]))
    if separator and len(tail) <= 2:
        value = re.sub(r"[.,]", "", head) + "." + tail
    else:
        value = re.sub(r"[.,]", "", value)
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


class ProformaForm(PricedRowsForm):
    """A pro-forma invoice for an inquiry: ``rows`` lines of SKU, quantity and unit price in rupiah (empty rows
    are skipped), the currency, Incoterm and place, payment terms, validity, freight and insurance (CIF)."""

    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices)
    place = forms.CharField(label=_("Named port or place"), max_length=200, required=False)
    payment_terms = forms.CharField(
        label=_("Payment terms"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_days = number_field(label=_("Valid for (days)"), required=False, max_value=32_767)
    freight_idr = rupiah_field(label=_("Freight, CIF only (Rp)"))
    insurance_idr = rupiah_field(label=_("Insurance, CIF only (Rp)"))
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    price_label = _("Unit price (Rp)")

    def __init__(self, *args: Any, rows: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, rows=rows, **kwargs)


class ChecklistMarkForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    done = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)


class ExporterSettingsForm(forms.Form):
    organization = OrganizationChoiceField()
    nib = forms.CharField(label=_("NIB (business identification number)"), max_length=40, required=False)
    npwp = forms.CharField(label=_("NPWP (tax number)"), max_length=40, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account_name = forms.CharField(label=_("Account name"), max_length=120, required=False)
    bank_account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)
    swift_code = forms.CharField(label=_("SWIFT code"), max_length=20, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)


class OrderConfirmForm(forms.Form):
    po_number = forms.CharField(
        label=_("Buyer's order number"),
        max_length=200,
        required=False,
        help_text=_("Their purchase order, or the reference of the email that accepts the pro-forma."),
    )
    po_date = date_field(label=_("Date of the buyer's order"))


class OrderPaymentForm(forms.Form):
    amount = rupiah_field(label=_("Rupiah credited by the bank"), required=True)
    received_on = date_field(label=_("Received on"), required=True)
    amount_foreign = forms.CharField(
        label=_("Amount in the pro-forma's currency (optional)"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reference = forms.CharField(
        label=_("Bank reference (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example the SWIFT reference of the T/T."),
    )

    def clean_amount_foreign(self) -> Decimal | None:
        text = (self.cleaned_data.get("amount_foreign") or "").strip()
        if not text:
            return None
        amount = parse_foreign_amount(text)
        if amount is None:
            raise forms.ValidationError(_("Enter an amount such as 292,20."))
        return amount


class ShipmentForm(forms.Form):
    shipped_on = date_field(label=_("Shipped on"))
    location = LocationChoiceField(label=_("Leaves from"), queryset=None, empty_label=None, required=False)
    peb_number = forms.CharField(
        label=_("PEB number"),
        max_length=200,
        required=False,
        help_text=_("The export declaration lodged with customs."),
    )
    transport_number = forms.CharField(label=_("B/L or AWB number"), max_length=200, required=False)
    vessel = forms.CharField(label=_("Vessel and voyage, or flight"), max_length=200, required=False)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = locations
