"""The quotation PDF: Indonesian layout, the figures, the verification code, and never a maker's name."""

import shutil
import subprocess

import pytest

from binakarya.deals.services import QuotationLineInput, quotation_issue
from binakarya.documents.renderers import quotation_pdf
from tests.deals.world import MAKER_NAMES

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "q.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_quotation_pdf_reads_as_a_surat_penawaran_and_names_no_maker(world, today, tmp_path):
    quotation = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 36, 150_000)],
        discount_bp=500,
        today=today,
    )

    text = pdf_text(quotation_pdf(quotation=quotation, base_url="https://binakarya.test"), tmp_path)

    assert "SURAT PENAWARAN HARGA" in text
    assert quotation.number in text
    assert "Purbalingga" in text
    assert "Rp5.130.000" in text  # 5.400.000 less 5 %
    assert "Diskon 5%" in text
    assert "Bukti pembelian" in text or "bukti pembelian" in text
    assert quotation.document.verify_code in text
    assert "Hormat kami" in text
    for name in MAKER_NAMES:
        assert name not in text
