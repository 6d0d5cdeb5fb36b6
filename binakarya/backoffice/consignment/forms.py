"""Forms of the seller staff's consignment pages: an agreement, placing goods, a sale at the outlet, a
statement's period, a payment and ending an agreement.

They only parse input into ``consignment.services`` keyword arguments; the services validate, and their
errors are attached with ``add_service_errors`` next to the field they name.

The per-product terms of an agreement are typed as lines of a text area, one product a line:
``SKU; agreed price; commission per unit``, either amount left empty (``SMP-PCT-001; 80.000;`` sets only
the price, ``SMP-RJT-001; ; 15.000`` only the commission). A text area works on any phone, needs no
JavaScript and is easy to paste from a signed agreement's table.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    LocationChoiceField,
    OrganizationChoiceField,
    PercentField,
    basis_points,
    date_field,
    number_field,
    offer_organizations,
    rupiah_field,
)
from binakarya.catalog.models import Variant
from binakarya.consignment.models import Agreement
from binakarya.core.money import RupiahFormatError, parse_rupiah
from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization

MAX_LINES = 30
MAX_TERM_LINES = 200


class OutletField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} · {obj.regency}" if obj.regency else obj.name


@dataclass(frozen=True)
class TermLine:
    sku: str
    agreed_price_idr: int | None
    commission_idr: int | None


def parse_terms(text: str) -> tuple[list[TermLine], list[str]]:
    """The lines ``SKU; price; commission`` of the terms text area, and a message per line that cannot be read."""
    terms: list[TermLine] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.replace("\t", ";").split(";")]
        if len(parts) > 3 or not parts[0]:
            errors.append(gettext("Line %(n)s: write SKU; agreed price; commission.") % {"n": number})
            continue
        parts += [""] * (3 - len(parts))
        amounts: list[int | None] = []
        for part in parts[1:]:
            if not part or part == "-":
                amounts.append(None)
                continue
            try:
                amounts.append(parse_rupiah(part))
            except RupiahFormatError:
                errors.append(
                    gettext("Line %(n)s: “%(value)s” is not an amount in rupiah (e.g. 15.000).")
                    % {"n": number, "value": part}
                )
                break
        else:
            if amounts[0] is None and amounts[1] is None:
                errors.append(gettext("Line %(n)s: give an agreed price, a commission or both.") % {"n": number})
                continue
            terms.append(TermLine(parts[0].upper(), amounts[0], amounts[1]))
    if len(terms) > MAX_TERM_LINES:
        errors.append(gettext("At most %(n)s products per agreement.") % {"n": MAX_TERM_LINES})
    skus = [term.sku for term in terms]
    for sku in sorted({sku for sku in skus if skus.count(sku) > 1}):
        errors.append(gettext("%(sku)s is given on more than one line.") % {"sku": sku})
    return terms, errors


class AgreementForm(forms.Form):
    organization = OrganizationChoiceField(queryset=None)
    outlet = OutletField(label=_("Outlet"), queryset=None, empty_label="—")
    commission_mode = forms.ChoiceField(
        label=_("Commission"),
        choices=Agreement.CommissionMode.choices,
        initial=Agreement.CommissionMode.PERCENT,
        widget=forms.RadioSelect,
    )
    commission_percent = PercentField(
        label=_("Commission (%)"), help_text=_("The outlet keeps this share of each sale, e.g. 15 or 12,5.")
    )
    price_mode = forms.ChoiceField(
        label=_("Selling prices"),
        choices=Agreement.PriceMode.choices,
        initial=Agreement.PriceMode.CATALOG,
        widget=forms.RadioSelect,
    )
    terms = forms.CharField(
        label=_("Terms per product"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "SMP-PCT-001; 80.000; 12.000"}),
        help_text=_(
            "One product a line: SKU; agreed price; commission per unit. Leave an amount empty when it does "
            "not apply (SMP-PCT-001; 80.000; sets only the price)."
        ),
    )
    settlement_period = forms.ChoiceField(
        label=_("Settlement"), choices=Agreement.Period.choices, initial=Agreement.Period.MONTHLY
    )
    payment_days = number_field(label=_("Days allowed for payment"), required=True, min_value=None, initial=14)
    review_months = forms.TypedChoiceField(
        label=_("Review the shelf every"),
        choices=[(4, _("4 months")), (5, _("5 months")), (6, _("6 months"))],
        coerce=int,
        initial=6,
    )
    start_date = date_field(label=_("Start date"), required=True)
    end_date = date_field(label=_("End date"), help_text=_("Empty: until ended."))
    shortage_borne_by = forms.ChoiceField(
        label=_("Shortages borne by"), choices=Agreement.Party.choices, initial=Agreement.Party.OUTLET
    )
    damage_borne_by = forms.ChoiceField(
        label=_("Damage borne by"), choices=Agreement.Party.choices, initial=Agreement.Party.OUTLET
    )
    signed_document = forms.FileField(
        label=_("Signed agreement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The scan of the agreement signed by both sides, at most 10 MB."),
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], outlets: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
        self.fields["organization"].label = _("Seller")
        cast(OutletField, self.fields["outlet"]).queryset = outlets
        self.term_lines: list[TermLine] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        terms, errors = parse_terms(data.get("terms", ""))
        for message in errors:
            self.add_error("terms", message)
        self.term_lines = terms
        mode = data.get("commission_mode")
        if mode == Agreement.CommissionMode.PERCENT and data.get("commission_percent") is None:
            self.add_error("commission_percent", gettext("Type the commission, e.g. 15 or 12,5."))
        if mode == Agreement.CommissionMode.PER_PRODUCT and not any(t.commission_idr is not None for t in terms):
            self.add_error("terms", gettext("Give each product's commission per unit on its line."))
        if mode == Agreement.CommissionMode.PERCENT and any(t.commission_idr is not None for t in terms):
            self.add_error("terms", gettext("With a percentage commission, leave the commission per unit empty."))
        has_prices = any(t.agreed_price_idr is not None for t in terms)
        if data.get("price_mode") == Agreement.PriceMode.AGREED and not has_prices:
            self.add_error("terms", gettext("Give the agreed price of at least one product."))
        if data.get("price_mode") == Agreement.PriceMode.CATALOG and has_prices:
            self.add_error("terms", gettext("With catalog prices, leave the agreed prices empty."))
        return data

    def service_kwargs(self, variants: dict[str, Variant]) -> dict[str, Any]:
        """The service's arguments; ``variants`` are the seller's variants of the terms' SKUs."""
        data = self.cleaned_data
        per_product = {variants[t.sku]: t.commission_idr for t in self.term_lines if t.commission_idr is not None}
        prices = {variants[t.sku]: t.agreed_price_idr for t in self.term_lines if t.agreed_price_idr is not None}
        percent = data["commission_mode"] == Agreement.CommissionMode.PERCENT
        return {
            "organization": data["organization"],
            "outlet": data["outlet"],
            "commission_percent_bp": basis_points(data["commission_percent"]) if percent else None,
            "commission_per_product": None if percent else per_product,
            "agreed_prices": prices or None,
            "settlement_period": data["settlement_period"],
            "payment_days": data["payment_days"],
            "review_months": data["review_months"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "shortage_borne_by": data["shortage_borne_by"],
            "damage_borne_by": data["damage_borne_by"],
            "signed_document": data["signed_document"] or None,
        }


class EndForm(forms.Form):
    end_date = date_field(label=_("Last day of the agreement"), required=True)
    confirm = forms.BooleanField(
        label=_("I confirm that the agreement ends on this day."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


# Lines of goods (placing, selling) -------------------------------------------------------------


class LineForm(forms.Form):
    """One product (by SKU, from the choices the view gives), a quantity and an optional price."""

    sku = forms.ChoiceField(label=_("Product (SKU)"), choices=[])
    quantity = number_field(label=_("Quantity"), required=True, min_value=1)
    unit_price_idr = rupiah_field(
        label=_("Unit price (Rp)"), required=False, min_value=1, help_text=_("The agreement's price when empty.")
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sku"]).choices = [("", "—"), *choices]


class BaseLineFormSet(forms.BaseFormSet[LineForm]):
    def initial_form_count(self) -> int:
        # Every line is a new one: a blank line is skipped, never "required".
        return super().initial_form_count() if self.is_bound else 0

    def filled(self) -> list[LineForm]:
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def rows(self) -> list[tuple[str, int, int | None]]:
        return [
            (f.cleaned_data["sku"], f.cleaned_data["quantity"], f.cleaned_data["unit_price_idr"]) for f in self.filled()
        ]


LineFormSet = cast(
    type[BaseLineFormSet],
    forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=1, max_num=MAX_LINES, validate_max=True),
)


class PlaceForm(forms.Form):
    from_location = LocationChoiceField(label=_("From"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(LocationChoiceField, self.fields["from_location"]).queryset = locations


class SaleForm(forms.Form):
    sold_date = date_field(label=_("Day sold"), required=True)


class PeriodForm(forms.Form):
    """The period of a statement (``?dari=…&sampai=…``); the previous whole period when not given."""

    dari = date_field(label=_("From"))
    sampai = date_field(label=_("To"))

    def period(self, default: tuple[datetime.date, datetime.date]) -> tuple[datetime.date, datetime.date]:
        if not self.is_valid():
            return default
        start = self.cleaned_data["dari"] or default[0]
        end = self.cleaned_data["sampai"] or default[1]
        return start, end


class IssueForm(forms.Form):
    date_from = forms.DateField(widget=forms.HiddenInput)
    date_to = forms.DateField(widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    amount_idr = rupiah_field(label=_("Amount (Rp)"), required=True, min_value=None)
    paid_date = date_field(label=_("Paid on"), required=True)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("E.g. the bank transfer's number.")
    )
