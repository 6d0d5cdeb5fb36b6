"""Who sees which back office sections: the areas' pages, the dashboard and the staff menu ask here.

The rows themselves are scoped by the selectors; these only decide whether a section is offered (and its
pages open). They use the memberships cached on the user. Outlet partners only ever see the stock consigned
to their own outlet and the sales made there, on pages of their own.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from binakarya.consignment.selectors import PARTNER_ROLES
from binakarya.core.types import Actor
from binakarya.dashboards.reports import REPORT_ROLES
from binakarya.dashboards.selectors import DASHBOARD_ROLES
from binakarya.inventory.selectors import STOCK_VIEW_ROLES
from binakarya.ledger.selectors import BOOKS_VIEW_ROLES, PNBP_KINDS, RULES_VIEW_ROLES, book_organizations_for
from binakarya.orders.selectors import ORDER_ROLES
from binakarya.organizations.scoping import (
    INVENTORY_ROLES,
    LEDGER_ROLES,
    MAKER_ROLES,
    OVERSIGHT_ROLES,
    PRODUCTION_ROLES,
    SALES_ROLES,
    STAFF_ADMIN_ROLES,
    STAFF_ROLES,
)
from binakarya.organizations.selectors import holds_role
from binakarya.programs.selectors import VIEW_ROLES as AGREEMENT_VIEW_ROLES


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


def sees_dashboards(user: Actor) -> bool:
    """Whether ``user`` opens the dashboards: who reads the books or records sales, and the viewers."""
    return holds_role(user=user, roles=DASHBOARD_ROLES)


# Orders -----------------------------------------------------------------------------------------


def handles_orders(user: Actor) -> bool:
    """Whether ``user`` handles the web and WhatsApp orders of at least one seller."""
    return holds_role(user=user, roles=ORDER_ROLES, oversight=False)


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
    return book_organizations_for(user=user, roles=BOOKS_VIEW_ROLES, kinds=PNBP_KINDS).exists()


# Reports (the monthly report, the e-Katalog report) ------------------------------------------------


def sees_reports(user: Actor) -> bool:
    """Book keepers, auditors and oversight viewers open the reports of the organizations they see."""
    return holds_role(user=user, roles=REPORT_ROLES)


def oversees(user: Actor) -> bool:
    """Whether ``user`` is a regional, national or agency viewer (the e-Katalog report is theirs)."""
    return holds_role(user=user, roles=OVERSIGHT_ROLES)


def require_reports(user: Actor) -> None:
    if not sees_reports(user):
        raise PermissionDenied(_("Only the book keepers, auditors and viewers of a facility open its reports."))


# Staff accounts ---------------------------------------------------------------------------------


def sees_agreements(user: Actor) -> bool:
    """Whether ``user`` reads agreements with partner agencies: every staff role but outlet partners."""
    return holds_role(user=user, roles=AGREEMENT_VIEW_ROLES)


def manages_staff(user: Actor) -> bool:
    """Whether ``user`` is a facility admin, who manages their facility's staff accounts."""
    return holds_role(user=user, roles=STAFF_ADMIN_ROLES, oversight=False)


# Outlet partners (consignment, the partner's portal) ----------------------------------------------


def is_outlet_partner(user: Actor) -> bool:
    """Whether ``user`` is an active partner of an outlet (the consignment partner's pages)."""
    return holds_role(user=user, roles=PARTNER_ROLES, oversight=False)


def partner_only(user: Actor) -> bool:
    """Whether an outlet partner holds no other role: their menu is the partner's portal, nothing else."""
    return is_outlet_partner(user) and not holds_role(user=user, roles=STAFF_ROLES - PARTNER_ROLES)


def require_outlet_partner(user: Actor) -> None:
    if not is_outlet_partner(user):
        raise PermissionDenied(_("Only an outlet's partner opens these pages."))
