"""Post sales in bulk from a CSV file: everything or nothing.

    python manage.py import_sales FILE.csv [--location CODE] [--channel POS] [--batch 1000]
        [--user USERNAME] [--dry-run] [--per-sale] [--no-progress] [--language id|en]

The first row names the columns (any order, any case; comma, semicolon or tab separated; UTF-8,
with or without a BOM):

    location        location code (may be left out when --location is given; an empty cell takes it)
    channel         POS, WEB, WHATSAPP, OUTLET, ... (may be left out when --channel is given)
    sku             the variant's SKU, of the location's organization
    quantity        whole units
    unit_price_idr  whole rupiah: 450000, 450.000 or Rp450.000
    commission_idr  optional; the outlet's commission on this row. A sale's commission is the sum
                    over its rows, divided over its lines in proportion to their amounts, exactly
                    as ``sale_record`` divides a sale's commission
    sale_ref        optional; rows with the same reference form one sale (one number, one journal
                    entry). Rows without one are a sale each. Rows of one sale must agree on
                    location, channel and time
    occurred_at     optional; 2026-11-20, 2026-11-20 14:30, 20/11/2026 14:30 or ISO 8601 with an
                    offset; without an offset it is local time (Asia/Jakarta). Empty: now

Row numbers are those a spreadsheet shows: the header is row 1.

Nothing is half-imported. The whole file is read and checked first (columns, numbers, dates,
locations, SKUs, prices, quantities, commissions, the split rule in force, and - with the balances
locked - whether each location holds enough of each SKU for all the file's rows together). If any
row fails, every error is printed with its row number, in the services' own words, and nothing is
saved (exit status 1). Otherwise every sale is posted in one transaction, in batches of about
``--batch`` rows, in the file's order.

Posting is what ``binakarya.sales.services.sale_record`` does for each sale, in the same order:
stock leaves first-in first-out by lot, the split rule in force for each line's category on the
sale date is kept on the line, ``binakarya.ledger.split`` divides each lot's amount, the accounts
come from ``account_for`` with the same rules, one balanced journal entry per sale, SOLD movements,
an audit event per sale and numbers from the same gap-free series. By default the rows are
written in bulk (COPY on PostgreSQL, ``bulk_create`` elsewhere), which is what makes a million-row
file feasible, and on PostgreSQL the tables it filled are analysed afterwards so the planner's
statistics match them; ``--per-sale`` calls ``sale_record`` itself for each sale instead (slower; the tests
check that both give the same sales, journal lines, movements and balances).
"""

import csv
import datetime
import json
import re
import time
from bisect import bisect_right
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from binakarya.catalog.models import Variant
from binakarya.core.audit import audit_record
from binakarya.core.models import AuditEvent
from binakarya.core.money import format_rupiah
from binakarya.documents.models import NumberSequence
from binakarya.inventory.locks import balances_lock
from binakarya.inventory.models import Location, MovementKind, StockBalance, StockMovement
from binakarya.inventory.services import variant_stock_refresh
from binakarya.ledger.models import Account, JournalEntry, JournalLine, SplitRule
from binakarya.ledger.services import account_for, rule_of, split_rule_for
from binakarya.ledger.split import LotSale, split_by_shares, split_lot_sale
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution
from binakarya.sales.models import Channel, Sale, SaleLine
from binakarya.sales.services import (
    MAX_QUANTITY,
    MAX_UNIT_PRICE_IDR,
    SaleLineInput,
    _money_account,
    sale_record,
)

REQUIRED = ("location", "channel", "sku", "quantity", "unit_price_idr")
OPTIONAL = ("commission_idr", "sale_ref", "occurred_at")
COLUMNS = REQUIRED + OPTIONAL
NUMBER_SERIES = "PJ"  # sale_record's series (documents.services.number_next)
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)  # as in sale_record
CHUNK = 2000  # ids per IN (...) query


CHANNELS = frozenset(Channel.values)
NUMBER_COLUMNS = (("quantity", False), ("unit_price_idr", True), ("commission_idr", True))


def number_error(column: str, text: str) -> str:
    messages = {
        "quantity": _("The quantity “%(value)s” is not a whole number."),
        "unit_price_idr": _("The price “%(value)s” is not a whole number of rupiah."),
        "commission_idr": _("The commission “%(value)s” is not a whole number of rupiah."),
    }
    return messages[column] % {"value": text}


def local_date(when: datetime.datetime, tz) -> datetime.date:
    """timezone.localdate(when) with the current time zone looked up once by the caller."""
    return when.astimezone(tz).date()


class _Rollback(Exception):
    """Raised inside the transaction to undo a --dry-run."""


# Parsing ------------------------------------------------------------------------------------------

_INT = re.compile(r"-?\d+")
_GROUPED = re.compile(r"-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_ZERO_CENTS = re.compile(r"(-?\d+)[.,]0{1,2}")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")


