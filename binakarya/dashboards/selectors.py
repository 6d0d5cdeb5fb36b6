"""Dashboards by scope (issue 14): one organization, a province's facilities, the nation's provinces, or the
UMKM producers an agency supports, side by side.

Money comes from the ledger's monthly summaries (``ledger.models.LedgerMonth``, ``MakerMonth``), never from
journal lines, so a nation's year reads a few thousand summary rows; stock from the stock balances; orders
and deals from their own tables, counted. Every read is limited to the organizations the user may see
(``organizations.scoping`` through ``organizations.selectors``). Rows are months, channels, categories,
groups or units (organizations, provinces): never a maker.

A scope is a string: ``org:<slug>``, ``province:<name>``, ``nation`` or ``agency:<slug>``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binakarya.catalog.models import Category
from binakarya.core.exports import Column, Table
from binakarya.core.types import Actor
from binakarya.deals.selectors import deals_waiting_by_organization
from binakarya.inventory.selectors import stock_age_buckets_by_organization, stock_value_by_organization
from binakarya.ledger.accounts import MONEY_KINDS
from binakarya.ledger.models import (
    Account,
    JournalEntry,
    LedgerBalance,
    LedgerMonth,
    MakerMonth,
    PnbpDeposit,
    PnbpTarget,
)
from binakarya.ledger.selectors import BOOKS_VIEW_ROLES
from binakarya.makers.models import Group
from binakarya.orders.selectors import orders_needing_action_by_organization
from binakarya.organizations.models import Membership, Organization, Role
from binakarya.organizations.scoping import OVERSIGHT_ROLES, SALES_ROLES
from binakarya.organizations.selectors import BOOK_KINDS, memberships_for, organizations_for
from binakarya.programs.selectors import program_outcomes
from binakarya.sales.models import Channel

# Who opens dashboards: those who read the books or record sales, and oversight (aggregates only). Not
# instructors, not outlet partners.
DASHBOARD_ROLES: frozenset[str] = BOOKS_VIEW_ROLES | SALES_ROLES
SALES_ENTRY_KINDS = (JournalEntry.Kind.SALE, JournalEntry.Kind.REVERSAL)
PANEL_KEYS = (
    "sales-month",
    "sales-channel",
    "sales-group",
    "sales-category",
    "premi",
    "pnbp",
    "stock",
    "stock-aging",
    "receivables",
    "capital",
    "orders",
    "outcomes",
)


@dataclass(frozen=True)
class Unit:
    """One thing compared side by side: an organization, or a province (the nation's view)."""

    key: str
    label: str
    organization_ids: tuple[int, ...]
    link_scope: str = ""


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers. ``owes_pnbp``: its organizations are facilities (an UMKM owes no PNBP)."""

    kind: str
    title: str
    units: tuple[Unit, ...]
    organization_ids: tuple[int, ...]
    scope: str = ""
    owes_pnbp: bool = False


@dataclass(frozen=True)
class Panel:
    """A table and how to draw it. ``series``: the positions of the columns the chart draws (empty: every
    numeric column), so that a total or a count is shown in the table without being stacked or plotted."""

    key: str
    table: Table
    chart: str
    note: str = ""
    series: tuple[int, ...] = field(default=())


# Scopes ---------------------------------------------------------------------------------------------


def _roles(memberships: Iterable[Membership], role: str) -> list[Membership]:
    return [m for m in memberships if m.role == role]


def dashboard_scopes(*, user: Actor) -> list[tuple[str, str]]:
    """The scopes ``user`` may open, the default first: their own organizations, their province(s), the
    nation, their agency. A province's facilities and an agency's producers open from links in their panels."""
    memberships = memberships_for(user=user)
    found: list[tuple[str, str]] = []
    for m in memberships:
        org = m.organization
        if m.role in DASHBOARD_ROLES and m.role not in OVERSIGHT_ROLES and org.kind in BOOK_KINDS:
            found.append((f"org:{org.slug}", org.name))
    for m in _roles(memberships, Role.REGIONAL_VIEWER):
        if m.organization.province:
            found.append((f"province:{m.organization.province}", m.organization.province))
    if _roles(memberships, Role.NATIONAL_VIEWER):
        found.append(("nation", _("Indonesia")))
        found.extend((f"province:{p}", p) for p in _provinces(user))
    for m in _roles(memberships, Role.AGENCY_VIEWER):
        found.append((f"agency:{m.organization.slug}", m.organization.name))
    unique: dict[str, str] = {}
    for key, label in found:
        unique.setdefault(key, label)
    return list(unique.items())


def _facilities(user: Actor) -> QuerySet[Organization]:
    return organizations_for(user=user, roles=DASHBOARD_ROLES, kinds=[Organization.Kind.FACILITY], active_only=True)


def _provinces(user: Actor) -> list[str]:
    return sorted({p for p in _facilities(user).values_list("province", flat=True) if p})


def dashboard_scope(*, user: Actor, scope: str = "") -> Scope:
    """The scope ``scope`` names (``""``: the user's default, the first of ``dashboard_scopes``).

    Raises PermissionDenied for a scope the user may not see (or when they may see none), Http404 for one
    that does not exist.
    """
    if not scope:
        scopes = dashboard_scopes(user=user)
        if not scopes:
            raise PermissionDenied(_("You have no dashboard to see."))
        scope = scopes[0][0]
    kind, _sep, value = scope.partition(":")
    value = value.strip()
    if kind == "org" and value:
        return _organization_scope(user, value)
    if kind == "province" and value:
        return _province_scope(user, value)
    if kind == "nation" and not value:
        return _nation_scope(user)
    if kind == "agency" and value:
        return _agency_scope(user, value)
    raise Http404(_("There is no such dashboard."))


def _organization_scope(user: Actor, slug: str) -> Scope:
    org = Organization.objects.filter(slug=slug, kind__in=BOOK_KINDS).first()
    if org is None:
        raise Http404(_("There is no such dashboard."))
    if not organizations_for(user=user, roles=DASHBOARD_ROLES).filter(pk=org.pk).exists():
        raise PermissionDenied(_("You may not see the dashboard of %(name)s.") % {"name": org.name})
    unit = Unit(key=org.slug, label=org.name, organization_ids=(org.pk,))
    return Scope(
        kind="organization",
        title=org.name,
        units=(unit,),
        organization_ids=(org.pk,),
        scope=f"org:{org.slug}",
        owes_pnbp=org.kind == Organization.Kind.FACILITY,
    )


def _province_scope(user: Actor, province: str) -> Scope:
    if not Organization.objects.filter(kind=Organization.Kind.FACILITY, province=province, is_active=True).exists():
        raise Http404(_("There is no such dashboard."))
    memberships = memberships_for(user=user)
    allowed = _roles(memberships, Role.NATIONAL_VIEWER) or any(
        m.organization.province == province for m in _roles(memberships, Role.REGIONAL_VIEWER)
    )
    if not allowed:
        raise PermissionDenied(_("You may not see the dashboard of %(name)s.") % {"name": province})
    units = tuple(
        Unit(key=o.slug, label=o.name, organization_ids=(o.pk,), link_scope=f"org:{o.slug}")
        for o in _facilities(user).filter(province=province)
    )
    return Scope(
        kind="region",
        title=province,
        units=units,
        organization_ids=tuple(sorted(i for u in units for i in u.organization_ids)),
        scope=f"province:{province}",
        owes_pnbp=True,
    )


def _nation_scope(user: Actor) -> Scope:
    if not _roles(memberships_for(user=user), Role.NATIONAL_VIEWER):
        raise PermissionDenied(_("Only a national viewer sees the nation's dashboard."))
    by_province: dict[str, list[int]] = defaultdict(list)
    for pk, province in _facilities(user).values_list("pk", "province"):
        by_province[province].append(pk)
    units = tuple(
        Unit(
            key=province,
            label=province or _("No province"),
            organization_ids=tuple(sorted(ids)),
            link_scope=f"province:{province}" if province else "",
        )
        for province, ids in sorted(by_province.items())
    )
    return Scope(
        kind="nation",
        title=_("Indonesia"),
        units=units,
        organization_ids=tuple(sorted(i for u in units for i in u.organization_ids)),
        scope="nation",
        owes_pnbp=True,
    )


def _agency_scope(user: Actor, slug: str) -> Scope:
    agency = Organization.objects.filter(slug=slug, kind=Organization.Kind.AGENCY).first()
    if agency is None:
        raise Http404(_("There is no such dashboard."))
    memberships = memberships_for(user=user)
    allowed = _roles(memberships, Role.NATIONAL_VIEWER) or any(
        m.organization_id == agency.pk for m in _roles(memberships, Role.AGENCY_VIEWER)
    )
    if not allowed:
        raise PermissionDenied(_("You may not see the dashboard of %(name)s.") % {"name": agency.name})
    producers = organizations_for(
        user=user, roles=DASHBOARD_ROLES, kinds=[Organization.Kind.PRODUCER], active_only=True
    ).filter(parent=agency)
    units = tuple(
        Unit(key=o.slug, label=o.name, organization_ids=(o.pk,), link_scope=f"org:{o.slug}") for o in producers
    )
    return Scope(
        kind="agency",
        title=agency.name,
        units=units,
        organization_ids=tuple(sorted(o.pk for o in producers)),
        scope=f"agency:{agency.slug}",
        owes_pnbp=False,
    )


def dashboard_years(*, scope: Scope) -> list[int]:
    """Years in which the scope's organizations have entries, newest first; the current year always."""
    years = {timezone.localdate().year}
    years.update(
        d.year for d in LedgerMonth.objects.filter(organization_id__in=scope.organization_ids).dates("month", "year")
    )
    return sorted(years, reverse=True)


# Panels ---------------------------------------------------------------------------------------------


def _month_label(month: int) -> str:
    return str(MONTHS_3[month]).capitalize()


def _channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else (channel or _("No channel"))


def _net() -> Any:
    return F("debit_idr") + F("credit_idr")


@dataclass
class _Figures:
    """What the panels are drawn from, read in a fixed number of queries whatever the scope's size."""

    sales_by_month: dict[tuple[int, int, str], int]  # (org, month, channel) -> net sales
    sales_by_dims: dict[tuple[int, int, int], int]  # (org, category, group) -> net sales
    premi_earned: dict[tuple[int, int], int]  # (org, month) -> premi earned
    premi_paid: dict[tuple[int, int], int]
    pnbp_accrued: dict[int, int]
    pnbp_deposited: dict[int, int]
    receivable_outlets: dict[int, int]  # balance now, from consignment outlets
    receivable_total: dict[int, int]
    capital_balance: dict[tuple[int, int], int]  # (org, group) -> balance now
    capital_grants: dict[tuple[int, int], int]  # (org, group) -> grants in the year


def _figures(ids: Sequence[int], year: int) -> _Figures:
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    rows = LedgerMonth.objects.filter(organization_id__in=ids).order_by()
    in_year = rows.filter(month__gte=start, month__lt=end)
    # A sale's money lines trace to its sale lines, so they carry a channel; a reversal without one (an order's
    # settlement undone when a paid order is cancelled) is not a sale.
    sales = in_year.filter(account_kind__in=sorted(MONEY_KINDS), entry_kind__in=SALES_ENTRY_KINDS).exclude(channel="")
    f = _Figures(
        sales_by_month={},
        sales_by_dims={},
        premi_earned=defaultdict(int),
        premi_paid=defaultdict(int),
        pnbp_accrued=defaultdict(int),
        pnbp_deposited=defaultdict(int),
        receivable_outlets=defaultdict(int),
        receivable_total=defaultdict(int),
        capital_balance=defaultdict(int),
        capital_grants=defaultdict(int),
    )
    for org, month, channel, net in (
        sales.values("organization_id", "month", "channel")
        .annotate(net=Sum(_net()))
        .values_list("organization_id", "month", "channel", "net")
    ):
        f.sales_by_month[(org, month.month, channel)] = net
    for org, category, group, net in (
        sales.values("organization_id", "category_key", "group_key")
        .annotate(net=Sum(_net()))
        .values_list("organization_id", "category_key", "group_key", "net")
    ):
        f.sales_by_dims[(org, category, group)] = net
    payable_kinds = [Account.Kind.PREMI_PAYABLE, Account.Kind.PNBP_PAYABLE]
    for org, month, entry_kind, account_kind, net in (
        in_year.filter(account_kind__in=payable_kinds)
        .values("organization_id", "month", "entry_kind", "account_kind")
        .annotate(net=Sum(_net()))
        .values_list("organization_id", "month", "entry_kind", "account_kind", "net")
    ):
        if account_kind == Account.Kind.PREMI_PAYABLE:
            if entry_kind == JournalEntry.Kind.PAYOUT:
                f.premi_paid[(org, month.month)] += net
            else:
                f.premi_earned[(org, month.month)] -= net
        elif entry_kind != JournalEntry.Kind.PNBP_DEPOSIT:
            f.pnbp_accrued[org] -= net
    # Deposits count in the year of their deposit date (as on the PNBP page), not of their recording.
    for org, deposited in (
        PnbpDeposit.objects.filter(organization_id__in=ids, deposited_date__gte=start, deposited_date__lt=end)
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("amount_idr"))
        .values_list("organization_id", "total")
    ):
        f.pnbp_deposited[org] += deposited
    # Balances now: LedgerBalance (no month), a few rows per organization; the year's grants from LedgerMonth.
    for org, account_kind, entry_kind, channel, group, net in (
        LedgerBalance.objects.filter(organization_id__in=ids)
        .order_by()
        .values("organization_id", "account_kind", "entry_kind", "channel", "group_key")
        .annotate(net=Sum(_net()))
        .values_list("organization_id", "account_kind", "entry_kind", "channel", "group_key", "net")
    ):
        if account_kind == Account.Kind.COMMISSION:
            # What an outlet owes is its receivable less the commission it keeps (ledger.selectors.outlet_owed).
            f.receivable_total[org] += net
            f.receivable_outlets[org] += net
        elif account_kind == Account.Kind.RECEIVABLE:
            f.receivable_total[org] += net
            if channel == Channel.OUTLET or entry_kind == JournalEntry.Kind.OUTLET_PAYMENT:
                f.receivable_outlets[org] += net
        elif account_kind == Account.Kind.CAPITAL_FUND:
            f.capital_balance[(org, group)] -= net
    for org, group, grants in (
        in_year.filter(account_kind=Account.Kind.CAPITAL_FUND, entry_kind=JournalEntry.Kind.GRANT)
        .values("organization_id", "group_key")
        .annotate(grants=Sum(_net()))
        .values_list("organization_id", "group_key", "grants")
    ):
        f.capital_grants[(org, group)] -= grants
    return f


def _makers_earning(ids: Sequence[int], year: int, *, by_month: bool) -> dict[tuple[int, int], int]:
    """Makers with premi earned (net of returns) per (organization, month), and per (organization, 0) over the
    year. Counted in the database: no maker leaves it."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    rows = MakerMonth.objects.filter(organization_id__in=ids, month__gte=start, month__lt=end).order_by()
    found: dict[tuple[int, int], int] = {}
    if by_month:
        for org, month, n in (
            rows.filter(earned_idr__gt=0)
            .values("organization_id", "month")
            .annotate(n=Count("maker_id"))
            .values_list("organization_id", "month", "n")
        ):
            found[(org, month.month)] = n
    per_maker = (
        rows.values("organization_id", "maker_id").annotate(earned=Sum("earned_idr")).filter(earned__gt=0).order_by()
    )
    inner, params = per_maker.values("organization_id", "maker_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.organization_id, COUNT(*) FROM ({inner}) d GROUP BY d.organization_id", params)
        for org, n in cursor.fetchall():
            found[(org, 0)] = n
    return found


def _checked_ids(user: Actor, scope: Scope) -> tuple[int, ...]:
    visible = set(
        organizations_for(user=user, roles=DASHBOARD_ROLES)
        .filter(pk__in=scope.organization_ids)
        .values_list("pk", flat=True)
    )
    if visible != set(scope.organization_ids):
        raise PermissionDenied(_("You may not see the dashboard of %(name)s.") % {"name": scope.title})
    return scope.organization_ids


def dashboard_panels(*, user: Actor, scope: Scope, year: int) -> list[Panel]:
    """The scope's panels for ``year`` (balances, stock and orders as of now), in ``PANEL_KEYS`` order; the
    PNBP panel only where the organizations are facilities. Raises PermissionDenied if the user may not see
    every organization of the scope."""
    ids = _checked_ids(user, scope)
    single = scope.kind == "organization"
    figures = _figures(ids, year)
    unit_of = {org: i for i, unit in enumerate(scope.units) for org in unit.organization_ids}
    panels = [
        _sales_month(scope, figures, single, unit_of, year),
        _sales_channel(scope, figures, single, unit_of, year),
        _sales_group(scope, figures, single, unit_of, year),
        _sales_category(scope, figures, single, unit_of, year),
        _premi(scope, figures, single, unit_of, year, _makers_earning(ids, year, by_month=single)),
    ]
    if scope.owes_pnbp:
        panels.append(_pnbp(scope, figures, unit_of, year))
    panels.extend(_stock(user, scope, unit_of))
    panels.append(_receivables(scope, figures, unit_of))
    panels.append(_capital(scope, figures, single, unit_of, year))
    panels.append(_orders(user, scope, unit_of))
    if scope.owes_pnbp:
        panels.append(_outcomes(user, scope))
    return panels


def _per_unit(values: dict[int, int], unit_of: dict[int, int], size: int) -> list[int]:
    totals = [0] * size
    for org, value in values.items():
        if org in unit_of:
            totals[unit_of[org]] += value
    return totals


def _channels(keys: Iterable[str]) -> list[str]:
    present = set(keys)
    return [c for c in Channel.values if c in present] + sorted(present - set(Channel.values))


def _sales_month(scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int) -> Panel:
    title = _("Sales by month, %(year)s") % {"year": year}
    if single:
        channels = _channels(c for (_o, _m, c), net in f.sales_by_month.items() if net)
        columns = [Column(_("Month")), *(Column(_channel_label(c), rupiah=True) for c in channels)]
        columns.append(Column(_("Total"), rupiah=True))
        rows = []
        for month in range(1, 13):
            cells = [
                sum(net for (_o, m, c), net in f.sales_by_month.items() if m == month and c == ch) for ch in channels
            ]
            rows.append([_month_label(month), *cells, sum(cells)])
        return Panel("sales-month", Table(title, columns, rows), "stacked", series=tuple(range(1, len(channels) + 1)))
    grid = [[0] * len(scope.units) for _m in range(12)]
    for (org, month, _c), net in f.sales_by_month.items():
        if org in unit_of:
            grid[month - 1][unit_of[org]] += net
    columns = [Column(_("Month")), *(Column(u.label, rupiah=True) for u in scope.units)]
    rows = [[_month_label(m + 1), *grid[m]] for m in range(12)]
    return Panel("sales-month", Table(title, columns, rows), "line")


def _sales_channel(scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int) -> Panel:
    title = _("Sales by channel, %(year)s") % {"year": year}
    by: dict[tuple[int, str], int] = defaultdict(int)
    for (org, _m, channel), net in f.sales_by_month.items():
        if org in unit_of:
            by[(unit_of[org], channel)] += net
    channels = _channels(c for (_u, c), net in by.items() if net)
    if single:
        rows = [[_channel_label(c), by[(0, c)]] for c in channels]
        return Panel(
            "sales-channel", Table(title, [Column(_("Channel")), Column(_("Net sales"), rupiah=True)], rows), "bars"
        )
    columns = [Column(_("Unit")), *(Column(_channel_label(c), rupiah=True) for c in channels)]
    rows = [[u.label, *(by[(i, c)] for c in channels)] for i, u in enumerate(scope.units)]
    return Panel("sales-channel", Table(title, columns, rows), "stacked")


def _sales_group(scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int) -> Panel:
    title = _("Sales by group, %(year)s") % {"year": year}
    by_group: dict[tuple[int, int], int] = defaultdict(int)
    for (org, _c, group), net in f.sales_by_dims.items():
        if org in unit_of:
            by_group[(unit_of[org], group)] += net
    if single:
        groups = sorted({g for (_u, g), net in by_group.items() if net})
        names = dict(Group.objects.filter(pk__in=groups).values_list("pk", "name"))
        label = scope.units[0].label if not scope.owes_pnbp else _("No group")
        ordered = sorted(groups, key=lambda g: (-by_group[(0, g)], names.get(g, label).casefold()))
        rows = [[names.get(g, label), by_group[(0, g)]] for g in ordered]
        columns = [Column(_("Group")), Column(_("Net sales"), rupiah=True)]
        return Panel("sales-group", Table(title, columns, rows), "bars")
    columns = [Column(_("Unit")), Column(_("Groups selling")), Column(_("Net sales"), rupiah=True)]
    rows = []
    for i, unit in enumerate(scope.units):
        selling = [net for (u, _g), net in by_group.items() if u == i and net > 0]
        rows.append([unit.label, len(selling), sum(net for (u, _g), net in by_group.items() if u == i)])
    return Panel("sales-group", Table(title, columns, rows), "bars", series=(2,))


def _category_names(keys: Iterable[int]) -> dict[int, str]:
    english = (get_language() or "").startswith("en")
    return {
        pk: (name_en if english and name_en else name)
        for pk, name, name_en in Category.objects.filter(pk__in=sorted(set(keys))).values_list("pk", "name", "name_en")
    }


def _sales_category(scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int) -> Panel:
    title = _("Sales by category, %(year)s") % {"year": year}
    by: dict[tuple[int, int], int] = defaultdict(int)
    for (org, category, _g), net in f.sales_by_dims.items():
        if org in unit_of:
            by[(unit_of[org], category)] += net
    categories = sorted({c for (_u, c), net in by.items() if net})
    names = _category_names(categories)
    label = {c: names.get(c, _("No category")) for c in categories}
    categories.sort(key=lambda c: label[c].casefold())
    if single:
        rows = [[label[c], by[(0, c)]] for c in categories]
        columns = [Column(_("Category")), Column(_("Net sales"), rupiah=True)]
        return Panel("sales-category", Table(title, columns, rows), "bars")
    columns = [Column(_("Unit")), *(Column(label[c], rupiah=True) for c in categories)]
    rows = [[u.label, *(by[(i, c)] for c in categories)] for i, u in enumerate(scope.units)]
    return Panel("sales-category", Table(title, columns, rows), "stacked")


def _premi(
    scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int, earning: dict[tuple[int, int], int]
) -> Panel:
    title = _("Premi, %(year)s") % {"year": year}
    columns = [
        Column(_("Month") if single else _("Unit")),
        Column(_("Premi earned"), rupiah=True),
        Column(_("Premi paid"), rupiah=True),
        Column(_("Makers earning")),
    ]
    if single:
        (org,) = scope.organization_ids
        rows: list[list[Any]] = [
            [_month_label(m), f.premi_earned.get((org, m), 0), f.premi_paid.get((org, m), 0), earning.get((org, m), 0)]
            for m in range(1, 13)
        ]
        rows.append(
            [
                str(year),
                sum(f.premi_earned.get((org, m), 0) for m in range(1, 13)),
                sum(f.premi_paid.get((org, m), 0) for m in range(1, 13)),
                earning.get((org, 0), 0),
            ]
        )
        return Panel("premi", Table(title, columns, rows), "bars", series=(1, 2))
    size = len(scope.units)
    earned = _per_unit(_by_org(f.premi_earned), unit_of, size)
    paid = _per_unit(_by_org(f.premi_paid), unit_of, size)
    makers = _per_unit({org: n for (org, m), n in earning.items() if m == 0}, unit_of, size)
    rows = [[u.label, earned[i], paid[i], makers[i]] for i, u in enumerate(scope.units)]
    return Panel("premi", Table(title, columns, rows), "bars", series=(1, 2))


def _by_org(values: dict[tuple[int, int], int]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for (org, _k), value in values.items():
        totals[org] += value
    return totals


def _pnbp(scope: Scope, f: _Figures, unit_of: dict[int, int], year: int) -> Panel:
    targets = dict(
        PnbpTarget.objects.filter(organization_id__in=scope.organization_ids, year=year).values_list(
            "organization_id", "target_idr"
        )
    )
    size = len(scope.units)
    accrued = _per_unit(f.pnbp_accrued, unit_of, size)
    deposited = _per_unit(f.pnbp_deposited, unit_of, size)
    target = _per_unit(targets, unit_of, size)
    columns = [
        Column(_("Unit")),
        Column(_("PNBP accrued"), rupiah=True),
        Column(_("PNBP deposited"), rupiah=True),
        Column(_("Target"), rupiah=True),
        Column(_("Deposited, percent of target")),
    ]
    rows = [
        [u.label, accrued[i], deposited[i], target[i], deposited[i] * 100 // target[i] if target[i] else None]
        for i, u in enumerate(scope.units)
    ]
    missing = len(set(scope.organization_ids) - set(targets))
    note = ""
    if missing == len(scope.organization_ids):
        note = _("No PNBP target set for %(year)s.") % {"year": year}
    elif missing:
        note = _("No PNBP target set for %(year)s at %(count)s of %(total)s facilities.") % {
            "year": year,
            "count": missing,
            "total": len(scope.organization_ids),
        }
    title = _("PNBP against target, %(year)s") % {"year": year}
    return Panel("pnbp", Table(title, columns, rows), "bars", note=note, series=(1, 2, 3))


def _stock(user: Actor, scope: Scope, unit_of: dict[int, int]) -> list[Panel]:
    size = len(scope.units)
    values = stock_value_by_organization(user=user, organization_ids=scope.organization_ids)
    units = _per_unit({org: v.units for org, v in values.items()}, unit_of, size)
    worth = _per_unit({org: v.value_idr for org, v in values.items()}, unit_of, size)
    stock = Table(
        _("Stock on hand"),
        [Column(_("Unit")), Column(_("Units")), Column(_("Value at list price"), rupiah=True)],
        [[u.label, units[i], worth[i]] for i, u in enumerate(scope.units)],
    )
    ages = stock_age_buckets_by_organization(user=user, organization_ids=scope.organization_ids)
    buckets = [_per_unit({org: counts[b] for org, counts in ages.items()}, unit_of, size) for b in range(4)]
    aging = Table(
        _("Stock by age since production"),
        [
            Column(_("Unit")),
            Column(_("0–90 days")),
            Column(_("91–180 days")),
            Column(_("181–365 days")),
            Column(_("Over 365 days")),
        ],
        [[u.label, *(buckets[b][i] for b in range(4))] for i, u in enumerate(scope.units)],
    )
    return [Panel("stock", stock, "bars", series=(2,)), Panel("stock-aging", aging, "stacked")]


def _receivables(scope: Scope, f: _Figures, unit_of: dict[int, int]) -> Panel:
    size = len(scope.units)
    outlets = _per_unit(f.receivable_outlets, unit_of, size)
    total = _per_unit(f.receivable_total, unit_of, size)
    columns = [
        Column(_("Unit")),
        Column(_("Consignment outlets"), rupiah=True),
        Column(_("Other buyers"), rupiah=True),
        Column(_("Total owed"), rupiah=True),
    ]
    rows = [[u.label, outlets[i], total[i] - outlets[i], total[i]] for i, u in enumerate(scope.units)]
    return Panel("receivables", Table(_("Receivables outstanding now"), columns, rows), "stacked", series=(1, 2))


def _capital(scope: Scope, f: _Figures, single: bool, unit_of: dict[int, int], year: int) -> Panel:
    columns = [
        Column(_("Fund") if single else _("Unit")),
        Column(_("Balance now"), rupiah=True),
        Column(_("Grants received in %(year)s") % {"year": year}, rupiah=True),
    ]
    title = _("Capital funds")
    if single:
        groups = sorted(
            {g for (_o, g), v in f.capital_balance.items() if v} | {g for (_o, g), v in f.capital_grants.items() if v}
        )
        names = dict(Group.objects.filter(pk__in=groups).values_list("pk", "name"))
        rows = [
            [names.get(g, scope.units[0].label), f.capital_balance.get((o, g), 0), f.capital_grants.get((o, g), 0)]
            for o in scope.organization_ids
            for g in groups
        ]
        rows.sort(key=lambda r: str(r[0]).casefold())
        return Panel("capital", Table(title, columns, rows), "bars", series=(1,))
    size = len(scope.units)
    balance = _per_unit(_by_org(f.capital_balance), unit_of, size)
    grants = _per_unit(_by_org(f.capital_grants), unit_of, size)
    rows = [[u.label, balance[i], grants[i]] for i, u in enumerate(scope.units)]
    return Panel("capital", Table(title, columns, rows), "bars", series=(1,))


def _orders(user: Actor, scope: Scope, unit_of: dict[int, int]) -> Panel:
    size = len(scope.units)
    orders = _per_unit(
        orders_needing_action_by_organization(
            user=user, organization_ids=scope.organization_ids, roles=DASHBOARD_ROLES
        ),
        unit_of,
        size,
    )
    waiting = deals_waiting_by_organization(user=user, organization_ids=scope.organization_ids, roles=DASHBOARD_ROLES)
    rfqs = _per_unit({org: r for org, (r, _d) in waiting.items()}, unit_of, size)
    deals = _per_unit({org: d for org, (_r, d) in waiting.items()}, unit_of, size)
    columns = [
        Column(_("Unit")),
        Column(_("Orders needing action")),
        Column(_("New requests for quotation")),
        Column(_("Deals under way")),
    ]
    rows = [[u.label, orders[i], rfqs[i], deals[i]] for i, u in enumerate(scope.units)]
    return Panel("orders", Table(_("Waiting for action now"), columns, rows), "bars")


def _outcomes(user: Actor, scope: Scope) -> Panel:
    """After release (issue 15): the scope's released makers who agreed to be asked, at 6 and 12 months, as
    counts and rates for the whole scope (never per person). A facility's figures are for its own staff only: a
    viewer who opens a facility from a province gets no figures (they could be subtracted from the province's);
    a province's and the nation's follow programs.selectors' complementary suppression (``withheld``)."""
    columns = [Column(_("Measure")), Column(_("6 months")), Column(_("12 months"))]
    title = _("After release: outcomes, counts only")
    try:
        outcomes = program_outcomes(user=user, scope=scope.scope)
    except PermissionDenied as exc:
        return Panel("outcomes", Table(title, columns, []), "", note=str(exc))
    rows = [[row.label, row.at_6, row.at_12] for row in outcomes.rows]
    note = _(
        "Releases: %(releases)s, agreed to be asked: %(consented)s. Groups of one or two people are shown as "
        "“<3”, and a figure that would let them be worked out as “≥”."
    ) % {"releases": outcomes.releases, "consented": outcomes.consented}
    if outcomes.withheld:
        note = f"{note} {outcomes.withheld}"
    return Panel("outcomes", Table(title, columns, rows), "", note=note)
