"""Reads of consignment, scoped to the two sides of an agreement.

The seller's staff who record sales see their organization's agreements; an outlet partner sees only
the agreements of their own outlet, through ``scope(..., field="outlet")``. Nothing here reads makers:
what a partner sees of the goods is the SKU, product, lot code, units, price and days on the shelf.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils import timezone

from binakarya.consignment.models import (
    Agreement,
    AgreementTerm,
    ConsignmentPayment,
    ConsignmentSale,
    ConsignmentStatement,
    Placement,
    PlacementLine,
)
from binakarya.consignment.periods import due_date
from binakarya.consignment.terms import unit_price
from binakarya.core.types import Actor
from binakarya.inventory.models import StockBalance, Transfer, TransferLine
from binakarya.organizations.models import Role
from binakarya.organizations.scoping import SALES_ROLES, scope
from binakarya.sales.models import Sale, SaleLine

SELLER_ROLES = SALES_ROLES
PARTNER_ROLES = frozenset({Role.OUTLET_PARTNER})


def agreements_for(*, user: Actor, status: str = "", outlet_slug: str = "") -> QuerySet[Agreement]:
    """Agreements ``user`` is a party to: their organization's as seller staff, their outlet's as its partner."""
    base = Agreement.objects.all()
    qs = scope(base, user, roles=SELLER_ROLES, oversight=False) | scope(
        base, user, roles=PARTNER_ROLES, oversight=False, field="outlet"
    )
    if status:
        qs = qs.filter(status=status)
    if outlet_slug:
        qs = qs.filter(outlet__slug=outlet_slug)
    return (
        qs.select_related("organization", "outlet", "location")
        .prefetch_related(Prefetch("terms", queryset=AgreementTerm.objects.select_related("variant").order_by("pk")))
        .order_by("-start_date", "-pk")
    )


def agreement_for(*, user: Actor, pk: int) -> Agreement:
    """One agreement ``user`` is a party to; raises Agreement.DoesNotExist for any other, alike."""
    return agreements_for(user=user).get(pk=pk)


def agreements_ending_within(*, user: Actor, days: int = 30, today: datetime.date | None = None) -> list[Agreement]:
    """Active agreements whose end date falls within the next ``days`` days, soonest first."""
    today = today or timezone.localdate()
    return list(
        agreements_for(user=user, status=Agreement.Status.ACTIVE)
        .filter(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))
        .order_by("end_date", "pk")
    )


def placement_for(*, user: Actor, agreement: Agreement, pk: int) -> Placement:
    """One placement of an agreement ``user`` is a party to; raises Placement.DoesNotExist otherwise."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return (
        Placement.objects.filter(agreement=agreement)
        .select_related("agreement__organization", "agreement__outlet", "agreement__location", "transfer__document")
        .prefetch_related(
            Prefetch("lines", queryset=PlacementLine.objects.select_related("variant__product").order_by("pk")),
            Prefetch("transfer__lines", queryset=TransferLine.objects.select_related("variant", "lot").order_by("pk")),
        )
        .get(pk=pk)
    )


