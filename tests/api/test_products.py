"""GET /api/v1/products: listing, Indonesian search, filters, paging, query counts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binakarya.catalog.services import product_update
from tests.factories import ProductFactory

URL = "/api/v1/products"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def test_list_returns_published_products_with_public_fields(client, batik_product, pecut_product):
    # given two products with a price and a cover photo each (what a public product needs)

    # when
    response = client.get(URL)

    # then
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "count_capped": False,
        "page": 1,
        "page_size": 24,
        "items": [
            {
                "slug": "kain-batik-tulis-parang",
                "name": "Kain Batik Tulis Motif Parang",
                "price_idr": 275_000,
                "category": "batik-tulis",
                "producer": {"slug": "batik-sumenep", "name": "Kelompok Batik Tulis", "kind": "FACILITY_GROUP"},
                "image_url": f"http://testserver/media/{batik_product.cover_thumbnail}",
                "in_stock": True,
                "url": "http://testserver/produk/kain-batik-tulis-parang/",
            },
            {
                "slug": "pecut-sapi-anyaman",
                "name": "Pecut Sapi Anyaman Kulit",
                "price_idr": 120_000,
                "category": "pecut",
                "producer": {"slug": "pecut-banyuwangi", "name": "Kelompok Pecut", "kind": "FACILITY_GROUP"},
                "image_url": f"http://testserver/media/{pecut_product.cover_thumbnail}",
                "in_stock": True,
                "url": "http://testserver/produk/pecut-sapi-anyaman/",
            },
        ],
    }
    assert batik_product.cover_thumbnail.startswith("photos/thumb/")
    assert pecut_product.cover_thumbnail.startswith("photos/thumb/")


def test_product_url_follows_the_requested_language(client, batik_product):
    # when
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.json()["items"][0]["url"] == "http://testserver/en/produk/kain-batik-tulis-parang/"


@pytest.mark.parametrize("q", ["membatik", "batiknya", "Batik", "BATIK TULIS"])
def test_search_stems_indonesian_words_like_the_storefront(client, batik_product, pecut_product, q):
    # when
    response = client.get(URL, {"q": q})

    # then
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert slugs(response) == ["kain-batik-tulis-parang"]


def test_search_finds_the_pecut_and_not_the_batik(client, batik_product, pecut_product):
    # when
    response = client.get(URL, {"q": "pecutnya"})

    # then
    assert slugs(response) == ["pecut-sapi-anyaman"]


def test_search_without_match_returns_empty_page(client, batik_product):
    # when
    response = client.get(URL, {"q": "layang-layang"})

    # then
    assert response.status_code == 200
    assert response.json() == {"count": 0, "count_capped": False, "page": 1, "page_size": 24, "items": []}


def test_category_filter(client, batik_product, pecut_product):
    # when
    response = client.get(URL, {"category": "pecut"})

    # then
    assert response.json()["count"] == 1
    assert slugs(response) == ["pecut-sapi-anyaman"]


def test_producer_filter(client, batik_product, pecut_product):
    # when
    response = client.get(URL, {"producer": "batik-sumenep"})

    # then
    assert slugs(response) == ["kain-batik-tulis-parang"]


def test_filters_combine(client, batik_product, pecut_product):
    # when
    response = client.get(URL, {"producer": "batik-sumenep", "category": "pecut"})

    # then
    assert response.json()["count"] == 0
    assert slugs(response) == []


def test_unknown_category_gives_empty_list(client, batik_product):
    # when
    response = client.get(URL, {"category": "tidak-ada"})

    # then
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_unpublished_products_are_not_listed(client, batik_product, pecut_product):
    # given
    product_update(actor=None, product=pecut_product, is_published=False)

    # when
    response = client.get(URL)

    # then
    assert slugs(response) == ["kain-batik-tulis-parang"]


def test_pages_split_the_list_in_name_order(client, batik_product, pecut_product):
    # when
    first = client.get(URL, {"page_size": 1})
    second = client.get(URL, {"page_size": 1, "page": 2})
    third = client.get(URL, {"page_size": 1, "page": 3})

    # then
    assert (first.json()["count"], first.json()["page"], first.json()["page_size"]) == (2, 1, 1)
    assert slugs(first) == ["kain-batik-tulis-parang"]
    assert slugs(second) == ["pecut-sapi-anyaman"]
    assert third.status_code == 200
    assert slugs(third) == []


def test_page_size_is_capped_at_100(client, batik_product):
    # when
    response = client.get(URL, {"page_size": 500})

    # then
    assert response.status_code == 200
    assert response.json()["page_size"] == 100
    assert slugs(response) == ["kain-batik-tulis-parang"]


@pytest.mark.parametrize("page", ["999999", "10001", str(10**30)])
def test_page_far_past_the_end_is_empty_not_an_error(client, batik_product, page):
    # when
    response = client.get(URL, {"page": page})

    # then
    assert response.status_code == 200
    assert response.json() == {"count": 1, "count_capped": False, "page": int(page), "page_size": 24, "items": []}


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"page": "0"}, {"page": ["Input should be greater than or equal to 1"]}),
        ({"page": "-3"}, {"page": ["Input should be greater than or equal to 1"]}),
        ({"page": "abc"}, {"page": ["Input should be a valid integer, unable to parse string as an integer"]}),
        ({"page_size": "0"}, {"page_size": ["Input should be greater than or equal to 1"]}),
        ({"q": "x" * 201}, {"q": ["String should have at most 200 characters"]}),
    ],
)
def test_invalid_parameters_answer_422_with_field_errors(client, db, params, errors):
    # when
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 422
    assert response.json() == {"detail": f"Invalid value for: {', '.join(errors)}.", "errors": errors}


def test_two_bad_parameters_are_both_reported(client, db):
    # when
    response = client.get(URL, {"page": "0", "page_size": "x"}, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid value for: page, page_size."
    assert set(response.json()["errors"]) == {"page", "page_size"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.integers(min_value=1, max_value=10**40))
def test_any_positive_page_answers_200(client, batik_product, page):
    # when
    response = client.get(URL, {"page": str(page)})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == page
    assert body["count"] == 1
    assert slugs(response) == (["kain-batik-tulis-parang"] if page == 1 else [])


def test_list_takes_two_queries_whatever_the_page_holds(client, django_assert_num_queries, batik_product, add_photo):
    # given 30 more public products from several producers, some with more than one photo
    for i in range(30):
        product = ProductFactory(name=f"Pengki Bambu {i:02d}", variants=[50_000 + i], photos=1)
        if i % 10 == 0:
            add_photo(product)

    # when / then: the count and the rows
    with django_assert_num_queries(2):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == 31
    assert len(response.json()["items"]) == 31

    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "pengki", "page": 2})
    assert len(response.json()["items"]) == 6


def test_empty_result_takes_one_query(client, django_assert_num_queries, batik_product):
    # when / then: only the count
    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "layangan"})
    assert response.json()["count"] == 0
