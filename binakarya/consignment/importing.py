"""Importing an outlet's sales from the CSV its till exports, for one agreement: everything or nothing.

The file (UTF-8, with or without a BOM; ``,`` or ``;`` between cells) has a header row naming its columns,
in any order and case, in Indonesian or English:

=====================  ==========================================================================
``tanggal`` / ``date``  the day sold: ``2026-11-20`` or ``20/11/2026``
``sku``                 the product's SKU (one of the seller's, consignable under the agreement)
``jumlah`` / ``quantity``  units sold, a whole number above 0
``harga`` / ``unit_price_idr``  optional: the unit price in rupiah (``125000``, ``125.000``, ``Rp125.000``);
                        empty is the agreement's price (agreed, else the catalog's)
``kode_lot`` / ``lot_code``  optional: the lot the units came from (its hang tag); empty is oldest first
=====================  ==========================================================================

A file without a header row is read in that order (``tanggal, sku, jumlah, harga, kode_lot``).

Every row is checked first (the day within the agreement and not in the future, the SKU known and with a
commission under the agreement, the quantity, a price no further than half or twice the agreement's, the
lot at the outlet, a split rule in force), then, in one transaction, the outlet's stock is locked (primary
key order) and checked for all rows together. On any problem ``ImportRefused`` lists every one (row,
column, message, in the active language) and nothing is saved. Otherwise the rows become one sale per day
sold, posted in date order through the same bulk path as ``manage.py import_sales``
(``sales.importing.posting.BulkPoster``: ``sale_plan`` then ``sales_write``; COPY on PostgreSQL): lots
first in, first out at the outlet's location (or the lot named), the agreement's commission, premi to the
lots' makers, the gross owed by the outlet. Each sale gets its ``ConsignmentSale``; one audit row names the
file and the totals.
"""

import csv
import datetime
import hashlib
import io
import re
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binakarya.catalog.models import Variant
from binakarya.consignment.models import Agreement, AgreementTerm, ConsignmentImport, ConsignmentSale
from binakarya.consignment.services import covers, require_agreement_party
from binakarya.consignment.terms import commission_for, shelf_price
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor, user_of
from binakarya.inventory.fifo import FifoStock, InsufficientStock
from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import variant_stock_refresh
from binakarya.organizations.scoping import SALES_ROLES, has_role
from binakarya.production.models import Lot
from binakarya.sales.importing.parsing import Errors, Row, SaleIn, parse_int
from binakarya.sales.importing.posting import BulkPoster, import_audit, posted_tables_analyze, refusal_message
from binakarya.sales.importing.resolving import CHUNK, RulesInForce, lock_stock
from binakarya.sales.models import Channel
from binakarya.sales.pricing import price_unusual
from binakarya.sales.services import price_ok, quantity_ok

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportRefused",
    "ImportResult",
    "RowError",
    "import_template_csv",
    "outlet_sales_import",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
MAX_ERRORS = 500  # listed; the rest are counted
BATCH = 10_000  # rows per bulk batch
ANALYZE_FROM = 10_000  # rows from which the posted tables get fresh planner statistics

