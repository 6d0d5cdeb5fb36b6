"""Every kind of document a bulk or export buyer receives (issue 13), made by the services as staff make them:
each is printed, turned into PNG pages kept in artifacts/documents/buyer/ (or $ARTIFACTS_DIR/documents/buyer/),
and its verification code checks out on the public page, which names no maker; nor does the document.

Kinds: the quotation; the contract (an SPK, a surat perjanjian); the surat jalan; the BAST; the invoice; the
kuitansi (a bill for a small value, and a payment's); the uniform packing list; the pro-forma invoice, the
export packing list and the commercial invoice of the shipped export order.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from binakarya.deals.models import ContractForm
from binakarya.deals.printing import deal_document_pdf
from binakarya.deals.selectors import deal_documents
from binakarya.deals.services import (
    DealLineInput,
    QuotationLineInput,
    Signatory,
    deal_invoice_issue,
    deal_payment_record,
    delivery_record,
    handover_record,
    quotation_accept,
    quotation_issue,
)
from binakarya.deals.sizes import packing_list_document, packing_list_pdf, size_list_upload
from binakarya.documents.models import Document
from binakarya.documents.renderers import quotation_pdf
from binakarya.exports.orders import ShipmentInput, order_confirm, order_payment_record, shipment_record
from binakarya.exports.renderers import commercial_invoice_pdf, proforma_pdf
from binakarya.exports.renderers import packing_list_pdf as export_packing_list_pdf
from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from tests.deals import world as deals
from tests.deals.sizes_world import PEOPLE, add_batik, filled_list
from tests.exports import world as exports
from tests.factories import make_lot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm and pdftotext (poppler-utils)"),
]

BASE_URL = "http://testserver"
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", "artifacts")) / "documents" / "buyer"
SIGNERS = [
    Signatory("SELLER", "Sri Wahyuni", "Kepala Seksi Kegiatan Kerja"),
    Signatory("BUYER", "Budi Santoso", "Pejabat Pembuat Komitmen", "197505052000031002"),
]


@pytest.fixture
def today():
    return timezone.localdate()


def check(client, name: str, document: Document, pdf: bytes, makers: list[str]) -> None:
    """Keep the PDF and its PNG pages; the code checks out publicly; no maker on the page or in the PDF."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(path), str(ARTIFACTS / name)], check=True, capture_output=True)
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert pages, name
    for png in pages:
        with Image.open(png) as image:
            assert image.format == "PNG" and image.size[1] > 800, png
            dark = sum(image.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:])
            assert dark > 2_000, png  # something is printed on it
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert document.verify_code in text, name
    page = client.get(f"/en/verifikasi/{document.verify_code}/")
    assert page.status_code == 200, name
    html = page.content.decode()
    assert document.verify_code in html and document.number in html and "Genuine." in html
    for maker in makers:
        for part in maker.split():
            assert part not in text, (name, part)
            assert part not in html, (name, part)


