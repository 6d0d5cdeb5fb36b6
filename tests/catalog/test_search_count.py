"""A broad text search counts its matches only up to a limit, on the storefront and in the API."""

import pytest
from django.utils import translation

from binakarya.catalog import selectors
from binakarya.core.templatetags.binakarya import grouped
from tests.factories import CategoryFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_batiks_and_a_whip(monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 2)
    producer = ProducerFactory()
    for motif in ("Parang", "Kawung", "Mega Mendung"):
        ProductFactory(producer=producer, name=f"Kain Batik {motif}", description="Batik tulis.", photos=1)
    ProductFactory(
        producer=producer,
        category=CategoryFactory(name="Pecut", name_en="Whips"),
        name="Pecut Sapi",
        description="Pecut kulit.",
        materials="kulit sapi",
        photos=1,
    )


def test_search_past_the_limit_reports_the_limit_and_that_it_was_reached(three_batiks_and_a_whip):
    # when
    result = selectors.product_search(query=selectors.CatalogQuery(q="batik"), page=1, page_size=1)

    # then
    assert (result.count, result.count_capped, result.num_pages) == (2, True, 2)
    assert len(result.items) == 1


def test_search_within_the_limit_and_browsing_count_exactly(three_batiks_and_a_whip):
    # when
    narrow = selectors.product_search(query=selectors.CatalogQuery(q="pecut"))
    browse = selectors.product_search(query=selectors.CatalogQuery())

    # then
    assert (narrow.count, narrow.count_capped) == (1, False)
    assert (browse.count, browse.count_capped) == (4, False)


def test_api_says_when_the_count_stopped_at_the_limit(client, three_batiks_and_a_whip):
    # when
    broad = client.get("/api/v1/products", {"q": "membatik"}).json()
    narrow = client.get("/api/v1/products", {"q": "pecut"}).json()

    # then
    assert (broad["count"], broad["count_capped"]) == (2, True)
    assert len(broad["items"]) > 2  # the page still lists every match that fits on it
    assert (narrow["count"], narrow["count_capped"]) == (1, False)


@pytest.mark.parametrize(
    ("prefix", "capped_text", "exact_text"),
    [
        ("/en", "More than 2 products", "1 product"),
        ("", "Lebih dari 2 produk", "1 produk"),
    ],
)
def test_catalog_page_says_more_than_the_limit(client, three_batiks_and_a_whip, prefix, capped_text, exact_text):
    # when
    broad = client.get(f"{prefix}/katalog/", {"q": "batik"}).content.decode()
    narrow = client.get(f"{prefix}/katalog/", {"q": "pecut"}).content.decode()

    # then
    assert capped_text in broad
    assert capped_text not in narrow
    assert exact_text in narrow


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", ["1.000", "48.062", "7", ""]), ("en", ["1,000", "48,062", "7", ""])],
)
def test_counts_are_grouped_the_readers_way(language, expected):
    # when / then
    with translation.override(language):
        assert [grouped(v) for v in (1000, 48062, 7, "abc")] == expected
