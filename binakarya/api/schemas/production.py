"""Request and response shapes of the production lot endpoints (api/production.py), staff only."""

import datetime
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import Id, IsoDate, Rupiah, Units


class ContributionIn(Schema):
    maker: Id = Field(..., description="Maker id, from GET /api/v1/makers.")
    share: Units = Field(..., description="Units made or hours worked; more than zero.")


class LotIn(Schema):
    sku: str = Field(..., max_length=40, description="SKU of one of the producer's variants.")
    quantity: Units = Field(..., description="Units produced.")
    quantity_passed: Units = Field(..., description="Units that passed quality control.")
    material_cost_idr: Rupiah = Field(..., description="Material cost of the whole lot, whole rupiah.")
    group: str | None = Field(None, max_length=120, description="Group slug; null or omitted for an UMKM.")
    location: str = Field(..., max_length=60, description="Location code where the units are stored.")
    contributions: list[ContributionIn] = Field(..., max_length=100)
    started_date: IsoDate | None = Field(None, description="Defaults to finished_date.")
    finished_date: IsoDate | None = Field(None, description="Defaults to today.")
    share_basis: Literal["UNITS", "HOURS"] = "UNITS"
    notes: str = Field("", max_length=2000)


class ContributionOut(Schema):
    maker: int = Field(..., description="Maker id.")
    name: str
    share: int


class LotStockOut(Schema):
    location: str = Field(..., description="Location code.")
    location_name: str
    quantity: int


class LotOut(Schema):
    code: str
    sku: str
    product: str = Field(..., description="Product name.")
    organization: str = Field(..., description="Organization slug.")
    group: str | None = Field(..., description="Group slug, or null for an UMKM lot.")
    quantity: int = Field(..., description="Units produced.")
    quantity_passed: int
    material_cost_idr: int
    unit_cost_idr: int = Field(..., description="material_cost_idr / quantity_passed, rounded half up.")
    share_basis: str
    started_date: datetime.date
    finished_date: datetime.date
    notes: str
    trace_url: str = Field(..., description="Absolute URL of the public trace page the tags' QR codes open.")
    stock: list[LotStockOut] = Field(..., description="Units of this lot on hand, per location (in transit too).")
    contributions: list[ContributionOut] | None = Field(
        ..., description="Who made the lot; null unless the caller sees the organization's makers."
    )


class LotCreatedOut(LotOut):
    location: str = Field(..., description="Code of the location that received the units.")


class TagsIn(Schema):
    count: Units | None = Field(None, description="Tags to print; one per unit passed by default.")


class DocumentOut(Schema):
    number: str
    kind: str
    verify_code: str
    verify_url: str
    document_url: str = Field(..., description="Absolute URL of the PDF (GET, staff).")
