"""The reports a facility sends up (issue 14): a facility's (or an UMKM producer's) monthly report for the Kanwil,
and the e-Katalog marketing report of SE Dirjenpas PAS-08.OT.02.02/2024 for a province.

Every figure is computed from the source tables (sales and their returns, journal lines, payouts, PNBP deposits,
stock movements, lots, orders and deals) for the one organization, or the one province's facilities, that the
user may see: the organization is looked up through ``ledger.selectors.book_organizations_for`` (the scoping
helper) with ``BOOKS_VIEW_ROLES`` (book keepers, auditors and oversight) before anything of it is read.

Neither report names a maker. The monthly report counts makers who earned premi; groups (public provenance) are
named, makers never. These are reads: nothing is written, no document number is taken (see docs/reports.md).

Dates are days in the site's time zone (Asia/Jakarta); a day's sales are those whose ``occurred_at`` falls in
it. A return lowers the month in which it is recorded, not the month of the sale it returns, so a month's
figures do not change when a later month brings a return.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from binakarya.catalog.selectors import published_counts_by_organization
from binakarya.core.types import Actor
from binakarya.deals.models import Deal, ProcurementPlatform, Quotation, Rfq
from binakarya.inventory.models import StockMovement
from binakarya.ledger.models import Account, JournalEntry, JournalLine, Payout, PnbpDeposit, PnbpTarget
from binakarya.ledger.selectors import BOOKS_VIEW_ROLES, PNBP_KINDS, book_organization_for, book_organizations_for
from binakarya.orders.models import Order
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.sales.models import Channel, Sale, SaleLine, SaleReturnLine

# Who opens the reports: the book keepers, auditors and oversight (regional, national and agency viewers).
REPORT_ROLES: frozenset[str] = BOOKS_VIEW_ROLES
# The UPTs of SE PAS-08 are correctional facilities; UMKM producers are not in it.
UPT_KINDS: tuple[str, ...] = (Organization.Kind.FACILITY,)
# The channel that stands for e-Katalog and agency purchases: a deal's handover sells through it.
EKATALOG_CHANNEL = Channel.INSTITUTIONAL
# Age of stock since its lot was finished: the upper bound (days) of each bucket; the last has none.
AGING_BUCKETS: tuple[int | None, ...] = (30, 90, 180, 365, None)
# Orders and deals still waiting for the seller.
OPEN_ORDER_STATUSES = (
    Order.Status.AWAITING_PAYMENT,
    Order.Status.PAID,
    Order.Status.PACKED,
    Order.Status.READY_FOR_PICKUP,
)
OPEN_DEAL_STATUSES = (
    Deal.Status.ORDERED,
    Deal.Status.PARTLY_DELIVERED,
    Deal.Status.DELIVERED,
    Deal.Status.INVOICED,
)
KEPT_UNITS = F("quantity") - F("returned_quantity")


# Periods -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from ``date_from`` to ``date_to``, both included."""

    date_from: datetime.date
    date_to: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return _day_start(self.date_from)

    @property
    def end(self) -> datetime.datetime:
        """The moment after the last day (exclusive)."""
        return _day_start(self.date_to + datetime.timedelta(days=1))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_period(year: int, month: int) -> Period:
    """The calendar month. Raises ValidationError for a month that does not exist."""
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValidationError(_("Choose a month between January 2000 and December 2100."), code="bad_month")
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - datetime.timedelta(days=1))


def period_check(date_from: datetime.date, date_to: datetime.date) -> Period:
    """The period from ``date_from`` to ``date_to``. Raises ValidationError when it runs backwards or spans
    more than a year (a report covers a month, a quarter or a year), or lies outside 2000 to 2100."""
    if not (2000 <= date_from.year <= 2100 and 2000 <= date_to.year <= 2100):
        raise ValidationError(_("Choose dates between 1 January 2000 and 31 December 2100."), code="period_range")
    if date_to < date_from:
        raise ValidationError(_("The period ends before it starts."), code="period_backwards")
    if (date_to - date_from).days > 366:
        raise ValidationError(_("A report covers at most a year."), code="period_too_long")
    return Period(date_from, date_to)


