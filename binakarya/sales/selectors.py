"""Reads of sales, scoped: an organization's staff and oversight see its sales; an outlet partner
sees only the sales made at their outlet's consignment locations."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from binakarya.organizations.models import Role
from binakarya.organizations.scoping import STAFF_ROLES, organization_filter, scope, visible_organizations
from binakarya.sales.models import Sale, SaleLine

# Outlet partners see only their own outlet's sales (below), never the whole organization's.
SALES_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}


def sales_for(*, user: Any) -> QuerySet[Sale]:
    """Sales ``user`` may see: their organizations' (and oversight's), plus their outlet's consignment sales."""
    qs = scope(Sale.objects.all(), user, roles=SALES_VIEW_ROLES)
    if organization_filter(user, roles={Role.OUTLET_PARTNER}, oversight=False) is not None:
        outlets = visible_organizations(user, roles={Role.OUTLET_PARTNER}, oversight=False)
        qs = qs | Sale.objects.filter(location__outlet__in=outlets.values("pk"))
    return qs.select_related("organization", "location", "buyer")


def sale_for(*, user: Any, number: str) -> Sale:
    """The sale with this number, with its lines. Raises Sale.DoesNotExist, also outside the scope."""
    lines = SaleLine.objects.select_related("variant__product", "lot").order_by("pk")
    return sales_for(user=user).prefetch_related(Prefetch("lines", queryset=lines)).get(number=number.strip().upper())
