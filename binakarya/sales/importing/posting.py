"""Posting an import's sales: each one planned by ``sale_plan`` and written by ``sales_write``.

Bulk posting writes the sales in batches of about ``batch`` rows with the fastest writer the
database has (``COPY`` on PostgreSQL); the per-sale path calls ``sale_record`` for each sale (the
reference the tests compare the bulk path against). Both keep the file's order, and both take the
sales' numbers from the same gap-free series as ``sale_record``.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.bulk import bulk_writer, check_fields
from binakarya.core.models import AuditEvent
from binakarya.documents import numbers
from binakarya.inventory.models import StockMovement
from binakarya.inventory.services import MOVEMENT_FIELDS
from binakarya.ledger.accounts import AccountKey, accounts_for
from binakarya.ledger.journal import ENTRY_FIELDS, LINE_FIELDS
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.organizations.models import Organization
from binakarya.sales.importing.parsing import Errors, ImportRefused, Progress, SaleIn
from binakarya.sales.importing.resolving import LockedStock, RulesInForce
from binakarya.sales.models import Sale, SaleLine
from binakarya.sales.posting import LineIn, RuleInForce, SaleContext, sale_plan
from binakarya.sales.services import SALE_FIELDS, SALE_LINE_FIELDS, SaleLineInput, SaleToWrite, sale_record, sales_write


@dataclass
class Totals:
    sales: int = 0
    rows: int = 0
    gross_idr: int = 0
    premi_idr: int = 0
    numbers: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))  # org -> (id, no.)
    variant_ids: set[int] = field(default_factory=set)

    def add(self, sale: SaleIn, organization_id: int, sale_id: int, number: str, gross: int, premi: int) -> None:
        self.sales += 1
        self.rows += len(sale.rows)
        self.gross_idr += gross
        self.premi_idr += premi
        self.numbers[organization_id].append((sale_id, number))


def _org(sale: SaleIn) -> Organization:
    if sale.location is None:
        raise ValueError("an unresolved sale reached posting")
    return sale.location.organization


def _when(sale: SaleIn) -> datetime.datetime:
    if sale.occurred_at is None:
        raise ValueError("an unresolved sale reached posting")
    return sale.occurred_at


def post_per_sale(*, sales: Sequence[SaleIn], actor: Any, progress: Progress) -> Totals:
    """Post each sale through ``sale_record`` (the reference path)."""
    totals = Totals()
    with progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
        for sale in sales:
            try:
                posted = sale_record(
                    actor=actor,
                    location=sale.location,
                    channel=sale.channel,
                    lines=[SaleLineInput(r.sku, r.quantity or 0, r.unit_price_idr or 0) for r in sale.rows],
                    commission_idr=sale.commission_idr,
                    occurred_at=sale.occurred_at,
                )
            except ValidationError as exc:  # checked before, so only if something changed underneath
                errors = Errors()
                for message in exc.messages:
                    errors.add(sale.first.number, message)
                raise ImportRefused(errors) from exc
            totals.add(sale, posted.organization_id, posted.pk, posted.number, posted.gross_idr, posted.premi_idr)
            bar.update(len(sale.rows))
    return totals


def take_numbers(sales: Sequence[SaleIn]) -> list[str]:
    """Consecutive numbers from sale_record's series, one per sale in file order (a block per organization and year)."""
    tz = timezone.get_current_timezone()
    years = [_when(s).astimezone(tz).year for s in sales]
    counts = Counter((_org(s).pk, year) for s, year in zip(sales, years, strict=True))
    codes = {_org(s).pk: _org(s).code for s in sales}
    next_value = {
        (org_id, year): iter(
            numbers.numbers_take(organization_id=org_id, series=numbers.SALE, year=year, count=counts[(org_id, year)])
        )
        for org_id, year in sorted(counts)
    }
    return [
        numbers.number_format(
            series=numbers.SALE,
            organization_code=codes[_org(s).pk],
            year=year,
            value=next(next_value[(_org(s).pk, year)]),
        )
        for s, year in zip(sales, years, strict=True)
    ]


class BulkPoster:
    """Plans and writes an import's sales in batches, remembering accounts and rules across the file."""

    def __init__(self, *, stock: LockedStock, rules: RulesInForce, actor: Any) -> None:
        for model, fields in (
            (JournalEntry, ENTRY_FIELDS),
            (Sale, SALE_FIELDS),
            (SaleLine, SALE_LINE_FIELDS),
            (JournalLine, LINE_FIELDS),
            (StockMovement, MOVEMENT_FIELDS),
        ):
            check_fields(model, fields)
        check_fields(
            AuditEvent, ("organization_id", "actor_id", "action", "object_type", "object_id", "data", "created_at")
        )
        self.stock = stock
        self.rules = rules
        user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        self.user_id = user.pk if user else None
        self.accounts: dict[int, dict[AccountKey, Account]] = defaultdict(dict)
        self.writer = bulk_writer()
        self.tz = timezone.get_current_timezone()

    def plan(self, sale: SaleIn, number: str) -> SaleToWrite:
        location = sale.location
        if location is None:
            raise ValueError("an unresolved sale reached posting")
        organization = location.organization
        on_date = _when(sale).astimezone(self.tz).date()
        lines = []
        rules: dict[int | None, RuleInForce] = {}
        for row in sale.rows:
            variant = row.variant
            if variant is None or row.quantity is None or row.unit_price_idr is None:
                raise ValueError(f"row {row.number} reached posting unresolved")
            category_id = variant.product.category_id
            lines.append(LineIn(variant.pk, category_id, row.quantity, row.unit_price_idr))
            if category_id not in rules:
                rules[category_id] = self.rules.get(organization, category_id, on_date)
        plan = sale_plan(
            context=SaleContext(organization.kind, sale.channel, location.pk, location.outlet_id, None),
            lines=lines,
            commission_idr=sale.commission_idr,
            stock=self.stock.fifo,
            rules=rules,
            contributions=self.stock.contributions,
        )
        known = self.accounts[organization.pk]
        missing = plan.account_keys() - known.keys()
        if missing:
            known.update(accounts_for(organization=organization, keys=missing))
        return SaleToWrite(
            organization_id=organization.pk,
            location_id=location.pk,
            channel=sale.channel,
            buyer_id=None,
            buyer_name="",
            occurred_at=_when(sale),
            number=number,
            plan=plan,
            accounts=known,
        )

    def post(self, *, sales: Sequence[SaleIn], batch: int, progress: Progress) -> Totals:
        totals = Totals()
        sale_numbers = take_numbers(sales)
        pending: list[tuple[SaleIn, SaleToWrite]] = []
        pending_rows = 0
        with progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
            for sale, number in zip(sales, sale_numbers, strict=True):
                pending.append((sale, self.plan(sale, number)))
                pending_rows += len(sale.rows)
                if pending_rows >= batch:
                    self._write(pending, totals)
                    bar.update(pending_rows)
                    pending, pending_rows = [], 0
            if pending:
                self._write(pending, totals)
                bar.update(pending_rows)
        return totals

    def _write(self, pending: list[tuple[SaleIn, SaleToWrite]], totals: Totals) -> None:
        written = sales_write(
            sales=[planned for _sale, planned in pending], created_by_id=self.user_id, writer=self.writer, refresh=False
        )
        for (sale, planned), (sale_id, _entry_id) in zip(pending, written, strict=True):
            totals.add(
                sale, planned.organization_id, sale_id, planned.number, planned.plan.gross_idr, planned.plan.premi_idr
            )
            totals.variant_ids.update(line.variant_id for line in planned.plan.lines)