# Canonical column -> the names a header may give it. The first name is the template's.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("tanggal", "date"),
    "sku": ("sku",),
    "quantity": ("jumlah", "quantity"),
    "price": ("harga", "unit_price_idr"),
    "lot": ("kode_lot", "lot_code"),
}
REQUIRED = ("date", "sku", "quantity")
NAMES = {name: column for column, names in COLUMNS.items() for name in names}

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the row as a spreadsheet numbers it (the header is row 1; 0 is the file as a whole),
    the column as the file names it (empty for the whole row or file) and the message."""

    row: int
    column: str
    message: str


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` lists why (at most MAX_ERRORS), ``total`` counts them all."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = sorted(errors, key=lambda e: e.row)
        self.total = total if total is not None else len(errors)
        super().__init__(f"{self.total} errors")


@dataclass(frozen=True)
class ImportResult:
    sales: int
    lines: int
    units: int
    gross_idr: int
    commission_idr: int
    net_idr: int
    premi_idr: int
    first_number: str
    last_number: str


class _Problems:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.total = 0
        self.seen: set[Any] = set()

    def add(self, row: int, column: str, message: str, *, once: Any = None) -> None:
        if once is not None:
            if once in self.seen:
                return
            self.seen.add(once)
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(row, column, message))

    def refuse_if_any(self) -> None:
        if self.total:
            raise ImportRefused(self.items, self.total)


def _refuse(message: str, row: int = 0, column: str = "") -> ImportRefused:
    return ImportRefused([RowError(row, column, message)])


@dataclass(slots=True)
class _Line:
    number: int
    day: datetime.date | None
    sku: str
    quantity: int | None
    price: int | None  # None: the agreement's price
    lot_code: str
    variant: Variant | None = None
    lot_id: int | None = None


# Reading ----------------------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The file is %(size)s MB; at most %(max)s MB can be imported at once. Split it into smaller files.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": MAX_BYTES // 1024 // 1024}
        )
    if b"\x00" in data[:4096]:
        raise _refuse(_("This is not a CSV file. Export the sales from the till as CSV (comma or semicolon)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None
    if not text.strip():
        raise _refuse(_("The file is empty."))
    return text


def parse_day(text: str) -> datetime.date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``; None when it is neither."""
    s = text.strip()
    try:
        if _ISO.fullmatch(s):
            return datetime.date.fromisoformat(s)
        m = _DMY.fullmatch(s)
        if m:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def _header(first: list[str], problems: _Problems) -> tuple[dict[str, int], dict[str, str], bool]:
    """The column of each canonical name, the names as the file gives them, and whether ``first`` is a header."""
    cells = [c.strip().lower() for c in first]
    if not any(c in NAMES for c in cells):
        if cells and parse_day(cells[0]) is not None and 3 <= len(cells) <= len(COLUMNS):
            # No header: the template's order.
            order = list(COLUMNS)[: len(cells)]
            return {c: i for i, c in enumerate(order)}, {c: COLUMNS[c][0] for c in order}, False
        expected = ", ".join(names[0] for names in COLUMNS.values())
        problems.add(1, "", _("The first row must name the columns: %(columns)s.") % {"columns": expected})
        return {}, {}, True
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    for i, cell in enumerate(cells):
        if not cell:
            continue
        column = NAMES.get(cell)
        if column is None:
            problems.add(
                1,
                first[i].strip(),
                _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                % {"column": first[i].strip(), "columns": ", ".join(" / ".join(n) for n in COLUMNS.values())},
            )
        elif column in index:
            problems.add(
                1, first[i].strip(), _("The column “%(column)s” appears twice.") % {"column": first[i].strip()}
            )
        else:
            index[column] = i
            labels[column] = cell
    for column in REQUIRED:
        if column not in index:
            problems.add(
                1,
                COLUMNS[column][0],
                _("The column “%(column)s” is missing.") % {"column": " / ".join(COLUMNS[column])},
            )
    for column in COLUMNS:
        labels.setdefault(column, COLUMNS[column][0])
    return index, labels, True


