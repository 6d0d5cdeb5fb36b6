"""The pro-forma invoice and packing list PDFs: in English, with the letterhead, number, date, parties, terms,
lines with HS codes, totals, weights and volume, the verification code; and never a maker's name."""

import shutil
import subprocess

import pytest

from binakarya.exports.renderers import packing_list_pdf, proforma_pdf
from binakarya.exports.services import (
    Buyer,
    ExporterInput,
    InquiryLineInput,
    ProformaInput,
    exporter_settings_update,
    inquiry_submit,
    proforma_issue,
)
from tests.exports.world import MAKER_NAMES

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def proforma(world, today):
    exporter_settings_update(
        actor=world["admin"],
        organization=world["facility"],
        data=ExporterInput(
            nib="1234567890123",
            npwp="01.234.567.8-901.000",
            bank_name="Bank Mandiri",
            bank_account_name="Rutan Sumenep",
            bank_account_number="1440012345678",
            swift_code="BMRIIDJA",
        ),
    )
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example", "+81 75 123 4567"),
        country="JP",
        incoterm="CIF",
        place="Osaka",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )
    return proforma_issue(
        actor=world["admin"],
        inquiry=inquiry,
        data=ProformaInput(incoterm="CIF", place="Osaka", freight_idr=3_250_000, insurance_idr=162_500),
        today=today,
    )


def no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_the_proforma_reads_as_an_english_pro_forma_invoice(proforma, today, tmp_path):
    text = pdf_text(proforma_pdf(proforma=proforma, base_url="https://binakarya.test"), tmp_path)
    flat = " ".join(text.split())

    assert "PRO-FORMA INVOICE" in text
    assert "RUTAN KELAS IIB SUMENEP" in text
    assert "NIB 1234567890123 · NPWP 012345678901000" in flat
    assert f"No. {proforma.number} · Date {today.day} {today.strftime('%B %Y')}" in flat
    assert "Kyoto Crafts K.K." in text and "Attn. Yuki Tanaka" in flat and "Japan" in text
    assert "Sumenep cattle whip" in text and "6602.00" in text and "Dragon kite" in text and "9503.00" in text
    # 7.69 x 60 = 461.40; 4.92 x 25 = 123.00; freight Rp3.250.000 = 200.00; insurance Rp162.500 = 10.00
    assert "USD 7.69" in text and "USD 461.40" in text and "USD 123.00" in text
    assert "USD 200.00" in text and "USD 10.00" in text and "USD 794.40" in text
    assert "Total, CIF Osaka (Incoterms 2020)" in flat
    assert f"at Rp16,250.00 per USD (rate of 1 {today.strftime('%B %Y')})" in flat
    assert "Rp12.912.500" in text  # 9.500.000 + 3.250.000 + 162.500
    assert "50% T/T in advance, balance by T/T before shipment." in flat
    assert "Bank Mandiri, SWIFT BMRIIDJA; account 1440012345678" in flat
    assert "85 packages (one unit per package); net weight 30.250 kg, gross weight 43.000 kg, volume 1.176 m³" in flat
    assert proforma.packing_list.number in text
    assert "Country of origin Indonesia" in flat
    assert "For and on behalf of" in text
    assert proforma.document.verify_code in text
    assert f"https://binakarya.test/en/verifikasi/{proforma.document.verify_code}/" in flat
    no_maker(text)
    assert "Kelompok Pecut" not in text


def test_the_packing_list_gives_packages_weights_and_dimensions(proforma, today, tmp_path):
    packing = proforma.packing_list

    text = pdf_text(packing_list_pdf(proforma=proforma, base_url="https://binakarya.test"), tmp_path)
    flat = " ".join(text.split())

    assert "PACKING LIST" in text
    assert f"No. {packing.number}" in flat and proforma.number in text
    assert "120 × 10 × 8" in text and "80 × 60 × 5" in text
    assert "24.000" in text and "33.000" in text  # 60 whips: 0.4 and 0.55 kg each
    assert "30.250" in text and "43.000" in text and "1.176" in text
    assert "1 unit per" in text and "0.400 kg net" in text and "0.550 kg" in text
    assert "CIF Osaka (Incoterms 2020)" in flat
    assert "Marks Kyoto Crafts K.K. / " + proforma.number + " / package 1–85" in flat
    assert packing.document.verify_code in text
    no_maker(text)
