"""Forms of the deals pages: a quotation's lines, discount and validity; a seller's PPN settings. They only
parse; deals.services checks and says what is wrong."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    OrganizationChoiceField,
    PercentField,
    PricedRowsForm,
    number_field,
    offer_organizations,
)
from binakarya.deals.models import Recognition


class QuotationForm(PricedRowsForm):
    """A quotation: ``rows`` lines of SKU, quantity and unit price (empty rows are skipped), the buyer,
    validity, discount and a note."""

    buyer = forms.CharField(label=_("Buyer"), max_length=200, required=False)
    valid_days = number_field(label=_("Valid for (days)"), required=False, max_value=32_767)
    discount = PercentField(label=_("Discount (%)"))
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


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
