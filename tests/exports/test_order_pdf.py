"""The commercial invoice of a shipped export order: in English, the lines with HS codes in the currency and in
rupiah, the Incoterm, the PEB and the B/L, the payments received, the verification code; never a maker."""

import shutil
from decimal import Decimal

import pytest

from binakarya.exports.orders import ShipmentInput, order_confirm, order_payment_record, shipment_record
from binakarya.exports.renderers import commercial_invoice_pdf
from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from tests.exports.test_pdf import no_maker, pdf_text
from tests.exports.world import stock_up

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


@pytest.fixture
def shipment(world, today):
    stock = stock_up(world, today)
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="CIF",
        place="Osaka",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )
    proforma = proforma_issue(
        actor=world["admin"],
        inquiry=inquiry,
        data=ProformaInput(freight_idr=3_250_000, insurance_idr=162_500),
        today=today,
    )
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-PO-2026-118", po_date=today)
    order_payment_record(
        actor=world["admin"],
        order=order,
        amount_idr=12_912_500,
        amount_foreign=Decimal("794.40"),
        reference="SWIFT KCBKJPJT 0412",
    )
    return shipment_record(
        actor=world["admin"],
        order=order,
        data=ShipmentInput(
            shipped_on=today,
            peb_number="000123 of 10-12-2026",
            transport_number="MSKU 7781234",
            vessel="Meratus Jayakarta V.118",
            location=stock["store"],
        ),
    )


def test_the_commercial_invoice_reads_as_one(shipment, today, tmp_path):
    proforma = shipment.order.proforma

    text = pdf_text(commercial_invoice_pdf(shipment=shipment, base_url="https://binakarya.test"), tmp_path)
    flat = " ".join(text.split())

    assert "COMMERCIAL INVOICE" in text and "RUTAN KELAS IIB SUMENEP" in text
    assert f"No. {shipment.invoice_number} · Date {today.day} {today.strftime('%B %Y')}" in flat
    assert "Your order KC-PO-2026-118" in flat and f"Pro-forma invoice {proforma.number}" in flat
    assert "Kyoto Crafts K.K." in text and "Japan" in text
    assert "Sumenep cattle whip" in text and "6602.00" in text and "Dragon kite" in text and "9503.00" in text
    assert "USD 461.40" in text and "Rp7.500.000" in text and "USD 123.00" in text and "Rp2.000.000" in text
    assert "USD 794.40" in text and "Rp12.912.500" in text
    assert "Total, CIF Osaka (Incoterms 2020)" in flat
    assert "Bill of lading / airway bill MSKU 7781234" in flat
    assert "Export declaration (PEB) 000123 of 10-12-2026" in flat
    assert "Meratus Jayakarta V.118" in flat
    assert "Paid in full by T/T before shipment:" in flat and "(USD 794.40), ref. SWIFT KCBKJPJT 0412" in flat
    assert "Country of origin Indonesia" in flat
    assert shipment.document.verify_code in text
    assert f"https://binakarya.test/en/verifikasi/{shipment.document.verify_code}/" in flat
    no_maker(text)
    assert "Kelompok Pecut" not in text and "Gudang" not in text


def test_its_code_checks_out_on_the_public_page(client, shipment):
    page = client.get(f"/en/verifikasi/{shipment.document.verify_code}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert shipment.invoice_number in html and "USD 794.40" in html and "Rp12.912.500" in html
    assert "Kyoto" not in html  # the public page never names the buyer
    no_maker(html)
