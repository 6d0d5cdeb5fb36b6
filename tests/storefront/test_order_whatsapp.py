"""The WhatsApp order names the chosen variant and quantity, with and without JavaScript, and never a maker."""

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest

from binakarya.catalog.services import product_refresh
from tests.factories import GroupMembershipFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shirt():
    """A shirt in M and L from a facility group with two members (whose names must never leak)."""
    product = ProductFactory(photos=1, name="Kaos Batik Kawung", slug="kaos-kawung", variants=[])
    size_m = VariantFactory(product=product, name="M", sku="KAOS-KWG-M", price_idr=120_000)
    size_l = VariantFactory(product=product, name="L", sku="KAOS-KWG-L", price_idr=135_000)
    product_refresh(product=product)  # priced and pictured: buyers see it
    members = [GroupMembershipFactory(group=product.producer.group).maker for _ in range(2)]
    return {"product": product, "m": size_m, "l": size_l, "members": members}


def message(response) -> str:
    assert response.status_code == 302
    link = urlparse(response["Location"])
    assert (link.scheme, link.netloc) == ("https", "wa.me")
    return parse_qs(link.query)["text"][0]


def test_sizes_m_and_l_send_different_messages_naming_the_variant_and_quantity(client, shirt):
    # given
    url = "/produk/kaos-kawung/pesan/"

    # when
    in_m = message(client.get(url, {"varian": shirt["m"].pk, "jumlah": 1}))
    in_l = message(client.get(url, {"varian": shirt["l"].pk, "jumlah": 3}))

    # then
    assert in_m != in_l
    assert "Kaos Batik Kawung" in in_m and "Kaos Batik Kawung" in in_l
    assert "Pilihan: M (KAOS-KWG-M)" in in_m
    assert "Jumlah: 1" in in_m
    assert "Pilihan: L (KAOS-KWG-L)" in in_l
    assert "Jumlah: 3" in in_l
    assert "http://testserver/produk/kaos-kawung/" in in_l


def test_the_message_never_names_a_maker(client, shirt):
    # when
    text = message(client.get("/produk/kaos-kawung/pesan/", {"varian": shirt["l"].pk, "jumlah": 2}))
    page = client.get("/produk/kaos-kawung/").content.decode()

    # then
    for maker in shirt["members"]:
        for private in (maker.full_name, maker.registration_number):
            assert private not in text
            assert private not in page


def test_english_order_message_is_in_english(client, shirt):
    # when
    text = message(client.get("/en/produk/kaos-kawung/pesan/", {"varian": shirt["m"].pk, "jumlah": 2}))

    # then
    assert "Hello, I would like to order Kaos Batik Kawung." in text
    assert "Choice: M (KAOS-KWG-M)" in text
    assert "Quantity: 2" in text
    assert "http://testserver/en/produk/kaos-kawung/" in text


def test_product_page_has_a_form_that_works_without_javascript(client, shirt):
    # when
    html = client.get("/produk/kaos-kawung/").content.decode()

    # then: a GET form to the order view, with the variants and a quantity
    form = re.search(r'<form class="order"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/produk/kaos-kawung/pesan/"' in form
    assert f'<option value="{shirt["m"].pk}"' in html and f'<option value="{shirt["l"].pk}"' in html
    assert 'name="jumlah"' in html
    # and what order.js needs to open WhatsApp itself, with the same message
    template = unescape(re.search(r'data-wa-text="([^"]*)"', form).group(1))
    filled = template.replace("{variant}", "L (KAOS-KWG-L)").replace("{quantity}", "3")
    expected = message(client.get("/produk/kaos-kawung/pesan/", {"varian": shirt["l"].pk, "jumlah": 3}))
    assert filled == expected
    assert 'src="/static/js/order.js"' in html


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"jumlah": 1}, "Pilihan"),
        ({"varian": "999999", "jumlah": 1}, "Pilihan"),
        ({"varian": "abc", "jumlah": 1}, "Pilihan"),
        ({"varian": "M", "jumlah": "0"}, "Jumlah"),
        ({"varian": "M", "jumlah": "dua"}, "Jumlah"),
        ({"varian": "M", "jumlah": "99999999999999999999"}, "Jumlah"),
        ({"varian": "M"}, "Jumlah"),
    ],
)
def test_a_bad_choice_or_quantity_shows_the_page_with_a_message(client, shirt, params, error):
    # given ("M" stands for the pk of size M)
    params = {key: shirt["m"].pk if value == "M" else value for key, value in params.items()}

    # when
    response = client.get("/produk/kaos-kawung/pesan/", params)

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and f"<li>{error}:" in html
    assert '<link rel="canonical" href="http://testserver/produk/kaos-kawung/">' in html


def test_a_variant_of_another_product_or_an_inactive_one_is_refused(client, shirt):
    # given
    other = VariantFactory(sku="LAIN-001")
    inactive = VariantFactory(product=shirt["product"], name="XL", sku="KAOS-KWG-XL", is_active=False)

    # when / then
    for variant in (other, inactive):
        response = client.get("/produk/kaos-kawung/pesan/", {"varian": variant.pk, "jumlah": 1})
        assert response.status_code == 400


def test_below_the_minimum_order_is_refused(client):
    # given
    product = ProductFactory(photos=1, name="Tas Anyaman", slug="tas-anyaman", moq=5, variants=[80_000])

    # when
    too_few = client.get("/produk/tas-anyaman/pesan/", {"varian": product.variants.get().pk, "jumlah": 2})
    enough = client.get("/produk/tas-anyaman/pesan/", {"varian": product.variants.get().pk, "jumlah": 5})

    # then
    assert too_few.status_code == 400
    assert "Pesan paling sedikit 5." in too_few.content.decode()
    assert "Jumlah: 5" in message(enough)


def test_no_phone_no_order_form(client):
    # given
    product = ProductFactory(
        photos=1, slug="tanpa-telepon", producer__phone="", producer__group__organization__phone="", variants=[50_000]
    )

    # when
    page = client.get("/produk/tanpa-telepon/")
    order = client.get("/produk/tanpa-telepon/pesan/", {"varian": product.variants.get().pk, "jumlah": 1})

    # then
    assert 'class="order"' not in page.content.decode()
    assert order.status_code == 404
