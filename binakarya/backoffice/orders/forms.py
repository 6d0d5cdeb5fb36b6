"""Forms of the order desk: they only parse input into the keyword arguments of ``orders.services``."""

import csv
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    OrganizationChoiceField,
    number_field,
    offer_organizations,
    phone_field,
    rupiah_field,
)
from binakarya.inventory.models import Location
from binakarya.orders.models import Fulfillment, Order, Payment
from binakarya.orders.services import Address, Buyer, CartLine, RateInput
from binakarya.organizations.models import Organization

NEEDS = [
    ("", _("Everything")),
    ("proof", _("Proofs to check")),
    ("pack", _("To pack")),
    ("ship", _("To ship")),
    ("late", _("Late payments and refunds")),
    ("shipping", _("Shipping fee to set")),
]
ENTRY_ROWS = 5
RATE_ROWS_EXTRA = 3
CSV_COLUMNS = ["province", "regency", "max_weight_grams", "fee_idr", "courier", "etd_days"]
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 5_000


class DeskFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("Number, buyer, phone or resi"), "type": "search", "autocomplete": "off"}
        ),
    )
    perlu = forms.ChoiceField(label=_("Needs"), required=False, choices=NEEDS)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Order.Status.choices]
    )
    kanal = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Order.Channel.choices]
    )


class ConfirmForm(forms.Form):
    prefix = "confirm"

    amount_idr = rupiah_field(
        label=_("Amount that arrived"),
        min_value=1,
        help_text=_("Leave empty if exactly the amount on the proof arrived."),
    )


class RejectForm(forms.Form):
    prefix = "reject"

    reason = forms.CharField(
        label=_("Reason (the buyer reads it)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PaymentRecordForm(forms.Form):
    prefix = "pay"

    amount_idr = rupiah_field(label=_("Amount received"), required=True, min_value=1)
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices, initial=Payment.Method.TRANSFER)
    reference = forms.CharField(label=_("Reference (optional)"), max_length=100, required=False)


class RefundForm(forms.Form):
    prefix = "refund"

    amount_idr = rupiah_field(label=_("Amount refunded"), required=True, min_value=1)
    method = forms.ChoiceField(label=_("Paid back by"), choices=Payment.Method.choices, initial=Payment.Method.TRANSFER)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ShippingFeeForm(forms.Form):
    prefix = "ship"

    fee_idr = rupiah_field(label=_("Shipping fee"), required=True)
    courier = forms.CharField(label=_("Courier"), max_length=60, required=False)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Order.Status.choices, widget=forms.HiddenInput)
    courier = forms.CharField(label=_("Courier"), max_length=60, required=False)
    resi = forms.CharField(label=_("Tracking number (resi)"), max_length=60, required=False)
    lot = forms.CharField(
        label=_("Lot made for this order"),
        max_length=20,
        required=False,
        help_text=_("The code on the hang tag: its makers earn the premi. Empty: the oldest lot here."),
    )


class CancelForm(forms.Form):
    prefix = "cancel"

    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


# A WhatsApp order -------------------------------------------------------------------------------------


