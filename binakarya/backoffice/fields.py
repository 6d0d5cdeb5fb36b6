"""Form fields and parsers shared by the forms of every back office area.

The back office forms only parse input into service keyword arguments; the services validate. Validation
that belongs to the domain (SKU format, price above zero, phone numbers, registration numbers, consent and
pseudonym…) lives in the services. Their ValidationError is attached back to the form with
:func:`binakarya.backoffice.common.add_service_errors`, so the user sees each message next to its field.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

# The rupiah field is shared with the storefront; the back office forms take it from here (re-exported).
from binakarya.core.fields import MAX_PRICE_IDR as MAX_PRICE_IDR
from binakarya.core.fields import RupiahField as RupiahField
from binakarya.core.fields import RupiahInput as RupiahInput
from binakarya.core.fields import rupiah_field as rupiah_field
from binakarya.core.money import (
    RupiahFormatError,
    decimal_separator_for,
    format_percent,
    parse_rupiah,
)
from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization

# Upper bounds that keep numbers inside their database columns (MAX_PRICE_IDR: core.fields); the services
# check the rest.
MAX_INT = 2_000_000_000


class WholeNumberField(forms.IntegerField):
    """A whole number as people type it: ``1000`` or ``1.000`` (dots group thousands, as in rupiah).

    Django's IntegerField reads ``2.000`` as 2 and a number input drops ``1,000``; this field reads
    ``1.000`` as a thousand and refuses ``2,5``, ``2.5`` and ``1.00`` with a message: never cut.
    """

    default_error_messages = {"invalid": _("Type a whole number, e.g. 12 or 1.000 (not “%(value)s”).")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        try:
            if "rp" in text.lower():
                raise RupiahFormatError("invalid", text)
            return parse_rupiah(text)
        except RupiahFormatError as exc:
            if exc.code == "empty":
                return None
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None


def number_field(
    *, label: StrOrPromise, required: bool = False, min_value: int | None = 0, max_value: int = MAX_INT, **kwargs: Any
) -> forms.IntegerField:
    """A whole number (phones show their number pad; a text input, so that ``1.000`` is typed as written),
    bounded so that it fits its database column."""
    return WholeNumberField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class PercentInput(forms.TextInput):
    """A percentage, shown the reader's way (``12,5`` in Indonesian) with the phone's decimal keypad."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_percent(value, decimal_separator=decimal_separator_for(get_language()))
        return super().format_value(value)


class PercentField(forms.DecimalField):
    """A percentage with at most two decimals, typed ``12,5`` or ``12.5`` (a ``%`` after it is allowed).

    Between 0 and 100 with two decimals at most, a point or a comma can only be the decimal separator.
    Cleans to a Decimal; :func:`basis_points` turns it into basis points.
    """

    widget = PercentInput

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No min, max or step: the browser would check them in English; the form's own messages say it.
        return {}

    # django-stubs types DecimalField as an IntegerField whose to_python returns an int (its own override
    # of it is silenced there); Django's DecimalField.to_python returns a Decimal, as this one does.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


def basis_points(percent: Decimal | None) -> int:
    """50 → 5000, 12.5 → 1250 (two decimals at most, so exact)."""
    return int((percent or Decimal(0)) * 100)


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


PRICED_ROWS_MAX = 30


class PricedRowsForm(forms.Form):
    """A form with ``rows`` lines of SKU, quantity and unit price (empty rows are skipped): a quotation's, a
    pro-forma invoice's. "Add a line" posts it back with one more row (no JavaScript)."""

    price_label: StrOrPromise = _("Unit price")
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=PRICED_ROWS_MAX, required=False)

    def __init__(self, *args: Any, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = max(1, min(rows, PRICED_ROWS_MAX))
        self.initial.setdefault("rows", self.row_count)
        for i in range(self.row_count):
            self.fields[f"sku_{i}"] = forms.CharField(label=_("SKU"), max_length=40, required=False)
            self.fields[f"quantity_{i}"] = number_field(label=_("Quantity"), max_value=1_000_000)
            self.fields[f"price_{i}"] = rupiah_field(label=self.price_label)

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
