"""Forms of the after-release pages: starting a livelihood, recording an outcome check."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import RupiahField, date_field
from binakarya.organizations.models import Organization
from binakarya.programs.models import OutcomeCheck


class LivelihoodForm(forms.Form):
    consent_date = date_field(label=_("Consent recorded on"), required=True)
    business_name = forms.CharField(
        label=_("Business name"),
        max_length=200,
        help_text=_("As buyers will see it. Nothing about the facility or the past."),
    )
    description = forms.CharField(
        label=_("What the business makes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    regency = forms.CharField(label=_("Regency or city"), max_length=100)
    province = forms.CharField(label=_("Province"), max_length=100)
    phone = forms.CharField(label=_("Phone / WhatsApp"), max_length=30, required=False)
    agency: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Supporting agency"),
        queryset=None,
        required=False,
        help_text=_("Optional: the agency (Disperindag, Diskoperindag…) that supports the new UMKM."),
    )
    starting_capital_idr = RupiahField(
        label=_("Starting capital"),
        required=False,
        help_text=_("Shown only to the new producer's operator. Empty: the premi paid at release."),
    )
    operator_username = forms.CharField(label=_("Operator's username"), max_length=150)
    operator_email = forms.EmailField(label=_("Operator's email"), required=False)
    operator_password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The operator chooses their own password when first signing in."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OutcomeForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Check"), choices=[(6, _("6 months")), (12, _("12 months"))], coerce=int)
    checked_on = date_field(label=_("Asked on"), required=True)
    producing = forms.ChoiceField(label=_("Still producing crafts?"), choices=YES_NO, widget=forms.RadioSelect)
    income_band = forms.ChoiceField(
        label=_("Income band"), choices=OutcomeCheck.IncomeBand.choices, widget=forms.RadioSelect
    )
