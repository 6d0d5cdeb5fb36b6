"""Reads of the outlet's shelf over time: returns and recalls, the review (sell-through, days on the shelf,
slow and best sellers) and the agreement's history. Scoped like ``selectors.agreement_for``: every
selector takes ``user=`` and raises ``Agreement.DoesNotExist`` for anyone who is not a party. Nothing here
reads makers: a row names a SKU, a product and a lot code.

The review's numbers (per product, over the review window: the last ``review_months`` × 30 days, not
before the agreement began):

- placed: units sent to the outlet in the window; sold: units sold there in the window (damage or a count's
  shortage charged to the outlet is not a sale of the shelf and is left out); on hand: units on the shelf
  now;
- sell-through = sold / (sold + on hand), in per cent (none when both are 0);
- days on the shelf: of the units on the shelf now, the oldest and the average (weighted by units) since
  they arrived;
- a slow seller has units on the shelf for at least ``slow_days`` days of which at most ``slow_max`` sold
  in the last ``slow_days`` days;
- a best seller sold in the last ``recent_days`` days; its suggested restock is
  ``max(0, ceil(sold in the last recent_days / recent_days × days to the next review) − on hand)``: enough
  to keep selling at the recent rate until the next review (the agreement's start + a multiple of
  ``review_months`` × 30 days).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from binakarya.consignment.models import (
    Agreement,
    ConsignmentPayment,
    ConsignmentReturn,
    ConsignmentReturnLine,
    ConsignmentStatement,
    DamageRecord,
    OutletCount,
    OutletCountLine,
    Placement,
    PlacementLine,
)
from binakarya.consignment.periods import period_of
from binakarya.consignment.selectors import (
    KEPT_UNITS,
    OutletStockRow,
    agreement_for,
    charged_sale_lines,
    outlet_stock_for,
    returned_money,
)
from binakarya.core.types import Actor
from binakarya.inventory.models import StockBalance
from binakarya.sales.models import Sale, SaleLine

DAYS_PER_MONTH = 30


# Returns ----------------------------------------------------------------------------------------------


def returns_for(*, user: Actor, agreement: Agreement) -> QuerySet[ConsignmentReturn]:
    """The returns and recalls of an agreement ``user`` is a party to, latest first."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return (
        ConsignmentReturn.objects.filter(agreement=agreement)
        .select_related("transfer__document", "transfer__to_location")
        .prefetch_related(
            Prefetch(
                "lines", queryset=ConsignmentReturnLine.objects.select_related("variant__product", "lot").order_by("pk")
            )
        )
        .order_by("-created_at", "-pk")
    )


def consignment_return_for(*, user: Actor, agreement: Agreement, pk: int) -> ConsignmentReturn:
    """One return of an agreement ``user`` is a party to; raises ConsignmentReturn.DoesNotExist otherwise."""
    return (
        returns_for(user=user, agreement=agreement)
        .select_related("agreement__organization", "agreement__outlet")
        .get(pk=pk)
    )


def count_sheet_for(*, user: Actor, agreement: Agreement) -> list[OutletStockRow]:
    """The rows of a count at the outlet: each SKU and lot on the shelf with its book quantity."""
    return outlet_stock_for(user=user, agreement=agreement)


# Review -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    sku: str
    product: str
    placed: int
    sold: int
    on_hand: int
    sell_through_pct: int | None
    oldest_days: int | None
    average_days: int | None
    sold_recent: int
    slow: bool
    suggested_restock: int


@dataclass(frozen=True)
class Review:
    agreement: Agreement
    window_from: datetime.date
    window_to: datetime.date
    next_review: datetime.date
    slow_days: int
    recent_days: int
    rows: list[ReviewRow]
    slow_sellers: list[ReviewRow] = field(default_factory=list)
    best_sellers: list[ReviewRow] = field(default_factory=list)


