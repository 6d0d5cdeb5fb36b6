"""Forms of the deals pages: a quotation's lines, discount and validity; a seller's PPN settings. They only
parse; deals.services checks and says what is wrong."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    OrganizationChoiceField,
    PercentField,
    number_field,
    offer_organizations,
    rupiah_field,
)
from binakarya.deals.models import Recognition

MAX_ROWS = 30


class QuotationForm(forms.Form):
    """A quotation: ``rows`` lines of SKU, quantity and unit price (empty rows are skipped), the buyer,
    validity, discount and a note. "Add a line" posts the form back with one more row (no JavaScript)."""

    buyer = forms.CharField(label=_("Buyer"), max_length=200, required=False)
    valid_days = number_field(label=_("Valid for (days)"), required=False, max_value=32_767)
    discount = PercentField(label=_("Discount (%)"))
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ROWS, required=False)

    def __init__(self, *args: Any, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = max(1, min(rows, MAX_ROWS))
        self.initial.setdefault("rows", self.row_count)
        for i in range(self.row_count):
            self.fields[f"sku_{i}"] = forms.CharField(label=_("SKU"), max_length=40, required=False)
            self.fields[f"quantity_{i}"] = number_field(label=_("Quantity"), max_value=1_000_000)
            self.fields[f"price_{i}"] = rupiah_field(label=_("Unit price"))

    def line_rows(self) -> list[dict[str, Any]]:
        """The bound fields of each row, for the template."""
        return [
            {"sku": self[f"sku_{i}"], "quantity": self[f"quantity_{i}"], "price": self[f"price_{i}"]}
            for i in range(self.row_count)
        ]

    def lines(self) -> list[tuple[str, int, int]]:
        """(SKU, quantity, unit price) of each filled row."""
        data = self.cleaned_data
        found = []
        for i in range(self.row_count):
            sku = (data.get(f"sku_{i}") or "").strip()
            quantity = data.get(f"quantity_{i}")
            price = data.get(f"price_{i}")
            if sku or quantity or price:
                found.append((sku, quantity or 0, price or 0))
        return found


class TaxSettingsForm(forms.Form):
    organization = OrganizationChoiceField()
    ppn_enabled = forms.BooleanField(label=_("Charge PPN (the seller is a PKP)"), required=False)
    ppn_rate = PercentField(label=_("PPN rate (%)"))
    valid_days = number_field(label=_("Quotations valid for (days)"), required=True, min_value=1, max_value=365)
    recognition = forms.ChoiceField(
        label=_("Record a deal's sale"),
        choices=Recognition.choices,
        help_text=_("New deals follow this; accepted deals keep theirs."),
    )
    payment_days = number_field(label=_("Invoices due after (days)"), required=True, min_value=0, max_value=365)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
