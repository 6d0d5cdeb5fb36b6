"""Reads of sales, scoped: an organization's staff and oversight see its sales; an outlet partner
sees only the sales made at their outlet's consignment locations."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from binakarya.catalog.models import Variant
from binakarya.core.types import Actor
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import STOCK_VIEW_ROLES, StockValue, stock_value_by_organization
from binakarya.ledger.models import Account, JournalEntry, JournalLine, Payout, SplitRule
from binakarya.ledger.selectors import pnbp_deposited, premi_paid_by_organization, rule_of
from binakarya.ledger.split import LotSale, Rule, split_lot_sale
from binakarya.makers.selectors import active_maker_counts_by_organization
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import (
    MAKER_ROLES,
    SALES_ROLES,
    STAFF_ROLES,
    organization_filter,
    scope,
    visible_organizations,
)
from binakarya.organizations.selectors import BOOK_KINDS, organization_get, organizations_for
from binakarya.production.models import Contribution
from binakarya.sales.models import Sale, SaleLine, SaleReturn, SaleReturnLine

# Outlet partners see only their own outlet's sales (below), never the whole organization's.
SALES_VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}
# Who may be named as a sale's buyer: organizations that buy (agencies, outlets), never another tenant.
BUYER_KINDS: tuple[str, ...] = (Organization.Kind.AGENCY, Organization.Kind.OUTLET)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sales_for(
    *,
    user: Actor,
    location_code: str = "",
    channel: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Sale]:
    """Sales ``user`` may see: their organizations' (and oversight's), plus their outlet's consignment sales.

    Narrowed to a location (by code), a channel, and the days from ``date_from`` to ``date_to`` (both
    included, in the site's time zone) when given. Newest first.
    """
    qs = scope(Sale.objects.all(), user, roles=SALES_VIEW_ROLES)
    if organization_filter(user, roles={Role.OUTLET_PARTNER}, oversight=False) is not None:
        outlets = visible_organizations(user, roles={Role.OUTLET_PARTNER}, oversight=False)
        qs = qs | Sale.objects.filter(location__outlet__in=outlets.values("pk"))
    if location_code:
        qs = qs.filter(location__code=location_code)
    if channel:
        qs = qs.filter(channel=channel)
    # Days as ranges of occurred_at (not its date), so that an index on it serves; the first and the last
    # day there is need no bound (and would not fit one).
    if date_from is not None and date_from > datetime.date.min:
        qs = qs.filter(occurred_at__gte=_day_start(date_from))
    if date_to is not None and date_to < datetime.date.max:
        qs = qs.filter(occurred_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs.select_related("organization", "location", "buyer").order_by("-occurred_at", "-id")


class SalesTotals(TypedDict):
    """How many sales, their gross and the premi they credited (both None when there is no sale)."""

    count: int
    gross: int | None
    premi: int | None


def sales_totals(*, sales: QuerySet[Sale]) -> SalesTotals:
    """The totals of ``sales``, as :func:`sales_for` gives them (one query)."""
    totals = sales.aggregate(count=Count("id"), gross=Sum("gross_idr"), premi=Sum("premi_idr"))
    return SalesTotals(count=totals["count"], gross=totals["gross"], premi=totals["premi"])


def sale_for(*, user: Actor, number: str) -> Sale:
    """The sale with this number, with its lines. Raises Sale.DoesNotExist, also outside the scope."""
    lines = SaleLine.objects.select_related("variant__product", "lot").order_by("pk")
    return sales_for(user=user).prefetch_related(Prefetch("lines", queryset=lines)).get(number=number.strip().upper())


def sale_books_visible_to(*, user: Actor, sale: Sale) -> bool:
    """Whether ``user`` sees the money of ``sale`` (its journal, its lots): the selling organization's staff
    and oversight do, an outlet partner who sees the sale only as their outlet's does not."""
    return visible_organizations(user, roles=SALES_VIEW_ROLES).filter(pk=sale.organization_id).exists()


def sale_returns_for(*, sale: Sale) -> list[SaleReturn]:
    """The returns of ``sale`` (which comes from a scoped selector), newest first, with their lines."""
    return list(
        SaleReturn.objects.filter(sale=sale).prefetch_related("lines__sale_line__variant", "lines__sale_line__lot")
    )


def sale_return_lines(*, sale_return: SaleReturn) -> list[SaleReturnLine]:
    """The lines of a return just recorded, with their SKUs and lots, by the sale's line."""
    return list(
        SaleReturnLine.objects.filter(sale_return=sale_return)
        .select_related("sale_line__variant", "sale_line__lot")
        .order_by("sale_line_id")
    )


def sale_locations_for(*, user: Actor) -> QuerySet[Location]:
    """Where ``user`` may record sales: active stores, showrooms and outlets of the organizations they sell for."""
    return (
        scope(Location.objects.all(), user, roles=SALES_ROLES, oversight=False)
        .filter(is_active=True)
        .exclude(kind=Location.Kind.TRANSIT)
        .select_related("organization", "outlet")
        .order_by("organization__name", "kind", "name")
    )


def sale_variants_for(
    *,
    user: Actor,
    location: Location | None = None,
    in_stock: bool = False,
    ids: Iterable[int] | None = None,
) -> QuerySet[Variant]:
    """Variants ``user`` may sell, by SKU.

    With a location, only its organization's, each with ``units`` held there (``in_stock``: only those it
    holds). With ``ids``, only those.
    """
    qs = scope(Variant.objects.all(), user, roles=SALES_ROLES, oversight=False)
    if ids is not None:
        qs = qs.filter(pk__in=sorted(set(ids)))
    if location is not None:
        qs = qs.filter(organization_id=location.organization_id).annotate(
            units=Coalesce(Sum("balances__quantity", filter=Q(balances__location=location)), 0)
        )
        if in_stock:
            qs = qs.filter(units__gt=0)
    return qs.select_related("product", "organization").order_by("sku")


def sale_buyer_for(*, slug: str) -> Organization:
    """The active agency or outlet ``slug`` (``BUYER_KINDS``; the back office offers
    ``organizations_by_kind(kinds=BUYER_KINDS)``). Raises Organization.DoesNotExist for any other slug:
    facilities and producers are tenants, not buyers."""
    return organization_get(slug=slug, kinds=BUYER_KINDS)


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
    order: dict[str, int] = {kind: i for i, kind in enumerate(JOURNAL_ORDER)}
    return sorted(result, key=lambda r: (order.get(r.kind, len(order)), r.maker_name, r.name, r.account_id))


# Public figures ------------------------------------------------------------------------------------


def public_impact(*, organization: Organization, year: int) -> dict[str, int]:
    """Aggregates only: premi earned and paid, makers who earned, items sold, PNBP deposited."""
    premi_lines = JournalLine.objects.filter(
        organization=organization,
        account__kind=Account.Kind.PREMI_PAYABLE,
        entry__occurred_at__year=year,
        entry__kind__in=[JournalEntry.Kind.SALE, JournalEntry.Kind.REVERSAL],
    )
    earned = -(premi_lines.aggregate(t=Sum("amount_idr"))["t"] or 0)
    earners = premi_lines.values("account__maker_id").annotate(t=Sum("amount_idr")).filter(t__lt=0).count()
    paid = Payout.objects.filter(organization=organization, paid_at__year=year).aggregate(t=Sum("amount_idr"))["t"] or 0
    sold = (
        SaleLine.objects.filter(organization=organization, sale__occurred_at__year=year).aggregate(
            t=Sum(F("quantity") - F("returned_quantity"))
        )["t"]
        or 0
    )
    deposited = pnbp_deposited(organization=organization, year=year)
    return {
        "year": year,
        "premi_earned_idr": earned,
        "premi_paid_idr": paid,
        "makers_earning": earners,
        "items_sold": sold,
        "pnbp_deposited_idr": deposited,
    }


@dataclass(frozen=True)
class MonthImpact:
    """One month of an organization's public figures: aggregates only, never a maker."""

    month: int  # 1-12
    sales_idr: int  # revenue of the items sold that month, less what was returned
    premi_earned_idr: int  # premi credited to makers that month, less reversals
    items_sold: int


def public_impact_months(*, organization: Organization, year: int) -> list[MonthImpact]:
    """The twelve months of ``year`` (in the site's time zone): sales, premi earned and items sold. Two queries."""
    premi = dict(
        JournalLine.objects.filter(
            organization=organization,
            account__kind=Account.Kind.PREMI_PAYABLE,
            entry__occurred_at__year=year,
            entry__kind__in=[JournalEntry.Kind.SALE, JournalEntry.Kind.REVERSAL],
        )
        .annotate(month=ExtractMonth("entry__occurred_at"))
        .values("month")
        .annotate(total=Sum("amount_idr"))
        .order_by()
        .values_list("month", "total")
    )
    sold: dict[int, tuple[int, int]] = {
        month: (int(units or 0), int(revenue or 0))
        for month, units, revenue in SaleLine.objects.filter(organization=organization, sale__occurred_at__year=year)
        .annotate(month=ExtractMonth("sale__occurred_at"))
        .values("month")
        .annotate(
            units=Sum(F("quantity") - F("returned_quantity")),
            revenue=Sum((F("quantity") - F("returned_quantity")) * F("unit_price_idr")),
        )
        .order_by()
        .values_list("month", "units", "revenue")
    }
    return [
        MonthImpact(
            month=month,
            sales_idr=sold.get(month, (0, 0))[1],
            # Premi accounts are credit-normal: what makers earned is the negative of the sum.
            premi_earned_idr=-int(premi.get(month) or 0),
            items_sold=sold.get(month, (0, 0))[0],
        )
        for month in range(1, 13)
    ]


def public_impact_years(*, organization: Organization) -> list[int]:
    """The years an organization sold in, and the current year, newest first."""
    years = {moment.year for moment in Sale.objects.filter(organization=organization).datetimes("occurred_at", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


# Invariants ---------------------------------------------------------------------------------------


PREMI_CHECK_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class _PremiCheckLine:
    """One sale line as premi_mismatches reads it (a values_list row, with its lot's unit cost)."""

    pk: int
    sale_id: int
    lot_id: int
    quantity: int
    unit_price_idr: int
    commission_idr: int
    split_rule_id: int
    unit_cost_idr: int


def premi_mismatches(*, organization: Organization | None = None, chunk_size: int = PREMI_CHECK_CHUNK) -> list[str]:
    """Numbers of the sales whose premi lines differ from what their split rules give (recomputed from scratch).

    For every line of a sale, the split of its quantity, price, commission and lot's unit cost under
    the rule version it was posted with gives each contributor of the lot (in contribution order) a
    net premi; the non-zero ones must equal, per sale line and maker, the premi credited in the
    sale's own entry. Returns and cancellations post entries of their own, which are not read here.

    Sales are read by primary key in chunks of ``chunk_size``: one query for the premi accounts, then
    four a chunk (the sales, their lines with their lots' unit costs, the contributions of those lots,
    and the lines of their entries, looked up by a list of entry ids) and one for each batch of split
    rules not seen before; ordered by sale.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    sales = Sale.objects.all() if organization is None else Sale.objects.filter(organization=organization)
    rules: dict[int, Rule] = {}
    premi_accounts = Account.objects.filter(kind=Account.Kind.PREMI_PAYABLE)
    if organization is not None:
        premi_accounts = premi_accounts.filter(organization=organization)
    premi_makers: dict[int, int | None] = dict(premi_accounts.order_by().values_list("pk", "maker_id"))
    problems: list[str] = []
    after: int | None = None
    while True:
        page = sales.order_by("pk") if after is None else sales.filter(pk__gt=after).order_by("pk")
        chunk: list[tuple[int, str, int]] = list(page.values_list("pk", "number", "entry_id")[:chunk_size])
        if not chunk:
            break
        first, after = chunk[0][0], chunk[-1][0]
        # The chunk's sale lines by their sales' pk range. A sale committed into the range since the
        # chunk was read is left out again below.
        line_rows = SaleLine.objects.filter(sale_id__gte=first, sale_id__lte=after)
        if organization is not None:
            line_rows = line_rows.filter(sale__organization=organization)

        lines_by_sale: dict[int, list[_PremiCheckLine]] = defaultdict(list)
        for row in line_rows.order_by("pk").values_list(
            "pk",
            "sale_id",
            "lot_id",
            "quantity",
            "unit_price_idr",
            "commission_idr",
            "split_rule_id",
            "lot__unit_cost_idr",
        ):
            line = _PremiCheckLine(*row)
            lines_by_sale[line.sale_id].append(line)

        contributors: dict[int, list[tuple[int, int]]] = defaultdict(list)  # lot -> [(maker, share)] by pk
        for lot_id, maker_id, share in (
            Contribution.objects.filter(lot_id__in=line_rows.values("lot_id"))
            .order_by("lot_id", "pk")
            .values_list("lot_id", "maker_id", "share")
        ):
            contributors[lot_id].append((maker_id, share))

        sale_of_entry = {entry_id: pk for pk, _number, entry_id in chunk}
        posted: dict[int, dict[tuple[int | None, int | None], int]] = defaultdict(lambda: defaultdict(int))
        # Every line of the chunk's entries, by a list of entry ids, so the planner probes the entry index
        # whatever its statistics say (right after a bulk import they can be far off); the premi lines
        # are picked out here by their accounts, which are few.
        for entry_id, sale_line_id, account_id, amount in (
            JournalLine.objects.filter(entry_id__in=sorted(e for _pk, _number, e in chunk if e is not None))
            .order_by()
            .values_list("entry_id", "sale_line_id", "account_id", "amount_idr")
        ):
            if account_id not in premi_makers:
                continue
            premi_maker_id = premi_makers[account_id]
            sale_pk = sale_of_entry.get(entry_id)
            if sale_pk is not None:
                posted[sale_pk][(sale_line_id, premi_maker_id)] -= amount

        missing = {line.split_rule_id for lines in lines_by_sale.values() for line in lines} - rules.keys()
        if missing:
            rules.update((pk, rule_of(split_rule)) for pk, split_rule in SplitRule.objects.in_bulk(missing).items())

        for pk, number, _entry_id in chunk:
            expected: dict[tuple[int | None, int | None], int] = defaultdict(int)
            for line in lines_by_sale.get(pk, ()):
                makers = contributors.get(line.lot_id, [])
                split = split_lot_sale(
                    rules[line.split_rule_id],
                    LotSale(
                        line.quantity,
                        line.unit_price_idr,
                        line.unit_cost_idr,
                        line.commission_idr,
                        [share for _maker, share in makers],
                    ),
                )
                for (maker_id, _share), net in zip(makers, split.net_premi_by_contributor, strict=True):
                    if net:
                        expected[(line.pk, maker_id)] += net
            if dict(posted.get(pk, {})) != dict(expected):
                problems.append(number)
        if len(chunk) < chunk_size:
            break
    return problems


# A viewer's scope at a glance -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationSummary:
    """Key figures of one organization in a user's scope. ``makers`` is None where the user may not see
    that organization's makers; the stock figures are None where they may not see its stock."""

    organization: Organization
    sales_month: int
    gross_month_idr: int
    gross_year_idr: int
    premi_year_idr: int
    premi_paid_year_idr: int
    stock_units: int | None
    stock_value_idr: int | None
    makers: int | None


def _totals_by_organization(sales: QuerySet[Sale]) -> dict[int, dict[str, int]]:
    rows = (
        sales.order_by()
        .values("organization_id")
        .annotate(count=Count("id"), gross=Sum("gross_idr"), premi=Sum("premi_idr"))
    )
    return {
        row["organization_id"]: {"count": row["count"], "gross": row["gross"] or 0, "premi": row["premi"] or 0}
        for row in rows
    }


def scope_summary(*, user: Actor, today: datetime.date | None = None, at_least: int = 1) -> list[OrganizationSummary]:
    """One row per active facility and UMKM producer ``user`` sees (a viewer's whole province, or the
    country), by name: sales this month and this year, the premi they credited, premi paid out this
    year, stock on hand and its value at catalog prices, and active makers where the user may see them.

    Empty when the user sees fewer than ``at_least`` such organizations (then only one query is made).
    Otherwise a fixed number of grouped queries, however many organizations there are.
    """
    today = today or timezone.localdate()
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    organizations = list(organizations_for(user=user, roles=SALES_VIEW_ROLES, kinds=BOOK_KINDS, active_only=True))
    if not organizations or len(organizations) < at_least:
        return []
    own_sales = scope(Sale.objects.all(), user, roles=SALES_VIEW_ROLES)
    month = _totals_by_organization(own_sales.filter(occurred_at__gte=_day_start(month_start)))
    year = _totals_by_organization(own_sales.filter(occurred_at__gte=_day_start(year_start)))
    paid = premi_paid_by_organization(user=user, year=today.year)
    stock = stock_value_by_organization(user=user)
    stock_seen = set(visible_organizations(user, roles=STOCK_VIEW_ROLES).values_list("pk", flat=True))
    makers = active_maker_counts_by_organization(user=user)
    makers_seen = set(visible_organizations(user, roles=MAKER_ROLES, oversight=False).values_list("pk", flat=True))
    none = {"count": 0, "gross": 0, "premi": 0}
    rows = []
    for org in organizations:
        org_stock = stock.get(org.pk, StockValue(units=0, value_idr=0)) if org.pk in stock_seen else None
        rows.append(
            OrganizationSummary(
                organization=org,
                sales_month=month.get(org.pk, none)["count"],
                gross_month_idr=month.get(org.pk, none)["gross"],
                gross_year_idr=year.get(org.pk, none)["gross"],
                premi_year_idr=year.get(org.pk, none)["premi"],
                premi_paid_year_idr=paid.get(org.pk, 0),
                stock_units=org_stock.units if org_stock else None,
                stock_value_idr=org_stock.value_idr if org_stock else None,
                makers=makers.get(org.pk, 0) if org.pk in makers_seen else None,
            )
        )
    return rows
