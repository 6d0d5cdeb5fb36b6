"""Reads for the channel product feeds (issue 14): one row per active variant of a seller's published
products, in one language; and the stored feed files that the public URLs serve.

A feed carries the product, its producer's public name and its price only: never a maker. Nothing here
reads binakarya.makers; the producer's ``name`` is the group's or the UMKM's public name.
"""

import datetime
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation

from binakarya.catalog.export_selectors import localized
from binakarya.catalog.models import Photo, Product, Variant
from binakarya.catalog.selectors import products_for_staff, products_public_of_seller
from binakarya.core.types import Actor
from binakarya.feeds.models import FeedFile
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES
from binakarya.organizations.selectors import BOOK_KINDS, organization_get, organizations_for

LANGUAGES = ("id", "en")
IN_STOCK = "in stock"
OUT_OF_STOCK = "out of stock"


@dataclass(frozen=True)
class FeedItem:
    """One variant as the channels want it. ``price`` is e.g. "150000 IDR".

    The fields after ``brand`` are what the marketplace files (TikTok Shop, Shopee: binakarya.feeds.marketplaces)
    need beyond Meta's and Google's: the figures as numbers, the package, every photo and the days to ship.
    """

    id: str
    item_group_id: str
    title: str
    description: str
    availability: str
    condition: str
    price: str
    link: str
    image_link: str
    brand: str
    price_idr: int = 0
    stock: int = 0
    weight_grams: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    product_title: str = ""  # the product's name, without the variant's
    variant_name: str = ""
    category: str = ""
    image_links: tuple[str, ...] = ()  # every photo's large rendition, the main one first
    made_to_order: bool = False
    lead_time_days: int = 0


@dataclass(frozen=True)
class FeedChannel:
    """The feed's own title, link and description (the RSS ``<channel>``)."""

    title: str
    link: str
    description: str


def seller_get(*, slug: str) -> Organization:
    """The active facility or UMKM producer ``slug`` whose products a feed lists.

    Raises Organization.DoesNotExist.
    """
    return organization_get(slug=slug, kinds=BOOK_KINDS)


def price_text(price_idr: int) -> str:
    """150000 -> "150000 IDR" (whole rupiah, no grouping: the form Meta and Google read)."""
    return f"{int(price_idr)} IDR"


def _absolute(base_url: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base_url + url


def _image_links(photos: list[Photo], base_url: str) -> tuple[str, ...]:
    """Every photo's large rendition, absolute, by position: the first is the main one."""
    return tuple(_absolute(base_url, default_storage.url(photo.image.name)) for photo in photos)


def feed_title(product: Product, variant: Variant, language: str, several: bool) -> str:
    """The item's title in ``language``: the product's name, with `` - <variant>`` when it has ``several``."""
    title = localized(product, "name", language).text
    return f"{title} - {variant.name}" if several and variant.name else title


def feed_channel(*, organization: Organization, language: str, base_url: str) -> FeedChannel:
    """The channel of ``organization``'s feed in ``language``: its name and its public impact page."""
    with translation.override(language):
        link = base_url + reverse("storefront:impact", kwargs={"slug": organization.slug})
    text = "Products of" if language == "en" else "Produk"
    return FeedChannel(title=f"{organization.name} - Binakarya", link=link, description=f"{text} {organization.name}")


def feed_items(*, organization: Organization, language: str, base_url: str) -> list[FeedItem]:
    """One item per active variant of ``organization``'s published products, in ``language`` ("id" or "en";
    English texts fall back to Indonesian). ``base_url`` (e.g. "https://binakarya.id") makes links absolute.

    A product with several variants shares its slug as ``item_group_id``; a product with one variant has
    none. Three queries.
    """
    items: list[FeedItem] = []
    with translation.override(language):
        for product in products_public_of_seller(organization_id=organization.pk):
            variants = list(product.variants.all())
            several = len(variants) > 1
            link = base_url + reverse("storefront:product", kwargs={"slug": product.slug})
            image_links = _image_links(list(product.photos.all()), base_url)
            description = localized(product, "description", language).text.strip()
            product_title = localized(product, "name", language).text
            category = (language == "en" and product.category.name_en) or product.category.name
            for variant in variants:
                title = feed_title(product, variant, language, several)
                items.append(
                    FeedItem(
                        id=variant.sku,
                        item_group_id=product.slug if several else "",
                        title=title,
                        # Meta and Google refuse an empty description; the title stands in for a missing one.
                        description=description or title,
                        availability=IN_STOCK if variant.stock_quantity > 0 else OUT_OF_STOCK,
                        condition="new",
                        price=price_text(variant.price_idr),
                        link=link,
                        image_link=image_links[0] if image_links else "",
                        brand=product.producer.name,
                        price_idr=int(variant.price_idr),
                        stock=variant.stock_quantity,
                        weight_grams=variant.weight_grams,
                        length_mm=variant.length_mm,
                        width_mm=variant.width_mm,
                        height_mm=variant.height_mm,
                        product_title=product_title,
                        variant_name=variant.name,
                        category=category,
                        image_links=image_links,
                        made_to_order=product.made_to_order,
                        lead_time_days=product.lead_time_days,
                    )
                )
    return items


@dataclass(frozen=True)
class StoredFeed:
    """A stored feed file without its body: enough to answer a conditional request."""

    pk: int
    etag: str
    built_at: datetime.datetime
    modified_at: datetime.datetime


def feed_file_get(*, organization: Organization, language: str, name: str) -> StoredFeed | None:
    """The stored file ``name`` of ``organization`` in ``language``, without its body; None before the first
    build. One query."""
    row = (
        FeedFile.objects.filter(organization=organization, language=language, name=name)
        .values_list("pk", "etag", "built_at", "modified_at")
        .first()
    )
    return StoredFeed(*row) if row else None


def feed_file_body(*, pk: int) -> bytes:
    """The body of the stored feed file ``pk``. Raises FeedFile.DoesNotExist."""
    return bytes(FeedFile.objects.values_list("body", flat=True).get(pk=pk))


def feed_sellers(*, slug: str | None = None) -> list[Organization]:
    """The active facilities and UMKM producers that have feeds (only ``slug``, when given), by slug.

    Raises Organization.DoesNotExist when ``slug`` is not one of them.
    """
    if slug is not None:
        return [seller_get(slug=slug)]
    return list(Organization.objects.filter(kind__in=BOOK_KINDS, is_active=True).order_by("slug"))


# Staff: the sellers whose feeds a user manages, and their products to check (binakarya.feeds.validation) --


def sellers_for_staff(*, user: Actor) -> list[Organization]:
    """The active facilities and UMKM producers whose catalog ``user`` manages (never through oversight), by name."""
    return list(organizations_for(user=user, roles=CATALOG_ROLES, oversight=False, kinds=BOOK_KINDS, active_only=True))


def seller_for_staff(*, user: Actor, slug: str) -> Organization:
    """The seller ``slug`` among :func:`sellers_for_staff`.

    Raises Organization.DoesNotExist for an unknown slug and for one outside the user's scope alike.
    """
    sellers = organizations_for(user=user, roles=CATALOG_ROLES, oversight=False, kinds=BOOK_KINDS, active_only=True)
    return sellers.get(slug=slug)


def products_to_check(*, user: Actor, organization: Organization) -> list[Product]:
    """The published products of ``organization`` (whose catalog ``user`` manages), ready to sell or not, with
    producer, category, active variants (cheapest first) and photos (by position), by name: what the channel
    checks read. Three queries."""
    return list(
        products_for_staff(user=user, organization=organization, published=True).prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price_idr", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        )
    )
