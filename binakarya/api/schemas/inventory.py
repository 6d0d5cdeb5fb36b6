"""Request and response shapes of the stock endpoints (api/inventory.py), staff only."""

import datetime
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import Units

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
    kind: str = Field(..., description="STORE, SHOWROOM, OUTLET, EVENT (a bazaar or exhibition) or TRANSIT.")
    organization: str = Field(..., description="Organization slug.")
    outlet: str | None = Field(..., description="Slug of the outlet holding consigned stock, or null.")


class LocationIn(Schema):
    organization: str = Field(..., max_length=120, description="Slug of the organization that owns the location.")
    name: str = Field(..., min_length=1, max_length=120)
    kind: Literal["STORE", "SHOWROOM", "OUTLET", "EVENT"] = Field(
        ..., description="EVENT: a bazaar or exhibition that stock is sent to and back from, with a surat jalan."
    )
    outlet: str | None = Field(None, max_length=120, description="OUTLET only: slug of the outlet holding the stock.")


class LocationListOut(Schema):
    count: int
    items: list[LocationOut]


class AdjustmentIn(Schema):
    lot: str = Field(..., max_length=20)
    location: str = Field(..., max_length=60)
    quantity: Units = Field(..., description="Signed: + adds units, - removes them.")
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
    counted: Units


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
    quantity: Units


class TransferIn(Schema):
    from_location: str = Field(..., max_length=60)
    to_location: str = Field(..., max_length=60)
    sku: str | None = Field(None, max_length=40, description="One SKU; or use lines.")
    quantity: Units | None = None
    lines: list[TransferLineIn] | None = Field(None, max_length=100, description="Several SKUs, instead of sku.")
    note: str = Field("", max_length=200)


class ReceiveLineIn(Schema):
    lot: str = Field(..., max_length=20)
    quantity_received: Units


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
