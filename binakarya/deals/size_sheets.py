"""The spreadsheets of uniform size lists, without the database: the XLSX template a buyer fills in, reading
a filled-in list row by row, and the packing list's rows (per person or per unit, counts per unit, totals per
size). ``deals.sizes`` saves and issues; this module only reads and writes bytes and plain values.

The file is refused as a whole (row 0) when it is not an XLSX workbook (an old ``.xls``, a password-protected
file, a CSV, a damaged zip), when it carries macros (``.xlsm``, ``xl/vbaProject.bin``), when it is larger than
MAX_BYTES or unpacks to more than MAX_UNPACKED, or has more than MAX_ROWS people. Otherwise each row is checked
and every problem is listed with the row number the spreadsheet shows and the column as the file names it,
in the active language. See docs/deals.md, "Uniform size lists".
"""

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 40 * 1024 * 1024  # a zip that unpacks to more is refused before it is opened
MAX_ROWS = 3_000  # people on one list; a regency's whole staff is several lists (one per agency)
MAX_QUANTITY = 20  # pieces for one person on one row
MAX_ERRORS = 200  # listed; the rest are counted
HEADER_SEARCH_ROWS = 10  # the header is one of the first rows (the template has a title above it)
EMPTY_RUN_STOP = 1_000  # this many empty rows in a row end the list (a sheet may claim a million rows)
MAX_COLUMNS = 30
TEMPLATE_ROWS = 500  # rows prepared with the size dropdown and the quantity check
NAME_MAX, NIP_MAX, UNIT_MAX, NOTE_MAX = 120, 30, 120, 200

# Canonical column -> the words a header cell may use (either language; "Nama / Name" matches both ways).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("no", "no.", "nomor", "number"),
    "name": ("nama", "name", "nama lengkap", "full name"),
    "nip": ("nip", "id", "nik", "nrp", "nip/id"),
    "unit": ("bagian", "unit", "unit kerja", "department", "seksi"),
    "size": ("ukuran", "size"),
    "quantity": ("jumlah", "quantity", "qty"),
    "note": ("catatan", "note", "keterangan"),
}
REQUIRED = ("name", "size")
_WORDS = {word: column for column, words in COLUMNS.items() for word in words}
_PARENTHESES = re.compile(r"\([^)]*\)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected Office file
_ZIP_MAGIC = b"PK\x03\x04"
_MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the spreadsheet's row number (0: the file as a whole) and the column as the file names it."""

    row: int
    column: str
    message: str


class SizeListRefused(Exception):
    """Nothing was saved; ``errors`` lists why (at most MAX_ERRORS, by row), ``total`` counts them all."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = sorted(errors, key=lambda e: e.row)
        self.total = total if total is not None else len(errors)
        super().__init__(f"{self.total} errors")

    @property
    def summary(self) -> str:
        return ngettext(
            "%(count)s problem in the size list; nothing was saved.",
            "%(count)s problems in the size list; nothing was saved.",
            self.total,
        ) % {"count": self.total}


def _refuse(message: str) -> SizeListRefused:
    return SizeListRefused([RowError(0, "", message)])


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A checked person: the spreadsheet's row, who, where, which size (a variant id) and how many pieces."""

    row: int
    name: str
    nip: str
    unit: str
    variant_id: int
    quantity: int
    note: str


class _Problems:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.total = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(row, column, message))

    def refuse_if_any(self) -> None:
        if self.total:
            raise SizeListRefused(self.items, self.total)


# Reading ----------------------------------------------------------------------------------------------


