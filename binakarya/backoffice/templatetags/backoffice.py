"""Template helpers for the staff pages."""

from typing import Any

from django import template
from django.forms.boundfield import BoundField

from binakarya.backoffice.access import has_any_role, money_sections, sees_sales, sees_stock
from binakarya.core import form_errors
from binakarya.organizations.scoping import CATALOG_ROLES, MAKER_ROLES

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_sections(context: template.Context) -> dict[str, bool]:
    """Which staff sections the current user may open; uses the memberships cached on the user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "catalog": has_any_role(user, CATALOG_ROLES),
        "makers": has_any_role(user, MAKER_ROLES),
        "stock": sees_stock(user),
        "sales": sees_sales(user),
        "money": any(money_sections(user).values()),
    }


@register.filter
def first_error_field(form: Any) -> str:
    """The name of ``form``'s first visible field with an error ("" when none): the one that gets focus."""
    return form_errors.first_error_field(form) or ""


@register.filter
def invalid_fields(form: Any) -> list[BoundField]:
    """The visible fields of ``form`` that have errors, in order: the summary at the top of a refused form."""
    if not getattr(form, "is_bound", False):
        return []
    return [field for field in form.visible_fields() if field.errors]
