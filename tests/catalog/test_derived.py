"""catalog.derived.product_derived: a product's denormalised columns, computed without the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from binakarya.catalog.derived import product_derived
from binakarya.catalog.models import Category, Producer, Product, Variant
from binakarya.organizations.models import Organization


def _product(*, made_to_order: bool = False) -> Product:
    organization = Organization(name="Rutan Kelas IIB Sumenep", regency="Sumenep")
    return Product(
        organization=organization,
        producer=Producer(organization=organization, name="Kelompok Batik Sekar Arum"),
        category=Category(name="Batik Tulis", name_en="Hand-drawn batik"),
        name="Kain Batik Tulis Kawung",
        description="Dilukis dengan canting",
        materials="katun",
        technique="membatik",
        made_to_order=made_to_order,
    )


def test_only_active_variants_count_and_no_query_is_made(db):
    variants = [
        Variant(price_idr=300_000, stock_quantity=0, is_active=True),
        Variant(price_idr=450_000, stock_quantity=0, is_active=True),
        Variant(price_idr=90_000, stock_quantity=7, is_active=False),
    ]
    with CaptureQueriesContext(connection) as queries:
        derived = product_derived(product=_product(), variants=variants, cover_thumbnail="photos/thumb/a.webp")
    assert len(queries) == 0
    assert (derived.price_min_idr, derived.price_max_idr, derived.in_stock) == (300_000, 450_000, False)
    assert derived.cover_thumbnail == "photos/thumb/a.webp"
    for word in ("kawung", "canting", "katun", "batik", "hand", "sekar", "sumenep"):
        assert f" {word} " in derived.search_document


def test_made_to_order_is_in_stock_and_no_variant_means_no_price():
    derived = product_derived(product=_product(made_to_order=True), variants=[], cover_thumbnail="")
    assert (derived.price_min_idr, derived.price_max_idr, derived.in_stock, derived.cover_thumbnail) == (0, 0, True, "")


def test_apply_to_sets_every_derived_column():
    product = _product()
    variants = [Variant(price_idr=20_000, stock_quantity=1, is_active=True)]
    product_derived(product=product, variants=variants, cover_thumbnail="t.webp").apply_to(product)
    assert (product.price_min_idr, product.price_max_idr, product.in_stock, product.cover_thumbnail) == (
        20_000,
        20_000,
        True,
        "t.webp",
    )
    assert " kawung " in product.search_document
