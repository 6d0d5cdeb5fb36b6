"""A product reaches buyers only with a price and a photo: selectors, storefront pages, API and the QR page."""

import datetime

import pytest

from binakarya.catalog import selectors
from binakarya.catalog.models import Product
from binakarya.catalog.services import VariantInput, photo_add, variant_update
from tests.factories import (
    GroupMembershipFactory,
    LocationFactory,
    ProducerFactory,
    ProductFactory,
    make_lot,
    small_jpeg,
)

pytestmark = pytest.mark.django_db


def _public_slugs() -> list[str]:
    page = selectors.product_search(query=selectors.CatalogQuery(), page=1, page_size=50)
    return [product.slug for product in page.items]


def _switch_off_every_variant(product: Product) -> None:
    for variant in product.variants.all():
        data = VariantInput(sku=variant.sku, price_idr=variant.price_idr, is_active=False)
        variant_update(actor=None, variant=variant, data=data)


@pytest.fixture
def without_photo():
    return ProductFactory(name="Kain Batik Parang", slug="parang", description="Batik tulis.")


@pytest.fixture
def without_price():
    product = ProductFactory(name="Kain Batik Kawung", slug="kawung", description="Batik tulis.", photos=1)
    _switch_off_every_variant(product)
    return product


@pytest.fixture
def ready():
    return ProductFactory(name="Kain Batik Mega Mendung", slug="mega-mendung", description="Batik tulis.", photos=1)


def test_only_a_product_with_a_price_and_a_photo_is_listed(without_photo, without_price, ready):
    # when
    slugs = _public_slugs()

    # then
    assert slugs == ["mega-mendung"]
    assert without_price.price_min_idr == 0 and without_price.cover_thumbnail
    assert without_photo.price_min_idr == 250_000 and without_photo.cover_thumbnail == ""


def test_a_product_page_needs_a_price_and_a_photo(without_photo, without_price, ready):
    # when / then
    for product in (without_photo, without_price):
        with pytest.raises(Product.DoesNotExist):
            selectors.product_get_public(slug=product.slug)
    assert selectors.product_get_public(slug="mega-mendung") == ready


def test_producer_pages_and_related_products_skip_products_that_are_not_ready(without_photo, ready):
    # given a producer whose only product has no photo
    lonely = ProducerFactory(name="Kelompok Rajut")
    ProductFactory(producer=lonely, category=ready.category, name="Boneka Rajut", slug="boneka")

    # when
    producers = list(selectors.producer_list_public())
    listed = selectors.producer_products_public(producer=without_photo.producer)
    related = selectors.related_products_public(product=ready)

    # then
    assert lonely not in producers
    assert ready.producer in producers
    assert listed == []
    assert related == []


def test_adding_the_first_photo_makes_the_product_public(without_photo):
    # given
    assert _public_slugs() == []

    # when
    photo_add(actor=None, product=without_photo, upload=small_jpeg())

    # then
    assert _public_slugs() == ["parang"]


def test_storefront_and_api_hide_a_product_without_a_photo(client, without_photo, ready):
    # when
    catalog = client.get("/katalog/").content.decode()
    search = client.get("/katalog/", {"q": "batik"}).content.decode()
    page = client.get("/produk/parang/")
    api_list = client.get("/api/v1/products").json()
    api_search = client.get("/api/v1/products", {"q": "parang"}).json()
    api_detail = client.get("/api/v1/products/parang")

    # then
    assert "Kain Batik Parang" not in catalog and "Kain Batik Mega Mendung" in catalog
    assert "Kain Batik Parang" not in search and "Kain Batik Mega Mendung" in search
    assert page.status_code == 404
    assert [item["slug"] for item in api_list["items"]] == ["mega-mendung"]
    assert api_list["count"] == 1
    assert api_search["count"] == 0
    assert api_detail.status_code == 404
    assert client.get("/produk/mega-mendung/").status_code == 200
    assert client.get("/api/v1/products/mega-mendung").status_code == 200


def test_storefront_and_api_hide_a_product_without_a_price(client, without_price):
    # when / then
    assert client.get("/produk/kawung/").status_code == 404
    assert client.get("/api/v1/products/kawung").status_code == 404
    assert client.get("/api/v1/products").json()["count"] == 0


def test_the_qr_page_links_to_the_product_only_once_buyers_can_see_it(client, without_photo):
    # given a lot of the product that has no photo yet
    variant = without_photo.variants.get()
    GroupMembershipFactory(group=without_photo.producer.group)
    lot = make_lot(
        variant=variant,
        group=without_photo.producer.group,
        location=LocationFactory(organization=without_photo.organization),
        quantity=2,
        finished=datetime.date(2025, 8, 14),
    )
    link = 'href="/produk/parang/"'

    # when
    before = client.get(f"/lacak/{lot.code}/").content.decode()
    photo_add(actor=None, product=without_photo, upload=small_jpeg())
    after = client.get(f"/lacak/{lot.code}/").content.decode()

    # then
    assert link not in before
    assert link in after


def test_readiness_lists_what_is_missing(without_photo):
    # given a product with a price, no photo, no description, published
    without_photo.description = ""

    # when
    readiness = selectors.product_readiness(product=without_photo)

    # then
    assert [(item.code, item.done, item.required) for item in readiness.items] == [
        ("PRICE", True, True),
        ("PHOTO", False, True),
        ("PUBLISHED", True, True),
        ("PRODUCER_PUBLISHED", True, True),
        ("DESCRIPTION", False, False),
    ]
    assert [item.code for item in readiness.missing] == ["PHOTO", "DESCRIPTION"]
    assert readiness.is_public is False


def test_readiness_of_a_ready_product(ready):
    # when
    readiness = selectors.product_readiness(product=ready)

    # then
    assert readiness.missing == []
    assert readiness.is_public is True
    assert selectors.product_is_public(product=ready) is True
