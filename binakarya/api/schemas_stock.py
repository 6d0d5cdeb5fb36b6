"""Request and response shapes of the production and stock endpoints (staff only). See docs/api.md.

Request bodies only bound what the database could not store (422); every business rule is the
services' (400 with per-field errors). Responses are built field by field in the routers.
"""

import datetime
from typing import Literal

from ninja import Field, Schema

# What an integer column can take; the services' own limits are lower and answer 400.
MAX_UNITS = 1_000_000
MAX_IDR = 10**15  # Rp1.000 triliun

# Lots ------------------------------------------------------------------------------------------


class ContributionIn(Schema):
    maker: int = Field(..., description="Maker id, from GET /api/v1/makers.")
    share: int = Field(..., le=MAX_UNITS, description="Units made or hours worked; more than zero.")


class LotIn(Schema):
    sku: str = Field(..., max_length=40, description="SKU of one of the producer's variants.")
    quantity: int = Field(..., le=MAX_UNITS, description="Units produced.")
    quantity_passed: int = Field(..., le=MAX_UNITS, description="Units that passed quality control.")
    material_cost_idr: int = Field(..., le=MAX_IDR, description="Material cost of the whole lot, whole rupiah.")
    group: str | None = Field(None, max_length=120, description="Group slug; null or omitted for an UMKM.")
    location: str = Field(..., max_length=60, description="Location code where the units are stored.")
    contributions: list[ContributionIn] = Field(..., max_length=100)
    started_date: datetime.date | None = Field(None, description="Defaults to finished_date.")
    finished_date: datetime.date | None = Field(None, description="Defaults to today.")
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
    count: int | None = Field(None, le=MAX_UNITS, description="Tags to print; one per unit passed by default.")


class DocumentOut(Schema):
    number: str
    kind: str
    verify_code: str
    verify_url: str
    document_url: str = Field(..., description="Absolute URL of the PDF (GET, staff).")


# Stock and locations ---------------------------------------------------------------------------


class StockQuery(Schema):
    sku: str = Field(..., min_length=1, max_length=40)


class StockItemOut(Schema):
    location: str = Field(..., description="Location code.")
    location_name: str
    lot: str = Field(..., description="Lot code.")
    quantity: int


class StockOut(Schema):
    sku: str
    total: int = Field(..., description="Sum of the items, units in transit included.")
    items: list[StockItemOut]


class LocationOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="STORE, SHOWROOM, OUTLET or TRANSIT.")
    organization: str = Field(..., description="Organization slug.")
    outlet: str | None = Field(..., description="Slug of the outlet holding consigned stock, or null.")


class LocationListOut(Schema):
    count: int
    items: list[LocationOut]


class AdjustmentIn(Schema):
    lot: str = Field(..., max_length=20)
    location: str = Field(..., max_length=60)
    quantity: int = Field(..., ge=-MAX_UNITS, le=MAX_UNITS, description="Signed: + adds units, - removes them.")
    reason: str = Field(..., max_length=200)


class AdjustmentOut(Schema):
    lot: str
    sku: str
    location: str
    kind: str
    quantity: int
    reason: str
    balance: int = Field(..., description="Units of the lot at the location after the adjustment.")


class CountLineIn(Schema):
    lot: str = Field(..., max_length=20)
    counted: int = Field(..., le=MAX_UNITS)


class CountIn(Schema):
    location: str = Field(..., max_length=60)
    lines: list[CountLineIn] = Field(..., max_length=1000)
    note: str = Field("", max_length=200)


class CountLineOut(Schema):
    lot: str
    sku: str
    book: int = Field(..., description="Units the books held before the count.")
    counted: int
    variance: int = Field(..., description="counted - book; posted as a COUNTED movement when not zero.")


class CountOut(Schema):
    id: int
    location: str
    note: str
    variance: int = Field(..., description="Sum of the lines' variances.")
    lines: list[CountLineOut]


# Transfers -------------------------------------------------------------------------------------


class TransferLineIn(Schema):
    sku: str = Field(..., max_length=40)
    quantity: int = Field(..., le=MAX_UNITS)


class TransferIn(Schema):
    from_location: str = Field(..., max_length=60)
    to_location: str = Field(..., max_length=60)
    sku: str | None = Field(None, max_length=40, description="One SKU; or use lines.")
    quantity: int | None = Field(None, le=MAX_UNITS)
    lines: list[TransferLineIn] | None = Field(None, max_length=100, description="Several SKUs, instead of sku.")
    note: str = Field("", max_length=200)


class ReceiveLineIn(Schema):
    lot: str = Field(..., max_length=20)
    quantity_received: int = Field(..., le=MAX_UNITS)


class ReceiveIn(Schema):
    lines: list[ReceiveLineIn] | None = Field(None, description="Omitted or null: everything arrived.")
    note: str = Field("", max_length=200)


class TransferLineOut(Schema):
    sku: str
    lot: str
    quantity: int = Field(..., description="Units sent.")
    quantity_received: int | None
    discrepancy: int | None = Field(..., description="Sent but not received; null until received.")


class TransferOut(Schema):
    number: str
    status: str = Field(..., description="IN_TRANSIT, RECEIVED or DISCREPANCY.")
    from_location: str
    to_location: str
    note: str
    units: int = Field(..., description="Units sent.")
    discrepancy: int | None = Field(..., description="Units sent but not received; null until received.")
    received_at: datetime.datetime | None
    verify_code: str | None
    verify_url: str | None
    document_url: str | None = Field(..., description="Absolute URL of the surat jalan PDF.")
    lines: list[TransferLineOut]