def _read(data: bytes, problems: _Problems) -> tuple[list[_Line], dict[str, str]]:
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[_Line] = []
    try:
        first = next(reader, None) or []
        index, labels, has_header = _header(first, problems)
        problems.refuse_if_any()
        records: Iterator[tuple[int, list[str]]] = enumerate(reader, start=2)
        if not has_header:
            records = _chain_first(first, records)
        width = len(first)
        at = [index.get(c) for c in COLUMNS]
        days: dict[str, datetime.date | None] = {}
        for number, record in records:
            if not any(c.strip() for c in record):
                continue
            if len(lines) >= MAX_ROWS:
                raise _refuse(
                    _("The file has more than %(max)s rows; split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            if len(record) < width:
                record = record + [""] * (width - len(record))
            elif len(record) > width and any(c.strip() for c in record[width:]):
                problems.add(
                    number,
                    "",
                    _("This row has %(found)s cells; the header has %(expected)s.")
                    % {"found": len(record), "expected": width},
                )
                continue
            date_at, sku_at, quantity_at, price_at, lot_at = at
            day_text = record[date_at].strip() if date_at is not None else ""
            if day_text not in days:
                days[day_text] = parse_day(day_text)
            day = days[day_text]
            if day is None:
                problems.add(
                    number,
                    labels["date"],
                    _("“%(value)s” is not a date (2026-11-20 or 20/11/2026).") % {"value": day_text},
                )
            sku = record[sku_at].strip().upper() if sku_at is not None else ""
            if not sku:
                problems.add(number, labels["sku"], _("Give the SKU."))
            quantity_text = record[quantity_at].strip() if quantity_at is not None else ""
            quantity = parse_int(quantity_text)
            if quantity is None:
                problems.add(
                    number,
                    labels["quantity"],
                    _("The quantity “%(value)s” is not a whole number.") % {"value": quantity_text},
                )
            price_text = record[price_at].strip() if price_at is not None else ""
            price = parse_int(price_text, money=True) if price_text else None
            if price_text and price is None:
                problems.add(
                    number,
                    labels["price"],
                    _("The price “%(value)s” is not a whole number of rupiah.") % {"value": price_text},
                )
            lot_code = record[lot_at].strip().upper() if lot_at is not None else ""
            lines.append(_Line(number, day, sku, quantity, price, lot_code))
    except csv.Error as exc:
        raise _refuse(_("The file is not valid CSV: %(error)s") % {"error": exc}, row=reader.line_num) from None
    if not lines and not problems.total:
        raise _refuse(_("The file has no rows to import."))
    return lines, labels


def _chain_first(first: list[str], rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield 1, first
    yield from rest


# Checking ---------------------------------------------------------------------------------------------


@dataclass
class _Checked:
    sales: list[SaleIn] = field(default_factory=list)
    rules: RulesInForce = field(default_factory=RulesInForce)
    units: int = 0
    commission_idr: int = 0


def _check(
    agreement: Agreement, lines: list[_Line], labels: dict[str, str], problems: _Problems, today: datetime.date
) -> _Checked:
    organization = agreement.organization
    skus = sorted({line.sku for line in lines if line.sku})
    variants: dict[str, Variant] = {}
    for i in range(0, len(skus), CHUNK):
        for v in Variant.objects.filter(organization=organization, sku__in=skus[i : i + CHUNK]).select_related(
            "product"
        ):
            variants[v.sku] = v
    codes = sorted({line.lot_code for line in lines if line.lot_code})
    lots: dict[str, tuple[int, int]] = {}
    for i in range(0, len(codes), CHUNK):
        for code, lot_id, variant_id in Lot.objects.filter(
            organization=organization, code__in=codes[i : i + CHUNK]
        ).values_list("code", "pk", "variant_id"):
            lots[code] = (lot_id, variant_id)
    at_outlet = set(
        StockBalance.objects.filter(
            location=agreement.location, quantity__gt=0, lot_id__in=[v[0] for v in lots.values()]
        )
        .values_list("lot_id", flat=True)
        .distinct()
    )

    checked = _Checked()
    prices: dict[int, int] = {}  # variant id -> the agreement's price
    commissions: dict[tuple[int, int, int], int | str] = {}
    rule_problems: dict[tuple[int, datetime.date], str | None] = {}
    by_day: dict[datetime.date, list[Row]] = defaultdict(list)
    reason = _("Price agreed with %(outlet)s") % {"outlet": agreement.outlet.name}
    for line in lines:
        n = line.number
        ok = True
        day = line.day
        if day is not None:
            if day > today:
                problems.add(n, labels["date"], _("A sale cannot be recorded in the future."))
                ok = False
            elif not covers(agreement, day):
                problems.add(n, labels["date"], _("The agreement was not in force on %(day)s.") % {"day": _fmt(day)})
                ok = False
        else:
            ok = False
        variant = variants.get(line.sku) if line.sku else None
        if line.sku and variant is None:
            problems.add(n, labels["sku"], _("Unknown SKU: %(sku)s.") % {"sku": line.sku})
        if variant is None:
            ok = False
        quantity = line.quantity
        if quantity is not None and not quantity_ok(quantity):
            problems.add(n, labels["quantity"], _("The quantity must be at least 1."))
            ok = False
        elif quantity is None:
            ok = False
        if line.price is not None and not price_ok(line.price):
            problems.add(n, labels["price"], _("The price must be more than Rp0."))
            ok = False
        if variant is None:
            continue
        agreed = prices.get(variant.pk)
        if agreed is None:
            agreed = prices[variant.pk] = shelf_price(agreement, variant)
        price = line.price if line.price is not None else agreed
        if line.price is not None and price_ok(price) and price_unusual(unit_price_idr=price, catalog_price_idr=agreed):
            problems.add(
                n,
                labels["price"],
                _("The price %(price)s of %(sku)s is below half or above twice its price here, %(agreed)s.")
                % {"price": format_rupiah(price), "sku": variant.sku, "agreed": format_rupiah(agreed)},
            )
            ok = False
        if line.lot_code:
            found = lots.get(line.lot_code)
            if found is None or found[0] not in at_outlet:
                problems.add(
                    n,
                    labels["lot"],
                    _("Lot %(lot)s is not on the shelf at %(outlet)s.")
                    % {"lot": line.lot_code, "outlet": agreement.outlet.name},
                )
                ok = False
            elif found[1] != variant.pk:
                problems.add(
                    n, labels["lot"], _("Lot %(lot)s is not of %(sku)s.") % {"lot": line.lot_code, "sku": variant.sku}
                )
                ok = False
            else:
                line.lot_id = found[0]
        if quantity is None or not ok or day is None:
            # The commission and the rule are checked only for a row that is otherwise right.
            if line.price is None or price_ok(price):
                _commission(agreement, variant, price, 1, commissions, problems, n, labels)
            continue
        commission = _commission(agreement, variant, price, quantity, commissions, problems, n, labels)
        if commission is None:
            continue
        rule_key = (variant.product.category_id or 0, day)
        if rule_key not in rule_problems:
            try:
                checked.rules.get(organization, variant.product.category_id, day)
                rule_problems[rule_key] = None
            except ValidationError as exc:
                rule_problems[rule_key] = " ".join(exc.messages)
        if rule_problems[rule_key]:
            problems.add(n, labels["date"], rule_problems[rule_key] or "", once=("rule", rule_key))
            continue
        checked.units += quantity
        checked.commission_idr += commission
        by_day[day].append(
            Row(
                n,
                agreement.location.code,
                Channel.OUTLET,
                variant.sku,
                quantity,
                price,
                commission,
                "",
                None,
                reason if price != variant.price_idr else "",
                agreement.location,
                variant,
                line.lot_id,
            )
        )
    for day in sorted(by_day):
        occurred_at = _noon(day)
        rows = by_day[day]
        for row in rows:
            row.occurred_at = occurred_at
        checked.sales.append(
            SaleIn(rows=rows, location=agreement.location, channel=Channel.OUTLET, occurred_at=occurred_at)
        )
    return checked


def _commission(
    agreement: Agreement,
    variant: Variant,
    price: int,
    quantity: int,
    memo: dict[tuple[int, int, int], int | str],
    problems: _Problems,
    number: int,
    labels: dict[str, str],
) -> int | None:
    key = (variant.pk, price, quantity)
    found = memo.get(key)
    if found is None:
        try:
            found = memo[key] = commission_for(agreement, variant, price, quantity)
        except ValidationError as exc:
            found = memo[key] = " ".join(exc.messages)
    if isinstance(found, str):
        problems.add(number, labels["sku"], found)
        return None
    return found


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _noon(day: datetime.date) -> datetime.datetime:
    """Noon of the day sold in the site's time zone, or now when that is still to come today (as a sale by hand)."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    return min(noon, timezone.now())


def _pinned_check(
    checked: _Checked, stock: FifoStock, location: Location, labels: dict[str, str], problems: _Problems
) -> None:
    """Take the file's units from a copy of the stock in posting order (per sale: rows naming a lot first, then
    oldest first, as ``sale_plan`` does), so a lot named after earlier rows emptied it is reported."""
    if not any(row.lot_id is not None for sale in checked.sales for row in sale.rows):
        return
    trial = FifoStock()
    for key, queue in stock._queues.items():  # a throwaway copy of the same queues
        trial._queues[key] = deque([lot, left] for lot, left in queue)
    for sale in checked.sales:
        for row in sale.rows:
            if row.lot_id is None or row.variant is None or row.quantity is None:
                continue
            left = trial.lot_available(location.pk, row.variant.pk, row.lot_id)
            if left < row.quantity:
                problems.add(
                    row.number,
                    labels["lot"],
                    _("Only %(left)s units of lot %(lot)s are left at the outlet for this row.")
                    % {"left": left, "lot": _lot_code(stock, row.lot_id)},
                )
                return
            trial.take_lot(location.pk, row.variant.pk, row.lot_id, row.quantity)
        for row in sale.rows:
            if row.lot_id is not None or row.variant is None or row.quantity is None:
                continue
            left = trial.available(location.pk, row.variant.pk)
            if left < row.quantity:
                problems.add(
                    row.number,
                    labels["quantity"],
                    _(
                        "Only %(left)s units of %(sku)s are left at the outlet for this row once the lots named are taken."
                    )
                    % {"left": left, "sku": row.sku},
                )
                return
            trial.take(location.pk, row.variant.pk, row.quantity)


def _lot_code(stock: FifoStock, lot_id: int) -> str:
    return next((lot.code for lot in stock.lots() if lot.pk == lot_id), str(lot_id))


class _NoProgress:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> "_NoProgress":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def update(self, count: int) -> None:
        pass


# Importing --------------------------------------------------------------------------------------------


def outlet_sales_import(*, actor: Actor, agreement: Agreement, data: bytes, file_name: str = "") -> ImportResult:
    """Check the whole file, then post its sales in one transaction (see the module's docstring).

    The seller's sales staff or the outlet's partner may import (PermissionDenied otherwise); a partner's
    sales are recorded as the system and the audit row names the partner, as ``outlet_sale_record`` does.
    Raises ImportRefused with every problem found; nothing is saved then.
    """
    require_agreement_party(actor, agreement)
    agreement = (
        Agreement.objects.select_related("organization", "outlet", "location__organization", "location__outlet")
        .prefetch_related(_terms())
        .get(pk=agreement.pk)
    )
    digest = hashlib.sha256(data).hexdigest()
    earlier = ConsignmentImport.objects.filter(agreement=agreement, sha256=digest).first()
    if earlier is not None:
        raise _refuse(_already_imported(earlier))
    problems = _Problems()
    lines, labels = _read(data, problems)
    today = timezone.localdate()
    checked = _check(agreement, lines, labels, problems, today)
    problems.refuse_if_any()
    seller_staff = actor is not None and has_role(actor, agreement.organization_id, SALES_ROLES)
    poster_actor = actor if seller_staff else None
    location = agreement.location
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():  # the same file sent twice at once: the constraint keeps one
                    record = ConsignmentImport.objects.create(
                        organization_id=agreement.organization_id,
                        agreement=agreement,
                        sha256=digest,
                        file_name=file_name[:200],
                        recorded_by=user_of(actor),
                    )
            except IntegrityError:
                raise _refuse(
                    _("This file is being imported just now; nothing was imported again. Reload the page.")
                ) from None
            stock_errors = Errors()
            stock = lock_stock(sales=checked.sales, errors=stock_errors)
            for number, message in stock_errors.items:
                problems.add(number, labels["quantity"], message)
            if not problems.total:
                _pinned_check(checked, stock.fifo, location, labels, problems)
            problems.refuse_if_any()
            totals = BulkPoster(stock=stock, rules=checked.rules, actor=poster_actor).post(
                sales=checked.sales, batch=BATCH, progress=_NoProgress
            )
            posted = totals.numbers[agreement.organization_id]
            user = user_of(actor)
            ConsignmentSale.objects.bulk_create(
                (
                    ConsignmentSale(
                        organization_id=agreement.organization_id,
                        agreement_id=agreement.pk,
                        sale_id=sale_id,
                        sold_date=_day_of(sale),
                        recorded_by=user,
                    )
                    for sale, (sale_id, _number) in zip(checked.sales, posted, strict=True)
                ),
                batch_size=2000,
            )
            import_audit(file_name=file_name, totals=totals, actor=actor, sales=checked.sales)
            result = ImportResult(
                sales=totals.sales,
                lines=totals.rows,
                units=checked.units,
                gross_idr=totals.gross_idr,
                commission_idr=checked.commission_idr,
                net_idr=totals.gross_idr - checked.commission_idr,
                premi_idr=totals.premi_idr,
                first_number=posted[0][1],
                last_number=posted[-1][1],
            )
            audit_record(
                actor=actor,
                action=AuditAction.CONSIGNMENT_SALES_IMPORT,
                obj=agreement,
                file=file_name[:200],
                sales=result.sales,
                lines=result.lines,
                units=result.units,
                gross_idr=result.gross_idr,
                commission_idr=result.commission_idr,
                first=result.first_number,
                last=result.last_number,
                by_partner=not seller_staff and actor is not None,
            )
            record.first_number, record.last_number = result.first_number, result.last_number
            record.save(update_fields=["first_number", "last_number"])
            variant_stock_refresh(variant_ids=sorted(totals.variant_ids))
    except (IntegrityError, InsufficientStock) as exc:  # the database refused (stock moved meanwhile)
        raise _refuse(refusal_message(exc) + " " + _("Nothing was imported.")) from exc
    if result.lines >= ANALYZE_FROM:
        posted_tables_analyze()
    return result


def _already_imported(earlier: ConsignmentImport) -> str:
    return _("This file was already imported on %(day)s (sales %(first)s to %(last)s); nothing was imported again.") % {
        "day": timezone.localtime(earlier.imported_at).strftime("%d/%m/%Y %H:%M"),
        "first": earlier.first_number,
        "last": earlier.last_number,
    }


def _terms() -> Prefetch:
    return Prefetch("terms", queryset=AgreementTerm.objects.order_by("pk"))


def _day_of(sale: SaleIn) -> datetime.date:
    if sale.occurred_at is None:
        raise ValueError("an unresolved sale reached posting")
    return timezone.localtime(sale.occurred_at).date()


def refused_summary(refused: ImportRefused) -> str:
    """One sentence for the top of the errors list."""
    return ngettext(
        "%(count)s problem; nothing was imported.", "%(count)s problems; nothing was imported.", refused.total
    ) % {"count": refused.total}


# The template ----------------------------------------------------------------------------------------


def import_template_csv(agreement: Agreement) -> str:
    """A CSV with the header and one example row: today (within the agreement), one of the agreement's SKUs
    (one on the outlet's shelf, else one with a term, else one of the seller's), 1 unit at its price."""
    variant = (
        Variant.objects.filter(balances__location=agreement.location, balances__quantity__gt=0).order_by("sku").first()
    )
    if variant is None:
        term = agreement.terms.select_related("variant").order_by("pk").first()
        variant = term.variant if term is not None else None
    if variant is None:
        variant = Variant.objects.filter(organization=agreement.organization, is_active=True).order_by("sku").first()
    day = timezone.localdate()
    if agreement.end_date is not None and day > agreement.end_date:
        day = agreement.end_date
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([names[0] for names in COLUMNS.values()])
    if variant is not None:
        writer.writerow([day.isoformat(), variant.sku, 1, shelf_price(agreement, variant), ""])
    return out.getvalue()
