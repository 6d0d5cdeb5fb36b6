"""Posting an import's sales: each one planned by ``sale_plan`` and written by ``sales_write``.

Bulk posting writes the sales in batches of about ``batch`` rows with the fastest writer the
database has (``COPY`` on PostgreSQL); the per-sale path calls ``sale_record`` for each sale (the
reference the tests compare the bulk path against). Both keep the file's order, and both take the
sales' numbers from the same gap-free series as ``sale_record``.
"""

import datetime
import queue
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.bulk import CopyWriter, DeferredWriter, OrmWriter, RowWriter, check_fields
from binakarya.core.models import AuditEvent
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.inventory.services import MOVEMENT_FIELDS
from binakarya.ledger.accounts import AccountKey, accounts_for
from binakarya.ledger.journal import ENTRY_FIELDS, LINE_FIELDS
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.organizations.models import Organization
from binakarya.sales.importing.parsing import Errors, ImportRefused, Progress, SaleIn
from binakarya.sales.importing.resolving import LockedStock, RulesInForce
from binakarya.sales.models import Sale, SaleLine
from binakarya.sales.posting import LineIn, Memo, RuleInForce, SaleContext, sale_plan
from binakarya.sales.pricing import price_unusual
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


def post_per_sale(*, sales: Sequence[SaleIn], actor: Actor, progress: Progress) -> Totals:
    """Post each sale through ``sale_record`` (the reference path)."""
    totals = Totals()
    with progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
        for sale in sales:
            if sale.location is None:
                raise ValueError("an unresolved sale reached posting")
            try:
                posted = sale_record(
                    actor=actor,
                    location=sale.location,
                    channel=sale.channel,
                    lines=[
                        SaleLineInput(
                            r.sku,
                            r.quantity or 0,
                            r.unit_price_idr or 0,
                            price_intended=bool(r.price_reason),
                            price_reason=r.price_reason,
                        )
                        for r in sale.rows
                    ],
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


def import_audit(*, file_name: str, totals: Totals, actor: Actor, sales: Sequence[SaleIn]) -> None:
    """One audit event per organization naming the file and the numbers it produced."""
    orgs = {_org(s).pk: _org(s) for s in sales}
    for org_id, posted in sorted(totals.numbers.items()):
        first_id, first_number = posted[0]
        audit_record(
            actor=actor,
            action=AuditAction.SALES_IMPORT,
            obj=Sale(pk=first_id, organization=orgs[org_id]),
            organization=orgs[org_id],
            file=file_name,
            sales=len(posted),
            first=first_number,
            last=posted[-1][1],
        )


def refusal_message(exc: Exception) -> str:
    """What to tell the user when the database refused what the checks let through (stock moved meanwhile)."""
    if isinstance(exc, InsufficientStock) or "balance_never_negative" in str(exc):
        return str(InsufficientStock.database_refusal().message)
    return _("The database refused the import: %(error)s") % {"error": exc}


def posted_tables_analyze() -> None:
    """Fresh planner statistics for the tables an import filled (PostgreSQL; nothing elsewhere).

    A bulk load can grow these tables many times over before autovacuum notices; until their
    statistics catch up, the planner picks scans where an index lookup is right.
    """
    if connection.vendor != "postgresql":
        return
    tables = (JournalEntry, JournalLine, Sale, SaleLine, StockMovement, StockBalance)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables))


