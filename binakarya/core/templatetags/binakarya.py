"""Template filters available in every template (registered as builtins in settings)."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import TYPE_CHECKING, Any

from django import template
from django.utils.translation import get_language

from binakarya.core.money import decimal_separator_for, format_percent, format_rupiah
from binakarya.core.phone import display_phone

if TYPE_CHECKING:
    from binakarya.catalog.models import Category

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """``1250000|rupiah`` → ``Rp1.250.000``."""
    try:
        return format_rupiah(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def percent(value: Any) -> str:
    """A percentage the reader's way: ``12.5|percent`` → ``12,5%`` (id), ``12.5%`` (en); ``25.0`` → ``25%``."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        return format_percent(value, decimal_separator=decimal_separator_for(get_language())) + "%"
    except (TypeError, ValueError, InvalidOperation):
        return ""


@register.filter
def grouped(value: Any) -> str:
    """A whole number with thousands grouped the reader's way: ``48062`` → ``48.062`` (id), ``48,062`` (en)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    separator = "," if (get_language() or "").startswith("en") else "."
    return f"{number:,}".replace(",", separator)


@register.filter
def phone(value: str | None) -> str:
    return display_phone(value or "")


@register.filter
def category_name(category: Category | None) -> str:
    """The category's name in the active language."""
    if category is None:
        return ""
    if get_language() == "en" and category.name_en:
        return category.name_en
    return category.name
