"""Reads of sales, scoped: an organization's staff and oversight see its sales; an outlet partner
sees only the sales made at their outlet's consignment locations."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from binakarya.catalog.models import Variant
from binakarya.inventory.models import Location
from binakarya.ledger.models import Account, JournalLine
from binakarya.organizations.models import Role
from binakarya.organizations.scoping import (
    SALES_ROLES,
    STAFF_ROLES,
    organization_filter,
    scope,
    visible_organizations,
)
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


def sale_locations_for(*, user: Any) -> QuerySet[Location]:
    """Where ``user`` may record sales: active stores, showrooms and outlets of the organizations they sell for."""
    return (
        scope(Location.objects.all(), user, roles=SALES_ROLES, oversight=False)
        .filter(is_active=True)
        .exclude(kind=Location.Kind.TRANSIT)
        .select_related("organization", "outlet")
        .order_by("organization__name", "kind", "name")
    )


def sale_variants_for(*, user: Any, location: Location | None = None) -> QuerySet[Variant]:
    """Variants ``user`` may sell; with a location, only its organization's, each with ``units`` held there."""
    qs = scope(Variant.objects.all(), user, roles=SALES_ROLES, oversight=False)
    if location is not None:
        qs = qs.filter(organization_id=location.organization_id).annotate(
            units=Coalesce(Sum("balances__quantity", filter=Q(balances__location=location)), 0)
        )
    return qs.select_related("product", "organization").order_by("sku")


# The order in which a sale's accounts are shown: the money in, then where it went.
JOURNAL_ORDER = [
    Account.Kind.CASH,
    Account.Kind.BANK,
    Account.Kind.RECEIVABLE,
    Account.Kind.COMMISSION,
    Account.Kind.CAPITAL_FUND,
    Account.Kind.PREMI_PAYABLE,
    Account.Kind.DEDUCTIONS_PAYABLE,
    Account.Kind.PNBP_PAYABLE,
    Account.Kind.PRODUCER_INCOME,
]


@dataclass(frozen=True)
class SaleJournalRow:
    account_id: int
    kind: str
    name: str
    maker_id: int | None
    maker_name: str
    posted_idr: int
    returned_idr: int

    @property
    def net_idr(self) -> int:
        return self.posted_idr + self.returned_idr


def sale_journal(*, sale: Sale) -> list[SaleJournalRow]:
    """Per account, what the sale's entry posted and what its returns gave back (debits positive; one query).

    ``sale`` comes from a scoped selector; ``maker_name`` is personal data, for the organization's own staff.
    """
    posted = Q(entry_id=sale.entry_id)
    rows = (
        JournalLine.objects.filter(posted | Q(entry__sale_return__sale_id=sale.pk))
        .values("account_id", "account__kind", "account__name", "account__maker_id", "account__maker__full_name")
        .annotate(posted=Sum("amount_idr", filter=posted), returned=Sum("amount_idr", filter=~posted))
        .order_by("account_id")
    )
    result = [
        SaleJournalRow(
            account_id=r["account_id"],
            kind=r["account__kind"],
            name=r["account__name"],
            maker_id=r["account__maker_id"],
            maker_name=r["account__maker__full_name"] or "",
            posted_idr=r["posted"] or 0,
            returned_idr=r["returned"] or 0,
        )
        for r in rows
    ]
    order = {kind: i for i, kind in enumerate(JOURNAL_ORDER)}
    return sorted(result, key=lambda r: (order.get(r.kind, len(order)), r.maker_name, r.name, r.account_id))