class EntryLineForm(forms.Form):
    sku = forms.CharField(
        label=_("SKU"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "order-skus", "autocapitalize": "characters", "autocomplete": "off"}),
    )
    quantity = number_field(label=_("Quantity"), min_value=1, max_value=1_000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sku = (data.get("sku") or "").strip().upper()
        data["sku"] = sku
        if sku and not data.get("quantity") and "quantity" not in self.errors:
            self.add_error("quantity", _("How many?"))
        return data


EntryLineFormSet = forms.formset_factory(EntryLineForm, extra=ENTRY_ROWS, max_num=50, absolute_max=50)


class OrderEntryForm(forms.Form):
    organization = OrganizationChoiceField()
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=120, required=False)
    buyer_phone = phone_field(label=_("Buyer's WhatsApp number"))
    fulfillment = forms.ChoiceField(
        label=_("Fulfillment"), choices=Fulfillment.choices, initial=Fulfillment.PICKUP, widget=forms.RadioSelect
    )
    province = forms.CharField(label=_("Province"), max_length=100, required=False)
    regency = forms.CharField(label=_("Regency or city"), max_length=100, required=False)
    district = forms.CharField(label=_("District (kecamatan)"), max_length=100, required=False)
    address = forms.CharField(label=_("Street address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)

    def service_kwargs(self, lines: list[CartLine]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "lines": lines,
            "buyer": Buyer(name=data["buyer_name"], phone=data["buyer_phone"]),
            "fulfillment": data["fulfillment"],
            "address": Address(
                province=data["province"],
                regency=data["regency"],
                district=data["district"],
                address=data["address"],
                postal_code=data["postal_code"],
            ),
            "channel": Order.Channel.WHATSAPP,
            "note": data["note"],
        }


# The seller's settings and rate table ------------------------------------------------------------------


class ShopOrganizationForm(forms.Form):
    """Which seller's settings to show (a hidden input for staff of one organization)."""

    organization = OrganizationChoiceField()

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)


class ShopSettingsForm(forms.Form):
    accepts_orders = forms.BooleanField(label=_("Take orders on the website"), required=False)
    location = forms.ChoiceField(label=_("Orders are served from"), required=False)
    order_expiry_hours = number_field(
        label=_("Hours to pay before an order expires"), required=True, min_value=1, max_value=720
    )
    unique_code = forms.BooleanField(label=_("Add a unique code to transfer amounts"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account_number = forms.CharField(
        label=_("Account number"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    bank_account_holder = forms.CharField(label=_("Account holder"), max_length=120, required=False)
    qris_image = forms.FileField(
        label=_("QRIS code (photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A photo or screenshot of your static QRIS code: JPEG, PNG or WebP."),
    )
    qris_merchant_name = forms.CharField(label=_("QRIS merchant name"), max_length=120, required=False)
    pickup_address = forms.CharField(
        label=_("Pickup address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pickup_hours = forms.CharField(label=_("Pickup hours"), max_length=120, required=False)

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *((loc.pk, f"{loc.name} ({loc.get_kind_display()})") for loc in locations)]
        self._locations = {loc.pk: loc for loc in locations}

    def clean_location(self) -> Location | None:
        raw = self.cleaned_data.get("location") or ""
        if not raw:
            return None
        try:
            return self._locations[int(raw)]
        except (KeyError, ValueError):
            raise ValidationError(_("Choose a store or showroom of your own."), code="location") from None

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        qris = data.pop("qris_image", None)
        if qris is False:  # "clear" ticked
            data["qris_image"] = ""
        elif qris:
            data["qris_image"] = qris
        return data


class RateForm(forms.Form):
    province = forms.CharField(label=_("Province"), max_length=100, required=False)
    regency = forms.CharField(
        label=_("Regency or city"), max_length=100, required=False, help_text=_("Empty: the whole province.")
    )
    max_weight_grams = number_field(label=_("Up to (g)"), min_value=1, max_value=1_000_000)
    fee_idr = rupiah_field(label=_("Fee"))
    courier = forms.CharField(label=_("Courier"), max_length=60, required=False)
    etd_days = number_field(label=_("Days on the way"), max_value=365)

    def rate(self) -> RateInput | None:
        """The row as the service takes it; None for a row left empty (or marked for deletion)."""
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        if (
            not (data.get("province") or "").strip()
            and data.get("max_weight_grams") is None
            and data.get("fee_idr") is None
        ):
            return None
        return RateInput(
            province=data.get("province") or "",
            regency=data.get("regency") or "",
            max_weight_grams=data.get("max_weight_grams") or 0,
            fee_idr=data["fee_idr"] if data.get("fee_idr") is not None else -1,
            courier=data.get("courier") or "",
            etd_days=data.get("etd_days"),
        )


RateFormSet = forms.formset_factory(RateForm, extra=RATE_ROWS_EXTRA, can_delete=True, max_num=2_000, absolute_max=2_000)


class RateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: province, regency, max_weight_grams, fee_idr, courier, etd_days. It replaces the table."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> list[RateInput]:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > CSV_MAX_BYTES:
            raise ValidationError(_("The file is too large (at most 1 MB)."), code="too_large")
        try:
            text = upload.read(CSV_MAX_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the file as CSV (UTF-8) and upload it again."), code="encoding") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        missing = [c for c in CSV_COLUMNS[:4] if c not in header]
        if missing:
            raise ValidationError(
                _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)},
                code="header",
            )
        reader.fieldnames = header
        rates: list[RateInput] = []
        errors: list[ValidationError] = []
        for number, row in enumerate(reader, start=1):
            if number > CSV_MAX_ROWS:
                errors.append(ValidationError(_("At most %(max)s rows.") % {"max": CSV_MAX_ROWS}, code="too_many"))
                break
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            parsed = _csv_numbers(row, number, errors)
            if parsed is None:
                continue
            weight, fee, days = parsed
            rates.append(
                RateInput(
                    province=(row.get("province") or "").strip(),
                    regency=(row.get("regency") or "").strip(),
                    max_weight_grams=weight,
                    fee_idr=fee,
                    courier=(row.get("courier") or "").strip(),
                    etd_days=days,
                )
            )
        if errors:
            raise ValidationError(errors)
        if not rates:
            raise ValidationError(_("The file holds no rates."), code="empty")
        return rates


def _csv_numbers(row: dict[str, Any], number: int, errors: list[ValidationError]) -> tuple[int, int, int | None] | None:
    values: dict[str, int | None] = {}
    ok = True
    for column, label in (
        ("max_weight_grams", _("weight in grams")),
        ("fee_idr", _("fee in rupiah")),
        ("etd_days", _("days on the way")),
    ):
        raw = (row.get(column) or "").strip().replace(".", "")
        if not raw and column == "etd_days":
            values[column] = None
            continue
        if not (raw.isascii() and raw.isdigit()):
            errors.append(
                ValidationError(
                    _("Row %(row)s: the %(column)s must be a whole number (not “%(value)s”).")
                    % {"row": number, "column": label, "value": row.get(column) or ""},
                    code="number",
                )
            )
            ok = False
            continue
        values[column] = int(raw)
    if not ok:
        return None
    return int(values["max_weight_grams"] or 0), int(values["fee_idr"] or 0), values["etd_days"]
