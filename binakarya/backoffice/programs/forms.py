"""Forms of the agreements (Kerja sama) pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import OrganizationChoiceField, date_field, offer_organizations
from binakarya.organizations.models import Organization
from binakarya.programs.models import Agreement

OUR_SIDE = ""


class AgreementForm(forms.Form):
    organization = OrganizationChoiceField(queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices, initial=Agreement.Kind.MOU)
    number = forms.CharField(label=_("Number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    partners: forms.ModelMultipleChoiceField[Organization] = forms.ModelMultipleChoiceField(
        label=_("Partner agencies"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    signed_date = date_field(label=_("Signed on"), required=True)
    start_date = date_field(label=_("Start date"), required=True)
    end_date = date_field(label=_("End date"), help_text=_("Empty: open-ended."))
    scope = forms.CharField(label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    signed_document = forms.FileField(
        label=_("Signed agreement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The scan signed by every party, at most 10 MB."),
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        agencies: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:  # editing: the organization does not change
            del self.fields["organization"]
        else:
            offer_organizations(self, organizations)
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return data


class ObligationForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"))
    description = forms.CharField(label=_("Description"), max_length=300)
    due_date = date_field(label=_("Due date"), required=True)

    def __init__(self, *args: Any, partners: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {str(p.pk): p for p in partners}
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [(OUR_SIDE, _("Our side")), *((str(p.pk), p.name) for p in partners)]
        party.required = False

    def party_organization(self) -> Organization | None:
        return self.partners.get(self.cleaned_data.get("party") or OUR_SIDE)