class BulkPoster:
    """Plans and writes an import's sales in batches, remembering accounts, rules and splits across the file.

    This thread plans each batch and prepares its rows (``sales_write`` with a ``DeferredWriter``, whose
    ids were reserved before the first batch); a writer thread copies them into the database. So
    PostgreSQL ingests one batch while Python prepares the next, each on its own core. Both threads use
    the importer's one connection (its transaction), never at the same time: ``db`` is held by whichever
    uses it, and this thread needs it only to create an account the file meets for the first time.
    """

    def __init__(self, *, stock: LockedStock, rules: RulesInForce, actor: Actor) -> None:
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
        user = user_of(actor)
        self.user_id = user.pk if user else None
        self.accounts: dict[int, dict[AccountKey, Account]] = defaultdict(dict)
        self.memo: Memo = {}
        self.categories: dict[int, int] = {}  # variant id -> category id
        self.contexts: dict[tuple[int, str], SaleContext] = {}
        self.keys_of: dict[int, frozenset[AccountKey]] = {}  # id of a planned line's postings -> their accounts
        self.tz = timezone.get_current_timezone()
        self.db = threading.Lock()

    def plan(self, sale: SaleIn, number: str) -> SaleToWrite:
        """Plan one sale and find its accounts."""
        location = sale.location
        if location is None:
            raise ValueError("an unresolved sale reached posting")
        organization = location.organization
        occurred_at = _when(sale)
        on_date = occurred_at.astimezone(self.tz).date()
        lines = []
        rules: dict[int | None, RuleInForce] = {}
        for row in sale.rows:
            variant = row.variant
            if variant is None or row.quantity is None or row.unit_price_idr is None:
                raise ValueError(f"row {row.number} reached posting unresolved")
            category_id = self.categories.get(variant.pk)
            if category_id is None:
                category_id = self.categories[variant.pk] = variant.product.category_id
            lines.append(
                LineIn(
                    variant.pk,
                    category_id,
                    row.quantity,
                    row.unit_price_idr,
                    variant.price_idr,
                    row.price_reason
                    if price_unusual(unit_price_idr=row.unit_price_idr, catalog_price_idr=variant.price_idr)
                    else "",
                    row.sku,
                    row.lot_id,
                )
            )
            if category_id not in rules:
                rules[category_id] = self.rules.known(organization.pk, category_id, on_date)
        context = self.contexts.get((location.pk, sale.channel))
        if context is None:
            context = self.contexts[(location.pk, sale.channel)] = SaleContext(
                organization.kind, sale.channel, location.pk, location.outlet_id, None
            )
        plan = sale_plan(
            context=context,
            lines=lines,
            commission_idr=sale.commission_idr,
            stock=self.stock.fifo,
            rules=rules,
            contributions=self.stock.contributions,
            memo=self.memo,
        )
        known = self.accounts[organization.pk]
        missing: set[AccountKey] = set()
        for line in plan.lines:
            keys = self.keys_of.get(id(line.postings))
            if keys is None:
                keys = self.keys_of[id(line.postings)] = frozenset(p.key for p in line.postings)
            missing |= keys
        missing -= known.keys()
        if missing:
            with self.db:  # the writer thread may be copying the previous batch
                known.update(accounts_for(organization=organization, keys=missing))
        return SaleToWrite(organization.pk, location.pk, sale.channel, None, "", occurred_at, number, plan, known)

    def post(self, *, sales: Sequence[SaleIn], batch: int, progress: Progress) -> Totals:
        """Plan and write every sale, in file order, in batches of about ``batch`` rows."""
        totals = Totals()
        sale_numbers = take_numbers(sales)
        if connection.vendor != "postgresql":
            for chunk in self._batches(sales, sale_numbers, batch, progress):
                self._count(chunk, self._write(chunk, OrmWriter()), totals)
            return totals
        copier = CopyWriter()
        with connection.cursor() as cursor:
            # The triggers keep each statement's new rows (a batch: tens of thousands) to check them;
            # the default 4 MB would spill them to disk. Only for this transaction.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        # Ids for every entry, sale and sale line of the file, taken now so that each batch's rows can be
        # prepared while the previous batch is being written. A row makes one sale line per lot it takes
        # from, and each lot but the last a row takes from is used up: the file makes at most as many
        # sale lines as it has rows and lots (the unused ids are left as gaps in the sequence).
        rows = sum(len(s.rows) for s in sales)
        pools: dict[type[Model], Iterator[int]] = {
            JournalEntry: iter(copier.reserve(JournalEntry, len(sales))),
            Sale: iter(copier.reserve(Sale, len(sales))),
            SaleLine: iter(copier.reserve(SaleLine, rows + len(self.stock.fifo.lots()))),
        }

        for model in (JournalEntry, Sale, SaleLine, JournalLine, StockMovement, AuditEvent):
            copier.column_types(model)  # read now: the writer thread will be using the connection

        def copy(prepared: DeferredWriter) -> None:
            with self.db:
                prepared.replay()

        with _WriterThread(copy) as writer:
            for chunk in self._batches(sales, sale_numbers, batch, progress):
                prepared = DeferredWriter(copier, pools)
                self._count(chunk, self._write(chunk, prepared), totals)
                writer.put(prepared)
        return totals

    def _batches(
        self, sales: Sequence[SaleIn], sale_numbers: list[str], batch: int, progress: Progress
    ) -> Iterator[list[tuple[SaleIn, SaleToWrite]]]:
        """The sales planned, in lists of about ``batch`` rows; the progress bar counts the rows planned."""
        pending: list[tuple[SaleIn, SaleToWrite]] = []
        pending_rows = 0
        with progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
            for sale, number in zip(sales, sale_numbers, strict=True):
                pending.append((sale, self.plan(sale, number)))
                pending_rows += len(sale.rows)
                if pending_rows >= batch:
                    yield pending
                    bar.update(pending_rows)
                    pending, pending_rows = [], 0
            if pending:
                yield pending
                bar.update(pending_rows)

    def _write(self, chunk: list[tuple[SaleIn, SaleToWrite]], writer: RowWriter) -> list[tuple[int, int]]:
        return sales_write(
            sales=[planned for _sale, planned in chunk], created_by_id=self.user_id, writer=writer, refresh=False
        )

    @staticmethod
    def _count(chunk: list[tuple[SaleIn, SaleToWrite]], written: list[tuple[int, int]], totals: Totals) -> None:
        for (sale, planned), (sale_id, _entry_id) in zip(chunk, written, strict=True):
            plan = planned.plan
            totals.add(sale, planned.organization_id, sale_id, planned.number, plan.gross_idr, plan.premi_idr)
            totals.variant_ids.update(line.variant_id for line in plan.lines)


class _WriterThread:
    """Runs ``write`` for each batch put, in a thread that shares this thread's database connection.

    The connection (and so the transaction) is used by one thread at a time (the caller's ``write``
    and this thread's other uses of it take the same lock). A failure of the writer is raised in this
    thread, at the next ``put`` or on leaving the ``with`` block, after the writer has stopped.
    """

    def __init__(self, write: Callable[[DeferredWriter], None]) -> None:
        self.write = write
        self.queue: queue.Queue[DeferredWriter | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)

    def __enter__(self) -> "_WriterThread":
        self.connection.inc_thread_sharing()
        self.thread.start()
        return self

    def _run(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is None:
                try:
                    self.write(batch)
                except BaseException as exc:  # handed to the planning thread, which raises it
                    self.error = exc

    def put(self, batch: DeferredWriter) -> None:
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(batch, timeout=0.5)
                return
            except queue.Full:
                continue

    def __exit__(self, *exc_info: object) -> None:
        self.queue.put(None)
        self.thread.join()
        self.connection.dec_thread_sharing()
        if self.error is not None and exc_info[0] is None:
            raise self.error