def parse_int(text: str, *, money: bool = False) -> int | None:
    """A whole number: ``1500``, ``1.500``/``1,500`` (groups of three), ``1500,00``; ``Rp`` before money."""
    s = text.strip()
    if s.isascii() and s.isdigit():
        return int(s)
    s = s.replace(" ", "").replace("\u00a0", "")
    if money and s[:2].lower() == "rp":
        s = s[2:].lstrip(".")
    if _INT.fullmatch(s):
        return int(s)
    if _GROUPED.fullmatch(s):
        return int(s.replace(".", "").replace(",", ""))
    m = _ZERO_CENTS.fullmatch(s)
    return int(m.group(1)) if m else None


def parse_when(text: str) -> datetime.datetime | None:
    """ISO 8601 (date, or date and time, with or without offset) or DD/MM/YYYY [HH:MM[:SS]]; naive is local."""
    s = text.strip()
    try:
        when = datetime.datetime.fromisoformat(s)
    except ValueError:
        m = _DMY.fullmatch(s)
        if not m:
            return None
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        try:
            when = datetime.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


@dataclass(slots=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    location_code: str
    channel: str
    sku: str
    quantity: int | None
    unit_price_idr: int | None
    commission_idr: int | None
    sale_ref: str
    occurred_at: datetime.datetime | None  # None until the sale's time is settled
    location: Location | None = None
    variant: Variant | None = None


@dataclass
class SaleIn:
    rows: list[Row]
    location: Location | None = None
    channel: str = ""
    occurred_at: datetime.datetime | None = None
    ok: bool = True

    @property
    def first(self) -> Row:
        return self.rows[0]

    @property
    def commission_idr(self) -> int:
        return sum(r.commission_idr or 0 for r in self.rows)

    @property
    def gross_idr(self) -> int:
        return sum(max(r.quantity or 0, 0) * max(r.unit_price_idr or 0, 0) for r in self.rows)


class Errors:
    """Errors by row number, in the order found; some (a whole location, a missing rule) counted once."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []
        self._grouped: dict[Any, int] = {}  # key -> index in items
        self._more: Counter = Counter()

    def add(self, row: int, message: str, *, once: Any = None) -> None:
        if once is not None:
            if once in self._grouped:
                self._more[self._grouped[once]] += 1
                return
            self._grouped[once] = len(self.items)
        self.items.append((row, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + sum(self._more.values())

    def lines(self) -> list[str]:
        out = []
        order = sorted(range(len(self.items)), key=lambda i: self.items[i][0])
        for i in order:
            row, message = self.items[i]
            text = _("Row %(row)s: %(message)s") % {"row": row, "message": message}
            if self._more[i]:
                text += " " + (
                    ngettext("(and %(count)s more row)", "(and %(count)s more rows)", self._more[i])
                    % {"count": self._more[i]}
                )
            out.append(text)
        return out


# Bulk writing -------------------------------------------------------------------------------------


class RowWriter:
    """Insert plain tuples into a model's table: COPY on PostgreSQL, ``bulk_create`` elsewhere.

    On PostgreSQL the ids of rows that others point at are drawn from the table's own sequence
    first (``nextval``), so they are as unique as any the database would give.
    """

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self._sequences: dict[str, str] = {}

    def _ids(self, cursor, table: str, count: int) -> list[int]:
        sequence = self._sequences.get(table)
        if sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = self._sequences[table] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        return sorted(r[0] for r in cursor.fetchall())

    def insert(self, model, fields: list[str], rows: list[tuple], *, ids: bool = False) -> list[int]:
        if not rows:
            return []
        if not self.postgres:
            objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            model.objects.bulk_create(objs, batch_size=500)
            return [o.pk for o in objs]
        meta = model._meta
        json_at = [i for i, f in enumerate(fields) if isinstance(meta.get_field(f), JSONField)]
        with connection.cursor() as cursor, connection.wrap_database_errors:
            new_ids: list[int] = []
            if ids:
                new_ids = self._ids(cursor, meta.db_table, len(rows))
            columns = (["id"] if ids else []) + [meta.get_field(f).column for f in fields]
            sql = "COPY {} ({}) FROM STDIN".format(
                connection.ops.quote_name(meta.db_table), ", ".join(connection.ops.quote_name(c) for c in columns)
            )
            with cursor.cursor.copy(sql) as copy:
                for n, row in enumerate(rows):
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i])
                    copy.write_row((new_ids[n], *row) if ids else row)
        return new_ids


ENTRY_FIELDS = ["organization_id", "kind", "memo", "occurred_at", "created_at", "created_by_id", "split_rule_id"]
SALE_FIELDS = [
    "organization_id",
    "number",
    "channel",
    "location_id",
    "buyer_name",
    "occurred_at",
    "gross_idr",
    "commission_idr",
    "premi_idr",
    "status",
    "entry_id",
    "created_by_id",
    "created_at",
]
SALE_LINE_FIELDS = [
    "organization_id",
    "sale_id",
    "variant_id",
    "lot_id",
    "quantity",
    "unit_price_idr",
    "commission_idr",
    "split_rule_id",
    "returned_quantity",
]
JOURNAL_LINE_FIELDS = ["organization_id", "entry_id", "account_id", "amount_idr", "sale_line_id", "lot_id", "share"]
MOVEMENT_FIELDS = [
    "organization_id",
    "variant_id",
    "lot_id",
    "location_id",
    "kind",
    "quantity",
    "reason",
    "created_by_id",
    "created_at",
]
AUDIT_FIELDS = ["organization_id", "actor_id", "action", "object_type", "object_id", "data", "created_at"]


def check_fields(model, fields: list[str]) -> None:
    """Fail loudly if the model gained a required column the bulk path does not write."""
    written = set(fields) | {"id"}
    for f in model._meta.concrete_fields:
        if f.attname not in written and not f.null and not f.has_default() and not f.has_db_default():
            raise RuntimeError(f"import_sales does not write {model.__name__}.{f.attname}; update the bulk path")


# The command --------------------------------------------------------------------------------------


@dataclass
class Stock:
    """Locked balances as FIFO queues per (location id, variant id): [lot, units left], oldest first."""

    queues: dict[tuple[int, int], deque] = field(default_factory=dict)
    contributions: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # lot id -> [(maker id, share)]
    makers: dict[int, Maker] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)


class Command(BaseCommand):
    help = (
        "Post sales in bulk from a CSV file (location, channel, sku, quantity, unit_price_idr[, commission_idr]"
        "[, sale_ref][, occurred_at]). Everything is checked first; on any error nothing is imported (exit 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file; the first row names the columns")
        parser.add_argument("--location", default="", help="location code for rows without one")
        parser.add_argument("--channel", default="", help="channel for rows without one (POS, WEB, OUTLET, ...)")
        parser.add_argument("--batch", type=int, default=1000, help="rows written per batch (default 1000)")
        parser.add_argument(
            "--user", default="", help="username recorded as the seller; must be allowed to record sales"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, stock included, then save nothing"
        )
        parser.add_argument(
            "--per-sale", action="store_true", help="post each sale through sale_record (slow; the reference path)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")
        parser.add_argument(
            "--language", default="", help=f"language of the messages (default {settings.LANGUAGE_CODE})"
        )

    # Entry point ----------------------------------------------------------------------------------

    def handle(self, *args, **options):
        language = options["language"] or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            return self.run(**options)

    def run(self, *, file: Path, location: str, channel: str, batch: int, user: str, dry_run: bool, **options):
        self.verbosity = options.get("verbosity", 1)
        self.show_progress = not options.get("no_progress") and self.verbosity > 0
        self.timings: dict[str, float] = {}
        started = time.perf_counter()
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        errors = Errors()

        rows = self.read(file, default_location=location.strip(), default_channel=channel.strip(), errors=errors)
        sales = self.group(rows, errors)
        self.resolve(rows, sales, errors, actor)
        self.lap("read and check", started)

        try:
            with transaction.atomic():
                t = time.perf_counter()
                stock = self.lock_stock(sales, errors)
                self.lap("lock and check stock", t)
                if errors:
                    self.fail(errors)
                if dry_run:
                    raise _Rollback
                t = time.perf_counter()
                if options.get("per_sale"):
                    totals = self.post_per_sale(sales, actor, errors)
                    self.audit_import(file, sales, totals, actor)
                    self.lap("post", t)
                else:
                    totals = self.post_bulk(sales, stock, actor, batch)
                    self.audit_import(file, sales, totals, actor)
                    self.lap("post", t)
                    t = time.perf_counter()
                    # What movements_post does after each sale, once for every variant sold.
                    variant_stock_refresh(variant_ids=sorted(totals["variant_ids"]))
                    self.lap("variant stock refresh", t)
                t = time.perf_counter()
            self.lap("commit", t)
            if connection.vendor == "postgresql" and not options.get("per_sale"):
                # A bulk load can grow these tables many times over before autovacuum notices; until
                # their statistics catch up, the planner picks scans where an index lookup is right.
                t = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "ANALYZE "
                        + ", ".join(
                            connection.ops.quote_name(model._meta.db_table)
                            for model in (JournalEntry, JournalLine, Sale, SaleLine, StockMovement, StockBalance)
                        )
                    )
                self.lap("analyze", t)
        except _Rollback:
            lines = sum(len(s.rows) for s in sales)
            self.stdout.write(
                _("The file is valid: %(sales)s sales, %(rows)s rows. Nothing was imported (--dry-run).")
                % {"sales": len(sales), "rows": lines}
            )
            return
        except IntegrityError as exc:  # refused by the database (at the latest at commit): nothing was saved
            if "balance_never_negative" in str(exc):  # the balances' CHECK, as movements_post reports it
                message = _("There is not enough stock for this change.")
            else:
                message = _("The database refused the import: %(error)s") % {"error": exc}
            raise CommandError(message + " " + _("Nothing was imported."), returncode=1) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            _("Imported %(sales)s sales (%(rows)s rows): gross %(gross)s, premi %(premi)s, in %(seconds).1f s.")
            % {
                "sales": totals["sales"],
                "rows": totals["rows"],
                "gross": format_rupiah(totals["gross"]),
                "premi": format_rupiah(totals["premi"]),
                "seconds": elapsed,
            }
        )
        if self.verbosity >= 2:
            for label, seconds in self.timings.items():
                self.stdout.write(f"  {label:<22} {seconds:8.2f} s")

    def lap(self, label: str, since: float) -> None:
        self.timings[label] = self.timings.get(label, 0.0) + time.perf_counter() - since

    def progress(self, **kwargs) -> tqdm:
        out = getattr(self.stderr, "_out", None)
        return tqdm(disable=None if self.show_progress else True, file=out, dynamic_ncols=True, **kwargs)

    def fail(self, errors: Errors) -> None:
        for line in errors.lines():
            self.stderr.write(line)
        raise CommandError(
            ngettext("%(count)s error; nothing was imported.", "%(count)s errors; nothing was imported.", len(errors))
            % {"count": len(errors)},
            returncode=1,
        )

    # Reading ----------------------------------------------------------------------------------------

    def read(self, path: Path, *, default_location: str, default_channel: str, errors: Errors) -> list[Row]:
        try:
            handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        rows: list[Row] = []
        with handle:
            try:
                first = handle.readline()
                delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
                handle.seek(0)
                reader = csv.reader(handle, delimiter=delimiter)
                header = next(reader, None)
                index = self.read_header(header, default_location, default_channel, errors)
                if errors:
                    self.fail(errors)
                width = len(header)
                cells = {name: index.get(name) for name in COLUMNS}
                dates: dict[str, datetime.datetime | None] = {}
                with self.progress(desc=_("Reading"), unit=" rows") as bar:
                    for number, record in enumerate(reader, start=2):
                        bar.update()
                        if not record or not any(c.strip() for c in record):
                            continue  # an empty line
                        if len(record) != width:
                            errors.add(
                                number,
                                _("This row has %(found)s cells; the header has %(expected)s.")
                                % {"found": len(record), "expected": width},
                            )
                            continue
                        rows.append(
                            self.parse_row(number, record, cells, default_location, default_channel, dates, errors)
                        )
            except UnicodeDecodeError:
                errors.add(1, _("The file is not UTF-8 text. Save it as “CSV UTF-8”."))
                self.fail(errors)
            except csv.Error as exc:
                errors.add(reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": exc})
                self.fail(errors)
        if not rows and not errors:
            errors.add(1, _("The file has no rows to import."))
            self.fail(errors)
        return rows

    def read_header(self, header, default_location: str, default_channel: str, errors: Errors) -> dict[str, int]:
        expected = ", ".join(COLUMNS)
        if not header or not any(h.strip() for h in header):
            errors.add(1, _("The first row must name the columns: %(columns)s.") % {"columns": expected})
            return {}
        index: dict[str, int] = {}
        for i, raw in enumerate(header):
            name = raw.strip().lower()
            if name in index:
                errors.add(1, _("The column “%(column)s” appears twice.") % {"column": raw.strip()})
            elif name not in COLUMNS:
                errors.add(
                    1,
                    _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": raw.strip(), "columns": expected},
                )
            index.setdefault(name, i)
        defaults = {"location": default_location, "channel": default_channel}
        for name in REQUIRED:
            if name not in index and not defaults.get(name):
                option = f" (--{name})" if name in defaults else ""
                errors.add(1, _("The column “%(column)s” is missing.") % {"column": name} + option)
        return index

    def parse_row(self, number, record, cells, default_location, default_channel, dates, errors) -> Row:
        def cell(name: str) -> str:
            i = cells[name]
            return record[i].strip() if i is not None else ""

        location_code = (cell("location") or default_location).lower()
        channel = (cell("channel") or default_channel).upper()
        sku = cell("sku").upper()
        values = {}
        for name, money in NUMBER_COLUMNS:
            text = cell(name)
            if not text and name == "commission_idr":
                values[name] = 0
                continue
            values[name] = parse_int(text, money=money)
            if values[name] is None:
                errors.add(number, number_error(name, text))
        when_text = cell("occurred_at")
        when = None
        if when_text:
            if when_text not in dates:
                dates[when_text] = parse_when(when_text)
            when = dates[when_text]
            if when is None:
                errors.add(
                    number,
                    _("“%(value)s” is not a date and time (2026-11-20, 2026-11-20 14:30 or 20/11/2026 14:30).")
                    % {"value": when_text},
                )
        if not location_code:
            errors.add(number, _("Say which location sold it (the location column or --location)."))
        if not channel:
            errors.add(number, _("Choose the channel the sale came through."))
        return Row(
            number=number,
            location_code=location_code,
            channel=channel,
            sku=sku,
            quantity=values["quantity"],
            unit_price_idr=values["unit_price_idr"],
            commission_idr=values["commission_idr"],
            sale_ref=cell("sale_ref"),
            occurred_at=when if when_text else self.now,
        )

    def group(self, rows: list[Row], errors: Errors) -> list[SaleIn]:
        """Rows with the same sale_ref form one sale, in order of first appearance; others a sale each."""
        sales: list[SaleIn] = []
        by_ref: dict[str, SaleIn] = {}
        for row in rows:
            if not row.sale_ref:
                sales.append(SaleIn(rows=[row]))
                continue
            sale = by_ref.get(row.sale_ref)
            if sale is None:
                sale = by_ref[row.sale_ref] = SaleIn(rows=[row])
                sales.append(sale)
                continue
            first = sale.first
            if (row.location_code, row.channel, row.occurred_at) != (
                first.location_code,
                first.channel,
                first.occurred_at,
            ):
                errors.add(
                    row.number,
                    _("Rows of sale “%(ref)s” must have the same location, channel and time as row %(row)s.")
                    % {"ref": row.sale_ref, "row": first.number},
                )
                sale.ok = False
            sale.rows.append(row)
        for sale in sales:
            sale.channel = sale.first.channel
            sale.occurred_at = sale.first.occurred_at
        return sales

    # Checking what the services check ---------------------------------------------------------------

    def resolve(self, rows: list[Row], sales: list[SaleIn], errors: Errors, actor: Any) -> None:
        codes = {r.location_code for r in rows if r.location_code}
        locations = {
            loc.code: loc
            for loc in Location.objects.filter(code__in=sorted(codes)).select_related("organization", "outlet")
        }
        skus_by_org: dict[int, set[str]] = defaultdict(set)
        for row in rows:
            row.location = locations.get(row.location_code)
            if row.location is not None and row.sku:
                skus_by_org[row.location.organization_id].add(row.sku)
        variants: dict[tuple[int, str], Variant] = {}
        for org_id, skus in skus_by_org.items():
            ordered = sorted(skus)
            for i in range(0, len(ordered), CHUNK):
                for v in Variant.objects.filter(organization_id=org_id, sku__in=ordered[i : i + CHUNK]).select_related(
                    "product"
                ):
                    variants[(org_id, v.sku)] = v

        tz = self.tz
        allowed: dict[int, bool] = {}
        self.rules: dict[tuple[int, int, datetime.date], Any] = {}
        self.rules_since: dict[tuple[int, int, datetime.date], Any] = {}
        self.rule_dates: dict[int, list[datetime.date]] = {}
        rule_errors: dict[tuple[int, int, datetime.date], list[str]] = {}
        latest = self.now + FUTURE_TOLERANCE
        for row in rows:
            sku = row.sku
            loc = row.location
            if row.location_code and loc is None:
                errors.add(
                    row.number,
                    _("Unknown location “%(code)s”.") % {"code": row.location_code},
                    once=("location", row.location_code),
                )
            elif loc is not None:
                if loc.kind == Location.Kind.TRANSIT or not loc.is_active:
                    errors.add(
                        row.number,
                        _("Sell from a store, showroom or outlet, not from transit."),
                        once=("location-kind", loc.pk),
                    )
                if actor is not None:
                    if loc.organization_id not in allowed:
                        allowed[loc.organization_id] = actor.has_perm("sales.record", loc.organization)
                    if not allowed[loc.organization_id]:
                        errors.add(
                            row.number,
                            _("You may not record sales for %(org)s.") % {"org": loc.organization.name},
                            once=("perm", loc.organization_id),
                        )
                row.variant = variants.get((loc.organization_id, sku))
                if row.variant is None:
                    errors.add(row.number, _("Unknown SKU: %(sku)s.") % {"sku": sku or "—"})
            if row.channel and row.channel not in CHANNELS:
                errors.add(row.number, _("Choose the channel the sale came through."))
            if row.quantity is not None and not 1 <= row.quantity <= MAX_QUANTITY:
                errors.add(row.number, _("The quantity of %(sku)s must be at least 1.") % {"sku": sku})
            if row.unit_price_idr is not None and not 0 < row.unit_price_idr <= MAX_UNIT_PRICE_IDR:
                errors.add(row.number, _("The price of %(sku)s must be more than Rp0.") % {"sku": sku})
            if row.occurred_at is not None and row.occurred_at > latest:
                errors.add(row.number, _("A sale cannot be recorded in the future."))
            elif row.variant is not None and row.occurred_at is not None:
                key = (loc.organization_id, row.variant.product.category_id, local_date(row.occurred_at, tz))
                if key not in self.rules and key not in rule_errors:
                    try:
                        self.rules[key] = self.rule_in_force(loc.organization, key[1], key[2])
                    except ValidationError as exc:
                        rule_errors[key] = exc.messages
                for message in rule_errors.get(key, []):
                    errors.add(row.number, message, once=("rule", key))
        for sale in sales:
            sale.location = sale.first.location
            parsed = all(
                r.commission_idr is not None and r.quantity is not None and r.unit_price_idr is not None
                for r in sale.rows
            )
            if parsed and not 0 <= sale.commission_idr <= sale.gross_idr:
                errors.add(sale.first.number, _("The commission must be between Rp0 and the sale's total."))

    def rule_in_force(self, organization: Organization, category_id: int, on_date: datetime.date) -> Any:
        """``split_rule_for``, asked once per date on which the organization's rules change.

        The rule in force on a date depends only on the rules effective by then, so every date from one
        ``effective_from`` to the next has the rule in force on the first of them.
        """
        dates = self.rule_dates.get(organization.pk)
        if dates is None:
            dates = self.rule_dates[organization.pk] = sorted(
                set(SplitRule.objects.filter(organization=organization).values_list("effective_from", flat=True))
            )
        i = bisect_right(dates, on_date)
        since = dates[i - 1] if i else on_date  # no rule yet: let split_rule_for say so, with the date
        key = (organization.pk, category_id, since)
        if key not in self.rules_since:
            self.rules_since[key] = split_rule_for(organization=organization, category_id=category_id, on_date=since)
        return self.rules_since[key]

    def lock_stock(self, sales: list[SaleIn], errors: Errors) -> Stock:
        """Lock every balance the file sells from (primary-key order per location) and check the totals."""
        wanted: dict[int, set[int]] = defaultdict(set)
        for sale in sales:
            for row in sale.rows:
                if row.location is not None and row.variant is not None:
                    wanted[row.location.pk].add(row.variant.pk)
        stock = Stock()
        available: dict[tuple[int, int], int] = defaultdict(int)
        lots: dict[int, Any] = {}
        for location_id in sorted(wanted):
            balances = list(
                balances_lock(location_id=location_id, variant_ids=wanted[location_id]).select_related("lot")
            )
            for b in sorted(balances, key=lambda b: (b.lot.finished_date, b.lot_id)):
                key = (location_id, b.variant_id)
                available[key] += b.quantity
                queue = stock.queues.setdefault(key, deque())
                if b.quantity > 0:
                    queue.append([b.lot, b.quantity])
                    lots[b.lot_id] = b.lot

        demand: dict[tuple[int, int], int] = defaultdict(int)
        for sale in sales:
            for row in sale.rows:
                if row.location is not None and row.variant is not None and row.quantity and row.quantity > 0:
                    demand[(row.location.pk, row.variant.pk)] += row.quantity
        running: dict[tuple[int, int], int] = defaultdict(int)
        for sale in sales:
            for row in sale.rows:
                if row.location is None or row.variant is None or not row.quantity or row.quantity < 0:
                    continue
                key = (row.location.pk, row.variant.pk)
                before = running[key]
                running[key] += row.quantity
                if before <= available[key] < running[key]:
                    # sale_record's InsufficientStock message, for the file's total of this SKU here.
                    errors.add(
                        row.number,
                        _("%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.")
                        % {
                            "location": row.location.name,
                            "available": available[key],
                            "sku": row.variant.sku,
                            "wanted": demand[key],
                        },
                    )
        if errors:
            return stock

        lot_ids = sorted(lots)
        contributions: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i in range(0, len(lot_ids), CHUNK):
            for lot_id, maker_id, share in (
                Contribution.objects.filter(lot_id__in=lot_ids[i : i + CHUNK])
                .order_by("lot_id", "pk")
                .values_list("lot_id", "maker_id", "share")
            ):
                contributions[lot_id].append((maker_id, share))
        stock.contributions = contributions
        maker_ids = sorted({m for parts in contributions.values() for m, _share in parts})
        for i in range(0, len(maker_ids), CHUNK):
            stock.makers.update(Maker.objects.in_bulk(maker_ids[i : i + CHUNK]))
        stock.groups = Group.objects.in_bulk(sorted({lot.group_id for lot in lots.values() if lot.group_id}))
        return stock

    # Posting through sale_record ----------------------------------------------------------------------

    def post_per_sale(self, sales: list[SaleIn], actor: Any, errors: Errors) -> dict[str, int]:
        totals = {"sales": 0, "rows": 0, "gross": 0, "premi": 0, "numbers": defaultdict(list)}
        with self.progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
            for sale in sales:
                try:
                    posted = sale_record(
                        actor=actor,
                        location=sale.location,
                        channel=sale.channel,
                        lines=[SaleLineInput(r.sku, r.quantity, r.unit_price_idr) for r in sale.rows],
                        commission_idr=sale.commission_idr,
                        occurred_at=sale.occurred_at,
                    )
                except ValidationError as exc:  # checked above, so only if something changed underneath
                    for message in exc.messages:
                        errors.add(sale.first.number, message)
                    self.fail(errors)
                totals["sales"] += 1
                totals["rows"] += len(sale.rows)
                totals["gross"] += posted.gross_idr
                totals["premi"] += posted.premi_idr
                totals["numbers"][posted.organization_id].append((posted.pk, posted.number))
                bar.update(len(sale.rows))
        return totals

    # Posting in bulk, exactly as sale_record posts ----------------------------------------------------

    def reserve_numbers(self, sales: list[SaleIn]) -> list[str]:
        """Consecutive numbers from the same gap-free series number_next uses, one per sale in file order."""
        tz = timezone.get_current_timezone()
        counts = Counter((s.location.organization_id, local_date(s.occurred_at, tz).year) for s in sales)
        orgs = {s.location.organization_id: s.location.organization for s in sales}
        last: dict[tuple[int, int], int] = {}
        for org_id, year in sorted(counts):
            NumberSequence.objects.get_or_create(organization_id=org_id, series=NUMBER_SERIES, year=year)
            sequence = NumberSequence.objects.select_for_update(of=("self",)).get(
                organization_id=org_id, series=NUMBER_SERIES, year=year
            )
            last[(org_id, year)] = sequence.last_value
            sequence.last_value += counts[(org_id, year)]
            sequence.save(update_fields=["last_value"])
        numbers = []
        for s in sales:
            key = (s.location.organization_id, local_date(s.occurred_at, tz).year)
            last[key] += 1
            numbers.append(f"{NUMBER_SERIES}-{orgs[key[0]].code}-{key[1]}-{last[key]:05d}")
        return numbers

    def post_bulk(self, sales: list[SaleIn], stock: Stock, actor: Any, batch: int) -> dict[str, Any]:
        for model, fields in (
            (JournalEntry, ENTRY_FIELDS),
            (Sale, SALE_FIELDS),
            (SaleLine, SALE_LINE_FIELDS),
            (JournalLine, JOURNAL_LINE_FIELDS),
            (StockMovement, MOVEMENT_FIELDS),
            (AuditEvent, AUDIT_FIELDS),
        ):
            check_fields(model, fields)
        writer = RowWriter()
        numbers = self.reserve_numbers(sales)
        user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        user_id = user.pk if user else None
        self.accounts: dict[tuple, Account] = {}
        self.rule_cache: dict[int, Any] = {}
        totals: dict[str, Any] = {"sales": 0, "rows": 0, "gross": 0, "premi": 0, "numbers": defaultdict(list)}
        variant_ids: set[int] = set()
        pending: list[tuple[SaleIn, str]] = []
        pending_rows = 0
        with self.progress(desc=_("Posting"), unit=" rows", total=sum(len(s.rows) for s in sales)) as bar:
            for sale, number in zip(sales, numbers, strict=True):
                pending.append((sale, number))
                pending_rows += len(sale.rows)
                if pending_rows >= batch:
                    self.write_batch(writer, pending, stock, user_id, totals, variant_ids)
                    bar.update(pending_rows)
                    pending, pending_rows = [], 0
            if pending:
                self.write_batch(writer, pending, stock, user_id, totals, variant_ids)
                bar.update(pending_rows)
        totals["variant_ids"] = variant_ids
        return totals

    def account(self, organization: Organization, kind: str, **party: Any) -> Account:
        """account_for, remembered: one lookup (or creation) per account per import."""
        key = (organization.id, kind, *((k, v.id if hasattr(v, "id") else v) for k, v in party.items()))
        account = self.accounts.get(key)
        if account is None:
            account = self.accounts[key] = account_for(organization=organization, kind=kind, **party)
        return account

    def plan(self, sale: SaleIn, stock: Stock) -> dict[str, Any]:
        """What sale_record would post for ``sale``: its lines with their lots, rules and postings."""
        location = sale.location
        organization = location.organization
        on_date = local_date(sale.occurred_at, self.tz)

        allocations = []  # (row, lot, quantity), sale_record._allocate's order
        for row in sale.rows:
            queue = stock.queues[(location.pk, row.variant.pk)]
            wanted = row.quantity
            while wanted:
                head = queue[0]
                take = min(head[1], wanted)
                allocations.append((row, head[0], take))
                wanted -= take
                if take == head[1]:
                    queue.popleft()
                else:
                    head[1] -= take

        rules: dict[int, Any] = {}
        for row, _lot, _qty in allocations:
            category_id = row.variant.product.category_id
            if category_id not in rules:
                rules[category_id] = self.rules[(organization.pk, category_id, on_date)]
        grosses = [qty * row.unit_price_idr for row, _lot, qty in allocations]
        commission_idr = sale.commission_idr
        commissions = split_by_shares(commission_idr, grosses) if commission_idr else [0] * len(allocations)

        money = self.accounts.get(("money", location.pk, sale.channel))
        if money is None:
            money = self.accounts[("money", location.pk, sale.channel)] = _money_account(
                organization, sale.channel, location, None
            )
        commission_account = self.account(
            organization,
            Account.Kind.COMMISSION,
            counterparty=location.outlet if location.kind == Location.Kind.OUTLET else None,
        )
        remainder_kind = (
            Account.Kind.PNBP_PAYABLE
            if organization.kind == Organization.Kind.FACILITY
            else Account.Kind.PRODUCER_INCOME
        )
        remainder_account = self.account(organization, remainder_kind)

        lines = []
        premi = 0
        for (row, lot, qty), commission in zip(allocations, commissions, strict=True):
            rule = rules[row.variant.product.category_id]
            if rule.pk not in self.rule_cache:
                self.rule_cache[rule.pk] = rule_of(rule)
            makers = stock.contributions[lot.pk]
            split = split_lot_sale(
                self.rule_cache[rule.pk],
                LotSale(
                    quantity=qty,
                    unit_price_idr=row.unit_price_idr,
                    unit_cost_idr=lot.unit_cost_idr,
                    commission_idr=commission,
                    contributor_shares=[share for _maker, share in makers],
                ),
            )
            premi += split.premi_idr
            group = stock.groups.get(lot.group_id) if lot.group_id else None
            capital = self.account(organization, Account.Kind.CAPITAL_FUND, group=group)
            postings = [
                (money.pk, split.gross_idr, None, None),
                (commission_account.pk, -split.commission_idr, None, None),
                (capital.pk, -(split.material_idr + split.capital_idr), lot.pk, None),
                (remainder_account.pk, -split.remainder_idr, lot.pk, None),
            ]
            deductions: dict[str, int] = defaultdict(int)
            for (maker_id, share), net, taken in zip(
                makers, split.net_premi_by_contributor, split.deductions_by_contributor, strict=True
            ):
                payable = self.account(organization, Account.Kind.PREMI_PAYABLE, maker=stock.makers[maker_id])
                postings.append((payable.pk, -net, lot.pk, share))
                for name, amount in taken.items():
                    deductions[name] += amount
            for name, amount in sorted(deductions.items()):
                account = self.account(organization, Account.Kind.DEDUCTIONS_PAYABLE, deduction=name)
                postings.append((account.pk, -amount, lot.pk, None))
            if sum(p[1] for p in postings) != 0:
                raise RuntimeError(f"unbalanced postings for row {row.number}")
            lines.append((row, lot, qty, commission, rule, postings))
        return {
            "organization": organization,
            "gross": sum(grosses),
            "commission": commission_idr,
            "premi": premi,
            "single_rule": next(iter(rules.values())) if len(rules) == 1 else None,
            "lines": lines,
        }

    def write_batch(self, writer: RowWriter, batch, stock: Stock, user_id, totals, variant_ids: set[int]) -> None:
        now = timezone.now()
        plans = [self.plan(sale, stock) for sale, _number in batch]
        entry_ids = writer.insert(
            JournalEntry,
            ENTRY_FIELDS,
            [
                (
                    plan["organization"].pk,
                    JournalEntry.Kind.SALE,
                    number,
                    sale.occurred_at,
                    now,
                    user_id,
                    plan["single_rule"].pk if plan["single_rule"] else None,
                )
                for (sale, number), plan in zip(batch, plans, strict=True)
            ],
            ids=True,
        )
        sale_ids = writer.insert(
            Sale,
            SALE_FIELDS,
            [
                (
                    plan["organization"].pk,
                    number,
                    sale.channel,
                    sale.location.pk,
                    "",
                    sale.occurred_at,
                    plan["gross"],
                    plan["commission"],
                    plan["premi"],
                    Sale.Status.POSTED,
                    entry_id,
                    user_id,
                    now,
                )
                for (sale, number), plan, entry_id in zip(batch, plans, entry_ids, strict=True)
            ],
            ids=True,
        )
        line_rows, movement_rows, audit_rows = [], [], []
        for (sale, number), plan, sale_id in zip(batch, plans, sale_ids, strict=True):
            org_id = plan["organization"].pk
            for row, lot, qty, commission, rule, _postings in plan["lines"]:
                line_rows.append(
                    (org_id, sale_id, row.variant.pk, lot.pk, qty, row.unit_price_idr, commission, rule.pk, 0)
                )
                movement_rows.append(
                    (org_id, row.variant.pk, lot.pk, sale.location.pk, MovementKind.SOLD, -qty, number, user_id, now)
                )
                variant_ids.add(row.variant.pk)
            audit_rows.append(
                (
                    org_id,
                    user_id,
                    "sale.record",
                    Sale._meta.label_lower,
                    str(sale_id),
                    {"gross": plan["gross"], "premi": plan["premi"]},
                    now,
                )
            )
            totals["sales"] += 1
            totals["rows"] += len(sale.rows)
            totals["gross"] += plan["gross"]
            totals["premi"] += plan["premi"]
            totals["numbers"][org_id].append((sale_id, number))
        sale_line_ids = iter(writer.insert(SaleLine, SALE_LINE_FIELDS, line_rows, ids=True))
        journal_rows = []
        for plan, entry_id in zip(plans, entry_ids, strict=True):
            org_id = plan["organization"].pk
            for *_line, postings in plan["lines"]:
                sale_line_id = next(sale_line_ids)
                for account_id, amount, lot_id, share in postings:
                    if amount:
                        journal_rows.append((org_id, entry_id, account_id, amount, sale_line_id, lot_id, share))
        writer.insert(JournalLine, JOURNAL_LINE_FIELDS, journal_rows)
        writer.insert(StockMovement, MOVEMENT_FIELDS, movement_rows)
        writer.insert(AuditEvent, AUDIT_FIELDS, audit_rows)
        # sale_record's own check, for the whole batch in one query (on PostgreSQL the trigger has checked each COPY).
        unbalanced = (
            JournalLine.objects.filter(entry_id__in=entry_ids)
            .values("entry_id")
            .annotate(total=Sum("amount_idr"))
            .exclude(total=0)
        )
        if unbalanced.exists():
            raise RuntimeError(f"unbalanced entries: {list(unbalanced[:5])}")

    def audit_import(self, path: Path, sales: list[SaleIn], totals: dict[str, Any], actor: Any) -> None:
        """One audit event per organization naming the file and the numbers it produced."""
        orgs = {s.location.organization_id: s.location.organization for s in sales}
        for org_id, posted in sorted(totals["numbers"].items()):
            first_id, first_number = posted[0]
            audit_record(
                actor=actor,
                action="sales.import",
                obj=Sale(pk=first_id, organization=orgs[org_id]),
                organization=orgs[org_id],
                file=path.name,
                sales=len(posted),
                first=first_number,
                last=posted[-1][1],
            )
