"""Who sees which back office sections: the areas' pages, the dashboard and the staff menu ask here.

The rows themselves are scoped by the selectors; these only decide whether a section is offered (and its
pages open). They use the memberships cached on the user. Outlet partners only ever see the stock consigned
to their own outlet and the sales made there, on pages of their own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from binakarya.core.types import Actor
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import (
    INVENTORY_ROLES,
    LEDGER_ROLES,
    MAKER_ROLES,
    OVERSIGHT_ROLES,
    PRODUCTION_ROLES,
    SALES_ROLES,
    STAFF_ROLES,
)

# BOOK_KINDS and PNBP_KINDS are imported from here by the areas' views too.
from binakarya.organizations.selectors import BOOK_KINDS, PNBP_KINDS, holds_role, organizations_for

STOCK_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}
# Who reads trial balances and PNBP: the book keepers, the auditors, and oversight (aggregates only).
BOOKS_VIEW_ROLES = LEDGER_ROLES | {Role.AUDITOR} | OVERSIGHT_ROLES
# Who reads split rules and capital funds: every staff role but outlet partners.
RULES_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}


def has_any_role(user: Actor, roles: frozenset[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` directly (oversight roles do not count)."""
    return holds_role(user=user, roles=roles, oversight=False)


# Production and stock: every staff role except outlet partners ----------------------------------


def sees_stock(user: Actor) -> bool:
    return holds_role(user=user, roles=STOCK_VIEW_ROLES)


def records_production(user: Actor) -> bool:
    return holds_role(user=user, roles=PRODUCTION_ROLES, oversight=False)


def manages_stock(user: Actor) -> bool:
    return holds_role(user=user, roles=INVENTORY_ROLES, oversight=False)


def require_stock_pages(user: Actor) -> None:
    if not sees_stock(user):
        raise PermissionDenied(_("Only the staff of a facility or a producer see production and stock."))


# Sales ------------------------------------------------------------------------------------------


def sees_sales(user: Actor) -> bool:
    """Anyone with a staff role: outlet partners see their outlet's sales, the others their organizations'."""
    return holds_role(user=user)


def records_sales(user: Actor) -> bool:
    return holds_role(user=user, roles=SALES_ROLES, oversight=False)


# Money ------------------------------------------------------------------------------------------


def money_sections(user: Actor) -> dict[str, bool]:
    """Which money pages ``user`` may open (uses the memberships cached on the user)."""
    return {
        "premi": holds_role(user=user, roles=MAKER_ROLES, oversight=False),
        "rules": holds_role(user=user, roles=RULES_VIEW_ROLES),
        "books": holds_role(user=user, roles=BOOKS_VIEW_ROLES),
        "keeps_books": holds_role(user=user, roles=LEDGER_ROLES, oversight=False),
    }


def keeps_pnbp(user: Actor) -> bool:
    """Whether ``user`` sees the PNBP of at least one facility (an UMKM's remainder is its income, not PNBP)."""
    return book_organizations(user, BOOKS_VIEW_ROLES, PNBP_KINDS).exists()


def book_organizations(
    user: Actor, roles: frozenset[str], kinds: tuple[str, ...] = BOOK_KINDS
) -> QuerySet[Organization]:
    """The active organizations of ``kinds`` where ``user`` holds one of ``roles``, by name."""
    return organizations_for(user=user, roles=roles, kinds=kinds, active_only=True)
