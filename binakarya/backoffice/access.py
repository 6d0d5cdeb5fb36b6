"""Who sees the production and stock pages: every staff role except outlet partners.

Outlet partners only ever see the stock consigned to their own outlet, on pages of their own. The rows
themselves are scoped by the selectors; this only decides whether the menu offers the sections.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from binakarya.organizations.models import Role
from binakarya.organizations.scoping import INVENTORY_ROLES, PRODUCTION_ROLES, STAFF_ROLES, organization_filter

STOCK_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}


def sees_stock(user: Any) -> bool:
    return organization_filter(user, roles=STOCK_VIEW_ROLES) is not None


def records_production(user: Any) -> bool:
    return organization_filter(user, roles=PRODUCTION_ROLES, oversight=False) is not None


def manages_stock(user: Any) -> bool:
    return organization_filter(user, roles=INVENTORY_ROLES, oversight=False) is not None


def require_stock_pages(user: Any) -> None:
    if not sees_stock(user):
        raise PermissionDenied(_("Only the staff of a facility or a producer see production and stock."))
