"""Schemas of the export endpoints (issue 13): a product's export data and English texts, exchange rates."""

import datetime
from decimal import Decimal

from ninja import Field, Schema


class ProductExportOut(Schema):
    product: str = Field(..., description="The product's slug.")
    hs_code: str
    net_weight_grams: int
    gross_weight_grams: int
    package_length_mm: int
    package_width_mm: int
    package_height_mm: int
    moq: int
    lead_time_days: int
    certifications: list[str] = Field(..., description="BATIKMARK, SVLK, SNI, HALAL.")
    certifications_other: str
    name_en: str
    description_en: str
    story_en: str
    saved: bool = Field(..., description="False until export data was saved once (the values are defaults).")


class ProductExportIn(Schema):
    hs_code: str = Field("", max_length=12, description="4, 6 or 8 digits, optionally with dots: 6602.00.")
    net_weight_grams: int = 0
    gross_weight_grams: int = 0
    package_length_mm: int = 0
    package_width_mm: int = 0
    package_height_mm: int = 0
    moq: int = 1
    lead_time_days: int = 0
    certifications: list[str] = Field(default_factory=list, max_length=10)
    certifications_other: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    description_en: str = Field("", max_length=20000)
    story_en: str = Field("", max_length=20000)


class ExchangeRateOut(Schema):
    id: int
    organization: str
    currency: str
    idr_per_unit: Decimal = Field(..., description="Rupiah per unit, two decimals at most.")
    effective_date: datetime.date
    entered_by: str | None


class ExchangeRateListOut(Schema):
    count: int
    items: list[ExchangeRateOut]


class ExchangeRateIn(Schema):
    organization: str = Field("", max_length=120, description="Organization slug; may be left out with one.")
    currency: str = Field(..., max_length=3, description="USD, EUR, SGD or JPY.")
    idr_per_unit: Decimal = Field(..., description="Rupiah per unit, e.g. 16250 or 108.45 (a string or a number).")
    effective_date: datetime.date | None = None