def period_parse(key: str) -> Period:
    """A period named as the report page offers it: ``2026`` (a year), ``2026-T1`` (a quarter: triwulan) or
    ``2026-03`` (a month). Raises ValidationError for anything else."""
    text = key.strip().upper()
    try:
        if len(text) == 4:
            year = int(text)
            month_period(year, 1)
            return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        year_text, _sep, rest = text.partition("-")
        year = int(year_text)
        if rest.startswith("T") and rest[1:] in {"1", "2", "3", "4"}:
            quarter = int(rest[1:])
            return Period(month_period(year, quarter * 3 - 2).date_from, month_period(year, quarter * 3).date_to)
        return month_period(year, int(rest))
    except ValueError:
        pass
    raise ValidationError(_("Choose a month, a quarter or a year."), code="bad_period")


def month_parse(text: str) -> Period:
    """A month typed as ``2026-03`` (what ``<input type=month>`` sends). Raises ValidationError."""
    year_text, _sep, month_text = text.strip().partition("-")
    if len(year_text) == 4 and year_text.isdigit() and month_text.isdigit() and len(month_text) <= 2:
        return month_period(int(year_text), int(month_text))
    raise ValidationError(_("Choose a month, for example 2026-03."), code="bad_month")


@dataclass(frozen=True)
class PeriodOption:
    key: str
    date_from: datetime.date
    kind: str  # "year", "quarter" or "month"


