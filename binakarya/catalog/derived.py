"""A product's denormalised columns, computed in one place from what the product is made of.

The catalog lists and searches products without joining their variants and photos, so each product
keeps its price range, a stock flag, its search document and its cover's thumbnail. Both
``catalog.services.product_refresh`` (one product, read from the database) and the
``generate_dataset`` command (thousands of unsaved products) compute them with :func:`product_derived`,
which reads no database: the caller passes the variants and the cover it already has.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from binakarya.catalog.models import Product, Variant
from binakarya.catalog.search import search_document

# The columns product_derived() fills, in the order of ProductDerived's fields.
DERIVED_FIELDS = (
    "price_min_idr",
    "price_max_idr",
    "in_stock",
    "cover_thumbnail",
    "search_document",
    "cover_thumbnail_small",
)


@dataclass(frozen=True)
class ProductDerived:
    price_min_idr: int
    price_max_idr: int
    in_stock: bool
    cover_thumbnail: str
    search_document: str
    cover_thumbnail_small: str = ""

    def apply_to(self, product: Product) -> None:
        """Set these values on ``product`` (unsaved: the caller saves it, with DERIVED_FIELDS)."""
        product.price_min_idr = self.price_min_idr
        product.price_max_idr = self.price_max_idr
        product.in_stock = self.in_stock
        product.cover_thumbnail = self.cover_thumbnail
        product.search_document = self.search_document
        product.cover_thumbnail_small = self.cover_thumbnail_small


def product_derived(
    *, product: Product, variants: Iterable[Variant], cover_thumbnail: str, cover_thumbnail_small: str = ""
) -> ProductDerived:
    """The denormalised columns of ``product`` from its ``variants`` and its cover photo's thumbnail name.

    Only active variants count: the price range is theirs (0 to 0 without any), and the product is in
    stock when one of them has stock, or always when it is made to order. The search document stems
    the product's own words, its category's names, its producer's name and its organization's name and
    regency, so ``product.category``, ``product.producer`` and ``product.organization`` must be loaded
    (or assigned) already. ``cover_thumbnail`` is "" for a product without photos, and
    ``cover_thumbnail_small`` (the cover's 320 px rendition) "" also for a cover stored before that
    rendition existed. Reads no database.
    """
    active = [variant for variant in variants if variant.is_active]
    prices = [variant.price_idr for variant in active]
    category, organization = product.category, product.organization
    return ProductDerived(
        price_min_idr=min(prices, default=0),
        price_max_idr=max(prices, default=0),
        in_stock=product.made_to_order or any(variant.stock_quantity > 0 for variant in active),
        cover_thumbnail=cover_thumbnail,
        cover_thumbnail_small=cover_thumbnail_small,
        search_document=search_document(
            product.name,
            category.name,
            category.name_en,
            product.description,
            product.materials,
            product.technique,
            product.producer.name,
            organization.name,
            organization.regency,
        ),
    )
