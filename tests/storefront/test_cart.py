"""The session cart: added from a product page, changed with htmx or plain forms, never in the shared cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from binakarya.storefront.cart import SESSION_KEY
from tests.storefront.buying import add, makers_private, two_sellers

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def sellers():
    return two_sellers()


def test_adding_without_javascript_fills_the_session_cart_and_shows_it(client, sellers):
    sumenep, purbalingga = sellers

    # when the product page's form is sent twice, then once for another seller's product
    first = add(client, sumenep["variant"].sku, 2)
    add(client, sumenep["variant"].sku.lower(), 1)
    add(client, purbalingga["variant"].sku, 1)

    # then the buyer lands on the cart, which holds both sellers' goods
    assert first.status_code == 302 and first["Location"] == reverse("storefront:cart")
    assert client.session[SESSION_KEY] == {sumenep["variant"].sku: 3, purbalingga["variant"].sku: 1}
    page = client.get(reverse("storefront:cart"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="cart-seller"') == 2
    assert "Rp535.000" in html  # 3 × 150.000 + 85.000
    assert 'id="cart-count" class="cart-count"> (4)' in html
    assert f"{sumenep['product'].name} sudah masuk keranjang." in html


def test_the_product_page_offers_the_cart_and_keeps_whatsapp(client, sellers):
    html = client.get(reverse("storefront:product", args=[sellers[0]["product"].slug])).content.decode()

    assert 'data-testid="cart-add"' in html and "Tambah ke keranjang" in html
    assert f'value="{sellers[0]["variant"].sku}"' in html
    assert "<form" in html and "novalidate" in html


def test_a_made_to_order_product_page_shows_the_down_payment_and_lead_time(client):
    seller, _other = two_sellers(made_to_order=True, units=0)

    html = client.get(reverse("storefront:product", args=[seller["product"].slug])).content.decode()

    assert "bayar DP 50% sekarang" in html
    assert "sekitar 14 hari setelah dipesan" in html


def test_htmx_plus_minus_and_remove_answer_with_the_cart_fragment(client, sellers):
    sku = sellers[0]["variant"].sku
    other = sellers[1]["variant"].sku
    add(client, sku, 2)
    add(client, other, 1)
    url = reverse("storefront:cart_update")
    htmx = {"HX-Request": "true"}

    plus = client.post(url, {"sku": sku, "quantity": "2", "to": "3"}, headers=htmx)
    assert plus.status_code == 200
    fragment = plus.content.decode()
    assert "<html" not in fragment and 'id="cart"' in fragment
    assert 'value="3"' in fragment and "Rp450.000" in fragment
    assert 'hx-swap-oob="true"> (4)' in fragment  # the header's count, swapped out of band

    minus = client.post(url, {"sku": sku, "quantity": "3", "to": "2"}, headers=htmx)
    assert client.session[SESSION_KEY][sku] == 2 and "Rp300.000" in minus.content.decode()

    typed = client.post(url, {"sku": sku, "quantity": "5", "update": "1"}, headers=htmx)
    assert client.session[SESSION_KEY][sku] == 5 and typed.status_code == 200

    removed = client.post(url, {"sku": other, "quantity": "1", "remove": "1"}, headers=htmx)
    assert other not in client.session[SESSION_KEY]
    assert other not in removed.content.decode()


def test_without_javascript_the_same_forms_redirect_back_to_the_cart(client, sellers):
    sku = sellers[0]["variant"].sku
    add(client, sku, 2)
    url = reverse("storefront:cart_update")

    more = client.post(url, {"sku": sku, "quantity": "2", "to": "3"})
    assert more.status_code == 302 and more["Location"] == reverse("storefront:cart")
    assert client.session[SESSION_KEY] == {sku: 3}

    client.post(url, {"sku": sku, "quantity": "3", "to": "0"})  # "−" on the last unit removes the line
    assert client.session[SESSION_KEY] == {}
    assert "Keranjang Anda kosong." in client.get(reverse("storefront:cart")).content.decode()


@pytest.mark.parametrize("quantity", ["-1", "abc", "1001", "1.5"])
def test_a_bad_quantity_changes_nothing_and_says_why(client, sellers, quantity):
    sku = sellers[0]["variant"].sku
    add(client, sku, 2)

    response = client.post(reverse("storefront:cart_update"), {"sku": sku, "quantity": quantity}, follow=True)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == {sku: 2}
    assert "Ketik jumlah antara 0 dan 1.000." in response.content.decode()


def test_an_unknown_sku_or_a_bad_quantity_is_not_added(client, sellers):
    unknown = add(client, "TIDAK-ADA", 1)
    assert unknown.status_code == 302
    assert "Produk ini tidak dijual (lagi)." in client.get(reverse("storefront:cart")).content.decode()

    add(client, sellers[0]["variant"].sku, 0)
    add(client, sellers[0]["variant"].sku, "banyak")
    assert client.session.get(SESSION_KEY, {}) == {}


def test_a_cross_site_post_cannot_fill_a_cart(client, sellers):
    response = add(client, sellers[0]["variant"].sku, 1, **{"Sec-Fetch-Site": "cross-site"})
    other_origin = add(client, sellers[0]["variant"].sku, 1, Origin="https://evil.example")

    assert response.status_code == other_origin.status_code == 403
    assert client.session.get(SESSION_KEY, {}) == {}


def test_a_line_with_more_units_than_left_says_so_naming_the_product(client, sellers):
    sumenep = sellers[0]
    add(client, sumenep["variant"].sku, 12)  # 10 in the showroom

    html = client.get(reverse("storefront:cart")).content.decode()

    assert f"Stok tidak cukup untuk {sumenep['product'].name}: tersisa 10." in html


def test_cart_pages_are_private_and_never_stored(client, sellers):
    add(client, sellers[0]["variant"].sku, 1)

    for response in (
        client.get(reverse("storefront:cart")),
        client.get(reverse("storefront:checkout")),
        client.post(reverse("storefront:cart_update"), {"sku": "X", "quantity": "1"}),
    ):
        assert {"private", "no-store"} <= directives(response)
        assert "public" not in directives(response)


def test_a_public_page_with_a_cart_in_its_header_is_private_and_never_cached_for_others(client, settings, sellers):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    url = reverse("storefront:product", args=[sellers[0]["product"].slug])
    add(client, sellers[0]["variant"].sku, 2)

    # when the buyer with a cart opens a product page, then an anonymous visitor does
    buyer = client.get(url)
    client.cookies.clear()
    visitor = client.get(url)
    again = client.get(url)

    # then the buyer's page counts their cart and is kept by nobody; the visitor's is cached and counts nothing
    assert "(2)" in buyer.content.decode()
    assert {"private", "no-store"} <= directives(buyer)
    assert "public" not in directives(buyer)
    assert 'class="cart-count"></span>' in visitor.content.decode()
    assert {"public", "max-age=60"} <= directives(again)
    assert again.content == visitor.content
    cache.clear()


def test_the_cart_never_names_a_maker(client, sellers):
    for seller in sellers:
        add(client, seller["variant"].sku, 1)

    html = client.get(reverse("storefront:cart")).content.decode()
    fragment = client.post(
        reverse("storefront:cart_update"),
        {"sku": sellers[0]["variant"].sku, "to": "2"},
        headers={"HX-Request": "true"},
    ).content.decode()

    for private in makers_private(*sellers):
        assert private not in html
        assert private not in fragment


def test_the_english_cart_is_in_english(client, sellers):
    add(client, sellers[0]["variant"].sku, 1)

    html = client.get("/en/keranjang/").content.decode()

    assert "Total goods" in html and "Check out" in html