def placements_for(*, user: Actor, agreement: Agreement) -> list[Placement]:
    agreement = agreement_for(user=user, pk=agreement.pk)
    return list(
        Placement.objects.filter(agreement=agreement)
        .select_related("transfer__document")
        .prefetch_related(Prefetch("lines", queryset=PlacementLine.objects.select_related("variant").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def consignment_sale_for(*, user: Actor, pk: int) -> ConsignmentSale:
    """A sale recorded under an agreement ``user`` is a party to; raises ConsignmentSale.DoesNotExist."""
    return (
        ConsignmentSale.objects.filter(agreement__in=agreements_for(user=user).values("pk"))
        .select_related("sale", "agreement")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class OutletStockRow:
    """Units of one lot on the outlet's shelf: what the outlet may see of it (never a maker)."""

    sku: str
    product: str
    lot: str
    quantity: int
    unit_price_idr: int
    arrived_on: datetime.date | None
    days_on_shelf: int | None


def outlet_stock_for(*, user: Actor, agreement: Agreement, today: datetime.date | None = None) -> list[OutletStockRow]:
    """The units at the agreement's location, per SKU and lot, with the selling price (the last placement's
    price for the product, else the agreement's) and the days since they arrived. Raises
    Agreement.DoesNotExist when ``user`` is not a party to the agreement."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    today = today or timezone.localdate()
    placed: dict[int, int] = {}
    for variant_id, price in (
        PlacementLine.objects.filter(placement__agreement=agreement)
        .order_by("pk")
        .values_list("variant_id", "unit_price_idr")
    ):
        placed[variant_id] = price  # the latest wins
    rows = []
    balances = (
        StockBalance.objects.filter(location=agreement.location, quantity__gt=0)
        .select_related("variant__product", "lot")
        .order_by("variant__sku", "arrived_at", "pk")
    )
    for balance in balances:
        variant = balance.variant
        arrived = timezone.localdate(balance.arrived_at) if balance.arrived_at else None
        rows.append(
            OutletStockRow(
                sku=variant.sku,
                product=variant.product.name,
                lot=balance.lot.code,
                quantity=balance.quantity,
                unit_price_idr=placed.get(variant.pk) or unit_price(agreement, variant),
                arrived_on=arrived,
                days_on_shelf=(today - arrived).days if arrived else None,
            )
        )
    return rows


# Statements -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """The units of one product and lot sold in the period, with their money (never a maker)."""

    sku: str
    product: str
    lot: str
    units: int
    gross_idr: int
    commission_idr: int
    net_idr: int


@dataclass(frozen=True)
class StatementPayment:
    paid_date: datetime.date
    amount_idr: int
    reference: str


@dataclass(frozen=True)
class Statement:
    """An agreement's settlement over ``date_from``..``date_to`` (both included): what was sold, what the
    outlet owed before, what it paid in the period and what it owes at the end."""

    agreement: Agreement
    date_from: datetime.date
    date_to: datetime.date
    due_date: datetime.date
    lines: list[StatementLine]
    payments: list[StatementPayment]
    gross_idr: int
    commission_idr: int
    net_idr: int
    previous_balance_idr: int
    paid_idr: int
    balance_idr: int


def _sale_lines(agreement: Agreement) -> QuerySet[SaleLine]:
    """The lines of the agreement's sales, a returned or cancelled sale left out (its entry is reversed)."""
    return SaleLine.objects.filter(sale__consignment__agreement=agreement).exclude(sale__status=Sale.Status.REVERSED)


def _net_before(agreement: Agreement, day: datetime.date) -> int:
    totals = (
        _sale_lines(agreement)
        .filter(sale__consignment__sold_date__lt=day)
        .aggregate(gross=Sum(F("quantity") * F("unit_price_idr")), commission=Sum("commission_idr"))
    )
    return (totals["gross"] or 0) - (totals["commission"] or 0)


def _paid(agreement: Agreement, *, after: datetime.date | None = None, until: datetime.date | None = None) -> int:
    """Payments of the agreement made after ``after`` and up to ``until`` (both optional)."""
    payments = ConsignmentPayment.objects.filter(agreement=agreement)
    if after is not None:
        payments = payments.filter(paid_date__gt=after)
    if until is not None:
        payments = payments.filter(paid_date__lte=until)
    return payments.aggregate(t=Sum("amount_idr"))["t"] or 0


def statement_of(agreement: Agreement, date_from: datetime.date, date_to: datetime.date) -> Statement:
    """The statement of ``agreement`` for the period, unscoped: for services that have checked their actor
    (``consignment_statement`` is the scoped read)."""
    rows = (
        _sale_lines(agreement)
        .filter(sale__consignment__sold_date__gte=date_from, sale__consignment__sold_date__lte=date_to)
        .values("variant__sku", "variant__product__name", "lot__code")
        .annotate(
            units=Sum("quantity"), gross=Sum(F("quantity") * F("unit_price_idr")), commission=Sum("commission_idr")
        )
        .order_by("variant__sku", "lot__code")
    )
    lines = [
        StatementLine(
            sku=row["variant__sku"],
            product=row["variant__product__name"],
            lot=row["lot__code"],
            units=row["units"],
            gross_idr=row["gross"],
            commission_idr=row["commission"],
            net_idr=row["gross"] - row["commission"],
        )
        for row in rows
    ]
    payments = [
        StatementPayment(p.paid_date, p.amount_idr, p.reference)
        for p in ConsignmentPayment.objects.filter(
            agreement=agreement, paid_date__gte=date_from, paid_date__lte=date_to
        ).order_by("paid_date", "pk")
    ]
    gross = sum(line.gross_idr for line in lines)
    commission = sum(line.commission_idr for line in lines)
    previous = _net_before(agreement, date_from) - _paid(agreement, until=date_from - datetime.timedelta(days=1))
    paid = sum(p.amount_idr for p in payments)
    return Statement(
        agreement=agreement,
        date_from=date_from,
        date_to=date_to,
        due_date=due_date(agreement, date_to),
        lines=lines,
        payments=payments,
        gross_idr=gross,
        commission_idr=commission,
        net_idr=gross - commission,
        previous_balance_idr=previous,
        paid_idr=paid,
        balance_idr=previous + gross - commission - paid,
    )


def consignment_statement(
    *, user: Actor, agreement: Agreement, date_from: datetime.date, date_to: datetime.date
) -> Statement:
    """The statement both sides read (the seller's staff, the outlet's partner). Raises
    Agreement.DoesNotExist when ``user`` is not a party to the agreement."""
    return statement_of(agreement_for(user=user, pk=agreement.pk), date_from, date_to)


def statements_for(*, user: Actor, agreement: Agreement) -> list[ConsignmentStatement]:
    """The statements issued for an agreement ``user`` is a party to, latest period first."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return list(
        ConsignmentStatement.objects.filter(agreement=agreement).select_related("document").order_by("-date_to", "-pk")
    )


def statement_for(*, user: Actor, agreement: Agreement, pk: int) -> ConsignmentStatement:
    """One issued statement of an agreement ``user`` is a party to; raises ConsignmentStatement.DoesNotExist."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return (
        ConsignmentStatement.objects.filter(agreement=agreement)
        .select_related("document", "agreement__organization", "agreement__outlet")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class OverdueStatement:
    statement: ConsignmentStatement
    due_date: datetime.date
    balance_idr: int  # what is still owed of the statement's balance


def agreements_overdue(*, user: Actor, today: datetime.date | None = None) -> list[OverdueStatement]:
    """Agreements whose latest statement past its due date still has a balance: the statement's balance
    less what the outlet paid after its period. Oldest due date first."""
    today = today or timezone.localdate()
    latest: dict[int, ConsignmentStatement] = {}
    for statement in (
        ConsignmentStatement.objects.filter(agreement__in=agreements_for(user=user).values("pk"), due_date__lt=today)
        .select_related("agreement__outlet", "document")
        .order_by("agreement_id", "-date_to", "-pk")
    ):
        latest.setdefault(statement.agreement_id, statement)
    rows = []
    for statement in latest.values():
        left = statement.balance_idr - _paid(statement.agreement, after=statement.date_to, until=today)
        if left > 0:
            rows.append(OverdueStatement(statement=statement, due_date=statement.due_date, balance_idr=left))
    return sorted(rows, key=lambda row: (row.due_date, row.statement.pk))


# The outlet partner's portal (issue 12, piece 4) -------------------------------------------------------
# Only the agreements of the outlets where ``user`` is an active OUTLET_PARTNER: a user who is also a
# seller's staff sees their seller's agreements on the staff pages, not here.


def partner_agreements_for(*, user: Actor) -> QuerySet[Agreement]:
    """The agreements of ``user``'s outlets as their partner, active first, then by seller."""
    return (
        scope(Agreement.objects.all(), user, roles=PARTNER_ROLES, oversight=False, field="outlet")
        .select_related("organization", "outlet", "location")
        .order_by("status", "organization__name", "pk")
    )


def partner_agreement_for(*, user: Actor, pk: int) -> Agreement:
    """One agreement of ``user``'s outlet; raises Agreement.DoesNotExist for any other, alike."""
    return partner_agreements_for(user=user).get(pk=pk)


def placements_waiting_for(*, user: Actor, agreement: Agreement) -> list[Placement]:
    """The placements of an agreement ``user`` is a party to whose goods are still in transit (to confirm)."""
    return [
        placement
        for placement in placements_for(user=user, agreement=agreement)
        if placement.transfer.status == Transfer.Status.IN_TRANSIT
    ]


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a placement as the outlet checks it on arrival: what was sent of which lot (no maker)."""

    line_id: int
    sku: str
    product: str
    lot: str
    sent: int
    received: int | None
    unit_price_idr: int


@dataclass(frozen=True)
class Receipt:
    placement: Placement
    number: str
    sent_at: datetime.datetime
    waiting: bool
    lines: list[ReceiptLine]


def placement_receipt_for(*, user: Actor, agreement: Agreement, pk: int) -> Receipt:
    """A placement's lines per lot with the price each product is to sell at; raises Placement.DoesNotExist
    (or Agreement.DoesNotExist) when ``user`` is not a party to it."""
    placement = placement_for(user=user, agreement=agreement, pk=pk)
    prices = {line.variant_id: line.unit_price_idr for line in placement.lines.all()}
    products = dict(
        TransferLine.objects.filter(transfer=placement.transfer).values_list("pk", "variant__product__name")
    )
    lines = [
        ReceiptLine(
            line_id=line.pk,
            sku=line.variant.sku,
            product=products.get(line.pk, ""),
            lot=line.lot.code,
            sent=line.quantity_sent,
            received=line.quantity_received,
            unit_price_idr=prices.get(line.variant_id) or unit_price(placement.agreement, line.variant),
        )
        for line in placement.transfer.lines.all()
    ]
    return Receipt(
        placement=placement,
        number=placement.transfer.number,
        sent_at=placement.transfer.created_at,
        waiting=placement.transfer.status == Transfer.Status.IN_TRANSIT,
        lines=lines,
    )
