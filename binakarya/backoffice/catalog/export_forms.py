"""Forms of the export pages (issue 13): a product's export data with its English texts, and exchange rates.

They only parse input; ``catalog.export_services`` validates (HS code, gross ≥ net weight, rate above zero)
and its errors are attached next to their field with ``add_service_errors``.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import OrganizationChoiceField, date_field, number_field
from binakarya.catalog.export_services import ENGLISH_FIELDS, ExportInput
from binakarya.catalog.models import ExchangeRate, ExportProfile

EXPORT_FIELDS = (
    "hs_code",
    "net_weight_grams",
    "gross_weight_grams",
    "package_length_mm",
    "package_width_mm",
    "package_height_mm",
    "moq",
    "lead_time_days",
    "certifications",
    "certifications_other",
)
# 16.250 is sixteen thousand two hundred and fifty (dots group thousands, as in rupiah).
GROUPED_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


class ExportForm(forms.Form):
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=12,
        required=False,
        help_text=_("4, 6 or 8 digits, e.g. 6602.00 (whips) or 9503.00 (kites)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    net_weight_grams = number_field(label=_("Net weight (g)"), initial=0)
    gross_weight_grams = number_field(
        label=_("Gross weight (g)"), initial=0, help_text=_("With its packing; not below the net weight.")
    )
    package_length_mm = number_field(label=_("Package length (mm)"), initial=0)
    package_width_mm = number_field(label=_("Package width (mm)"), initial=0)
    package_height_mm = number_field(label=_("Package height (mm)"), initial=0)
    moq = number_field(label=_("Minimum order for export"), min_value=1, initial=1, required=True)
    lead_time_days = number_field(label=_("Lead time (days)"), initial=0, max_value=3650)
    certifications = forms.MultipleChoiceField(
        label=_("Certifications"),
        choices=ExportProfile.Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certifications_other = forms.CharField(
        label=_("Other certifications"), max_length=200, required=False, help_text=_("E.g. ISO 9001, organic.")
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description_en = forms.CharField(label=_("Description in English"), required=False, widget=forms.Textarea)
    story_en = forms.CharField(label=_("Story in English"), required=False, widget=forms.Textarea)

    def export_input(self) -> ExportInput:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data[name] for name in EXPORT_FIELDS}
        for name in EXPORT_FIELDS:
            if values[name] is None:
                values[name] = 1 if name == "moq" else 0
        return ExportInput(**values)

    def english(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ENGLISH_FIELDS}


def parse_rate(text: str) -> Decimal:
    """``16250``, ``16.250`` (grouped thousands), ``108,45`` or ``108.45`` as a Decimal; raises ValueError."""
    value = (text or "").strip().replace(" ", "").removeprefix("Rp").removeprefix("rp")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif GROUPED_RE.match(value):
        value = value.replace(".", "")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None


class ExchangeRateForm(forms.Form):
    organization = OrganizationChoiceField()
    currency = forms.ChoiceField(label=_("Currency"), choices=ExchangeRate.Currency.choices, initial="USD")
    idr_per_unit = forms.CharField(
        label=_("Rupiah per unit"),
        max_length=20,
        help_text=_("E.g. 16.250 for one US dollar, or 108,45 for one yen."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    effective_date = date_field(label=_("Effective from"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("effective_date", timezone.localdate())

    def clean_idr_per_unit(self) -> Decimal:
        try:
            return parse_rate(self.cleaned_data["idr_per_unit"])
        except ValueError:
            raise forms.ValidationError(_("Enter the rate in rupiah, e.g. 16.250 or 108,45.")) from None
