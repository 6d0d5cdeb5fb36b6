"""Request and response shapes of the public catalog endpoints (api/catalog.py). Nothing here names a maker."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from binakarya.api.schemas.common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageParam, PageSizeParam


class ProductListQuery(Schema):
    q: str = Field("", max_length=200, description="Search words; Indonesian affixes are stemmed (membatik → batik).")
    category: str = Field("", max_length=80, description="Category slug, e.g. batik-tulis.")
    producer: str = Field("", max_length=120, description="Producer slug.")
    page: PageParam = Field(1, description="1-based page number. Pages past the last one return no items.")
    page_size: PageSizeParam = Field(
        DEFAULT_PAGE_SIZE,
        description=f"Items per page, {DEFAULT_PAGE_SIZE} by default; above {MAX_PAGE_SIZE} it is capped.",
    )


class ProducerBriefOut(Schema):
    slug: str
    name: str
    kind: str = Field(..., description="FACILITY_GROUP or UMKM.")


class ProductListItemOut(Schema):
    slug: str
    name: str
    price_idr: int = Field(..., description="Lowest price of the product's active variants, in whole rupiah.")
    category: str = Field(..., description="Category slug.")
    producer: ProducerBriefOut
    image_url: str | None = Field(..., description="Absolute URL of the cover thumbnail, or null.")
    in_stock: bool
    url: str = Field(..., description="Absolute URL of the product page on the storefront.")


class ProductListOut(Schema):
    count: int = Field(..., description="Matching products; for a text search, at most 1000 (see count_capped).")
    count_capped: bool = Field(
        False, description="True when a text search matched more than 1000 products and count is 1000."
    )
    page: int
    page_size: int
    items: list[ProductListItemOut]


class CategoryOut(Schema):
    slug: str
    name: str


class ProducerDetailOut(Schema):
    slug: str
    name: str
    kind: str
    region: str
    facility: str | None = Field(..., description="Name of the correctional facility, or null for an UMKM producer.")


class VariantOut(Schema):
    sku: str
    name: str
    price_idr: int
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    in_stock: bool


class ImageOut(Schema):
    thumbnail_url: str
    image_url: str


class ProductDetailOut(Schema):
    slug: str
    name: str
    description: str
    story: str
    materials: str
    technique: str
    certifications: str
    hs_code: str
    made_to_order: bool
    lead_time_days: int
    moq: int
    category: CategoryOut
    producer: ProducerDetailOut
    variants: list[VariantOut]
    images: list[ImageOut]
    url: str
    whatsapp_url: str | None = Field(..., description="https://wa.me/62… link with a prefilled order message, or null.")
    # Export (issue 13)
    name_en: str = Field("", description="The English name; empty when not translated (use name).")
    description_en: str = ""
    story_en: str = ""
    price_usd: Decimal | None = Field(
        None,
        description="Indicative price in US dollars (lowest variant), in English or with ?currency=USD; "
        "null without a rate. Rupiah stays the currency of record.",
    )
    price_usd_rate_date: datetime.date | None = None


class ProducerOut(Schema):
    slug: str
    name: str
    kind: str
    region: str
    phone: str | None = Field(
        ..., description="International form (62…); a facility group may use its facility's number."
    )
    whatsapp_url: str | None
    url: str


class ProducerListOut(Schema):
    count: int
    items: list[ProducerOut]
