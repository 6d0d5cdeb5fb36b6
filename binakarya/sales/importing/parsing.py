"""Reading a sales CSV into rows, and rows into sales (nothing is looked up in the database here)."""

import csv
import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binakarya.catalog.models import Variant
from binakarya.inventory.models import Location
from binakarya.sales.services import error_channel

REQUIRED = ("location", "channel", "sku", "quantity", "unit_price_idr")
# price_reason: why a row's price is far from the catalog price (sales.pricing); such a row is refused without it.
OPTIONAL = ("commission_idr", "sale_ref", "occurred_at", "price_reason")
COLUMNS = REQUIRED + OPTIONAL
NUMBER_COLUMNS = (("quantity", False), ("unit_price_idr", True), ("commission_idr", True))


class ImportRefused(Exception):
    """The file cannot be imported; ``errors`` says why, row by row."""

    def __init__(self, errors: "Errors") -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class Errors:
    """Errors by row number, in the order found; some (a whole location, a missing rule) counted once."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []
        self._grouped: dict[Any, int] = {}  # key -> index in items
        self._more: Counter[int] = Counter()

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

    def refuse_if_any(self) -> None:
        if self.items:
            raise ImportRefused(self)

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


def number_error(column: str, text: str) -> str:
    messages = {
        "quantity": _("The quantity “%(value)s” is not a whole number."),
        "unit_price_idr": _("The price “%(value)s” is not a whole number of rupiah."),
        "commission_idr": _("The commission “%(value)s” is not a whole number of rupiah."),
    }
    return messages[column] % {"value": text}


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
    occurred_at: datetime.datetime | None  # None when the text was not a date
    price_reason: str = ""
    location: Location | None = None
    variant: Variant | None = None
    lot_id: int | None = None  # the lot the units come from (consignment import's lot code); None: FIFO


@dataclass(slots=True)
class SaleIn:
    """The rows of one sale (one sale_ref, or a row without one)."""

    rows: list[Row]
    location: Location | None = None
    channel: str = ""
    occurred_at: datetime.datetime | None = None

    @property
    def first(self) -> Row:
        return self.rows[0]

    @property
    def commission_idr(self) -> int:
        return sum(r.commission_idr or 0 for r in self.rows)

    @property
    def gross_idr(self) -> int:
        return sum(max(r.quantity or 0, 0) * max(r.unit_price_idr or 0, 0) for r in self.rows)


Progress = Callable[..., Any]  # tqdm-like: progress(desc=..., unit=..., total=...) -> context manager with update()


def read_rows(
    path: Path,
    *,
    default_location: str,
    default_channel: str,
    now: datetime.datetime,
    errors: Errors,
    progress: Progress,
) -> list[Row]:
    """Every non-empty row of the file, parsed; a row's problems are added to ``errors``.

    Raises ImportRefused when the file cannot be read as a whole (its header, its encoding, its CSV,
    no rows), and OSError when it cannot be opened.
    """
    rows: list[Row] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader: Any = None  # the csv reader, for the line number of a CSV error
        try:
            first = handle.readline()
            delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, None)
            index = _read_header(header, default_location, default_channel, errors)
            errors.refuse_if_any()
            width = len(header or ())
            parser = _RowParser(
                index, default_location=default_location, default_channel=default_channel, now=now, errors=errors
            )
            parse, append = parser.parse, rows.append
            with progress(desc=_("Reading"), unit=" rows") as bar:
                for number, record in enumerate(reader, start=2):
                    if number % 10_000 == 0:
                        bar.update(10_000)
                    if len(record) != width:
                        if not record or not any(c.strip() for c in record):
                            continue  # an empty line
                        errors.add(
                            number,
                            _("This row has %(found)s cells; the header has %(expected)s.")
                            % {"found": len(record), "expected": width},
                        )
                        continue
                    if not "".join(record).strip():
                        continue  # a line of separators and blanks only
                    append(parse(number, record))
        except UnicodeDecodeError:
            errors.add(1, _("The file is not UTF-8 text. Save it as “CSV UTF-8”."))
            raise ImportRefused(errors) from None
        except csv.Error as exc:
            line = reader.line_num if reader is not None else 1
            errors.add(line, _("The file is not valid CSV: %(error)s") % {"error": exc})
            raise ImportRefused(errors) from None
    if not rows and not errors:
        errors.add(1, _("The file has no rows to import."))
        raise ImportRefused(errors)
    return rows


def _read_header(
    header: list[str] | None, default_location: str, default_channel: str, errors: Errors
) -> dict[str, int]:
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


class _RowParser:
    """Turns the cells of one record into a Row, reporting what cannot be read (a million times: kept lean)."""

    def __init__(
        self,
        index: dict[str, int],
        *,
        default_location: str,
        default_channel: str,
        now: datetime.datetime,
        errors: Errors,
    ) -> None:
        self.columns = [index.get(name) for name in COLUMNS]
        self.default_location = default_location
        self.default_channel = default_channel
        self.now = now
        self.errors = errors
        self.dates: dict[str, datetime.datetime | None] = {}

    def parse(self, number: int, record: list[str]) -> Row:
        location_at, channel_at, sku_at, quantity_at, price_at, commission_at, ref_at, when_at, reason_at = self.columns
        errors = self.errors
        location_code = (
            (record[location_at].strip() if location_at is not None else "") or self.default_location
        ).lower()
        channel = ((record[channel_at].strip() if channel_at is not None else "") or self.default_channel).upper()
        sku = record[sku_at].strip().upper() if sku_at is not None else ""
        quantity = self._number(number, "quantity", record[quantity_at] if quantity_at is not None else "", False)
        price = self._number(number, "unit_price_idr", record[price_at] if price_at is not None else "", True)
        commission_text = record[commission_at].strip() if commission_at is not None else ""
        commission = self._number(number, "commission_idr", commission_text, True) if commission_text else 0
        when_text = record[when_at].strip() if when_at is not None else ""
        when: datetime.datetime | None = self.now
        if when_text:
            if when_text not in self.dates:
                self.dates[when_text] = parse_when(when_text)
            parsed = self.dates[when_text]
            if parsed is None:
                errors.add(
                    number,
                    _("“%(value)s” is not a date and time (2026-11-20, 2026-11-20 14:30 or 20/11/2026 14:30).")
                    % {"value": when_text},
                )
            when = parsed  # None marks a time that could not be read
        if not location_code:
            errors.add(number, _("Say which location sold it (the location column or --location)."))
        if not channel:
            errors.add(number, error_channel().messages[0])
        sale_ref = record[ref_at].strip() if ref_at is not None else ""
        reason = record[reason_at].strip() if reason_at is not None else ""
        return Row(number, location_code, channel, sku, quantity, price, commission, sale_ref, when, reason)

    def _number(self, number: int, column: str, text: str, money: bool) -> int | None:
        text = text.strip()
        if text.isdigit() and text.isascii():
            return int(text)
        value = parse_int(text, money=money)
        if value is None:
            self.errors.add(number, number_error(column, text))
        return value


def group_sales(rows: list[Row], errors: Errors) -> list[SaleIn]:
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
        if (row.location_code, row.channel, row.occurred_at) != (first.location_code, first.channel, first.occurred_at):
            errors.add(
                row.number,
                _("Rows of sale “%(ref)s” must have the same location, channel and time as row %(row)s.")
                % {"ref": row.sale_ref, "row": first.number},
            )
        sale.rows.append(row)
    for sale in sales:
        sale.channel = sale.first.channel
        sale.occurred_at = sale.first.occurred_at
    return sales
