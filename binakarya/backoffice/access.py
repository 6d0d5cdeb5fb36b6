"""Who sees which back office sections: the areas' pages, the dashboard and the staff menu ask here.

The rows themselves are scoped by the selectors; these only decide whether a section is offered (and its
pages open). They use the memberships cached on the user. Outlet partners only ever see the stock consigned
to their own outlet and the sales made there, on pages of their own.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import (
    INVENTORY_ROLES,
    LEDGER_ROLES,
    MAKER_ROLES,
    OVERSIGHT_ROLES,
    PRODUCTION_ROLES,
    SALES_ROLES,
    STAFF_ROLES,
    organization_filter,
    visible_organizations,
)

STOCK_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}
# Organizations that keep books (sell, pay premi): facilities and UMKM producers; only facilities owe PNBP.
BOOK_KINDS = (Organization.Kind.FACILITY, Organization.Kind.PRODUCER)
PNBP_KINDS = (Organization.Kind.FACILITY,)
# Who reads trial balances and PNBP: the book keepers, the auditors, and oversight (aggregates only).
BOOKS_VIEW_ROLES = LEDGER_ROLES | {Role.AUDITOR} | OVERSIGHT_ROLES
# Who reads split rules and capital funds: every staff role but outlet partners.
RULES_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}


def has_any_role(user: Any, roles: frozenset) -> bool:
    return organization_filter(user, roles=roles, oversight=False) is not None


# Production and stock: every staff role except outlet partners ----------------------------------


def sees_stock(user: Any) -> bool:
    return organization_filter(user, roles=STOCK_VIEW_ROLES) is not None


def records_production(user: Any) -> bool:
    return organization_filter(user, roles=PRODUCTION_ROLES, oversight=False) is not None


def manages_stock(user: Any) -> bool:
    return organization_filter(user, roles=INVENTORY_ROLES, oversight=False) is not None


def require_stock_pages(user: Any) -> None:
    if not sees_stock(user):
        raise PermissionDenied(_("Only the staff of a facility or a producer see production and stock."))


# Sales ------------------------------------------------------------------------------------------


def sees_sales(user: Any) -> bool:
    """Anyone with a staff role: outlet partners see their outlet's sales, the others their organizations'."""
    return organization_filter(user) is not None


def records_sales(user: Any) -> bool:
    return organization_filter(user, roles=SALES_ROLES, oversight=False) is not None


# Money ------------------------------------------------------------------------------------------


def money_sections(user: Any) -> dict[str, bool]:
    """Which money pages ``user`` may open (uses the memberships cached on the user)."""
    return {
        "premi": organization_filter(user, roles=MAKER_ROLES, oversight=False) is not None,
        "rules": organization_filter(user, roles=RULES_VIEW_ROLES) is not None,
        "books": organization_filter(user, roles=BOOKS_VIEW_ROLES) is not None,
        "keeps_books": organization_filter(user, roles=LEDGER_ROLES, oversight=False) is not None,
    }


def keeps_pnbp(user: Any) -> bool:
    """Whether ``user`` sees the PNBP of at least one facility (an UMKM's remainder is its income, not PNBP)."""
    return book_organizations(user, BOOKS_VIEW_ROLES, PNBP_KINDS).exists()


def book_organizations(user: Any, roles: frozenset, kinds: tuple[str, ...] = BOOK_KINDS) -> QuerySet[Organization]:
    """The active organizations of ``kinds`` where ``user`` holds one of ``roles``, by name."""
    return visible_organizations(user, roles=roles).filter(kind__in=kinds, is_active=True).order_by("name", "pk")
