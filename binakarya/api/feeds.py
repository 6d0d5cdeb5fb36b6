"""Staff endpoints of the channel feeds (issue 14): what each channel would refuse of a seller's published
products, and the marketplace files (TikTok Shop CSV, Shopee XLSX) to download. The seller is one whose catalog
the caller manages: another is a 404. Never a maker."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut
from binakarya.api.schemas.feeds import FeedLanguageQuery, FeedProblemsOut
from binakarya.core.exports import CONTENT_TYPES
from binakarya.feeds import marketplaces, selectors, validation
from binakarya.feeds.selectors import FeedItem
from binakarya.organizations.models import Organization

router = Router(tags=["feeds"], auth=STAFF_AUTH)

FILE_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


def _items(request: HttpRequest, seller: Organization, lang: str) -> list[FeedItem]:
    return selectors.feed_items(
        organization=seller, language=lang, base_url=request.build_absolute_uri("/").rstrip("/")
    )


def _download(content: str | bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/feeds/{seller_slug}/problems",
    response={200: FeedProblemsOut, 401: ErrorOut, 404: ErrorOut},
    summary="What Meta, Google, TikTok Shop and Shopee would refuse of each of a seller's published products",
)
def feed_problems(request: AuthenticatedRequest, seller_slug: str) -> dict[str, Any]:
    seller = selectors.seller_for_staff(user=request.auth, slug=seller_slug)
    checks = validation.products_check(selectors.products_to_check(user=request.auth, organization=seller))
    return {
        "seller": seller.slug,
        "checked": len(checks),
        "ready": sum(1 for c in checks if not c.problems),
        "channels": [
            {
                "channel": channel,
                "label": rules.label,
                "title_max": rules.title_max,
                "image_min_px": rules.image_min_px,
                "needs_weight": rules.needs_weight,
                "needs_package_size": rules.needs_package_size,
                "needs_days_to_ship": rules.needs_days_to_ship,
            }
            for channel, rules in validation.RULES.items()
        ],
        "products": [
            {
                "product": c.product.slug,
                "name": c.product.name,
                "in_feeds": c.in_feeds,
                "problems": [
                    {
                        "channel": p.channel,
                        "field": p.field,
                        "code": p.code,
                        "sku": p.sku,
                        "language": p.language,
                        "message": p.message,
                    }
                    for p in c.problems
                ],
            }
            for c in checks
        ],
    }


@router.get(
    "/feeds/{seller_slug}/tiktok.csv",
    response={200: None} | FILE_ERRORS,
    summary="A seller's TikTok Shop catalog CSV (one row per variant)",
    openapi_extra={"responses": {200: {"description": "The CSV", "content": {"text/csv": {}}}}},
)
def feed_tiktok_csv(request: AuthenticatedRequest, seller_slug: str, query: Query[FeedLanguageQuery]) -> HttpResponse:
    seller = selectors.seller_for_staff(user=request.auth, slug=seller_slug)
    content = marketplaces.tiktok_csv(_items(request, seller, query.lang))
    return _download(content, "csv", f"{seller.slug}-{query.lang}-tiktok.csv")


@router.get(
    "/feeds/{seller_slug}/shopee.xlsx",
    response={200: None} | FILE_ERRORS,
    summary="A seller's Shopee mass-upload sheet for new listings (XLSX, one row per variant)",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {CONTENT_TYPES["xlsx"]: {}}}}},
)
def feed_shopee_xlsx(request: AuthenticatedRequest, seller_slug: str, query: Query[FeedLanguageQuery]) -> HttpResponse:
    seller = selectors.seller_for_staff(user=request.auth, slug=seller_slug)
    content = marketplaces.shopee_xlsx(_items(request, seller, query.lang), language=query.lang)
    return _download(content, "xlsx", f"{seller.slug}-{query.lang}-shopee.xlsx")


@router.get(
    "/feeds/{seller_slug}/shopee-stock.xlsx",
    response={200: None} | FILE_ERRORS,
    summary="A seller's Shopee stock-and-price update sheet (XLSX: SKU, price, stock)",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {CONTENT_TYPES["xlsx"]: {}}}}},
)
def feed_shopee_stock_xlsx(
    request: AuthenticatedRequest, seller_slug: str, query: Query[FeedLanguageQuery]
) -> HttpResponse:
    seller = selectors.seller_for_staff(user=request.auth, slug=seller_slug)
    content = marketplaces.shopee_stock_xlsx(_items(request, seller, query.lang))
    return _download(content, "xlsx", f"{seller.slug}-{query.lang}-shopee-stock.xlsx")
