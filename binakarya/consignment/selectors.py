"""Reads of consignment, scoped to the two sides of an agreement.

The seller's staff who record sales see their organization's agreements; an outlet partner sees only
the agreements of their own outlet, through ``scope(..., field="outlet")``. Nothing here reads makers:
what a partner sees of the goods is the SKU, product, lot code, units, price and days on the shelf.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from binakarya.catalog.models import Variant
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
from binakarya.inventory.models import Location, StockBalance, Transfer, TransferLine
from binakarya.inventory.selectors import stock_move_locations_for, stock_variants_for
from binakarya.ledger.models import Account, JournalEntry, JournalLine
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


def charged_sale_lines(agreement: Agreement) -> QuerySet[SaleLine]:
    """The lines of the agreement's sales, a returned or cancelled sale left out (its entry is reversed)."""
    return SaleLine.objects.filter(sale__consignment__agreement=agreement).exclude(sale__status=Sale.Status.REVERSED)


# The units a line still counts once its partial returns are netted (a fully returned sale is left out).
KEPT_UNITS = F("quantity") - F("returned_quantity")


def returned_money(lines: QuerySet[SaleLine], *, by: tuple[str, ...] = ()) -> dict[tuple, tuple[int, int]]:
    """What partial returns of ``lines`` gave back, as ``sale_reverse`` posted it, per ``by`` (sale line fields;
    all in one under ``()``): (gross, commission). The gross is what came off the outlet's receivable (the
    money line takes the rounding of a part of a line), the commission what went back to its commission
    account: so the statement agrees with the ledger to the rupiah."""
    # The lines with a return first (few, usually none): then the journal lines are found by their sale line's
    # index, and a statement without returns costs one small query here.
    returned_ids = list(lines.filter(returned_quantity__gt=0).values_list("pk", flat=True))
    if not returned_ids:
        return {}
    rows = (
        JournalLine.objects.filter(
            sale_line_id__in=returned_ids,
            account__kind__in=[Account.Kind.RECEIVABLE, Account.Kind.COMMISSION],
            entry__kind=JournalEntry.Kind.REVERSAL,
        )
        .values("account__kind", *(f"sale_line__{name}" for name in by))
        .annotate(t=Sum("amount_idr"))
        .order_by()
    )
    returned: dict[tuple, tuple[int, int]] = {}
    for row in rows:
        key = tuple(row[f"sale_line__{name}"] for name in by)
        gross, commission = returned.get(key, (0, 0))
        if row["account__kind"] == Account.Kind.RECEIVABLE:
            gross -= row["t"] or 0  # a credit: the receivable given back
        else:
            commission += row["t"] or 0  # a debit: the commission given back
        returned[key] = (gross, commission)
    return returned


def _net_before(agreement: Agreement, day: datetime.date) -> int:
    lines = charged_sale_lines(agreement).filter(sale__consignment__sold_date__lt=day)
    totals = lines.aggregate(gross=Sum(F("quantity") * F("unit_price_idr")), commission=Sum("commission_idr"))
    gross_back, commission_back = returned_money(lines).get((), (0, 0))
    return (totals["gross"] or 0) - gross_back - ((totals["commission"] or 0) - commission_back)


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
    period_lines = charged_sale_lines(agreement).filter(
        sale__consignment__sold_date__gte=date_from, sale__consignment__sold_date__lte=date_to
    )
    rows = (
        period_lines.values("variant__sku", "variant__product__name", "lot__code")
        .annotate(
            units=Sum(KEPT_UNITS), gross=Sum(F("quantity") * F("unit_price_idr")), commission=Sum("commission_idr")
        )
        .order_by("variant__sku", "lot__code")
    )
    # Partial returns are netted: the units kept, the gross and the commission less what the return gave back.
    returned = returned_money(period_lines, by=("variant__sku", "lot__code"))
    lines = []
    for row in rows:
        if not row["units"]:
            continue  # every unit of it came back
        gross_back, commission_back = returned.get((row["variant__sku"], row["lot__code"]), (0, 0))
        gross = row["gross"] - gross_back
        commission = row["commission"] - commission_back
        lines.append(
            StatementLine(
                sku=row["variant__sku"],
                product=row["variant__product__name"],
                lot=row["lot__code"],
                units=row["units"],
                gross_idr=gross,
                commission_idr=commission,
                net_idr=gross - commission,
            )
        )
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
    # What the outlet paid after each statement's period, in the same query (no query per agreement).
    paid_after = (
        ConsignmentPayment.objects.filter(
            agreement=OuterRef("agreement"), paid_date__gt=OuterRef("date_to"), paid_date__lte=today
        )
        .values("agreement")
        .annotate(t=Sum("amount_idr"))
        .values("t")
    )
    latest: dict[int, ConsignmentStatement] = {}
    paid: dict[int, int] = {}
    for issued in (
        ConsignmentStatement.objects.filter(agreement__in=agreements_for(user=user).values("pk"), due_date__lt=today)
        .select_related("agreement__outlet", "document")
        .annotate(paid_after=Coalesce(Subquery(paid_after), 0))
        .order_by("agreement_id", "-date_to", "-pk")
    ):
        if issued.agreement_id not in latest:
            latest[issued.agreement_id] = issued
            paid[issued.pk] = issued.paid_after
    rows = []
    for statement in latest.values():
        left = statement.balance_idr - paid[statement.pk]
        if left > 0:
            rows.append(OverdueStatement(statement=statement, due_date=statement.due_date, balance_idr=left))
    return sorted(rows, key=lambda row: (row.due_date, row.statement.pk))


