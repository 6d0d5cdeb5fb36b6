"""Form fields and parsers shared by the forms of every back office area.

The back office forms only parse input into service keyword arguments; the services validate. Validation
that belongs to the domain (SKU format, price above zero, phone numbers, registration numbers, consent and
pseudonym…) lives in the services. Their ValidationError is attached back to the form with
:func:`binakarya.backoffice.common.add_service_errors`, so the user sees each message next to its field.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization

# Upper bounds that keep numbers inside their database columns; the services check the rest.
MAX_INT = 2_000_000_000
MAX_PRICE_IDR = 10_000_000_000


def number_field(
    *, label: StrOrPromise, required: bool = False, min_value: int | None = 0, max_value: int = MAX_INT, **kwargs: Any
) -> forms.IntegerField:
    """A whole number (phones show their number pad), bounded so that it fits its database column."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def phone_field(*, label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    """An optional phone number (phones show their dial pad); the services check and normalize it."""
    return forms.CharField(
        label=label,
        max_length=30,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


def date_field(*, label: StrOrPromise, required: bool = False, **kwargs: Any) -> forms.DateField:
    """A date with the browser's date picker, read and shown as YYYY-MM-DD."""
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organization picker; see :func:`offer_organizations`."""

    def __init__(self, queryset: QuerySet[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(queryset=queryset, label=_("Organization"), empty_label=None, **kwargs)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, a ModelChoiceField (``form.fields`` types its values as plain Fields).

    Raises TypeError when the field is of another kind: a programming error.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ModelChoiceField.")
    return field


def offer_organizations(form: forms.BaseForm, organizations: QuerySet[Organization]) -> None:
    """Offer ``organizations``; most staff work for one, so the picker is then a hidden input."""
    field = model_choice_field(form, "organization")
    field.queryset = organizations
    only = list(organizations[:2])
    if len(only) == 1:
        field.widget = forms.HiddenInput()
        form.initial.setdefault("organization", only[0].pk)


class LocationChoiceField(forms.ModelChoiceField):
    """A stock location as ``Gudang (Store)``, with its organization when ``with_organization`` is set."""

    def __init__(self, *args: Any, with_organization: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.with_organization = with_organization

    def label_from_instance(self, obj: Location) -> str:
        label = f"{obj.name} ({obj.get_kind_display()})"
        return f"{label} · {obj.organization.name}" if self.with_organization else label
