"""The two reports as printed: real PDFs, kept with a PNG of each page in artifacts/documents/reports/ (or
$ARTIFACTS_DIR/documents/reports/), read back as text with pdftotext: the month's figures are there, in the
active language, and no maker's name or registration number is."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image

from binakarya.dashboards.printing import ekatalog_report_pdf, monthly_report_pdf
from binakarya.dashboards.reports import ekatalog_report, monthly_report
from tests.dashboards.world import MAKER_NAMES, REGISTRATION

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm and pdftotext (poppler-utils)"),
]

ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", "artifacts")) / "documents" / "reports"


def keep(name: str, pdf: bytes) -> str:
    """Keep the PDF and a PNG per page; return its text with whitespace collapsed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(path), str(ARTIFACTS / name)], check=True, capture_output=True)
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert pages
    with Image.open(pages[0]) as first:
        dark = sum(first.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:])
        assert dark > 5_000  # something is printed on it
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def assert_no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part
    assert REGISTRATION not in text


def test_the_monthly_report_prints_the_months_figures_in_indonesian_and_names_no_maker(world):
    # given
    report = monthly_report(user=world["admin"], organization_slug="rutan-sumenep", year=2026, month=3)

    # when
    with translation.override("id"):
        text = keep("monthly-id", monthly_report_pdf(report=report))

    # then
    assert "RUTAN KELAS IIB SUMENEP" in text
    assert "Maret 2026" in text and "LAP-SMP-2026-03" in text
    assert "Penjualan bersih Rp1.050.000 Rp1.350.000" in text
    assert "Kelompok Pecut Rp1.680.000" in text  # its capital fund
    assert "Gerai Produk" in text and "Rp120.000" in text  # what the gallery owes
    assert "Kepala Rutan Kelas IIB Sumenep" in text
    assert_no_maker(text)


def test_the_monthly_report_prints_in_english_when_that_is_the_language(world):
    # given
    report = monthly_report(user=world["kanwil"], organization_slug="rutan-sumenep", year=2026, month=3)

    # when
    with translation.override("en"):
        text = keep("monthly-en", monthly_report_pdf(report=report))

    # then
    assert "March 2026" in text
    assert "Net sales Rp1.050.000 Rp1.350.000" in text
    assert "Whips" in text and "Head of Rutan Kelas IIB Sumenep" in text
    assert_no_maker(text)


def test_the_ekatalog_report_prints_each_upt_of_the_province(world):
    # given
    report = ekatalog_report(
        user=world["kanwil"],
        province="Jawa Timur",
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 3, 31),
    )

    # when
    with translation.override("id"):
        text = keep("ekatalog-id", ekatalog_report_pdf(report=report))

    # then
    assert "PAS-08.OT.02.02/2024" in text and "Provinsi Jawa Timur" in text
    assert "Rutan Kelas IIB Sumenep" in text and "Lapas Kelas IIA Dirgantara" in text
    assert "Purbalingga" not in text
    assert_no_maker(text)