def _check_container(data: bytes, file_name: str) -> None:
    """Refuse what is not a plain XLSX workbook before openpyxl opens it."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(max)s MB. Split the list into several files.") % {"max": MAX_BYTES // 2**20}
        )
    if file_name.lower().endswith(_MACRO_EXTENSIONS):
        raise _refuse(_("Workbooks with macros are refused. Save the list as an Excel workbook (.xlsx)."))
    if data.startswith(_OLE_MAGIC):
        raise _refuse(
            _(
                "This is an old Excel file (.xls) or a password-protected one. Save the list as an Excel "
                "workbook (.xlsx) without a password."
            )
        )
    not_xlsx = _("This is not an XLSX file. Fill in the template and save it as an Excel workbook (.xlsx).")
    if not data.startswith(_ZIP_MAGIC):
        raise _refuse(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise _refuse(_("The XLSX file is damaged and cannot be read. Save it again from the spreadsheet.")) from None
    if "xl/workbook.xml" not in names:
        raise _refuse(not_xlsx)
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise _refuse(
            _("The file is larger than %(max)s MB. Split the list into several files.") % {"max": MAX_BYTES // 2**20}
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroenabled" in content_types.lower():
        raise _refuse(_("Workbooks with macros are refused. Save the list as an Excel workbook (.xlsx)."))


def _cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ".0" (a NIP typed into a number cell), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _header_column(text: str) -> str | None:
    """The canonical column a header cell names ("Nama / Name", "NIP / ID (opsional)"), or None."""
    cleaned = _PARENTHESES.sub(" ", text.casefold())
    found = {_WORDS.get(part.strip()) for part in re.split(r"[/\n]", cleaned)}
    found.discard(None)
    if not found and cleaned.strip() in _WORDS:
        return _WORDS[cleaned.strip()]
    return found.pop() if len(found) == 1 else None


def _find_header(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    for number, values in rows:
        index: dict[str, int] = {}
        labels: dict[str, str] = {}
        for i, value in enumerate(values):
            column = _header_column(_cell_text(value))
            if column is not None and column not in index:
                index[column] = i
                labels[column] = _cell_text(value)
        if "name" in index and "size" in index:
            return number, index, labels
    return None


def _quantity(value: Any) -> int | None:
    """A whole number of pieces from 1 to MAX_QUANTITY (an empty cell is 1), else None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isdigit() else None
    if not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        return None
    return value


def size_key(label: str) -> str:
    """How a size is compared: case and spaces do not matter ("xl", " XL ")."""
    return " ".join(label.split()).casefold()


def size_sheet_read(
    *, data: bytes, file_name: str, sizes: Mapping[str, int], size_labels: Sequence[str]
) -> list[SheetRow]:
    """Read and check a filled-in size list (its first sheet). ``sizes`` maps ``size_key`` of each accepted size
    label (the variant's name, and its SKU) to the variant's id; ``size_labels`` are named in the message.

    A person is refused twice in one unit: the same name and NIP (or no NIP) in the same unit is almost
    always one person typed twice, and would be counted twice; one person needing more pieces says so in the
    quantity column. A NIP given twice anywhere is refused too.

    Raises SizeListRefused with every problem found.
    """
    _check_container(data, file_name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, its own) for a broken workbook
        raise _refuse(_("The XLSX file is damaged and cannot be read. Save it again from the spreadsheet.")) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise _refuse(_("The workbook has no sheet."))
        return _read_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), sizes, size_labels)
    except SizeListRefused:
        raise
    except Exception:  # a sheet that opened but whose cells cannot be read
        raise _refuse(_("The XLSX file is damaged and cannot be read. Save it again from the spreadsheet.")) from None
    finally:
        book.close()


