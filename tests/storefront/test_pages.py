import re
from urllib.parse import parse_qs, urlparse

import pytest

from binakarya.catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory, UmkmProducerFactory

pytestmark = pytest.mark.django_db


def card_titles(response) -> list[str]:
    return re.findall(r'class="card-title">([^<]+)<', response.content.decode())


@pytest.fixture
def catalog():
    batik = CategoryFactory(name="Batik Tulis", name_en="Hand-drawn batik", slug="batik-tulis")
    pecut = CategoryFactory(name="Pecut", name_en="Whips", slug="pecut")
    kain = ProductFactory(
        name="Kain Batik Tulis Kerapan Sapi", slug="kain-kerapan", category=batik, variants=[525_000], photos=1
    )
    cambuk = ProductFactory(
        name="Pecut Kulit 1,5 m",
        slug="pecut-kulit",
        category=pecut,
        description="Pecut kulit sapi khas Madura.",
        materials="kulit, rotan",
        producer__group__name="Kelompok Pecut",
        variants=[85_000, 110_000],
        photos=1,
    )
    umkm = ProductFactory(
        name="Batik Cap Singo Ulung",
        slug="singo-ulung",
        category=batik,
        producer=UmkmProducerFactory(organization__regency="Bondowoso", name="Batik Raung"),
        variants=[150_000],
        photos=1,
    )
    ProductFactory(name="Batik Tersembunyi", slug="draft", category=batik, is_published=False)
    return {"kain": kain, "cambuk": cambuk, "umkm": umkm}


@pytest.mark.parametrize("query", ["membatik", "batiknya", "BATIK", "batik tulis"])
def test_search_understands_indonesian_word_forms(client, catalog, query):
    response = client.get("/katalog/", {"q": query})

    assert response.status_code == 200
    titles = card_titles(response)
    assert "Kain Batik Tulis Kerapan Sapi" in titles
    assert "Pecut Kulit 1,5 m" not in titles
    assert "Batik Tersembunyi" not in titles


def test_catalog_filters_by_category_producer_region_and_price(client, catalog):
    assert card_titles(client.get("/katalog/", {"kategori": "pecut"})) == ["Pecut Kulit 1,5 m"]
    assert card_titles(client.get("/katalog/", {"pembuat": catalog["umkm"].producer.slug})) == ["Batik Cap Singo Ulung"]
    assert card_titles(client.get("/katalog/", {"wilayah": "Bondowoso"})) == ["Batik Cap Singo Ulung"]
    assert card_titles(client.get("/katalog/", {"harga_min": 100_000, "harga_max": 200_000})) == [
        "Batik Cap Singo Ulung",
        "Pecut Kulit 1,5 m",
    ]


def test_catalog_pages(client, settings, catalog):
    settings.CATALOG_PAGE_SIZE = 2

    first = client.get("/katalog/")
    second = client.get("/katalog/", {"halaman": 2})

    assert len(card_titles(first)) == 2
    assert card_titles(second) == ["Pecut Kulit 1,5 m"]
    assert 'rel="next" href="?halaman=2"' in first.content.decode()