def _shelf_sale_lines(agreement: Agreement) -> QuerySet[SaleLine]:
    """Lines of the agreement's sales of the shelf: not reversed, not a charge for damage or a shortage."""
    return (
        SaleLine.objects.filter(sale__consignment__agreement=agreement)
        .exclude(sale__status=Sale.Status.REVERSED)
        .exclude(sale__consignment__damages__isnull=False)
        .exclude(sale__consignment__outlet_count__isnull=False)
    )


def next_review_date(agreement: Agreement, today: datetime.date) -> datetime.date:
    step = datetime.timedelta(days=agreement.review_months * DAYS_PER_MONTH)
    due = agreement.start_date + step
    while due <= today:
        due += step
    return due


def agreement_review(
    *,
    user: Actor,
    agreement: Agreement,
    today: datetime.date | None = None,
    slow_days: int = 60,
    slow_max: int = 0,
    recent_days: int = 30,
    best: int = 5,
) -> Review:
    """The review of an agreement's shelf, per product (see the module's notes for each number)."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    today = today or timezone.localdate()
    window_from = max(agreement.start_date, today - datetime.timedelta(days=agreement.review_months * DAYS_PER_MONTH))
    next_review = next_review_date(agreement, today)
    recent_from = today - datetime.timedelta(days=recent_days - 1)
    slow_from = today - datetime.timedelta(days=slow_days - 1)
    names: dict[str, str] = {}
    placed: dict[str, int] = {}
    for row in (
        PlacementLine.objects.filter(placement__agreement=agreement, placement__created_at__date__gte=window_from)
        .values("variant__sku", "variant__product__name")
        .annotate(units=Sum("quantity"))
    ):
        names[row["variant__sku"]] = row["variant__product__name"]
        placed[row["variant__sku"]] = row["units"]
    sold: dict[str, tuple[int, int, int]] = {}
    for row in (
        _shelf_sale_lines(agreement)
        .filter(sale__consignment__sold_date__gte=window_from, sale__consignment__sold_date__lte=today)
        .values("variant__sku", "variant__product__name")
        .annotate(  # units returned since are not sold
            units=Sum(KEPT_UNITS),
            recent=Sum(KEPT_UNITS, filter=Q(sale__consignment__sold_date__gte=recent_from)),
            slow=Sum(KEPT_UNITS, filter=Q(sale__consignment__sold_date__gte=slow_from)),
        )
    ):
        names[row["variant__sku"]] = row["variant__product__name"]
        sold[row["variant__sku"]] = (row["units"] or 0, row["recent"] or 0, row["slow"] or 0)
    shelf: dict[str, list[tuple[int, int]]] = {}
    for balance in StockBalance.objects.filter(location=agreement.location, quantity__gt=0).select_related(
        "variant__product"
    ):
        names[balance.variant.sku] = balance.variant.product.name
        arrived = timezone.localdate(balance.arrived_at) if balance.arrived_at else today
        shelf.setdefault(balance.variant.sku, []).append((balance.quantity, (today - arrived).days))
    cover_days = (next_review - today).days
    rows = []
    for sku in sorted(names):
        units_sold, recent, in_slow_window = sold.get(sku, (0, 0, 0))
        lots = shelf.get(sku, [])
        on_hand = sum(units for units, _days in lots)
        oldest = max((days for _units, days in lots), default=None)
        average = round(sum(units * days for units, days in lots) / on_hand) if on_hand else None
        total = units_sold + on_hand
        restock = max(0, math.ceil(recent / recent_days * cover_days) - on_hand) if recent else 0
        rows.append(
            ReviewRow(
                sku=sku,
                product=names[sku],
                placed=placed.get(sku, 0),
                sold=units_sold,
                on_hand=on_hand,
                sell_through_pct=round(units_sold * 100 / total) if total else None,
                oldest_days=oldest,
                average_days=average,
                sold_recent=recent,
                slow=on_hand > 0 and oldest is not None and oldest >= slow_days and in_slow_window <= slow_max,
                suggested_restock=restock,
            )
        )
    best_sellers = sorted((r for r in rows if r.sold_recent > 0), key=lambda r: (-r.sold_recent, r.sku))[:best]
    return Review(
        agreement=agreement,
        window_from=window_from,
        window_to=today,
        next_review=next_review,
        slow_days=slow_days,
        recent_days=recent_days,
        rows=rows,
        slow_sellers=[r for r in rows if r.slow],
        best_sellers=best_sellers,
    )


# History ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPeriod:
    date_from: datetime.date
    date_to: datetime.date
    units: int
    gross_idr: int
    commission_idr: int
    net_idr: int


@dataclass(frozen=True)
class History:
    agreement: Agreement
    placements: list[Placement]
    periods: list[HistoryPeriod]
    returns: list[ConsignmentReturn]
    damages: list[DamageRecord]
    counts: list[OutletCount]
    statements: list[ConsignmentStatement]
    payments: list[ConsignmentPayment]
    placed_units: int
    sold_units: int
    paid_idr: int


def agreement_history(*, user: Actor, agreement: Agreement) -> History:
    """The agreement over time, oldest first: its terms (on ``agreement``), placements, sales per settlement
    period (every sale, damage and shortage charges included: what the outlet was charged), returns and
    recalls, damage, counts, statements and payments. Never a maker."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    placements = list(
        Placement.objects.filter(agreement=agreement)
        .select_related("transfer__document")
        .prefetch_related(Prefetch("lines", queryset=PlacementLine.objects.select_related("variant").order_by("pk")))
        .order_by("created_at", "pk")
    )
    # As the statements count them: a sale returned in full is left out, a partial return netted (the units
    # kept, the gross and commission as the ledger gave them back), by the day the goods were sold.
    periods: dict[tuple[datetime.date, datetime.date], list[int]] = {}
    lines = charged_sale_lines(agreement)
    for sold_date, kept, units, price, commission in (
        lines.annotate(kept=KEPT_UNITS)
        .values_list("sale__consignment__sold_date", "kept", "quantity", "unit_price_idr", "commission_idr")
        .order_by()
    ):
        totals = periods.setdefault(period_of(agreement.settlement_period, sold_date), [0, 0, 0])
        totals[0] += kept
        totals[1] += units * price
        totals[2] += commission
    for (sold_date,), (gross_back, commission_back) in returned_money(
        lines, by=("sale__consignment__sold_date",)
    ).items():
        totals = periods[period_of(agreement.settlement_period, sold_date)]
        totals[1] -= gross_back
        totals[2] -= commission_back
    returns = list(returns_for(user=user, agreement=agreement).order_by("created_at", "pk"))
    damages = list(
        DamageRecord.objects.filter(agreement=agreement).select_related("variant", "lot").order_by("recorded_at", "pk")
    )
    counts = list(
        OutletCount.objects.filter(agreement=agreement)
        .prefetch_related(Prefetch("lines", queryset=OutletCountLine.objects.select_related("variant", "lot")))
        .order_by("counted_date", "pk")
    )
    statements = list(
        ConsignmentStatement.objects.filter(agreement=agreement).select_related("document").order_by("date_to", "pk")
    )
    payments = list(ConsignmentPayment.objects.filter(agreement=agreement).order_by("paid_date", "pk"))
    return History(
        agreement=agreement,
        placements=placements,
        periods=[
            HistoryPeriod(start, end, units, gross, commission, gross - commission)
            for (start, end), (units, gross, commission) in sorted(periods.items())
        ],
        returns=returns,
        damages=damages,
        counts=counts,
        statements=statements,
        payments=payments,
        placed_units=sum(line.quantity for p in placements for line in p.lines.all()),
        sold_units=sum(totals[0] for totals in periods.values()),
        paid_idr=sum(p.amount_idr for p in payments),
    )
