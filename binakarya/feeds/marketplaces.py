"""The marketplace files, from FeedItems: TikTok Shop's catalog CSV (TikTok Shop now also runs Tokopedia), and
Shopee's mass-upload sheet and stock-and-price update sheet (XLSX).

Like the Meta and Google feeds they list the same rows (one per active variant of a seller's public products)
and never a maker: they read FeedItems only. Sizes go out in the units the marketplaces ask for: the package
weight in grams, its length, width and height in whole centimetres (rounded up, as couriers measure).
"""

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from binakarya.core.exports import Column, Table, xlsx_bytes
from binakarya.feeds.selectors import FeedItem

# TikTok's nine required catalog fields first, then the optional ones a craft needs.
TIKTOK_FIELDS = (
    "sku_id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "item_group_id",
    "additional_image_link",
    "package_weight_g",
    "package_length_cm",
    "package_width_cm",
    "package_height_cm",
)
# TikTok reads up to ten additional images, comma-separated.
TIKTOK_MAX_ADDITIONAL_IMAGES = 10

# The columns of Shopee's basic mass-upload template, in its order: one row per variant, the variants of a
# product sharing its Parent SKU and Variation Integration No. A cover image and up to eight item images.
SHOPEE_ITEM_IMAGES = 8
SHOPEE_COLUMNS = (
    "Category",
    "Product Name",
    "Product Description",
    "Parent SKU",
    "Variation Integration No.",
    "Variation Name1",
    "Option for Variation 1",
    "Price",
    "Stock",
    "SKU",
    "Cover image",
    *(f"Item Image {n}" for n in range(1, SHOPEE_ITEM_IMAGES + 1)),
    "Weight (g)",
    "Length (cm)",
    "Width (cm)",
    "Height (cm)",
    "Days to Ship",
)
SHOPEE_STOCK_COLUMNS = ("Parent SKU", "SKU", "Product Name", "Variation Name", "Price", "Stock")
# Shopee's ready-stock shipping time; a made-to-order product is listed as pre-order with its lead time.
SHOPEE_READY_STOCK_DAYS = 2
VARIATION_NAME = {"id": "Varian", "en": "Variant"}


def centimetres(mm: int) -> int | None:
    """Millimetres as whole centimetres, rounded up (a 1 mm side is 1 cm); None for an unknown (0) size."""
    return math.ceil(mm / 10) if mm > 0 else None


def days_to_ship(item: FeedItem) -> int:
    """The pre-order lead time of a made-to-order product, else Shopee's ready-stock days."""
    return item.lead_time_days if item.made_to_order and item.lead_time_days > 0 else SHOPEE_READY_STOCK_DAYS


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def tiktok_row(item: FeedItem) -> dict[str, str]:
    """One TIKTOK_FIELDS row: the catalog fields of Meta's feed, the other photos and the package."""
    return {
        "sku_id": item.id,
        "title": item.title,
        "description": item.description,
        "availability": item.availability,
        "condition": item.condition,
        "price": item.price,
        "link": item.link,
        "image_link": item.image_link,
        "brand": item.brand,
        "item_group_id": item.item_group_id,
        "additional_image_link": ",".join(item.image_links[1 : 1 + TIKTOK_MAX_ADDITIONAL_IMAGES]),
        "package_weight_g": _number(item.weight_grams or None),
        "package_length_cm": _number(centimetres(item.length_mm)),
        "package_width_cm": _number(centimetres(item.width_mm)),
        "package_height_cm": _number(centimetres(item.height_mm)),
    }


def tiktok_csv(items: Iterable[FeedItem]) -> str:
    """TikTok Shop's catalog CSV: a header row of TIKTOK_FIELDS, then one row per item."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TIKTOK_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow(tiktok_row(item))
    return out.getvalue()


def shopee_rows(items: Sequence[FeedItem], *, language: str = "id") -> list[list[Any]]:
    """One SHOPEE_COLUMNS row per item. The variants of a product (a shared ``item_group_id``) share its
    Parent SKU and a Variation Integration No. (V1, V2… in the order of the file); a single variant has none."""
    groups: dict[str, str] = {}
    rows: list[list[Any]] = []
    for item in items:
        group = ""
        if item.item_group_id:
            group = groups.setdefault(item.item_group_id, f"V{len(groups) + 1}")
        images = list(item.image_links[1 : 1 + SHOPEE_ITEM_IMAGES])
        images += [""] * (SHOPEE_ITEM_IMAGES - len(images))
        rows.append(
            [
                item.category,
                item.product_title or item.title,
                item.description,
                item.item_group_id,
                group,
                VARIATION_NAME.get(language, VARIATION_NAME["id"]) if group else "",
                (item.variant_name or item.id) if group else "",
                item.price_idr,
                item.stock,
                item.id,
                item.image_link,
                *images,
                item.weight_grams or None,
                centimetres(item.length_mm),
                centimetres(item.width_mm),
                centimetres(item.height_mm),
                days_to_ship(item),
            ]
        )
    return rows


def shopee_xlsx(items: Sequence[FeedItem], *, language: str = "id") -> bytes:
    """Shopee's mass-upload sheet for new listings (XLSX, one sheet): SHOPEE_COLUMNS, one row per variant."""
    table = Table(
        title="Shopee", columns=[Column(c) for c in SHOPEE_COLUMNS], rows=shopee_rows(items, language=language)
    )
    return xlsx_bytes([table], repeatable=True)


def shopee_stock_rows(items: Iterable[FeedItem]) -> list[list[Any]]:
    return [
        [item.item_group_id, item.id, item.product_title or item.title, item.variant_name, item.price_idr, item.stock]
        for item in items
    ]


def shopee_stock_xlsx(items: Iterable[FeedItem]) -> bytes:
    """Shopee's stock-and-price update sheet (XLSX): each SKU with its price and units in stock."""
    table = Table(title="Shopee stok", columns=[Column(c) for c in SHOPEE_STOCK_COLUMNS], rows=shopee_stock_rows(items))
    return xlsx_bytes([table], repeatable=True)
