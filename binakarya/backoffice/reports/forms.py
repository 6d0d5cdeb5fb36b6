"""The report page's two forms: the month of a monthly report, and the province and period of the e-Katalog report.

They parse what was picked; the periods are read by ``dashboards.reports`` (``month_parse``, ``period_parse``),
whose ValidationError goes back next to the field.
"""

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binakarya.dashboards.reports import Period, PeriodOption, month_parse, period_parse
from binakarya.organizations.models import Organization

FORMATS = (("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"))


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthlyReportForm(forms.Form):
    organisasi = forms.ChoiceField(label=gettext_lazy("Facility or producer"))
    bulan = forms.CharField(label=gettext_lazy("Month"), max_length=7, widget=MonthInput)

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisasi"]).choices = [(org.slug, org.name) for org in organizations]
        if len(organizations) == 1:
            self.fields["organisasi"].widget = forms.HiddenInput()
            self.fields["organisasi"].initial = organizations[0].slug

    def clean_bulan(self) -> Period:
        try:
            return month_parse(self.cleaned_data["bulan"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


def _period_label(option: PeriodOption) -> str:
    if option.kind == "year":
        return _("Year %(year)s") % {"year": option.date_from.year}
    if option.kind == "quarter":
        return _("Quarter %(quarter)s %(year)s") % {
            "quarter": (option.date_from.month + 2) // 3,
            "year": option.date_from.year,
        }
    return formats.date_format(option.date_from, "F Y")


class EkatalogReportForm(forms.Form):
    provinsi = forms.ChoiceField(label=gettext_lazy("Province"))
    periode = forms.ChoiceField(label=gettext_lazy("Period"))

    def __init__(self, *args: Any, provinces: Sequence[str], periods: Sequence[PeriodOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provinsi"]).choices = [(name, name) for name in provinces]
        cast(forms.ChoiceField, self.fields["periode"]).choices = [
            (option.key, _period_label(option)) for option in periods
        ]

    def clean_periode(self) -> Period:
        try:
            return period_parse(self.cleaned_data["periode"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


def month_key(day: datetime.date) -> str:
    """What the month field shows for ``day``'s month: ``2026-03``."""
    return f"{day:%Y-%m}"
