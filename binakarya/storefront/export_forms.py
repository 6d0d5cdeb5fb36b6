"""The export inquiry form: who asks, which products and how many, where to, on which Incoterm. It only parses;
exports.services.inquiry_submit checks everything (the export minimum, one seller) in the buyer's language."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.exports.models import Incoterm

INQUIRY_MAX_ROWS = 30


class ExportInquiryForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Your pro-forma invoice and packing list are sent there."),
    )
    phone = forms.CharField(
        label=_("Phone with country code (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    country = forms.ChoiceField(label=_("Destination country"), required=False)
    incoterm = forms.ChoiceField(
        label=_("Preferred Incoterm"), required=False, choices=Incoterm.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("Named port or place"),
        max_length=200,
        required=False,
        help_text=_("EXW: the seller's place; FOB: the port of shipment in Indonesia; CIF: your port of destination."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        products: list[tuple[str, list[tuple[str, str]]]],
        countries: list[tuple[str, str]],
        rows: int = 2,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("Choose a country")), *countries]
        self.row_count = max(1, min(rows, INQUIRY_MAX_ROWS))
        self.initial.setdefault("rows", self.row_count)
        for i in range(self.row_count):
            self.fields[f"sku_{i}"] = forms.ChoiceField(
                label=_("Product"), required=False, choices=[("", _("Choose a product")), *products]
            )
            self.fields[f"quantity_{i}"] = forms.IntegerField(
                label=_("Quantity"),
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Enter a whole number."),
                    "min_value": _("Enter a whole number of at least 1."),
                    "max_value": _("Enter at most 1,000,000 units."),
                },
            )

    def line_rows(self) -> list[dict[str, Any]]:
        return [{"sku": self[f"sku_{i}"], "quantity": self[f"quantity_{i}"]} for i in range(self.row_count)]

    def lines(self) -> list[tuple[str, int]]:
        """(SKU, quantity) of each filled row; a row with a product and no quantity counts as 0 (refused)."""
        data = self.cleaned_data
        found = []
        for i in range(self.row_count):
            sku = (data.get(f"sku_{i}") or "").strip()
            quantity = data.get(f"quantity_{i}")
            if sku or quantity:
                found.append((sku, quantity or 0))
        return found
