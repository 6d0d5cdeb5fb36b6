"""Template helpers for the staff pages."""

from django import template

from binakarya.backoffice.access import has_any_role, money_sections, sees_sales, sees_stock
from binakarya.catalog.models import Product
from binakarya.catalog.selectors import product_is_public
from binakarya.organizations.scoping import CATALOG_ROLES, MAKER_ROLES

register = template.Library()


@register.filter
def buyers_see(product: Product) -> bool:
    """Whether ``product`` (with its producer and organization loaded) is in the public catalog."""
    return product_is_public(product=product)


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
