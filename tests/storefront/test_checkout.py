"""Checkout: one order per seller on one confirmation page, placed once per key, all or nothing."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binakarya.orders.models import IdempotencyRecord, Order, ShippingRate, ShopSettings
from binakarya.orders.notifications import order_email_send
from binakarya.storefront.cart import SESSION_KEY
from tests.orders.conftest import make_seller
from tests.storefront.buying import DELIVERY, add, checkout, checkout_key, makers_private, two_sellers

pytestmark = pytest.mark.django_db


@pytest.fixture
def sellers():
    return two_sellers()


@pytest.fixture
def cart(client, sellers):
    add(client, sellers[0]["variant"].sku, 2)
    add(client, sellers[1]["variant"].sku, 1)
    return sellers


def test_the_checkout_form_carries_a_fresh_key_csrf_and_novalidate(client, cart):
    html = client.get(reverse("storefront:checkout")).content.decode()
    second = checkout_key(client)

    form = re.search(r'<form class="checkout[^>]*>', html).group(0)
    assert "novalidate" in form
    assert 'name="csrfmiddlewaretoken"' in html
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    assert len(key) >= 32 and key != second
    # the summary per seller, before the form
    assert html.count('data-testid="summary-seller"') == 2
    assert "dikonfirmasi penjual" in html


def test_an_empty_cart_has_no_checkout(client):
    assert client.get(reverse("storefront:checkout"))["Location"] == reverse("storefront:cart")
    response = client.post(reverse("storefront:checkout"), DELIVERY | {"idempotency_key": "k" * 32})
    assert response.status_code == 400
    assert "Keranjang Anda kosong." in response.content.decode()


def test_two_sellers_become_two_orders_on_one_confirmation_page(client, cart):
    sumenep, purbalingga = cart

    response = checkout(client)

    assert response.status_code == 302
    orders = list(Order.objects.order_by("pk"))
    assert [o.organization for o in orders] == [sumenep["org"], purbalingga["org"]]
    assert len({o.checkout_token for o in orders}) == 1
    assert response["Location"] == reverse("storefront:checkout_done", args=[orders[0].checkout_token])
    assert orders[0].buyer_phone == "+6281234567890"
    assert client.session.get(SESSION_KEY) is None  # the cart is emptied

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in page["Cache-Control"].split(",")}
    assert html.count('data-testid="order"') == 2
    for order in orders:
        assert order.number in html and order.organization.name in html
        assert reverse("storefront:order_track", args=[order.token]) in html
        assert f"Rp{order.unique_code_idr}" in html
    # no rate to Sumenep: the fee is to be confirmed, and nothing can be paid yet
    assert html.count("Ongkir dikonfirmasi penjual") == 2
    assert 'data-testid="shipping-pending"' in html


def test_with_a_rate_the_page_shows_the_fee_the_exact_amount_and_the_bank_account(client, cart):
    sumenep = cart[0]
    ShippingRate.objects.create(
        organization=sumenep["org"], province="Jawa Timur", max_weight_grams=5000, fee_idr=18_000, courier="JNE"
    )

    response = checkout(client, fulfillment="DELIVERY")
    order = Order.objects.get(organization=sumenep["org"])
    html = client.get(response["Location"]).content.decode()

    assert order.shipping_idr == 18_000
    total = 300_000 + 18_000 + order.unique_code_idr
    assert order.total_idr == total
    assert "Rp18.000 (JNE)" in html
    formatted = f"Rp{total:,}".replace(",", ".")
    assert f'data-testid="amount-due">{formatted}<' in html
    assert "0123456789" in html and "BRI" in html and "BLU Rutan Sumenep" in html
    assert 'data-copy="0123456789"' in html
    assert "Bayar sebelum" in html


def test_pickup_needs_no_address(client, cart):
    response = checkout(client, fulfillment="PICKUP", province="", regency="", district="", address="", postal_code="")

    assert response.status_code == 302
    assert set(Order.objects.values_list("fulfillment", "province")) == {("PICKUP", "")}
    html = client.get(response["Location"]).content.decode()
    assert "Ongkir" not in html.split('data-testid="order"')[1].split("</dl>")[0]


def test_the_same_key_twice_places_one_set_of_orders(client, cart):
    key = checkout_key(client)

    first = checkout(client, key=key)
    again = checkout(client, key=key)  # a refresh of the POST: the cart is empty by now

    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Order.objects.count() == 2


def test_a_double_click_from_the_old_session_gets_the_same_orders(client, cart):
    # given a second request of the same buyer that still carries the full cart (it left before the first ended)
    key = checkout_key(client)
    first = checkout(client, key=key)
    other = Client()
    add(other, cart[0]["variant"].sku, 2)
    add(other, cart[1]["variant"].sku, 1)

    # when the same key and the same body come again from a session that has not seen the first answer
    replay = checkout(other, key=key)

    # then the answer is the first checkout's page, and no order was added
    assert replay.status_code == 302 and replay["Location"] == first["Location"]
    assert Order.objects.count() == 2
    assert IdempotencyRecord.objects.filter(scope="checkout", key=key).count() == 1


def test_the_same_key_with_another_body_is_refused(client, cart):
    key = checkout_key(client)
    checkout(client, key=key)
    other = Client()
    add(other, cart[0]["variant"].sku, 1)

    refused = checkout(other, key=key)

    assert refused.status_code == 409
    assert "Kunci permintaan ini sudah dipakai untuk pesanan lain." in refused.content.decode()
    assert Order.objects.count() == 2


def test_short_stock_names_the_product_and_saves_nothing(client, cart):
    sumenep = cart[0]
    # given another buyer took 9 of the 10 units first
    rival = Client()
    add(rival, sumenep["variant"].sku, 9)
    assert checkout(rival, fulfillment="PICKUP").status_code == 302
    placed = Order.objects.count()

    # when this buyer checks out 2
    response = checkout(client)

    # then a clear message names the product; neither seller's order was placed and the cart is kept
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Stok tidak cukup untuk {sumenep['product'].name}: tersisa 1, diminta 2." in html
    assert 'data-testid="checkout-errors"' in html
    assert Order.objects.count() == placed
    assert not IdempotencyRecord.objects.filter(response={}).exists()
    assert client.session[SESSION_KEY] == {sumenep["variant"].sku: 2, cart[1]["variant"].sku: 1}


def test_field_errors_are_shown_next_to_their_fields_and_nothing_is_saved(client, cart):
    response = checkout(client, name="  ", phone="12345", email="budi@", province="", postal_code="123")

    html = response.content.decode()
    assert response.status_code == 400
    assert Order.objects.count() == 0
    for field, text in [
        ("name", "Isi nama pembeli."),
        ("phone", "Masukkan nomor telepon Indonesia"),
        ("email", "Isi alamat email yang benar"),
        ("province", "Isi provinsi."),
        ("postal_code", "Isi kode pos lima angka."),
    ]:
        assert re.search(rf'id="id_{field}_error"[^>]*>\s*<li>{re.escape(text)}', html), field
    assert 'aria-invalid="true"' in html
    # the key stays, so that the corrected form is still one checkout
    assert 'name="idempotency_key"' in html


def test_a_seller_that_takes_no_web_orders_is_named_at_the_top(client, cart):
    ShopSettings.objects.filter(organization=cart[1]["org"]).update(accepts_orders=False)

    response = checkout(client)

    assert response.status_code == 400
    assert f"{cart[1]['org'].name} belum menerima pesanan di sini." in response.content.decode()
    assert Order.objects.count() == 0


def test_a_made_to_order_product_shows_its_down_payment_and_completion_date(client):
    seller = make_seller(name="Lapas Kerobokan", made_to_order=True, units=0, price=1_000_000)
    add(client, seller["variant"].sku, 1)

    summary = client.get(reverse("storefront:checkout")).content.decode()
    response = checkout(client, fulfillment="PICKUP")
    html = client.get(response["Location"]).content.decode()
    order = Order.objects.get()

    assert "DP 50%" in summary
    assert order.made_to_order and order.deposit_idr == 500_000
    assert order.expected_ready_on == timezone.localdate() + datetime.timedelta(days=14)
    assert 'data-testid="deposit">Rp500.000<' in html
    assert 'data-testid="amount-due">Rp500.000<' in html
    assert f'data-testid="ready-on">{order.expected_ready_on.day} ' in html


def test_an_unknown_confirmation_link_is_a_404(client):
    response = client.get(reverse("storefront:checkout_done", args=["tidak-ada"]))

    assert response.status_code == 404


def test_an_english_checkout_places_an_english_order(client, cart):
    client.get("/en/keranjang/checkout/")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get("/en/keranjang/checkout/").content.decode())
    response = client.post("/en/keranjang/checkout/", DELIVERY | {"idempotency_key": key.group(1)})

    assert response["Location"].startswith("/en/pesanan/selesai/")
    assert set(Order.objects.values_list("language", flat=True)) == {"en"}
    assert "Shipping fee to be confirmed by the seller" in client.get(response["Location"]).content.decode()


def test_no_maker_appears_on_the_checkout_the_confirmation_or_the_emails(client, cart, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    form = client.get(reverse("storefront:checkout")).content.decode()
    done = client.get(checkout(client)["Location"]).content.decode()

    mail.outbox.clear()
    for order in Order.objects.all():
        for kind in ("placed", "status", "proof"):
            assert order_email_send.call(order.pk, kind)
    assert len(mail.outbox) == 6

    for private in makers_private(*cart):
        for text in [form, done] + [m.subject + m.body for m in mail.outbox]:
            assert private not in text