def period_options(*, today: datetime.date | None = None, years: int = 2) -> list[PeriodOption]:
    """What the report page offers, newest first: for this year and the ones before it, the year, its quarters
    and its months up to the current one."""
    today = today or timezone.localdate()
    options: list[PeriodOption] = []
    for year in range(today.year, today.year - years, -1):
        last_month = today.month if year == today.year else 12
        options.append(PeriodOption(str(year), datetime.date(year, 1, 1), "year"))
        for quarter in range((last_month + 2) // 3, 0, -1):
            options.append(PeriodOption(f"{year}-T{quarter}", datetime.date(year, quarter * 3 - 2, 1), "quarter"))
        for month in range(last_month, 0, -1):
            options.append(PeriodOption(f"{year}-{month:02d}", datetime.date(year, month, 1), "month"))
    return options


# Whose reports ----------------------------------------------------------------------------------


def report_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The facilities and UMKM producers whose monthly report ``user`` may open, by name."""
    return book_organizations_for(user=user, roles=REPORT_ROLES)


def report_organization_for(*, user: Actor, slug: str) -> Organization:
    """The organization ``slug`` among :func:`report_organizations_for`. Raises Organization.DoesNotExist for an
    unknown slug and for one outside the user's scope alike."""
    return book_organization_for(user=user, slug=slug.strip(), roles=REPORT_ROLES, active_only=False)


def report_provinces_for(*, user: Actor) -> list[str]:
    """The provinces of the facilities (UPTs) ``user`` sees, for the e-Katalog report, by name."""
    names = (
        book_organizations_for(user=user, roles=REPORT_ROLES, kinds=UPT_KINDS)
        .exclude(province="")
        .order_by()
        .values_list("province", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


# The monthly report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Units and rupiah sold, less those returned, in a period."""

    units: int = 0
    value_idr: int = 0


@dataclass(frozen=True)
class BreakdownRow:
    """One channel, category or group: its figures in the month and in the year to date."""

    label: StrOrPromise
    month: Figures
    year: Figures


@dataclass(frozen=True)
class SalesSummary:
    transactions: int  # sales recorded in the period (a sale returned later still counts)
    gross_idr: int  # what they sold for
    units: int
    returned_idr: int  # returns recorded in the period, of sales of any date
    returned_units: int

    @property
    def net_idr(self) -> int:
        return self.gross_idr - self.returned_idr

    @property
    def net_units(self) -> int:
        return self.units - self.returned_units


@dataclass(frozen=True)
class PremiFigures:
    earned_month_idr: int  # credited to makers by sales, less returns
    earned_year_idr: int
    paid_month_idr: int
    paid_year_idr: int
    makers_earning_month: int  # a count: never who
    makers_earning_year: int
    held_idr: int  # held for makers at the end of the month


@dataclass(frozen=True)
class PnbpFigures:
    accrued_month_idr: int
    accrued_year_idr: int
    deposited_month_idr: int
    deposited_year_idr: int
    target_idr: int
    payable_idr: int  # accrued and not yet deposited, at the end of the month

    @property
    def target_percent(self) -> int | None:
        """What was deposited in the year to date, in whole percent of the year's target (None without one)."""
        return self.deposited_year_idr * 100 // self.target_idr if self.target_idr else None


@dataclass(frozen=True)
class AgingBucket:
    days_from: int
    days_to: int | None
    units: int
    value_idr: int


@dataclass(frozen=True)
class StockFigures:
    units: int
    value_idr: int  # at the variants' catalog prices
    aging: list[AgingBucket]


@dataclass(frozen=True)
class NamedAmount:
    name: str
    amount_idr: int


@dataclass(frozen=True)
class ProductionFigures:
    lots: int
    produced: int
    passed: int
    material_cost_idr: int


@dataclass(frozen=True)
class WaitingFigures:
    """What waits for the seller when the report is made."""

    orders: int
    orders_idr: int
    requests: int  # requests for quotation not yet answered
    quotations: int  # quotations still valid, not yet accepted
    deals: int  # deals ordered and not yet paid
    deals_idr: int


@dataclass(frozen=True)
class MonthlyReport:
    organization: Organization
    month: Period
    year_to_date: Period
    made_at: datetime.datetime
    sales_month: SalesSummary
    sales_year: SalesSummary
    by_channel: list[BreakdownRow]
    by_category: list[BreakdownRow]
    by_group: list[BreakdownRow]
    premi: PremiFigures
    pnbp: PnbpFigures | None  # None for an UMKM producer: its remainder is its own income
    stock: StockFigures
    receivables: list[NamedAmount]
    capital_funds: list[NamedAmount]
    production_month: ProductionFigures
    production_year: ProductionFigures
    waiting: WaitingFigures

    @property
    def reference(self) -> str:
        """The report's reference, the same each time it is printed: ``LAP-SMP-2026-03``."""
        return f"LAP-{self.organization.code}-{self.month.date_from:%Y-%m}"

    @property
    def receivables_idr(self) -> int:
        return sum(row.amount_idr for row in self.receivables)

    @property
    def capital_idr(self) -> int:
        return sum(row.amount_idr for row in self.capital_funds)


def monthly_report(*, user: Actor, organization_slug: str, year: int, month: int) -> MonthlyReport:
    """The monthly report of the facility or UMKM producer ``organization_slug`` for ``year``-``month``.

    Raises Organization.DoesNotExist (unknown or outside the user's scope alike) and ValidationError (a month
    that does not exist). About thirty grouped queries, whatever the number of sales.
    """
    period = month_period(year, month)
    organization = report_organization_for(user=user, slug=organization_slug)
    return _monthly_report(organization, period)


def _monthly_report(organization: Organization, period: Period) -> MonthlyReport:
    ytd = Period(period.date_from.replace(month=1), period.date_to)
    month_rows = _sold_rows(organization, period)
    year_rows = _sold_rows(organization, ytd)
    is_facility = organization.kind in PNBP_KINDS
    return MonthlyReport(
        organization=organization,
        month=period,
        year_to_date=ytd,
        made_at=timezone.now(),
        sales_month=_summary(organization, period, month_rows),
        sales_year=_summary(organization, ytd, year_rows),
        by_channel=_breakdown(month_rows, year_rows, "channel", _channel_label),
        by_category=_breakdown(month_rows, year_rows, "category", _category_label(month_rows + year_rows)),
        by_group=_breakdown(month_rows, year_rows, "group", _group_label(month_rows + year_rows)),
        premi=_premi(organization, period, ytd),
        pnbp=_pnbp(organization, period, ytd) if is_facility else None,
        stock=_stock(organization, period),
        receivables=_receivables(organization, period),
        capital_funds=_capital_funds(organization, period),
        production_month=_production(organization, period),
        production_year=_production(organization, ytd),
        waiting=_waiting(organization),
    )


@dataclass(frozen=True)
class _SoldRow:
    """Sold (positive) or returned (negative) units and rupiah of one channel, category and group."""

    channel: str
    category: int
    category_name: str
    category_name_en: str
    group: int | None
    group_name: str
    units: int
    value_idr: int


def _sold_rows(organization: Organization, period: Period) -> list[_SoldRow]:
    """What was sold in the period (by the sales' dates) and returned in it (by the returns' dates), per
    channel, category and group. Two grouped queries."""
    paths = (
        "sale__channel",
        "variant__product__category_id",
        "variant__product__category__name",
        "variant__product__category__name_en",
        "lot__group_id",
        "lot__group__name",
    )
    sold = (
        SaleLine.objects.filter(
            organization=organization, sale__occurred_at__gte=period.start, sale__occurred_at__lt=period.end
        )
        .values_list(*paths)
        .annotate(units=Sum("quantity"), value=Sum(F("quantity") * F("unit_price_idr"), output_field=BigIntegerField()))
        .order_by()
    )
    returned = (
        SaleReturnLine.objects.filter(
            organization=organization,
            sale_return__occurred_at__gte=period.start,
            sale_return__occurred_at__lt=period.end,
        )
        .values_list(*(f"sale_line__{path}" for path in paths))
        .annotate(
            units=Sum("quantity"),
            value=Sum(F("quantity") * F("sale_line__unit_price_idr"), output_field=BigIntegerField()),
        )
        .order_by()
    )
    rows = [_SoldRow(*row) for row in sold]
    rows += [
        _SoldRow(channel, category, name, name_en, group, group_name, -units, -value)
        for channel, category, name, name_en, group, group_name, units, value in returned
    ]
    return rows


def _summary(organization: Organization, period: Period, rows: list[_SoldRow]) -> SalesSummary:
    transactions = Sale.objects.filter(
        organization=organization, occurred_at__gte=period.start, occurred_at__lt=period.end
    ).count()
    return SalesSummary(
        transactions=transactions,
        gross_idr=sum(r.value_idr for r in rows if r.units > 0),
        units=sum(r.units for r in rows if r.units > 0),
        returned_idr=-sum(r.value_idr for r in rows if r.units < 0),
        returned_units=-sum(r.units for r in rows if r.units < 0),
    )


# Labels stay lazy: the report is printed in the language active when it is rendered.


def _channel_label(key: object) -> StrOrPromise:
    return Channel(key).label if key in Channel.values else str(key)


def _in_language(name: str, name_en: str) -> StrOrPromise:
    return lazy(lambda: name_en if name_en and (get_language() or "").startswith("en") else name, str)()


def _category_label(rows: list[_SoldRow]) -> Callable[[object], StrOrPromise]:
    names: dict[object, StrOrPromise] = {r.category: _in_language(r.category_name, r.category_name_en) for r in rows}
    return lambda key: names.get(key, "")


def _group_label(rows: list[_SoldRow]) -> Callable[[object], StrOrPromise]:
    names: dict[object, StrOrPromise] = {r.group: r.group_name for r in rows if r.group is not None}
    return lambda key: names[key] if key is not None else gettext_lazy("Not made by a group")


def _breakdown(
    month_rows: list[_SoldRow], year_rows: list[_SoldRow], key: str, label: Callable[[object], StrOrPromise]
) -> list[BreakdownRow]:
    """Rows per ``key`` (channel, category or group), biggest year-to-date value first."""
    totals: dict[object, dict[str, list[int]]] = defaultdict(lambda: {"month": [0, 0], "year": [0, 0]})
    for name, rows in (("month", month_rows), ("year", year_rows)):
        for row in rows:
            cell = totals[getattr(row, key)][name]
            cell[0] += row.units
            cell[1] += row.value_idr
    result = [
        BreakdownRow(label=label(k), month=Figures(*v["month"]), year=Figures(*v["year"])) for k, v in totals.items()
    ]
    return sorted(result, key=lambda r: (-r.year.value_idr, -r.month.value_idr, str(r.label).casefold()))


def _entries_between(period: Period, *, since_start: bool = True) -> Q:
    condition = Q(entry__occurred_at__lt=period.end)
    return condition & Q(entry__occurred_at__gte=period.start) if since_start else condition


def _premi(organization: Organization, period: Period, ytd: Period) -> PremiFigures:
    premi_lines = JournalLine.objects.filter(organization=organization, account__kind=Account.Kind.PREMI_PAYABLE)
    earned_lines = premi_lines.filter(entry__kind__in=[JournalEntry.Kind.SALE, JournalEntry.Kind.REVERSAL])

    def earned(p: Period) -> tuple[int, int]:
        lines = earned_lines.filter(_entries_between(p))
        total = -(lines.aggregate(t=Sum("amount_idr"))["t"] or 0)
        # Premi accounts are credit-normal: a maker earned in the period when their lines sum below zero.
        makers = lines.values("account__maker_id").annotate(t=Sum("amount_idr")).filter(t__lt=0).count()
        return total, makers

    def paid(p: Period) -> int:
        payouts = Payout.objects.filter(organization=organization, paid_at__gte=p.start, paid_at__lt=p.end)
        return payouts.aggregate(t=Sum("amount_idr"))["t"] or 0

    earned_month, makers_month = earned(period)
    earned_year, makers_year = earned(ytd)
    held = -(premi_lines.filter(_entries_between(period, since_start=False)).aggregate(t=Sum("amount_idr"))["t"] or 0)
    return PremiFigures(
        earned_month_idr=earned_month,
        earned_year_idr=earned_year,
        paid_month_idr=paid(period),
        paid_year_idr=paid(ytd),
        makers_earning_month=makers_month,
        makers_earning_year=makers_year,
        held_idr=held,
    )


def _pnbp(organization: Organization, period: Period, ytd: Period) -> PnbpFigures:
    pnbp_lines = JournalLine.objects.filter(organization=organization, account__kind=Account.Kind.PNBP_PAYABLE)
    accrual_lines = pnbp_lines.exclude(entry__kind=JournalEntry.Kind.PNBP_DEPOSIT)

    def accrued(p: Period) -> int:
        return -(accrual_lines.filter(_entries_between(p)).aggregate(t=Sum("amount_idr"))["t"] or 0)

    def deposited(p: Period) -> int:
        deposits = PnbpDeposit.objects.filter(
            organization=organization, deposited_date__gte=p.date_from, deposited_date__lte=p.date_to
        )
        return deposits.aggregate(t=Sum("amount_idr"))["t"] or 0

    target = (
        PnbpTarget.objects.filter(organization=organization, year=period.date_from.year)
        .values_list("target_idr", flat=True)
        .first()
    )
    payable = -(pnbp_lines.filter(_entries_between(period, since_start=False)).aggregate(t=Sum("amount_idr"))["t"] or 0)
    return PnbpFigures(
        accrued_month_idr=accrued(period),
        accrued_year_idr=accrued(ytd),
        deposited_month_idr=deposited(period),
        deposited_year_idr=deposited(ytd),
        target_idr=target or 0,
        payable_idr=payable,
    )


def _stock(organization: Organization, period: Period) -> StockFigures:
    """Units on hand at the end of the month (every movement recorded before it, wherever the goods sat,
    transit included), valued at the variants' catalog prices, and how long ago their lots were finished."""
    as_of = min(period.date_to, timezone.localdate())
    rows = (
        StockMovement.objects.filter(organization=organization, created_at__lt=period.end)
        .values("lot_id", finished=F("lot__finished_date"), price=F("variant__price_idr"))
        .annotate(units=Sum("quantity"))
        .filter(units__gt=0)
        .order_by()
    )
    buckets = [[0, 0] for _bucket in AGING_BUCKETS]
    for row in rows:
        age = max((as_of - row["finished"]).days, 0)
        index = next(i for i, upper in enumerate(AGING_BUCKETS) if upper is None or age <= upper)
        buckets[index][0] += row["units"]
        buckets[index][1] += row["units"] * row["price"]
    aging = []
    lower = 0
    for upper, (units, value) in zip(AGING_BUCKETS, buckets, strict=True):
        aging.append(AgingBucket(days_from=lower, days_to=upper, units=units, value_idr=value))
        lower = (upper or 0) + 1
    return StockFigures(units=sum(b.units for b in aging), value_idr=sum(b.value_idr for b in aging), aging=aging)


def _receivables(organization: Organization, period: Period) -> list[NamedAmount]:
    """What each consignment outlet owed at the end of the month: its receivable less the commission it keeps."""
    rows = (
        JournalLine.objects.filter(
            _entries_between(period, since_start=False),
            organization=organization,
            account__kind__in=[Account.Kind.RECEIVABLE, Account.Kind.COMMISSION],
            account__counterparty__kind=Organization.Kind.OUTLET,
        )
        .values("account__counterparty__name")
        .annotate(t=Sum("amount_idr"))
        .order_by("account__counterparty__name")
    )
    return [NamedAmount(r["account__counterparty__name"], r["t"]) for r in rows if r["t"]]


def _capital_funds(organization: Organization, period: Period) -> list[NamedAmount]:
    """Each capital fund's balance at the end of the month, by the group it belongs to."""
    rows = (
        JournalLine.objects.filter(
            _entries_between(period, since_start=False),
            organization=organization,
            account__kind=Account.Kind.CAPITAL_FUND,
        )
        .values("account_id", "account__group__name")
        .annotate(t=Sum("amount_idr"))
        .order_by("account__group__name", "account_id")
    )
    return [NamedAmount(r["account__group__name"] or organization.name, -r["t"]) for r in rows if r["t"]]


def _production(organization: Organization, period: Period) -> ProductionFigures:
    totals = Lot.objects.filter(
        organization=organization, finished_date__gte=period.date_from, finished_date__lte=period.date_to
    ).aggregate(
        lots=Count("pk"),
        produced=Sum("quantity_produced"),
        passed=Sum("quantity_passed"),
        cost=Sum("material_cost_idr"),
    )
    return ProductionFigures(
        lots=totals["lots"],
        produced=totals["produced"] or 0,
        passed=totals["passed"] or 0,
        material_cost_idr=totals["cost"] or 0,
    )


def _waiting(organization: Organization) -> WaitingFigures:
    orders = Order.objects.filter(organization=organization, status__in=OPEN_ORDER_STATUSES).aggregate(
        n=Count("pk"), t=Sum("goods_idr")
    )
    deals = Deal.objects.filter(organization=organization, status__in=OPEN_DEAL_STATUSES).aggregate(
        n=Count("pk"), t=Sum(F("total_idr") - F("paid_idr"))
    )
    return WaitingFigures(
        orders=orders["n"],
        orders_idr=orders["t"] or 0,
        requests=Rfq.objects.filter(organization=organization, status=Rfq.Status.NEW).count(),
        quotations=Quotation.objects.filter(
            organization=organization, deal__isnull=True, valid_until__gte=timezone.localdate()
        ).count(),
        deals=deals["n"],
        deals_idr=deals["t"] or 0,
    )


# The e-Katalog marketing report (SE Dirjenpas PAS-08.OT.02.02/2024) ------------------------------------


@dataclass(frozen=True)
class ChannelFigures:
    transactions: int = 0
    value_idr: int = 0  # sold in the period, less returns recorded in it


@dataclass(frozen=True)
class UptRow:
    organization: Organization
    products_published: int  # in the public catalog
    products_with_listing: int  # of those, with e-Katalog listing data filled in
    by_channel: dict[str, ChannelFigures]
    ekatalog: ChannelFigures  # the deals bought through e-Katalog (a deal's platform), within INSTITUTIONAL

    @property
    def transactions(self) -> int:
        return sum(f.transactions for f in self.by_channel.values())

    @property
    def value_idr(self) -> int:
        return sum(f.value_idr for f in self.by_channel.values())

    @property
    def sold(self) -> bool:
        """Whether the UPT recorded a sale in the period."""
        return self.transactions > 0


@dataclass(frozen=True)
class EkatalogReport:
    province: str
    period: Period
    made_at: datetime.datetime
    rows: list[UptRow]

    @property
    def channels(self) -> list[str]:
        """The channels that carried a transaction in the period, in the order of ``Channel``."""
        used = {channel for row in self.rows for channel in row.by_channel}
        return [channel for channel in Channel.values if channel in used]

    @property
    def upts_selling(self) -> int:
        return sum(1 for row in self.rows if row.sold)

    @property
    def products_published(self) -> int:
        return sum(row.products_published for row in self.rows)

    @property
    def products_with_listing(self) -> int:
        return sum(row.products_with_listing for row in self.rows)

    @property
    def transactions(self) -> int:
        return sum(row.transactions for row in self.rows)

    @property
    def value_idr(self) -> int:
        return sum(row.value_idr for row in self.rows)

    @property
    def ekatalog(self) -> ChannelFigures:
        return ChannelFigures(
            sum(row.ekatalog.transactions for row in self.rows), sum(row.ekatalog.value_idr for row in self.rows)
        )

    def channel_total(self, channel: str) -> ChannelFigures:
        figures = [row.by_channel.get(channel, ChannelFigures()) for row in self.rows]
        return ChannelFigures(sum(f.transactions for f in figures), sum(f.value_idr for f in figures))


def ekatalog_report(*, user: Actor, province: str, date_from: datetime.date, date_to: datetime.date) -> EkatalogReport:
    """Per UPT (correctional facility) of ``province`` that ``user`` sees, by name: its products in the public
    catalog and those with e-Katalog listing data, and its transactions and their value per channel in the
    period, with the e-Katalog deals apart. A regional viewer sees their province, a national viewer any.

    Raises ValidationError (a period that runs backwards or spans more than a year) and Organization.DoesNotExist
    (no facility of that province in the user's scope, or no such province). Five queries.
    """
    period = period_check(date_from, date_to)
    upts = list(
        book_organizations_for(user=user, roles=REPORT_ROLES, kinds=UPT_KINDS, active_only=False).filter(
            province__iexact=province.strip()
        )
    )
    if not upts or not province.strip():
        raise Organization.DoesNotExist(f"no facility of {province!r} in the user's scope")
    ids = [upt.pk for upt in upts]
    published = published_counts_by_organization(organization_ids=ids)
    ekatalog_sale = Q(location__deal__platform=ProcurementPlatform.E_KATALOG)
    figures: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in (
        Sale.objects.filter(organization_id__in=ids, occurred_at__gte=period.start, occurred_at__lt=period.end)
        .values("organization_id", "channel")
        .annotate(
            n=Count("pk"),
            gross=Sum("gross_idr"),
            e_n=Count("pk", filter=ekatalog_sale),
            e_gross=Sum("gross_idr", filter=ekatalog_sale),
        )
        .order_by()
    ):
        cells = figures[row["organization_id"]]
        cells[row["channel"]][0] += row["n"]
        cells[row["channel"]][1] += row["gross"] or 0
        cells["ekatalog"][0] += row["e_n"]
        cells["ekatalog"][1] += row["e_gross"] or 0
    ekatalog_return = Q(sale_line__sale__location__deal__platform=ProcurementPlatform.E_KATALOG)
    returned_value = Sum(F("quantity") * F("sale_line__unit_price_idr"), output_field=BigIntegerField())
    for returned in (
        SaleReturnLine.objects.filter(
            organization_id__in=ids,
            sale_return__occurred_at__gte=period.start,
            sale_return__occurred_at__lt=period.end,
        )
        .values("organization_id", channel=F("sale_line__sale__channel"))
        .annotate(
            value=returned_value,
            e_value=Sum(
                F("quantity") * F("sale_line__unit_price_idr"), filter=ekatalog_return, output_field=BigIntegerField()
            ),
        )
        .order_by()
    ):
        cells = figures[returned["organization_id"]]
        cells[returned["channel"]][1] -= returned["value"] or 0
        cells["ekatalog"][1] -= returned["e_value"] or 0
    rows = []
    for upt in upts:
        cells = figures.get(upt.pk, {})
        counts = published.get(upt.pk)
        rows.append(
            UptRow(
                organization=upt,
                products_published=counts.published if counts else 0,
                products_with_listing=counts.with_listing if counts else 0,
                by_channel={ch: ChannelFigures(*cells[ch]) for ch in Channel.values if ch in cells},
                ekatalog=ChannelFigures(*cells.get("ekatalog", (0, 0))),
            )
        )
    return EkatalogReport(province=upts[0].province, period=period, made_at=timezone.now(), rows=rows)
