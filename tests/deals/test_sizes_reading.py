"""Reading a uniform size list: every row's problem listed with its row number in the user's language,
totals per variant exact, nothing saved on any problem, the same file recognised, wrong files refused."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from binakarya.core.models import AuditEvent
from binakarya.deals.models import SizeList, SizeListRow
from binakarya.deals.size_selectors import size_list_totals
from binakarya.deals.size_sheets import MAX_ROWS, SizeListRefused
from binakarya.deals.sizes import size_list_upload, size_template
from tests.deals.sizes_world import HEADER_ROW, PEOPLE, add_batik, filled_list


@pytest.fixture
def uniform(world):
    return add_batik(world)


def upload(uniform, data, *, file_name="daftar.xlsx", actor=None, rfq="default"):
    return size_list_upload(
        actor=actor or uniform["admin"],
        organization=uniform["facility"],
        product=uniform["shirt"],
        data=data,
        file_name=file_name,
        rfq=uniform["rfq"] if rfq == "default" else rfq,
    )


def refusal(uniform, data, **kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(SizeListRefused) as caught:
        upload(uniform, data, **kwargs)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_the_totals_per_variant_are_exact(uniform):
    # given the agency's list of seven people
    data = filled_list(uniform["shirt"], PEOPLE)

    # when
    result = upload(uniform, data)

    # then
    size_list = result.size_list
    assert result.created
    assert (size_list.persons, size_list.units, size_list.buyer) == (7, 8, "Bagian Umum Setda Kabupaten Bondowoso")
    totals = [(t.variant.sku, t.label, t.persons, t.quantity) for t in size_list_totals(size_list=size_list)]
    assert totals == [
        ("PBG-KMJ-S", "S", 1, 1),
        ("PBG-KMJ-M", "M", 3, 4),
        ("PBG-KMJ-L", "L", 2, 2),
        ("PBG-KMJ-XL", "XL", 1, 1),
    ]
    rows = list(size_list.rows.values_list("row_number", "name", "nip", "unit", "variant__sku", "quantity", "note"))
    assert rows[0] == (5, "Ahmad Fauzi", "198001012005011001", "Bagian Umum", "PBG-KMJ-M", 1, "")
    assert rows[1] == (6, "Siti Rahmawati", "198502022010012002", "Bagian Umum", "PBG-KMJ-S", 1, "lengan panjang")
    assert AuditEvent.objects.filter(action="deals.size_list_upload", object_id=str(size_list.pk)).count() == 1


def test_every_row_problem_is_listed_in_indonesian_and_nothing_is_saved(uniform):
    # given a list with a problem on each of five rows (and a good row)
    data = filled_list(
        uniform["shirt"],
        [
            ("Ahmad Fauzi", "", "Bagian Umum", "M", 1, ""),
            ("", "", "Bagian Umum", "M", 1, "tanpa nama"),
            ("Siti", "", "Bagian Umum", "XXL", 1, ""),
            ("Dwi", "", "Bagian Umum", "L", 0, ""),
            ("Rina", "", "Bagian Umum", "L", "dua", ""),
            ("ahmad  fauzi", "", "bagian umum", "L", 1, ""),
        ],
    )

    # when
    with translation.override("id"):
        errors = refusal(uniform, data)

    # then
    assert errors == [
        (6, "Nama / Name", "Isi nama orangnya."),
        (7, "Ukuran / Size", "Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL."),
        (8, "Jumlah / Quantity", "Jumlah “0” bukan bilangan bulat dari 1 sampai 20."),
        (9, "Jumlah / Quantity", "Jumlah “dua” bukan bilangan bulat dari 1 sampai 20."),
        (
            10,
            "Nama / Name",
            "ahmad fauzi dari bagian umum sudah ada di baris 5. Satu baris untuk satu orang (jumlahnya menyatakan "
            "berapa potong), atau isi NIP untuk membedakan dua orang.",
        ),
    ]
    assert SizeList.objects.count() == 0
    assert SizeListRow.objects.count() == 0
    assert AuditEvent.objects.filter(action="deals.size_list_upload").count() == 0


def test_the_same_problems_in_english(uniform, english):
    # given
    data = filled_list(
        uniform["shirt"],
        [("", "", "Umum", "M", 1, "x"), ("Siti", "1", "Umum", "", 1, ""), ("Dwi", "1", "Umum", "S", 1, "")],
    )

    # when
    errors = refusal(uniform, data)

    # then
    assert errors == [
        (5, "Name / Nama", "Enter the person's name."),
        (6, "Size / Ukuran", "Choose a size: S, M, L, XL."),
        (7, "NIP / ID (optional)", "NIP / ID 1 is already on row 6."),
    ]


def test_two_people_of_one_name_in_one_unit_are_told_apart_by_their_nip(uniform):
    # given two Budi Santoso in the same unit with different NIPs
    data = filled_list(
        uniform["shirt"],
        [("Budi Santoso", "111", "Umum", "M", 1, ""), ("Budi Santoso", "222", "Umum", "L", 1, "")],
    )

    # when
    size_list = upload(uniform, data).size_list

    # then
    assert size_list.persons == 2


def test_the_same_file_twice_is_recognised_and_saved_once(uniform):
    # given
    data = filled_list(uniform["shirt"], PEOPLE)
    first = upload(uniform, data)

    # when
    again = upload(uniform, data, file_name="copy.xlsx")

    # then
    assert (again.created, again.size_list.pk) == (False, first.size_list.pk)
    assert SizeList.objects.count() == 1
    assert SizeListRow.objects.count() == 7


def test_a_corrected_list_replaces_the_current_one_of_the_request(uniform):
    # given
    first = upload(uniform, filled_list(uniform["shirt"], PEOPLE)).size_list

    # when
    second = upload(uniform, filled_list(uniform["shirt"], PEOPLE[:3])).size_list

    # then
    first.refresh_from_db()
    assert (first.status, second.status) == (SizeList.Status.REPLACED, SizeList.Status.CURRENT)
    assert second.persons == 3


def _xlsm(data: bytes) -> bytes:
    """The workbook with a VBA project added, as Excel saves a macro workbook."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.xlsx", "The file is empty."),
        (b"nama;ukuran\nAhmad;M\n", "a.csv", "This is not an XLSX file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls", "This is an old Excel file (.xls)"),
        (b"PK\x03\x04 broken zip", "a.xlsx", "The XLSX file is damaged"),
        ("macro", "a.xlsx", "Workbooks with macros are refused."),
        ("good", "a.xlsm", "Workbooks with macros are refused."),
    ],
)
def test_a_file_that_is_not_a_plain_xlsx_is_refused_whole(uniform, english, content, name, message):
    # given
    good = filled_list(uniform["shirt"], PEOPLE)
    data = {"macro": _xlsm(good), "good": good}.get(content, content) if isinstance(content, str) else content

    # when
    errors = refusal(uniform, data, file_name=name)

    # then
    assert len(errors) == 1
    assert errors[0][:2] == (0, "")
    assert errors[0][2].startswith(message)
    assert SizeList.objects.count() == 0


