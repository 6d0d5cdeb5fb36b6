"""Tables as downloads: CSV and XLSX answers from rows and headers, one helper for every export.

- Rupiah are integer cells (never floats): in XLSX with a ``Rp#,##0`` number format, in CSV as digits.
- Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return) is neutralised: in CSV it gets a leading apostrophe, in XLSX it is stored as a string cell.
- What goes in is the caller's business: an export never carries an inmate's name or registration number
  (the ledger exports name a maker by code; see docs/ledger.md).

A download can hold several tables (a summary and its details): in XLSX one sheet each, in CSV one after the
other, each under its title, with an empty line between them.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("csv", "xlsx")
RUPIAH_FORMAT = '"Rp"#,##0;-"Rp"#,##0'
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    """A column: its heading and whether it holds rupiah (an integer number of them)."""

    title: str
    rupiah: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def export_format(value: str | None) -> str | None:
    """``csv`` or ``xlsx`` when ``value`` names one (any case), else None (the page itself)."""
    value = (value or "").strip().lower()
    return value if value in FORMATS else None


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet shows it without running it: "=1+1" becomes "'=1+1"."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as UTF-8 CSV with a byte order mark (so that Excel reads the names right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([safe_text(table.title)])
        writer.writerow([safe_text(column.title) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, column: Column | None) -> Cell:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # shown in the site's time zone by the caller; Excel has none
    cell = WriteOnlyCell(sheet, value="" if value is None else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, int) and not isinstance(value, bool) and column is not None and column.rupiah:
        cell.number_format = RUPIAH_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT if not isinstance(value, datetime.datetime) else "yyyy-mm-dd hh:mm"
    return cell


def xlsx_bytes(tables: Sequence[Table], *, repeatable: bool = False) -> bytes:
    """The tables as an XLSX workbook, one sheet each (written row by row, not held as cells).

    ``repeatable``: the same tables give the same bytes (a stored feed file keeps its ETag while nothing in it
    changed): the workbook's creation times and the zip members' dates are fixed instead of now."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(title=_sheet_title(table.title, used))
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.title)
            cell.data_type = "s"
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append(
                [
                    _xlsx_cell(sheet, value, table.columns[i] if i < len(table.columns) else None)
                    for i, value in enumerate(row)
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return _repeatable_zip(out.getvalue()) if repeatable else out.getvalue()


# What an XLSX holds of the moment it was written: its zip members' dates, and two times in its properties.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_PROPERTY_TIME = b"2000-01-01T00:00:00Z"
_PROPERTY_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def _repeatable_zip(data: bytes) -> bytes:
    """``data`` (a zip) written again with fixed member dates and fixed times in ``docProps/core.xml``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _PROPERTY_TIMES.sub(rb"\g<1>" + FIXED_PROPERTY_TIME + rb"\g<2>", body)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, body)
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31] or "Sheet"
    name, n = cleaned, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def export_response(fmt: str, filename: str, tables: Sequence[Table]) -> HttpResponse:
    """A download of ``tables`` as ``fmt`` (``csv`` or ``xlsx``) named ``filename`` plus its extension."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    content = csv_bytes(tables) if fmt == "csv" else xlsx_bytes(tables)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
