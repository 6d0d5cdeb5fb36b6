"""Public catalog endpoints: products and producers. No authentication, no maker data.

Every response is built here field by field from the public catalog selectors, which only return
published rows and never join makers.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view

from binakarya.api.schemas.catalog import ProducerListOut, ProductDetailOut, ProductListOut, ProductListQuery
from binakarya.api.schemas.common import MAX_PAGE_SIZE, ErrorOut, FieldErrorsOut
from binakarya.catalog import export_selectors
from binakarya.catalog.models import Producer, Product
from binakarya.catalog.selectors import (
    CatalogQuery,
    producer_contact_phone,
    producer_list_public,
    product_get_public,
    product_search,
)
from binakarya.core.cache import public_page_cache
from binakarya.core.phone import whatsapp_url
from binakarya.organizations.models import Organization

router = Router(tags=["catalog"])


def _media_url(request: HttpRequest, name: str | None) -> str | None:
    """Absolute URL of a stored file (MEDIA_URL + name locally; the storage's own URL on S3)."""
    return request.build_absolute_uri(default_storage.url(name)) if name else None


def _product_url(request: HttpRequest, product: Product) -> str:
    return request.build_absolute_uri(reverse("storefront:product", kwargs={"slug": product.slug}))


def _producer_url(request: HttpRequest, producer: Producer) -> str:
    return request.build_absolute_uri(reverse("storefront:producer", kwargs={"slug": producer.slug}))


@router.get(
    "/products",
    response={200: ProductListOut, 422: FieldErrorsOut},
    summary="Search and list published products",
)
@decorate_view(public_page_cache)
def product_list(request: HttpRequest, filters: Query[ProductListQuery]) -> dict[str, Any]:
    """Published products ordered by name, 24 a page by default.

    ``q`` uses the storefront's Indonesian stemming, so *membatik* and *batiknya* both find *batik*.
    Two queries: the count and the page's rows.
    """
    page_size = min(filters.page_size, MAX_PAGE_SIZE)
    query = CatalogQuery(q=filters.q, category=filters.category, producer=filters.producer)
    result = product_search(query=query, page=filters.page, page_size=page_size)
    # The selector clamps absurd page numbers to its last allowed page; a client asking past it gets nothing.
    items = result.items if result.page == filters.page else []
    return {
        "count": result.count,
        "count_capped": result.count_capped,
        "page": filters.page,
        "page_size": page_size,
        "items": [
            {
                "slug": p.slug,
                "name": p.name,
                "price_idr": p.price_min_idr,
                "category": p.category.slug,
                "producer": {"slug": p.producer.slug, "name": p.producer.name, "kind": p.producer.kind},
                "image_url": _media_url(request, p.cover_thumbnail),
                "in_stock": p.in_stock,
                "url": _product_url(request, p),
            }
            for p in items
        ],
    }


@router.get(
    "/products/{slug}",
    response={200: ProductDetailOut, 404: ErrorOut},
    summary="One published product with its variants and photos",
)
@decorate_view(public_page_cache)
def product_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Three queries: the product (with producer, category, organization), its variants, its photos."""
    product = product_get_public(slug=slug)  # Product.DoesNotExist -> 404 {"detail": "Not found"}
    producer = product.producer
    organization = product.organization
    if producer.organization_id == organization.pk:
        # Same row, already loaded: spares producer_contact_phone a query.
        producer.organization = organization
    url = _product_url(request, product)
    message = _("Hello, I would like to order %(name)s (%(url)s)") % {"name": product.name, "url": url}
    return {
        "slug": product.slug,
        "name": product.name,
        "description": product.description,
        "story": product.story,
        "materials": product.materials,
        "technique": product.technique,
        "certifications": product.certifications,
        "hs_code": product.hs_code,
        "made_to_order": product.made_to_order,
        "lead_time_days": product.lead_time_days,
        "moq": product.moq,
        "category": {"slug": product.category.slug, "name": product.category.name},
        "producer": {
            "slug": producer.slug,
            "name": producer.name,
            "kind": producer.kind,
            "region": organization.region,
            "facility": organization.name if organization.kind == Organization.Kind.FACILITY else None,
        },
        "variants": [
            {
                "sku": v.sku,
                "name": v.name,
                "price_idr": v.price_idr,
                "weight_grams": v.weight_grams,
                "length_mm": v.length_mm,
                "width_mm": v.width_mm,
                "height_mm": v.height_mm,
                "in_stock": v.stock_quantity > 0 or product.made_to_order,
            }
            for v in product.variants.all()
        ],
        "images": [
            {
                "thumbnail_url": _media_url(request, photo.thumbnail.name),
                "image_url": _media_url(request, photo.image.name),
            }
            for photo in product.photos.all()
        ],
        "url": url,
        "whatsapp_url": whatsapp_url(producer_contact_phone(producer), message) or None,
        **_export_fields(request, product),
    }


def _export_fields(request: HttpRequest, product: Product) -> dict[str, Any]:
    """Issue 13: English texts (empty when not translated) and, in English or with ``?currency=USD``, the
    indicative US dollar price (one more query; null without a rate). Rupiah stays the currency of record."""
    fields: dict[str, Any] = {
        "name_en": product.name_en,
        "description_en": product.description_en,
        "story_en": product.story_en,
        "price_usd": None,
        "price_usd_rate_date": None,
    }
    currencies = export_selectors.display_currencies(
        language=get_language() or "", chosen=request.GET.get("currency", "")
    )
    if "USD" in currencies:
        for price in export_selectors.indicative_prices(product=product, currencies=("USD",)):
            fields["price_usd"], fields["price_usd_rate_date"] = price.low, price.effective_date
    return fields


@router.get("/producers", response=ProducerListOut, summary="Published producers that have published products")
@decorate_view(public_page_cache)
def producer_list(request: HttpRequest) -> dict[str, Any]:
    """Facility groups appear under the group's name and their facility's region, never with members."""
    items = []
    for producer in producer_list_public():
        url = _producer_url(request, producer)
        phone = producer_contact_phone(producer)
        message = _("Hello %(name)s, I saw your products on Binakarya (%(url)s)") % {"name": producer.name, "url": url}
        items.append(
            {
                "slug": producer.slug,
                "name": producer.name,
                "kind": producer.kind,
                "region": producer.organization.region,
                "phone": phone or None,
                "whatsapp_url": whatsapp_url(phone, message) or None,
                "url": url,
            }
        )
    return {"count": len(items), "items": items}