# Staff pages (issue 12, piece 3) --------------------------------------------------------------------


def outlet_owed_by_agreement(*, user: Actor, agreements: list[Agreement]) -> dict[int, int]:
    """What each agreement's outlet owes its seller now (receivable + commission balance, as
    ``ledger.selectors.outlet_owed``), per agreement id, in one query; only agreements ``user`` is a party to."""
    mine = set(agreements_for(user=user).filter(pk__in=[a.pk for a in agreements]).values_list("pk", flat=True))
    pairs = {(a.organization_id, a.outlet_id) for a in agreements if a.pk in mine}
    if not pairs:
        return {}
    rows = (
        JournalLine.objects.filter(
            organization_id__in={org for org, _outlet in pairs},
            account__counterparty_id__in={outlet for _org, outlet in pairs},
            account__kind__in=[Account.Kind.RECEIVABLE, Account.Kind.COMMISSION],
        )
        .values("organization_id", "account__counterparty_id")
        .annotate(t=Sum("amount_idr"))
        .order_by()
    )
    owed = {(row["organization_id"], row["account__counterparty_id"]): row["t"] or 0 for row in rows}
    return {a.pk: owed.get((a.organization_id, a.outlet_id), 0) for a in agreements if a.pk in mine}


def consignment_attention(*, user: Actor, today: datetime.date | None = None, days: int = 30) -> dict[str, int]:
    """For the staff dashboard: how many active agreements end within ``days`` days and how many have an
    overdue statement (two queries)."""
    today = today or timezone.localdate()
    ending = (
        agreements_for(user=user, status=Agreement.Status.ACTIVE)
        .filter(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))
        .count()
    )
    return {"ending": ending, "overdue": len(agreements_overdue(user=user, today=today))}


def consignment_sales_recent(*, user: Actor, agreement: Agreement, limit: int = 20) -> list[ConsignmentSale]:
    """The latest sales recorded under an agreement ``user`` is a party to, with their sale (no maker)."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return list(
        ConsignmentSale.objects.filter(agreement=agreement)
        .select_related("sale", "recorded_by")
        .order_by("-sold_date", "-pk")[:limit]
    )


def consignment_payments_for(*, user: Actor, agreement: Agreement) -> list[ConsignmentPayment]:
    """The payments recorded for an agreement ``user`` is a party to, latest first."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return list(ConsignmentPayment.objects.filter(agreement=agreement).order_by("-paid_date", "-pk"))


def placement_locations_for(*, user: Actor, agreement: Agreement) -> QuerySet[Location]:
    """The seller's stock locations goods may be placed from: where ``user`` may move the seller's stock,
    outlet shelves left out."""
    return (
        stock_move_locations_for(user=user)
        .filter(organization_id=agreement.organization_id)
        .exclude(kind=Location.Kind.OUTLET)
    )


def placement_variants_for(*, user: Actor, agreement: Agreement, ids: list[int]) -> QuerySet[Variant]:
    """The seller's variants among ``ids`` whose stock ``user`` may move, by SKU."""
    return stock_variants_for(user=user, ids=ids).filter(organization_id=agreement.organization_id)


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


# Issued statements, as issued ------------------------------------------------------------------------


def statement_snapshot(statement: Statement) -> dict[str, list[dict[str, Any]]]:
    """What an issued statement keeps of its period: its lines and payments, as JSON."""
    return {
        "lines": [dataclasses.asdict(line) for line in statement.lines],
        "payments": [
            {"paid_date": p.paid_date.isoformat(), "amount_idr": p.amount_idr, "reference": p.reference}
            for p in statement.payments
        ],
    }


def issued_statement(*, user: Actor, agreement: Agreement, issued: ConsignmentStatement) -> Statement:
    """An issued statement as both sides received it: its totals and, where it kept them, its lines and
    payments as issued (a sale returned later changes the running figures, never an issued statement).
    Scoped like ``consignment_statement``."""
    if not issued.snapshot:  # issued before statements kept their lines
        return consignment_statement(user=user, agreement=agreement, date_from=issued.date_from, date_to=issued.date_to)
    agreement = agreement_for(user=user, pk=agreement.pk)
    return Statement(
        agreement=agreement,
        date_from=issued.date_from,
        date_to=issued.date_to,
        due_date=issued.due_date,
        lines=[StatementLine(**line) for line in issued.snapshot.get("lines", [])],
        payments=[
            StatementPayment(
                paid_date=datetime.date.fromisoformat(p["paid_date"]),
                amount_idr=p["amount_idr"],
                reference=p["reference"],
            )
            for p in issued.snapshot.get("payments", [])
        ],
        gross_idr=issued.gross_idr,
        commission_idr=issued.commission_idr,
        net_idr=issued.net_idr,
        previous_balance_idr=issued.previous_balance_idr,
        paid_idr=issued.paid_idr,
        balance_idr=issued.balance_idr,
    )