def test_prices_in_the_filter_are_typed_the_indonesian_way(client, catalog):
    # when the same range is typed as digits, with dots and with Rp
    answers = [
        card_titles(client.get("/katalog/", {"harga_min": low, "harga_max": high}))
        for low, high in (("100000", "200000"), ("100.000", "200.000"), ("Rp100.000", "Rp 200.000"))
    ]

    # then each finds the same products (100.000 is not read as Rp100), and the field shows Rp100.000
    assert answers[0] and answers[0] == answers[1] == answers[2]
    page = client.get("/katalog/", {"harga_min": "100.000"}).content.decode()
    assert 'value="Rp100.000"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"harga_min": "15.000,50"},
        {"halaman": "999999999"},
        {"halaman": "abc"},
        {"halaman": "-1"},
        {"harga_min": "murah"},
        {"harga_min": "5000", "harga_max": "10"},
        {"kategori": "<script>"},
        {"q": "%%%';--"},
        {"q": "zzzyyyxxx"},
        {"halaman": "5"},
    ],
)
def test_bad_catalog_input_gets_a_friendly_empty_page(client, catalog, params):
    response = client.get("/katalog/", params)

    assert response.status_code == 200
    assert card_titles(response) == []
    assert 'class="empty"' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "catalog_link"),
    [
        ("/produk/tidak-ada/", "/katalog/"),
        ("/pembuat/tidak-ada/", "/katalog/"),
        ("/produk/draft/", "/katalog/"),
        ("/en/produk/x/", "/en/katalog/"),
    ],
)
def test_unknown_slugs_get_a_friendly_404(client, catalog, path, catalog_link):
    response = client.get(path)

    assert response.status_code == 404
    assert f'<a class="btn" href="{catalog_link}">' in response.content.decode()


def test_404_speaks_the_users_language(client, catalog):
    english = client.get("/en/produk/tidak-ada/").content.decode()

    assert 'lang="en"' in english
    assert "Page not found" in english


def test_product_page_shows_price_producer_and_whatsapp_order(client, catalog):
    product = catalog["kain"]

    response = client.get(f"/produk/{product.slug}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Rp525.000" in html
    assert product.producer.name in html
    assert product.organization.name in html
    assert 'action="/produk/kain-kerapan/pesan/"' in html
    variant = product.variants.get()
    link = client.get("/produk/kain-kerapan/pesan/", {"varian": variant.pk, "jumlah": 1})["Location"]
    parsed = urlparse(link)
    assert (parsed.netloc, parsed.path) == ("wa.me", "/6281234567890")
    text = parse_qs(parsed.query)["text"][0]
    assert "Kain Batik Tulis Kerapan Sapi" in text
    assert "http://testserver/produk/kain-kerapan/" in text


def test_product_and_producer_pages_have_sharing_tags(client, catalog):
    product = catalog["cambuk"]

    product_html = client.get(f"/produk/{product.slug}/").content.decode()
    producer_html = client.get(f"/pembuat/{product.producer.slug}/").content.decode()

    assert '<link rel="canonical" href="http://testserver/produk/pecut-kulit/">' in product_html
    assert '<meta property="og:title" content="Pecut Kulit 1,5 m">' in product_html
    assert '<meta property="og:type" content="product">' in product_html
    assert 'hreflang="en" href="http://testserver/en/produk/pecut-kulit/"' in product_html
    assert "Rp85.000 – Rp110.000" in product_html
    assert f'<link rel="canonical" href="http://testserver/pembuat/{product.producer.slug}/">' in producer_html
    assert '<meta property="og:type" content="profile">' in producer_html


def test_producer_page_names_group_and_facility(client, catalog):
    producer = catalog["kain"].producer

    html = client.get(f"/pembuat/{producer.slug}/").content.decode()

    assert producer.group.name in html
    assert producer.organization.name in html
    assert "https://wa.me/6281234567890?text=" in html
    assert "0812-3456-7890" in html
    assert "Kain Batik Tulis Kerapan Sapi" in html


def test_english_pages_live_under_en(client, catalog):
    response = client.get("/en/katalog/", {"q": "batik"})

    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Kain Batik Tulis Kerapan Sapi" in card_titles(response)


def test_htmx_catalog_request_returns_only_results(client, catalog):
    response = client.get("/katalog/", {"q": "pecut"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert card_titles(response) == ["Pecut Kulit 1,5 m"]


def test_unpublished_products_are_not_reachable(client, catalog):
    assert Product.objects.filter(slug="draft", is_published=False).exists()
    assert client.get("/produk/draft/").status_code == 404


def test_home_lists_categories_and_products(client, catalog):
    html = client.get("/").content.decode()

    assert "/katalog/?kategori=pecut" in html
    assert "Kain Batik Tulis Kerapan Sapi" in html