def test_the_deal_documents(client, today):
    world = deals.deals_world(today)
    make_lot(variant=world["bin"], group=world["group"], location=world["store"], quantity=400, cost=24_000_000)
    admin = world["admin"]

    def quote(lines):
        return quotation_issue(
            actor=admin,
            organization=world["facility"],
            buyer="DLH PKP Kabupaten Purbalingga",
            lines=[QuotationLineInput(*line) for line in lines],
            today=today,
        )

    # an SPK deal (Rp60.000.000) carried to the end: contract, surat jalan, BAST, invoice, payment kuitansi
    spk_quotation = quote([("PBG-TSB-001", 400, 150_000)])
    spk = quotation_accept(actor=admin, quotation=spk_quotation, po_number="SPK/1", po_date=today)
    assert spk.contract_form == ContractForm.SPK
    delivery_record(actor=admin, deal=spk, lines=[DealLineInput("PBG-TSB-001", 400)])
    handover_record(actor=admin, deal=spk, signatories=SIGNERS)
    deal_invoice_issue(actor=admin, deal=spk)
    deal_payment_record(actor=admin, deal=spk, amount_idr=60_000_000, reference="SP2D 1")
    # a surat perjanjian (above Rp200.000.000), accepted
    big = quotation_accept(
        actor=admin, quotation=quote([("PBG-TSB-001", 1500, 150_000)]), po_number="SP/2", po_date=today
    )
    assert big.contract_form == ContractForm.SURAT_PERJANJIAN
    # a small deal billed by kuitansi
    small = quotation_accept(actor=admin, quotation=quote([("PBG-PKI-001", 4, 35_000)]), po_number="K/3", po_date=today)
    delivery_record(actor=admin, deal=small, lines=[DealLineInput("PBG-PKI-001", 4)])
    handover_record(actor=admin, deal=small, signatories=SIGNERS)
    deal_invoice_issue(actor=admin, deal=small)

    check(
        client,
        "quotation",
        spk_quotation.document,
        quotation_pdf(quotation=spk_quotation, base_url=BASE_URL),
        deals.MAKER_NAMES,
    )
    seen = set()
    for deal, label in ((spk, "spk"), (big, "perjanjian"), (small, "small")):
        for found in deal_documents(deal=deal):
            name = f"{label}-{found.kind.lower()}-{found.document.number}"
            check(client, name, found.document, deal_document_pdf(found=found, base_url=BASE_URL), deals.MAKER_NAMES)
            seen.add((found.kind, found.document.kind))
    assert seen == {
        ("CONTRACT", Document.Kind.CONTRACT),
        ("SURAT_JALAN", Document.Kind.SURAT_JALAN),
        ("BAST", Document.Kind.BAST),
        ("INVOICE", Document.Kind.INVOICE),
        ("INVOICE", Document.Kind.RECEIPT),  # the small deal's kuitansi
        ("PAYMENT_RECEIPT", Document.Kind.RECEIPT),
    }


def test_the_uniform_packing_list(client, today):
    world = add_batik(deals.deals_world(today))
    size_list = size_list_upload(
        actor=world["admin"],
        organization=world["facility"],
        product=world["shirt"],
        data=filled_list(world["shirt"], PEOPLE),
        file_name="setda.xlsx",
        rfq=world["rfq"],
    ).size_list
    for grouping in ("person", "unit"):
        pdf = packing_list_pdf(actor=world["admin"], size_list=size_list, grouping=grouping, base_url=BASE_URL)
        document = packing_list_document(actor=world["admin"], size_list=size_list)
        assert document.kind == Document.Kind.PACKING_LIST
        check(client, f"uniform-packing-list-{grouping}", document, pdf, deals.MAKER_NAMES)


def test_the_export_documents(client, today):
    cache.clear()  # the public inquiry's throttle
    world = exports.exports_world(today)
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example", "+81 75 123 4567"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60)],
        language="en",
    )
    proforma = proforma_issue(
        actor=world["admin"], inquiry=inquiry, data=ProformaInput(incoterm="FOB", place="Tanjung Perak"), today=today
    )
    assert proforma.document.kind == Document.Kind.PROFORMA
    check(
        client, "proforma", proforma.document, proforma_pdf(proforma=proforma, base_url=BASE_URL), exports.MAKER_NAMES
    )
    packing = proforma.packing_list
    assert packing.document.kind == Document.Kind.PACKING_LIST
    check(
        client,
        "export-packing-list",
        packing.document,
        export_packing_list_pdf(proforma=proforma, base_url=BASE_URL),
        exports.MAKER_NAMES,
    )
    stock = exports.stock_up(world, today)
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-PO-2026-118", po_date=today)
    order_payment_record(actor=world["admin"], order=order, amount_idr=proforma.total_idr, reference="SWIFT 0412")
    shipment = shipment_record(
        actor=world["admin"],
        order=order,
        data=ShipmentInput(today, "000123", "MSKU 7781234", "Meratus Jayakarta V.118", stock["store"]),
    )
    assert shipment.document.kind == Document.Kind.INVOICE
    check(
        client,
        "commercial-invoice",
        shipment.document,
        commercial_invoice_pdf(shipment=shipment, base_url=BASE_URL),
        exports.MAKER_NAMES,
    )
