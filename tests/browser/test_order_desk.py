"""The order desk on a 360x740 phone: staff confirm a web order's proof, pack it and ship it with a resi,
and the maker's statement shows the new premi; a WhatsApp order entered by staff is paid and completed."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.core.money import format_rupiah
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.orders.models import Order, Payment
from binakarya.orders.services import Address, RateInput, shipping_rates_replace
from tests.backoffice.helpers import text
from tests.backoffice.order_helpers import make_seller, staff_of, web_order_with_proof
from tests.browser.staff_menu import go_by_menu

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password
ADDRESS = Address(
    province="Jawa Timur", regency="Sumenep", district="Kota", address="Jl. Melati 7", postal_code="69411"
)


@pytest.fixture
def shop(transactional_db):
    seller = make_seller(name="Rutan Sumenep", units=5)
    staff = staff_of(seller["org"], username="ani", first_name="Ani")
    shipping_rates_replace(
        actor=staff, organization=seller["org"], rates=[RateInput("Jawa Timur", "", 5_000, 20_000, "JNE", 2)]
    )
    return seller


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_staff_confirm_a_proof_ship_with_a_resi_and_the_makers_statement_shows_the_premi(page, screenshot, shop):
    order, payment = web_order_with_proof(shop, fulfillment="DELIVERY", address=ADDRESS)
    maker = shop["members"][0]
    assert maker_premi_owed(maker=maker) == 0

    # (1) staff open the desk from the menu: one proof to check
    log_in(page, "ani")
    go_by_menu(page, reverse("backoffice:orders"))
    expect(page.get_by_test_id("needs-proof")).to_contain_text("1")
    page.get_by_test_id("needs-proof").click()
    page.locator(f"main a[href='{reverse('backoffice:order_detail', args=[order.number])}']").click()
    page.wait_for_url(f"**{reverse('backoffice:order_detail', args=[order.number])}")
    assert fits_the_phone(page)
    screenshot("1-order")

    # (2) they look at the proof (served privately) and confirm it
    proof = page.get_by_test_id("proof-link")
    assert proof.get_attribute("href") == reverse("backoffice:order_payment_proof", args=[order.number, payment.pk])
    page.get_by_test_id("confirm-payment").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Paid"))

    # (3) pack, then ship with the courier and the resi
    page.get_by_test_id("to-PACKED").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Packed"))
    page.locator("#next input[name=courier]").fill("JNE")
    page.locator("#next input[name=resi]").fill("JNE0012345678")
    page.get_by_test_id("to-SHIPPED").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Shipped"))
    expect(page.get_by_test_id("resi")).to_contain_text("JNE0012345678")
    assert fits_the_phone(page)
    screenshot("2-shipped")
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert Payment.objects.get().status == Payment.Status.CONFIRMED

    # (4) the maker's statement shows the premi the sale earned
    owed = maker_premi_owed(maker=maker)
    assert owed > 0
    page.goto(reverse("backoffice:statement", args=[maker.pk]))
    expect(page.get_by_test_id("balance")).to_have_text(format_rupiah(owed))
    screenshot("3-statement")


def test_a_whatsapp_order_entered_on_a_phone_is_paid_and_completed(page, screenshot, shop):
    sku = shop["variant"].sku

    # (1) staff enter the order: the buyer's phone, the item, pickup
    log_in(page, "ani")
    go_by_menu(page, reverse("backoffice:orders"))
    page.get_by_test_id("new-whatsapp-order").click()
    page.wait_for_url(f"**{reverse('backoffice:order_entry')}")
    page.locator("input[name=buyer_name]").fill("Bu Rina")
    page.locator("input[name=buyer_phone]").fill("0813 1111 2222")
    page.locator("input[name=baris-0-sku]").fill(sku)
    page.locator("input[name=baris-0-quantity]").fill("2")
    assert fits_the_phone(page)
    screenshot("1-entry")
    page.get_by_test_id("enter-order").click()
    page.wait_for_url("**/staf/pesanan/PSN-*/?baru=1")
    order = Order.objects.get()
    assert order.channel == Order.Channel.WHATSAPP

    # (2) the WhatsApp button sends the buyer the link, in a new tab
    whatsapp = page.get_by_test_id("whatsapp")
    expect(whatsapp).to_have_attribute("target", "_blank")
    assert whatsapp.get_attribute("href").startswith("https://wa.me/6281311112222?text=")
    screenshot("2-send-link")

    # (3) the buyer pays cash at pickup: staff record it
    page.locator("#record > summary").click()
    expect(page.locator("#record input[name=pay-amount_idr]")).to_have_value(format_rupiah(order.total_idr))
    page.locator("#record select[name=pay-method]").select_option("CASH")
    page.get_by_test_id("record-payment").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Paid"))

    # (4) ready for pickup, then completed
    page.get_by_test_id("to-READY_FOR_PICKUP").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Ready for pickup"))
    page.get_by_test_id("to-COMPLETED").click()
    expect(page.get_by_test_id("status")).to_have_text(text("Completed"))
    assert fits_the_phone(page)
    screenshot("3-completed")
    order.refresh_from_db()
    assert (order.status, order.paid_idr) == (Order.Status.COMPLETED, order.total_idr)
