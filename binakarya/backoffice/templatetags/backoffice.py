"""Template helpers for the staff pages."""

from django import template

from binakarya.backoffice.access import money_sections, sees_sales, sees_stock
from binakarya.organizations.scoping import CATALOG_ROLES, MAKER_ROLES, organization_filter

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_sections(context) -> dict[str, bool]:
    """Which staff sections the current user may open; uses the memberships cached on the user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "catalog": organization_filter(user, roles=CATALOG_ROLES, oversight=False) is not None,
        "makers": organization_filter(user, roles=MAKER_ROLES, oversight=False) is not None,
        "stock": sees_stock(user),
        "sales": sees_sales(user),
        "money": any(money_sections(user).values()),
    }
