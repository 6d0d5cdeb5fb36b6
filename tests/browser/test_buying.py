"""A buyer on a 360x740 phone searches, adds two products from two producers, checks out with delivery,
sees two orders with payment instructions, and uploads a proof; no maker's name on any page."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from binakarya.orders.models import Order, Payment, ShippingRate
from tests.orders.conftest import make_seller


@pytest.fixture
def sellers(transactional_db):
    sellers = (make_seller(name="Rutan Sumenep"), make_seller(name="Rutan Purbalingga", price=85_000))
    for seller in sellers:
        ShippingRate.objects.create(
            organization=seller["org"], province="Jawa Timur", max_weight_grams=5000, fee_idr=20_000, courier="JNE"
        )
    return sellers


def private_texts(sellers) -> list[str]:
    return [t for s in sellers for m in s["members"] for t in (m.full_name, m.registration_number) if t]


def assert_no_maker(page: Page, sellers) -> None:
    html = page.content()
    for text in private_texts(sellers):
        assert text not in html


def add_from_search(page: Page, query: str, name: str) -> None:
    page.goto(reverse("storefront:catalog"))
    page.locator("#id_q").fill(query)
    page.locator("#id_q").press("Enter")
    page.wait_for_url(re.compile(r".*/katalog/\?q="))
    page.get_by_role("link", name=name).first.click()
    expect(page.locator("h1")).to_have_text(name)
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_url(f"**{reverse('storefront:cart')}")


def test_a_buyer_orders_from_two_producers_and_sends_a_proof(page, screenshot, sellers, tmp_path):
    sumenep, purbalingga = sellers
    first, second = sumenep["product"].name, purbalingga["product"].name

    # when the buyer searches and adds one product of each producer
    add_from_search(page, first, first)
    add_from_search(page, second, second)

    # then the cart holds both, grouped by seller, and + changes a line in place (htmx)
    expect(page.get_by_test_id("cart-seller")).to_have_count(2)
    expect(page.locator("#cart-count")).to_have_text("(2)")
    page.locator(f"[data-sku='{sumenep['variant'].sku}']").get_by_test_id("more").click()
    expect(page.get_by_test_id("cart-total")).to_have_text("Rp385.000")
    expect(page.locator("#cart-count")).to_have_text("(3)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_maker(page, sellers)
    screenshot("cart")

    # when they check out with delivery
    page.get_by_test_id("checkout").click()
    page.locator("#id_name").fill("Budi Santoso")
    page.locator("#id_phone").fill("0812 3456 7890")
    page.locator("input[name=fulfillment][value=PICKUP]").check()
    expect(page.locator("#id_province")).to_be_hidden()  # the address hides for pickup
    page.locator("input[name=fulfillment][value=DELIVERY]").check()
    page.locator("#id_province").fill("Jawa Timur")
    page.locator("#id_regency").fill("Kabupaten Sumenep")
    page.locator("#id_district").fill("Kota Sumenep")
    page.locator("#id_address").fill("Jl. Trunojoyo 12")
    page.locator("#id_postal_code").fill("69411")
    assert_no_maker(page, sellers)
    screenshot("checkout")
    page.get_by_test_id("place-order").click()

    # then one page shows two orders, each with its own payment instructions
    page.wait_for_url(re.compile(r".*/pesanan/selesai/[^/]+/$"))
    orders = page.get_by_test_id("order")
    expect(orders).to_have_count(2)
    placed = list(Order.objects.order_by("pk"))
    assert [o.organization_id for o in placed] == [sumenep["org"].pk, purbalingga["org"].pk]
    for card, order in zip(orders.all(), placed, strict=True):
        expect(card).to_contain_text(order.number)
        expect(card.get_by_test_id("account-number")).to_have_text("0123456789")
        expect(card.get_by_test_id("amount-due")).to_have_text(f"Rp{order.total_idr:,}".replace(",", "."))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_maker(page, sellers)
    screenshot("confirmation")

    # when they open the first order's page and send a photo of the transfer
    orders.first.get_by_test_id("track").click()
    page.wait_for_url(f"**/pesanan/{placed[0].token}/")
    receipt = tmp_path / "bukti.jpg"
    out = io.BytesIO()
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(out, format="JPEG")
    receipt.write_bytes(out.getvalue())
    page.locator("input[name=method][value=TRANSFER]").check()
    page.locator("#id_amount_idr").fill(str(placed[0].total_idr))
    page.locator("#id_proof").set_input_files(str(receipt))
    page.get_by_role("button", name="Kirim bukti").click()

    # then the page says the seller will check it, and the proof is waiting for staff
    expect(page.get_by_test_id("proof-waiting")).to_be_visible()
    payment = Payment.objects.get()
    assert (payment.order_id, payment.amount_idr, payment.status) == (placed[0].pk, placed[0].total_idr, "SUBMITTED")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_maker(page, sellers)
    screenshot("proof-sent")
