import gzip

import pytest
from django.core.cache import cache

from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_anonymous_pages_are_served_from_the_cache_without_queries(client, cached, django_assert_num_queries):
    product = ProductFactory(name="Pecut Kulit", photos=1)
    first = client.get(f"/produk/{product.slug}/")

    with django_assert_num_queries(0):
        second = client.get(f"/produk/{product.slug}/")

    assert second.content == first.content
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in second["Vary"]
    assert not second.cookies


def test_the_cache_keeps_languages_queries_and_htmx_partials_apart(client, cached):
    ProductFactory(name="Pecut Kulit", photos=1)

    indonesian = client.get("/katalog/").content.decode()
    english = client.get("/en/katalog/").content.decode()
    partial = client.get("/katalog/", headers={"HX-Request": "true"}).content.decode()
    search = client.get("/katalog/?q=zzz").content.decode()

    assert 'lang="id"' in indonesian and 'lang="en"' in english
    assert "<html" not in partial
    assert "Pecut Kulit" in indonesian and "Pecut Kulit" not in search


def test_staff_with_a_session_never_get_or_fill_the_cache(client, cached, django_assert_max_num_queries):
    product = ProductFactory(name="Pecut Kulit", photos=1)
    client.force_login(UserFactory())

    client.get(f"/produk/{product.slug}/")
    client.get(f"/produk/{product.slug}/")

    client.logout()
    with django_assert_max_num_queries(10) as captured:
        client.get(f"/produk/{product.slug}/")
    assert len(captured.captured_queries) > 0


def test_public_api_answers_are_cached_per_language(client, cached, django_assert_num_queries):
    ProductFactory(name="Pecut Kulit", photos=1)
    first = client.get("/api/v1/products", headers={"Accept-Language": "en"})

    with django_assert_num_queries(0):
        again = client.get("/api/v1/products", headers={"Accept-Language": "en"})

    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json; charset=utf-8"


def test_a_cached_page_is_served_compressed_to_browsers_that_accept_gzip_and_plain_to_others(client, cached):
    product = ProductFactory(name="Pecut Kulit", photos=1)
    url = f"/produk/{product.slug}/"
    client.get(url)

    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    assert "Pecut Kulit" in plain.content.decode()
