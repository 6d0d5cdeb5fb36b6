"""Issue 13, the export order on a 360x740 phone: the seller's staff record that the buyer in Japan accepted the
pro-forma, record the first T/T (the shipment waits, naming what is due), then the balance, and ship the whole
order from the store: the page names the sale, and the commercial invoice is a PDF whose code checks out. The
makers earn their premi; no maker's name is on any of it."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from binakarya.ledger.models import Account, JournalLine
from binakarya.sales.models import Sale
from tests.browser.staff_menu import log_in
from tests.exports.world import MAKER_NAMES, exports_world, stock_up


@pytest.fixture
def proforma(transactional_db):
    today = timezone.localdate()
    world = exports_world(today)
    stock_up(world, today)
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )
    return proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(), today=today)


def no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_staff_confirm_take_payment_and_ship_an_export_order(page, screenshot, proforma):
    today = timezone.localdate().isoformat()
    log_in(page, "admin-smp")
    page.goto(f"/staf/ekspor/proforma/{proforma.number}/")

    confirm = page.get_by_test_id("confirm-form")
    confirm.get_by_label("Nomor pesanan pembeli").fill("KC-PO-2026-118")
    confirm.get_by_role("button").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Dikonfirmasi, menunggu pembayaran")
    fits(page)
    screenshot("export-order-confirmed")

    payment = page.get_by_test_id("payment-form")
    payment.get_by_label("Rupiah yang masuk ke rekening").fill("4.750.000")
    payment.get_by_label("Jumlah dalam mata uang proforma (opsional)").fill("292,20")
    payment.get_by_label("Rujukan bank (opsional)").fill("SWIFT MT103 0412")
    payment.get_by_role("button").click()
    expect(page.get_by_test_id("payments")).to_contain_text("USD 292.20")
    expect(page.get_by_test_id("ship-later")).to_contain_text("Rp4.750.000 masih terutang")
    fits(page)
    screenshot("export-order-half-paid")

    payment = page.get_by_test_id("payment-form")
    payment.get_by_label("Rupiah yang masuk ke rekening").fill("4.800.000")
    payment.get_by_label("Diterima pada").fill(today)
    payment.get_by_role("button").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Lunas, siap dikirim")

    shipment = page.get_by_test_id("shipment-form")
    shipment.get_by_label("Nomor PEB").fill("000123")
    shipment.get_by_label("Nomor B/L atau AWB").fill("MSKU 7781234")
    shipment.get_by_label("Kapal dan nomor pelayaran, atau penerbangan").fill("Meratus Jayakarta V.118")
    fits(page)
    screenshot("export-order-shipment-form")
    shipment.get_by_role("button").click()

    sale = Sale.objects.get()
    expect(page.get_by_test_id("sale-number")).to_have_text(sale.number)
    expect(page.get_by_test_id("order-status")).to_have_text("Dikirim")
    fits(page)
    no_maker(page.content())
    screenshot("export-order-shipped")
    premi = JournalLine.objects.filter(account__kind=Account.Kind.PREMI_PAYABLE).values_list("amount_idr", flat=True)
    assert sum(premi) == -sale.premi_idr and sale.premi_idr > 0

    href = page.get_by_test_id("commercial-invoice-pdf").get_attribute("href") or ""
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    code = proforma.inquiry.order.shipment.document.verify_code
    page.goto(f"/en/verifikasi/{code}/")
    expect(page.locator("main")).to_contain_text("Genuine.")
    expect(page.locator("main")).to_contain_text("USD 584.40")
    no_maker(page.content())
