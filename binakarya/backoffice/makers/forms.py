"""Forms of the makers pages: makers, the list's filter, groups and their members.

Like every back office form they only parse input into service keyword arguments; ``makers.services``
validates (registration numbers, phone numbers, consent and pseudonym…), and its errors are attached with
``add_service_errors`` next to the field they name.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    OrganizationChoiceField,
    date_field,
    model_choice_field,
    offer_organizations,
    phone_field,
)
from binakarya.catalog.selectors import categories
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization


class MakerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("Required for inmates (warga binaan)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    admission_date = date_field(label=_("Admission date"))
    expected_release_date = date_field(label=_("Expected release date"))
    status = forms.ChoiceField(label=_("Status"), choices=Maker.Status.choices, initial=Maker.Status.ACTIVE)
    phone = phone_field(label=_("Phone"))
    public_story_consent = forms.BooleanField(
        label=_("The maker agreed that a story about them may be published"),
        required=False,
        help_text=_("Record consent only when the maker has agreed. The full name is never shown in public."),
    )
    pseudonym = forms.CharField(
        label=_("First name or pseudonym for the public"),
        max_length=60,
        required=False,
        help_text=_("Needed when the maker agrees to a public story."),
    )
    public_story = forms.CharField(label=_("Public story"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def service_fields(self, *, only_changed: bool = False) -> dict[str, Any]:
        names = self.changed_data if only_changed else list(self.fields)
        return {name: self.cleaned_data[name] for name in names if name != "organization"}


class MakerCreateForm(MakerForm):
    organization = OrganizationChoiceField()

    field_order = ["organization"]

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)


class MakerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    # The organizations come from the view (__init__); a string annotation, as Django's class is not subscriptable.
    organisasi: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Maker.Status.choices], required=False)
    halaman = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisasi").queryset = organizations


class GroupCreateForm(forms.Form):
    organization = OrganizationChoiceField()
    name = forms.CharField(label=_("Group name"), max_length=120, help_text=_("E.g. Kelompok Batik Tulis."))
    crafts = forms.ModelMultipleChoiceField(
        label=_("Crafts"),
        queryset=categories(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public_story = forms.CharField(label=_("Public story"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "name": data["name"],
            "crafts": list(data["crafts"]),
            "public_story": data["public_story"],
        }


class MakerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Maker) -> str:
        return f"{obj.full_name} ({obj.registration_number})" if obj.registration_number else obj.full_name


class GroupMemberAddForm(forms.Form):
    maker = MakerChoiceField(label=_("Maker"), queryset=None)
    joined_date = date_field(label=_("Joined on"), required=True, initial=timezone.localdate)

    def __init__(self, *args: Any, makers: QuerySet[Maker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_makers(makers)

    def offer_makers(self, makers: QuerySet[Maker]) -> None:
        """The makers to pick from."""
        model_choice_field(self, "maker").queryset = makers


class GroupMemberLeaveForm(forms.Form):
    left_date = date_field(label=_("Left on"), required=True, initial=timezone.localdate)
