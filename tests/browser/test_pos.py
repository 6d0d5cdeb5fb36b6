"""The point of sale on a 360x740 phone: a cashier opens a session at a bazaar, sells three items by lot code,
prints the receipt, and closes the session with the right cash difference. The lot codes on the hang tags are typed
here; scanning them with the camera is tests/browser/test_tag_scan.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.pos.models import PosSale, PosSession
from tests.browser.staff_menu import go_by_menu
from tests.pos.world import PASSWORD, bazaar_world


@pytest.fixture
def bazaar(transactional_db):
    return bazaar_world()


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_cashier_sells_three_items_at_the_bazaar_and_closes_the_session(page, screenshot, bazaar):
    # (1) the cashier opens the point of sale from the menu and opens a session at the bazaar with Rp200.000
    log_in(page, "kasir")
    go_by_menu(page, reverse("backoffice:pos_sessions"))
    page.get_by_test_id("open-session").click()
    page.wait_for_url(f"**{reverse('backoffice:pos_open')}")
    page.locator("select[name=location]").select_option(str(bazaar["event"].pk))
    page.locator("input[name=opening_cash_idr]").fill("200000")
    assert fits_the_phone(page)
    page.locator("main form button[type=submit]").click()
    session = PosSession.objects.get()
    page.wait_for_url(f"**{reverse('backoffice:pos_till', args=[session.pk])}")
    assert session.location == bazaar["event"] and session.opening_cash_idr == 200_000

    # (2) types the lot codes of three hang tags (the till is redrawn in place each time)
    codes = [bazaar["new_lot"].code, bazaar["old_lot"].code.lower(), bazaar["whip_lot"].code]
    for count, code in enumerate(codes, start=1):
        page.locator("#id_code").fill(code)
        page.get_by_test_id("add-item").click()
        expect(page.locator("[data-testid=cart] > li")).to_have_count(count)
    expect(page.get_by_test_id("cart-total")).to_have_text("Rp975.000")
    assert fits_the_phone(page)
    screenshot("1-cart")

    # (3) takes Rp1.000.000 in cash: the change shows as it is typed
    page.locator("input[name=payment_method][value=CASH]").check()
    page.locator("input[name=cash_received_idr]").fill("1000000")
    expect(page.locator("[data-change]")).to_have_text("Rp25.000")
    screenshot("2-payment")
    page.get_by_test_id("pay").click()
    pos_sale = PosSale.objects.get()
    page.wait_for_url(f"**{reverse('backoffice:pos_receipt', args=[pos_sale.sale.number])}")
    sold = {(line.lot_id, line.quantity) for line in pos_sale.sale.lines.all()}
    assert sold == {(bazaar["new_lot"].pk, 1), (bazaar["old_lot"].pk, 1), (bazaar["whip_lot"].pk, 1)}

    # (4) the receipt: total, change, the verification code, a QR per item; it prints, and as a PDF
    expect(page.get_by_test_id("receipt-total")).to_have_text("Rp975.000")
    expect(page.get_by_test_id("receipt-change")).to_have_text("Rp25.000")
    expect(page.get_by_test_id("verify-code")).to_have_text(pos_sale.receipt.verify_code)
    expect(page.locator(".r-lot img")).to_have_count(3)
    receipt = page.get_by_test_id("receipt").inner_text()
    for maker in bazaar["makers"]:
        assert maker.full_name not in receipt
    expect(page.get_by_test_id("print")).to_be_visible()
    assert fits_the_phone(page)
    screenshot("3-receipt")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print")).to_be_hidden()
    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.get_by_test_id("pdf").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # (5) back at the till, closes the session with Rp1.170.000 counted: Rp5.000 short
    page.get_by_test_id("back").click()
    page.wait_for_url(f"**{reverse('backoffice:pos_till', args=[session.pk])}")
    page.get_by_test_id("close-session").click()
    page.wait_for_url(f"**{reverse('backoffice:pos_close', args=[session.pk])}")
    page.locator("input[name=counted_cash_idr]").fill("1170000")
    assert fits_the_phone(page)
    page.get_by_test_id("close").click()
    page.wait_for_url(f"**{reverse('backoffice:pos_closing', args=[session.pk])}")
    expect(page.get_by_test_id("expected")).to_have_text("Rp1.175.000")
    expect(page.get_by_test_id("difference")).to_have_text("-Rp5.000")
    report = page.get_by_test_id("closing-report").inner_text()
    for maker in bazaar["makers"]:
        assert maker.full_name not in report
    expect(page.get_by_test_id("print")).to_be_visible()
    assert fits_the_phone(page)
    screenshot("4-closing")
    session.refresh_from_db()
    assert session.status == PosSession.Status.CLOSED and session.difference_idr == -5_000