def test_a_sheet_without_the_header_is_refused(uniform, english):
    # given
    book = Workbook()
    book.active.append(["Foo", "Bar"])
    book.active.append(["Ahmad", "M"])
    out = io.BytesIO()
    book.save(out)

    # when
    errors = refusal(uniform, out.getvalue())

    # then
    assert errors == [
        (
            0,
            "",
            "The header row was not found: one of the first 10 rows must name the columns Name, NIP / ID, Unit, "
            "Size, Quantity, Note.",
        )
    ]


def test_a_list_without_title_rows_in_the_other_order_is_read(uniform):
    # given a sheet the agency made itself: Ukuran before Nama, no title, no NIP column
    book = Workbook()
    book.active.append(["Ukuran", "Nama", "Bagian"])
    book.active.append(["XL", "Ahmad", "Umum"])
    book.active.append(["s", "Siti", "Umum"])
    out = io.BytesIO()
    book.save(out)

    # when
    size_list = upload(uniform, out.getvalue()).size_list

    # then
    assert [(t.label, t.quantity) for t in size_list_totals(size_list=size_list)] == [("S", 1), ("XL", 1)]
    assert list(size_list.rows.values_list("row_number", "name")) == [(2, "Ahmad"), (3, "Siti")]


def test_a_list_beyond_the_limit_is_refused(uniform, english, monkeypatch):
    # given a limit of 3 people and a list of 4
    monkeypatch.setattr("binakarya.deals.size_sheets.MAX_ROWS", 3)
    data = filled_list(uniform["shirt"], PEOPLE[:4])

    # when
    errors = refusal(uniform, data)

    # then
    assert errors == [
        (0, "", "The list has more than 3 rows. Split it into several lists (one per unit, for example).")
    ]
    assert MAX_ROWS == 3_000


def test_the_template_offers_the_sizes_as_a_dropdown_in_the_request_language(uniform):
    # when
    with translation.override("id"):
        data = size_template(product=uniform["shirt"])

    # then
    book = load_workbook(io.BytesIO(data))
    sheet, sizes = book.worksheets
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "No.",
        "Nama / Name",
        "NIP / ID (opsional)",
        "Bagian / Unit",
        "Ukuran / Size",
        "Jumlah / Quantity",
        "Catatan / Note",
    ]
    assert sheet.title == "Daftar ukuran"
    assert [tuple(c.value for c in row) for row in sizes.iter_rows()] == [
        ("Ukuran / Size", "SKU"),
        ("S", "PBG-KMJ-S"),
        ("M", "PBG-KMJ-M"),
        ("L", "PBG-KMJ-L"),
        ("XL", "PBG-KMJ-XL"),
    ]
    (size_check, quantity_check) = sheet.data_validations.dataValidation
    assert (size_check.type, size_check.formula1, str(size_check.sqref)) == ("list", "='Ukuran'!$A$2:$A$5", "E5:E504")
    assert (quantity_check.type, quantity_check.formula1, quantity_check.formula2) == ("whole", "1", "20")
    assert sheet.cell(row=5, column=3).number_format == "@"
