"""An order's packing slip, invoice and kuitansi: issued once with a verification code, printed as PDFs that
name neither a maker nor anything the public verification page should not show."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binakarya.documents.models import Document
from binakarya.orders import paperwork
from binakarya.orders.services import Address, Buyer, CartLine, orders_place, payment_record, shipping_fee_set
from tests.backoffice.order_helpers import staff_of

pytestmark = pytest.mark.django_db

ADDRESS = Address(
    province="Jawa Timur", regency="Sumenep", district="Kota", address="Jl. Melati 7", postal_code="69411"
)
BASE = "https://binakarya.test"


@pytest.fixture
def staff(seller):
    return staff_of(seller["org"], username="ani")


@pytest.fixture
def order(seller):
    (placed,) = orders_place(
        lines=[CartLine(sku=seller["variant"].sku, quantity=2)],
        buyer=Buyer(name="Sari Pembeli", phone="0812 3456 7890"),
        fulfillment="DELIVERY",
        address=ADDRESS,
    )
    return placed


@pytest.fixture
def paid(order, staff):
    order = shipping_fee_set(actor=staff, order=order, fee_idr=20_000, courier="JNE")
    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order.refresh_from_db()
    return order


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def makers_identities(seller) -> list[str]:
    return [word for m in seller["members"] for word in (m.full_name, m.registration_number) if word]


def test_the_invoice_is_issued_once_with_its_number_series(order, staff):
    first = paperwork.order_document_issue(actor=staff, order=order, kind=paperwork.INVOICE)
    again = paperwork.order_document_issue(actor=staff, order=order, kind=paperwork.INVOICE)
    assert first.pk == again.pk
    assert first.number.startswith("INV-") and first.kind == Document.Kind.INVOICE
    order.refresh_from_db()
    assert order.invoice_document == first


def test_public_figures_hold_no_personal_data(paid, staff):
    for kind in paperwork.KINDS:
        document = paperwork.order_document_issue(actor=staff, order=paid, kind=kind)
        figures = str(document.public_figures)
        assert "Sari" not in figures and "812" not in figures and "Melati" not in figures
        assert document.public_figures["order"] == paid.number


def test_a_kuitansi_waits_for_full_payment(order, staff):
    with pytest.raises(ValidationError):
        paperwork.order_document_issue(actor=staff, order=order, kind=paperwork.RECEIPT)
    assert not Document.objects.filter(kind=Document.Kind.RECEIPT).exists()


def test_only_the_sellers_staff_issue_paperwork(order, other_seller):
    outsider = staff_of(other_seller["org"], username="budi")
    with pytest.raises(PermissionDenied):
        paperwork.order_document_issue(actor=outsider, order=order, kind=paperwork.INVOICE)


def test_no_makers_name_on_the_packing_slip_invoice_or_kuitansi(paid, staff, seller):
    identities = makers_identities(seller)
    assert identities
    for kind in paperwork.KINDS:
        document = paperwork.order_document_issue(actor=staff, order=paid, kind=kind)
        html = paperwork.order_document_html(document=document, order=paid, base_url=BASE)
        text = pdf_text(paperwork.order_document_pdf(document=document, order=paid, base_url=BASE))
        assert document.verify_code in text
        assert f"{BASE}/verifikasi/{document.verify_code}/" in html
        assert paid.number in text
        for identity in identities:
            assert identity not in html
            assert identity not in text


def test_what_each_document_says(paid, staff, seller):
    slip = paperwork.order_document_issue(actor=staff, order=paid, kind=paperwork.PACKING_SLIP)
    slip_text = pdf_text(paperwork.order_document_pdf(document=slip, order=paid, base_url=BASE))
    assert "Sari Pembeli" in slip_text and "0812-3456-7890" in slip_text and "Jl. Melati 7" in slip_text
    assert seller["variant"].sku in slip_text and "JNE" in slip_text

    invoice = paperwork.order_document_issue(actor=staff, order=paid, kind=paperwork.INVOICE)
    invoice_html = paperwork.order_document_html(document=invoice, order=paid, base_url=BASE)
    assert "Rp20.000" in invoice_html  # the shipping fee
    assert "Sisa tagihan" in invoice_html

    receipt = paperwork.order_document_issue(actor=staff, order=paid, kind=paperwork.RECEIPT)
    receipt_text = pdf_text(paperwork.order_document_pdf(document=receipt, order=paid, base_url=BASE))
    assert "Telah terima dari" in receipt_text
    assert paperwork.rupiah_in_words(paid.total_idr).split()[0].capitalize() in receipt_text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1, "satu rupiah"),
        (11, "sebelas rupiah"),
        (15, "lima belas rupiah"),
        (100, "seratus rupiah"),
        (1_000, "seribu rupiah"),
        (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
        (320_543, "tiga ratus dua puluh ribu lima ratus empat puluh tiga rupiah"),
        (2_000_000_000, "dua miliar rupiah"),
    ],
)
def test_rupiah_in_words(amount, words):
    assert paperwork.rupiah_in_words(amount) == words