def _read_rows(
    records: Iterable[tuple[Any, ...]], sizes: Mapping[str, int], size_labels: Sequence[str]
) -> list[SheetRow]:
    problems = _Problems()
    iterator = iter(enumerate(records, start=1))
    head = [(number, tuple(values)) for number, values in _take(iterator, HEADER_SEARCH_ROWS)]
    found = _find_header(head)
    if found is None:
        raise _refuse(
            _("The header row was not found: one of the first %(rows)s rows must name the columns %(columns)s.")
            % {"rows": HEADER_SEARCH_ROWS, "columns": _("Name, NIP / ID, Unit, Size, Quantity, Note")}
        )
    header_row, index, labels = found
    for column in COLUMNS:
        labels.setdefault(column, column)
    body = [(number, values) for number, values in head if number > header_row]

    def cell(values: tuple[Any, ...], column: str) -> Any:
        at = index.get(column)
        return values[at] if at is not None and at < len(values) else None

    rows: list[SheetRow] = []
    seen_person: dict[tuple[str, str, str], int] = {}
    seen_nip: dict[str, int] = {}
    people = empty_run = 0
    all_records = _chain(body, iterator)
    for number, values in all_records:
        name = _cell_text(cell(values, "name"))
        nip = _cell_text(cell(values, "nip"))
        unit = _cell_text(cell(values, "unit"))
        size_text = _cell_text(cell(values, "size"))
        note = _cell_text(cell(values, "note"))
        raw_quantity = cell(values, "quantity")
        if not (name or nip or unit or size_text or note):
            empty_run += 1
            if empty_run >= EMPTY_RUN_STOP:
                break
            continue  # an empty row (the template's prepared rows, the "No." and "Jumlah" cells aside)
        empty_run = 0
        people += 1
        if people > MAX_ROWS:
            raise _refuse(
                _("The list has more than %(max)s rows. Split it into several lists (one per unit, for example).")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        ok = True
        if not name:
            problems.add(number, labels["name"], _("Enter the person's name."))
            ok = False
        for text, limit, column in (
            (name, NAME_MAX, "name"),
            (nip, NIP_MAX, "nip"),
            (unit, UNIT_MAX, "unit"),
            (note, NOTE_MAX, "note"),
        ):
            if len(text) > limit:
                problems.add(number, labels[column], _("Use at most %(max)s characters.") % {"max": limit})
                ok = False
        variant_id = sizes.get(size_key(size_text)) if size_text else None
        if not size_text:
            problems.add(number, labels["size"], _("Choose a size: %(sizes)s.") % {"sizes": ", ".join(size_labels)})
            ok = False
        elif variant_id is None:
            problems.add(
                number,
                labels["size"],
                _("Unknown size “%(value)s”. The sizes are: %(sizes)s.")
                % {"value": size_text, "sizes": ", ".join(size_labels)},
            )
            ok = False
        quantity = _quantity(raw_quantity)
        if quantity is None:
            problems.add(
                number,
                labels["quantity"],
                _("The quantity “%(value)s” is not a whole number from 1 to %(max)s.")
                % {"value": _cell_text(raw_quantity), "max": MAX_QUANTITY},
            )
            ok = False
        if name:
            person = (size_key(unit), size_key(name), nip.casefold())
            if person in seen_person:
                problems.add(
                    number,
                    labels["name"],
                    _(
                        "%(name)s of %(unit)s is already on row %(row)s. Give one row per person (the quantity says how many pieces), or the NIP to tell two people apart."
                    )
                    % {"name": name, "unit": unit or _("no unit"), "row": seen_person[person]},
                )
                ok = False
            else:
                seen_person[person] = number
        if nip:
            if nip.casefold() in seen_nip:
                problems.add(
                    number,
                    labels["nip"],
                    _("NIP / ID %(nip)s is already on row %(row)s.") % {"nip": nip, "row": seen_nip[nip.casefold()]},
                )
                ok = False
            else:
                seen_nip[nip.casefold()] = number
        if ok and variant_id is not None and quantity is not None:
            rows.append(SheetRow(number, name, nip, unit, variant_id, quantity, note))
    problems.refuse_if_any()
    if not rows:
        raise _refuse(_("The list has no one on it. Fill in one row per person under the header."))
    return rows


def _take(iterator: Iterable[Any], count: int) -> list[Any]:
    taken = []
    for item in iterator:
        taken.append(item)
        if len(taken) == count:
            break
    return taken


def _chain(first: list[Any], rest: Iterable[Any]) -> Iterable[Any]:
    yield from first
    yield from rest


# The template -----------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def size_template_xlsx(*, product_name: str, seller_name: str, sizes: Sequence[tuple[str, str]]) -> bytes:
    """The XLSX a buyer fills in, in the active language (the other language after a slash): a title, the
    header (No., name, NIP / ID, unit, size, quantity, note), TEMPLATE_ROWS rows with a dropdown of ``sizes``
    ((label, SKU) pairs) and a whole-number check on the quantity; a second sheet lists the sizes with SKUs."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Size list")[:31]
    sizes_sheet = book.create_sheet(_("Sizes")[:31])
    sheet.append([_("Uniform size list: %(product)s") % {"product": product_name}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Seller: %(seller)s") % {"seller": seller_name}])
    sheet.append(
        [
            _(
                "One row per person. Choose the size from the list (sheet “%(sheet)s”); an empty quantity is 1. "
                "The NIP is optional."
            )
            % {"sheet": sizes_sheet.title}
        ]
    )
    headers = [
        _("No."),
        _("Name / Nama"),
        _("NIP / ID (optional)"),
        _("Unit / Bagian"),
        _("Size / Ukuran"),
        _("Quantity / Jumlah"),
        _("Note / Catatan"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first, last = header_row + 1, header_row + TEMPLATE_ROWS
    for row in range(first, last + 1):
        sheet.cell(row=row, column=1, value=row - header_row)
        sheet.cell(row=row, column=3).number_format = "@"  # an 18-digit NIP stays text, not 1.98E+17
    for letter, width in zip("ABCDEFG", (6, 32, 22, 24, 14, 12, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{first}"

    sizes_sheet.append([_("Size / Ukuran"), "SKU"])
    for cell in sizes_sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    for label, sku in sizes:
        sizes_sheet.append([label, sku])
        for cell in sizes_sheet[sizes_sheet.max_row]:
            cell.data_type = "s"
    sizes_sheet.column_dimensions["A"].width = 16
    sizes_sheet.column_dimensions["B"].width = 20

    quoted = sizes_sheet.title.replace("'", "''")
    size_check = DataValidation(
        type="list",
        formula1=f"='{quoted}'!$A$2:$A${len(sizes) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Unknown size"),
        error=_("Choose a size from the list."),
    )
    size_check.add(f"E{first}:E{last}")
    quantity_check = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2=str(MAX_QUANTITY),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Quantity"),
        error=_("Enter a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY},
    )
    quantity_check.add(f"F{first}:F{last}")
    sheet.add_data_validation(size_check)
    sheet.add_data_validation(quantity_check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The packing list -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackPerson:
    name: str
    nip: str
    unit: str
    size: str
    sku: str
    quantity: int
    note: str


@dataclass
class PackUnit:
    """One unit (bagian): its people, and pieces per size label."""

    unit: str
    people: list[PackPerson] = field(default_factory=list)
    per_size: dict[str, int] = field(default_factory=dict)
    counts: list[tuple[str, int]] = field(default_factory=list)  # (size, pieces), in the order of Packing.sizes

    @property
    def pieces(self) -> int:
        return sum(p.quantity for p in self.people)


@dataclass(frozen=True)
class PackSize:
    size: str
    sku: str
    persons: int
    pieces: int


@dataclass
class Packing:
    """What a packing list prints: people (sorted per person or per unit), the units with their counts, the
    totals per size, in the order of ``sizes``."""

    grouping: str
    people: list[PackPerson]
    units: list[PackUnit]
    sizes: list[PackSize]

    @property
    def persons(self) -> int:
        return len(self.people)

    @property
    def pieces(self) -> int:
        return sum(p.quantity for p in self.people)

    @property
    def size_labels(self) -> list[str]:
        return [s.size for s in self.sizes]


GROUP_PERSON = "person"
GROUP_UNIT = "unit"
GROUPINGS = (GROUP_PERSON, GROUP_UNIT)


def packing_plan(*, people: Iterable[PackPerson], size_order: Sequence[tuple[str, str]], grouping: str) -> Packing:
    """Sort and count: per person (by name), or per unit (by unit, then name); each unit's pieces per size; the
    totals per size in ``size_order`` ((label, SKU) pairs; sizes nobody wears are left out)."""
    everyone = list(people)
    if grouping == GROUP_UNIT:
        everyone.sort(key=lambda p: (p.unit == "", size_key(p.unit), size_key(p.name)))
    else:
        everyone.sort(key=lambda p: (size_key(p.name), size_key(p.unit)))
    units: dict[str, PackUnit] = {}
    persons: dict[str, int] = defaultdict(int)
    pieces: dict[str, int] = defaultdict(int)
    for person in everyone:
        unit = units.setdefault(size_key(person.unit), PackUnit(unit=person.unit))
        unit.people.append(person)
        unit.per_size[person.size] = unit.per_size.get(person.size, 0) + person.quantity
        persons[person.sku] += 1
        pieces[person.sku] += person.quantity
    ordered_units = sorted(units.values(), key=lambda u: (u.unit == "", size_key(u.unit)))
    sizes = [PackSize(label, sku, persons[sku], pieces[sku]) for label, sku in size_order if pieces.get(sku)]
    for unit in ordered_units:
        unit.counts = [(s.size, unit.per_size.get(s.size, 0)) for s in sizes]
    return Packing(
        grouping=grouping if grouping in GROUPINGS else GROUP_PERSON, people=everyone, units=ordered_units, sizes=sizes
    )
