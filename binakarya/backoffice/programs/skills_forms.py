"""Forms of the skill record pages: the skills certificate and the release checklist."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import date_field, number_field
from binakarya.organizations.models import Organization


class CertificateForm(forms.Form):
    crafts = forms.CharField(
        label=_("What the person can make"),
        max_length=300,
        help_text=_("E.g. hand-drawn batik, woven pandan bags."),
    )
    hours = number_field(label=_("Hours of practice"), required=True, min_value=1, max_value=100_000)
    period_start = date_field(label=_("From"), required=True)
    period_end = date_field(label=_("Until"), required=True)
    partner: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Co-signing partner agency"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("The agency that took part in the training, if any: its signature block is printed."),
    )
    name_consent = forms.BooleanField(
        label=_("The person agrees to be named on the public verification page"),
        required=False,
        help_text=_("Without consent the public page shows the facility, the crafts and the hours, never the name."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data

    def certificate_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "crafts": data["crafts"],
            "hours": data["hours"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "partner": data["partner"],
            "name_consent": data["name_consent"],
        }


class ReleaseForm(CertificateForm):
    """The release checklist: the release date, the premi payout, the certificate and the consents."""

    released_on = date_field(label=_("Released on"), required=True)
    payout_method = forms.ChoiceField(label=_("Pay the premi"), required=False)
    recipient_name = forms.CharField(label=_("Family member's name"), max_length=200, required=False)
    recipient_relationship = forms.CharField(
        label=_("Relationship"), max_length=60, required=False, help_text=_("E.g. wife, mother.")
    )
    reference = forms.CharField(label=_("Account number"), max_length=60, required=False)
    expected_owed_idr = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    issue_certificate = forms.BooleanField(label=_("Issue a skills certificate"), required=False, initial=True)
    outcomes_consent = forms.BooleanField(
        label=_("Agrees to be asked about their livelihood after 6 and 12 months"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    field_order = [
        "released_on",
        "payout_method",
        "recipient_name",
        "recipient_relationship",
        "reference",
        "expected_owed_idr",
        "issue_certificate",
        "crafts",
        "hours",
        "period_start",
        "period_end",
        "partner",
        "name_consent",
        "outcomes_consent",
        "note",
    ]

    def __init__(
        self, *args: Any, agencies: QuerySet[Organization], methods: list[tuple[str, str]], owed_idr: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        method = self.fields["payout_method"]
        assert isinstance(method, forms.ChoiceField)
        method.choices = methods
        method.required = owed_idr > 0
        if owed_idr <= 0:
            del self.fields["payout_method"]
            del self.fields["recipient_name"]
            del self.fields["recipient_relationship"]
            del self.fields["reference"]
        if self.is_bound and not self.data.get("issue_certificate"):
            for name in ("crafts", "hours", "period_start", "period_end"):
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("issue_certificate"):
            for name in ("crafts", "hours", "period_start", "period_end"):
                self.errors.pop(name, None)
        return data
