"""Form fields that interfaces share with each other: the back office and the public storefront.

Rupiah are typed the Indonesian way (``15.000``, ``Rp15.000``); :func:`binakarya.core.money.parse_rupiah`
reads them, and nothing ambiguous is ever cut.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from binakarya.core.money import RupiahFormatError, format_rupiah, parse_rupiah

# The largest amount a rupiah field takes: it keeps numbers inside their database columns.
MAX_PRICE_IDR = 10_000_000_000


class RupiahInput(forms.TextInput):
    """A rupiah amount: a text input (a number input cannot hold the dots of ``15.000``) with the phone's number
    pad, showing the amount as ``Rp15.000``. ``static/js/rupiah.js`` formats it so as it is typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "data-rupiah": "", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        # An amount (the initial value, or what was typed and could be read) is shown as Rp15.000; what could
        # not be read is shown as typed, next to the message that says why.
        if isinstance(value, int) and not isinstance(value, bool):
            return format_rupiah(value)
        if isinstance(value, str):
            try:
                return format_rupiah(parse_rupiah(value))
            except RupiahFormatError:
                return value
        return super().format_value(value)


class RupiahField(forms.Field):
    """A whole number of rupiah as people type it (``15.000``, ``15000``, ``Rp15.000``, ``Rp 15.000``).

    Parsing is :func:`binakarya.core.money.parse_rupiah`; cents, English thousands commas and anything
    ambiguous are refused with a message that shows what was typed, never cut. Cleans to an int (or None).
    """

    widget = RupiahInput
    default_error_messages = {
        "decimal": _("Type whole rupiah, without cents: 15.000, not “%(value)s”."),
        "comma": _("Group thousands with dots, not commas: 15.000, not “%(value)s”."),
        "grouping": _("“%(value)s” is unclear: dots group the digits in threes, e.g. 15.000 or 1.250.000."),
        "invalid": _("Type an amount in rupiah, e.g. 15.000 or Rp15.000 (not “%(value)s”)."),
        "too_large": _("The amount may be at most %(limit)s."),
        "negative": _("The amount cannot be negative."),
        "too_small": _("The amount must be at least %(limit)s."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int = MAX_PRICE_IDR, **kwargs: Any) -> None:
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_rupiah(str(value))
        except RupiahFormatError as exc:
            if exc.code == "empty":  # only "Rp": nothing typed
                return None
            code = "too_large" if exc.code == "too_large" else exc.code
            raise ValidationError(
                self.error_messages[code],
                code=code,
                params={"value": str(value).strip(), "limit": format_rupiah(self.max_value)},
            ) from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value > self.max_value:
            raise ValidationError(
                self.error_messages["too_large"], code="too_large", params={"limit": format_rupiah(self.max_value)}
            )
        if self.min_value is not None and value < self.min_value:
            if self.min_value == 0:
                raise ValidationError(self.error_messages["negative"], code="negative")
            raise ValidationError(
                self.error_messages["too_small"], code="too_small", params={"limit": format_rupiah(self.min_value)}
            )


def rupiah_field(
    *,
    label: StrOrPromise,
    required: bool = False,
    min_value: int | None = 0,
    max_value: int = MAX_PRICE_IDR,
    **kwargs: Any,
) -> RupiahField:
    """A rupiah amount field (see :class:`RupiahField`); every amount on every staff form is one."""
    return RupiahField(label=label, required=required, min_value=min_value, max_value=max_value, **kwargs)
