"""The hang-tag sheet and the surat jalan as printed: real PDFs, kept as PNGs in artifacts/pdf/.

The PDFs are turned into text (pdftotext) and images (pdftoppm) with poppler-utils, which .ci/run
installs. The text must name the lot, the price, the group and the facility, and never a maker.
"""

import datetime
import re
import subprocess
from pathlib import Path

import pytest

from binakarya.documents.renderers import surat_jalan_pdf, tag_sheet_pdf
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create, transfer_send
from binakarya.production.services import lot_tags_issue
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
BASE_URL = "https://binakarya.example"
MAKERS = [("Ahmad Rahasiawan", "BI.0042/2025/SMP"), ("Slamet Tersembunyi", "BI.0043/2025/SMP")]


@pytest.fixture
def made(db):
    """A lot of 4 batik cloths (Rp450.000) by two inmates of Kelompok Batik Tulis, Rutan Kelas IIB Sumenep."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    producer = ProducerFactory(group=group, name="Kelompok Batik Tulis")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name, registration_number=number),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name, number in MAKERS
    ]
    product = ProductFactory(producer=producer, name="Kain Batik Sekar Jagad", variants=[])
    variant = VariantFactory(product=product, sku="SMP-BTK-001", name="2 x 1,15 m", price_idr=450_000)
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    lot = make_lot(
        variant=variant, group=group, location=store, quantity=4, makers=makers, finished=datetime.date(2025, 6, 1)
    )
    return {"lot": lot, "variant": variant, "store": store, "showroom": showroom}


def pdf_to_text(pdf: Path, *, layout: bool) -> str:
    """The PDF's text with whitespace collapsed, so a name wrapped over two lines still matches.

    ``layout`` keeps a table's rows together; without it each block (a tag) is read whole.
    """
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def pdf_to_pngs(pdf: Path) -> list[Path]:
    """One PNG per page next to the PDF (artifacts/pdf/<name>-1.png, …)."""
    stem = pdf.with_suffix("")
    for old in ARTIFACTS.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(pdf), str(stem)], check=True, capture_output=True)
    return sorted(ARTIFACTS.glob(f"{stem.name}-*.png"))


def keep(name: str, content: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(content)
    return path


def assert_no_maker(text: str) -> None:
    for full_name, number in MAKERS:
        assert full_name not in text
        assert full_name.split()[1] not in text
        assert number not in text


def test_the_tag_sheet_names_lot_price_group_and_facility_but_no_maker(made):
    # given
    lot = made["lot"]
    document = lot_tags_issue(actor=None, lot=lot, count=4)

    # when
    pdf = tag_sheet_pdf(document=document, lot=lot, base_url=BASE_URL)

    # then
    assert pdf.startswith(b"%PDF-")
    path = keep("tag-sheet.pdf", pdf)
    pngs = pdf_to_pngs(path)
    assert [p.name for p in pngs] == ["tag-sheet-1.png"]
    assert pngs[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = pdf_to_text(path, layout=False)
    assert text.count(lot.code) == 4
    assert text.count("Rp450.000") == 4
    assert text.count("Kelompok Batik Tulis") == 4
    assert text.count("Rutan Kelas IIB Sumenep") == 4
    assert text.count("Kain Batik Sekar Jagad (2 x 1,15 m)") == 4
    assert document.number in text and document.verify_code in text
    assert_no_maker(text)


def test_the_surat_jalan_lists_the_lots_sent_with_its_verification_code_and_no_maker(made):
    # given
    transfer = transfer_send(
        actor=None, from_location=made["store"], to_location=made["showroom"], lines=[(made["variant"], 3)]
    )

    # when
    pdf = surat_jalan_pdf(transfer=transfer, base_url=BASE_URL)

    # then
    assert pdf.startswith(b"%PDF-")
    path = keep("surat-jalan.pdf", pdf)
    pngs = pdf_to_pngs(path)
    assert [p.name for p in pngs] == ["surat-jalan-1.png"]
    assert pngs[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = pdf_to_text(path, layout=True)
    assert "SURAT JALAN" in text
    assert f"No. {transfer.number}" in text
    assert "Rutan Kelas IIB Sumenep" in text
    assert re.search(r"Dari Kepada Gudang Ruang Pamer|Dari Gudang Kepada Ruang Pamer", text)
    assert re.search(rf"1 SMP-BTK-001 Kain Batik Sekar Jagad \(2 x 1,15 m\) {made['lot'].code} 3", text)
    assert f"{BASE_URL}/verifikasi/{transfer.document.verify_code}/" in text
    assert f"Kode verifikasi: {transfer.document.verify_code}" in text
    assert_no_maker(text)
