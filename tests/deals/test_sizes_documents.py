"""The packing list of a uniform order (PDF and XLSX) and the quotation that covers a size list."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from binakarya.deals.models import Quotation
from binakarya.deals.services import QuotationLineInput
from binakarya.deals.sizes import (
    packing_list_document,
    packing_list_pdf,
    packing_list_xlsx,
    quotation_issue_sized,
    size_list_lines,
    size_list_upload,
)
from binakarya.documents.models import Document
from tests.deals.sizes_world import BATIK_MAKERS, PEOPLE, add_batik, filled_list
from tests.deals.world import MAKER_NAMES

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


@pytest.fixture
def uniform(world):
    return add_batik(world)


@pytest.fixture
def size_list(uniform):
    return size_list_upload(
        actor=uniform["admin"],
        organization=uniform["facility"],
        product=uniform["shirt"],
        data=filled_list(uniform["shirt"], PEOPLE),
        file_name="setda.xlsx",
        rfq=uniform["rfq"],
    ).size_list


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    return " ".join(text.split())


@needs_pdftotext
def test_the_packing_list_per_unit_shows_the_people_per_unit_the_counts_and_the_totals_and_no_maker(
    uniform, size_list, tmp_path
):
    # when
    pdf = packing_list_pdf(actor=uniform["admin"], size_list=size_list, grouping="unit", base_url="https://bk.test")

    # then
    text = pdf_text(pdf, tmp_path)
    flat = squeeze(text)
    document = Document.objects.get(kind=Document.Kind.PACKING_LIST)
    assert "DAFTAR KEMASAN (PACKING LIST)" in text
    assert f"Nomor: {document.number}" in flat and document.number.startswith("PKL-PBG-")
    assert document.verify_code in text
    assert "Bagian Umum Setda Kabupaten Bondowoso" in text
    assert "Bagian: Bagian Umum · 3 orang, 3 potong" in flat
    assert "Bagian: Dinas Kominfo · 2 orang, 3 potong" in flat
    assert "Bagian: Dinas Pendidikan · 2 orang, 2 potong" in flat
    for name in ("Ahmad Fauzi", "Siti Rahmawati", "Rina Kusuma", "Hendra Gunawan", "198001012005011001"):
        assert name in text
    # counts per unit: unit, persons, pieces, then S M L XL
    assert "Bagian Umum 3 3 1 1 1 -" in flat
    assert "Dinas Kominfo 2 3 - 2 - 1" in flat
    assert "Dinas Pendidikan 2 2 - 1 1 -" in flat
    # totals per size
    assert "S PBG-KMJ-S 1 1" in flat
    assert "M PBG-KMJ-M 3 4" in flat
    assert "L PBG-KMJ-L 2 2" in flat
    assert "XL PBG-KMJ-XL 1 1" in flat
    assert "Jumlah 7 8" in flat
    assert "Yang menerima" in text and "Yang menyerahkan" in text
    for name in MAKER_NAMES + BATIK_MAKERS:
        for part in name.split():
            assert part not in text, part


@needs_pdftotext
def test_the_packing_list_per_person_is_sorted_by_name_and_keeps_its_one_document(uniform, size_list, tmp_path):
    # given the per-unit list was printed first
    packing_list_pdf(actor=uniform["admin"], size_list=size_list, grouping="unit", base_url="https://bk.test")

    # when
    text = pdf_text(
        packing_list_pdf(actor=uniform["admin"], size_list=size_list, grouping="person", base_url="https://bk.test"),
        tmp_path,
    )

    # then
    assert "Daftar per orang" in text
    order = [text.index(name) for name in ("Ahmad Fauzi", "Bagus Sutrisno", "Dwi Prasetyo", "Yuli Astuti")]
    assert order == sorted(order)
    assert Document.objects.filter(kind=Document.Kind.PACKING_LIST).count() == 1
    size_list.refresh_from_db()
    assert size_list.packing_document.public_figures["units"] == 8
    assert "Ahmad" not in str(size_list.packing_document.public_figures)


def test_the_packing_list_xlsx_round_trips(uniform, size_list, english):
    # when
    data = packing_list_xlsx(actor=uniform["admin"], size_list=size_list, grouping="unit")

    # then
    book = load_workbook(io.BytesIO(data))
    facts, people, units, sizes = (
        [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in book.worksheets
    )
    assert book.sheetnames == ["Packing list", "Per unit", "Counts per unit", "Totals per size"]
    facts_by_item = dict(facts[1:])
    assert facts_by_item["Number"] == size_list.packing_document.number
    assert (facts_by_item["Persons"], facts_by_item["Pieces"]) == (7, 8)
    assert facts_by_item["Verification code"] == size_list.packing_document.verify_code
    assert people[0] == ("No.", "Name", "NIP / ID", "Unit", "Size", "SKU", "Quantity", "Note")
    assert people[1] == (1, "Ahmad Fauzi", "198001012005011001", "Bagian Umum", "M", "PBG-KMJ-M", 1, None)
    assert [row[3] for row in people[1:]] == ["Bagian Umum"] * 3 + ["Dinas Kominfo"] * 2 + ["Dinas Pendidikan"] * 2
    assert units == [
        ("Unit", "Persons", "Pieces", "S", "M", "L", "XL"),
        ("Bagian Umum", 3, 3, 1, 1, 1, 0),
        ("Dinas Kominfo", 2, 3, 0, 2, 0, 1),
        ("Dinas Pendidikan", 2, 2, 0, 1, 1, 0),
    ]
    assert sizes == [
        ("Size", "SKU", "Persons", "Pieces"),
        ("S", "PBG-KMJ-S", 1, 1),
        ("M", "PBG-KMJ-M", 3, 4),
        ("L", "PBG-KMJ-L", 2, 2),
        ("XL", "PBG-KMJ-XL", 1, 1),
        ("Total", None, 7, 8),
    ]
    for name in MAKER_NAMES + BATIK_MAKERS:
        assert name not in str(facts + people + units + sizes)


def test_a_name_that_looks_like_a_formula_stays_text_in_the_packing_list(uniform):
    # given
    size_list = size_list_upload(
        actor=uniform["admin"],
        organization=uniform["facility"],
        product=uniform["shirt"],
        data=filled_list(uniform["shirt"], [('=HYPERLINK("http://x")', "", "Umum", "M", 1, "")]),
        rfq=uniform["rfq"],
    ).size_list

    # when
    book = load_workbook(io.BytesIO(packing_list_xlsx(actor=uniform["admin"], size_list=size_list, grouping="person")))

    # then
    cell = book.worksheets[1].cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_another_sellers_staff_may_not_issue_the_packing_list(uniform, size_list):
    with pytest.raises(PermissionDenied):
        packing_list_document(actor=uniform["other_admin"], size_list=size_list)

    assert not Document.objects.filter(kind=Document.Kind.PACKING_LIST).exists()


def test_a_quotation_from_the_size_list_takes_its_totals_per_variant(uniform, size_list):
    # when the API's merge adds the sizes no line names, at the list price
    lines = size_list_lines(size_lists=[size_list], lines=[QuotationLineInput("PBG-KMJ-M", 5, 170_000)])
    quotation = quotation_issue_sized(
        actor=uniform["admin"],
        organization=uniform["facility"],
        size_lists=[size_list],
        lines=lines,
        rfq=uniform["rfq"],
        buyer="",
    )

    # then M has one spare; the other sizes are the list's, at their list price
    got = sorted((line.variant.sku, line.quantity, line.unit_price_idr) for line in quotation.lines.all())
    assert got == [
        ("PBG-KMJ-L", 2, 190_000),
        ("PBG-KMJ-M", 5, 170_000),
        ("PBG-KMJ-S", 1, 180_000),
        ("PBG-KMJ-XL", 1, 195_000),
    ]
    assert quotation.subtotal_idr == 2 * 190_000 + 5 * 170_000 + 180_000 + 195_000
    assert list(size_list.quotations.all()) == [quotation]
    assert quotation.buyer == "Bagian Umum Setda Kabupaten Bondowoso"


def test_a_quotation_with_fewer_pieces_than_the_list_is_refused_and_nothing_is_saved(uniform, size_list, english):
    # when
    with pytest.raises(ValidationError) as caught:
        quotation_issue_sized(
            actor=uniform["admin"],
            organization=uniform["facility"],
            size_lists=[size_list],
            lines=[QuotationLineInput("PBG-KMJ-M", 3, 185_000), QuotationLineInput("PBG-KMJ-S", 1, 180_000)],
            rfq=uniform["rfq"],
            buyer="Setda",
        )

    # then
    assert caught.value.message_dict == {
        "lines": [
            "PBG-KMJ-M: the size list counts 4 pieces; the quotation has 3.",
            "PBG-KMJ-L: the size list counts 2 pieces; the quotation has 0.",
            "PBG-KMJ-XL: the size list counts 1 pieces; the quotation has 0.",
        ]
    }
    assert Quotation.objects.count() == 0
    assert size_list.quotations.count() == 0


def test_in_indonesian_the_packing_list_xlsx_speaks_indonesian(uniform, size_list):
    with translation.override("id"):
        data = packing_list_xlsx(actor=uniform["admin"], size_list=size_list, grouping="person")

    assert load_workbook(io.BytesIO(data)).sheetnames == [
        "Daftar kemasan",
        "Per orang",
        "Rekap per bagian",
        "Jumlah per ukuran",
    ]
