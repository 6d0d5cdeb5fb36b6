"""Request and response shapes of the sales endpoints (api/sales.py), staff only. See docs/api.md,
"Sales and the ledger".
"""

import datetime

from ninja import Field, Schema

from binakarya.api.schemas.common import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Flag,
    IsoDateTime,
    PageParam,
    PageSizeParam,
    Rupiah,
    Units,
)


class SaleLineIn(Schema):
    sku: str = Field(..., max_length=40)
    quantity: Units
    unit_price_idr: Rupiah = Field(..., description="Price of one unit, whole rupiah; more than 0.")
    price_intended: Flag = Field(
        False,
        description="Set when a price below half or above twice the catalog price is intended; needs price_reason.",
    )
    price_reason: str = Field(
        "", max_length=200, description="Why the price is far from the catalog price (kept on the sale line)."
    )


class SaleIn(Schema):
    location: str = Field(..., max_length=60, description="Code of the store, showroom or outlet sold from.")
    channel: str = Field(
        ..., max_length=14, description="WEB, WHATSAPP, POS, OUTLET, INSTITUTIONAL, EXPORT, MARKETPLACE or DIRECT."
    )
    lines: list[SaleLineIn] = Field(..., max_length=100)
    commission_idr: Rupiah = Field(0, description="The outlet's commission on the whole sale.")
    occurred_at: IsoDateTime | None = Field(
        None, description="When the sale happened; now by default. Without an offset it is read as Asia/Jakarta."
    )
    buyer: str | None = Field(None, max_length=120, description="Slug of the buying agency or outlet, if any.")
    buyer_name: str = Field("", max_length=200)


class SaleLineOut(Schema):
    sku: str
    product: str = Field(..., description="Product name.")
    lot: str = Field(..., description="Code of the lot the units came from (first in, first out).")
    quantity: int
    returned_quantity: int
    unit_price_idr: int
    total_idr: int = Field(..., description="quantity × unit_price_idr.")
    price_reason: str = Field(..., description="Why the price is far from the catalog price; empty when it is not.")


class SaleOut(Schema):
    number: str
    organization: str = Field(..., description="Organization slug.")
    location: str = Field(..., description="Location code.")
    channel: str
    buyer: str | None = Field(..., description="Slug of the buying organization, or null.")
    buyer_name: str
    occurred_at: datetime.datetime
    total_idr: int = Field(..., description="Gross amount of the sale.")
    commission_idr: int
    premi_idr: int = Field(..., description="Premi the sale credited to its makers, before any return.")
    status: str = Field(..., description="POSTED, PARTLY_REVERSED or REVERSED.")
    lines: list[SaleLineOut]


class SaleListQuery(Schema):
    location: str = Field("", max_length=60, description="Location code.")
    channel: str = Field("", max_length=14)
    page: PageParam = 1
    page_size: PageSizeParam = Field(DEFAULT_PAGE_SIZE, description=f"Capped at {MAX_PAGE_SIZE}.")


class SaleListItemOut(Schema):
    number: str
    organization: str
    location: str
    channel: str
    buyer: str | None
    buyer_name: str
    occurred_at: datetime.datetime
    total_idr: int
    commission_idr: int
    premi_idr: int
    status: str


class SaleListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[SaleListItemOut]


class ReverseLineIn(Schema):
    sku: str = Field(..., max_length=40)
    lot: str | None = Field(None, max_length=20, description="Lot code; without it the newest lot is taken first.")
    quantity: Units


class ReverseIn(Schema):
    lines: list[ReverseLineIn] | None = Field(None, max_length=100, description="Omitted or null: the whole sale.")
    reason: str = Field("", max_length=200)


class ReturnLineOut(Schema):
    sku: str
    lot: str
    quantity: int = Field(..., description="Units returned by this call.")
    unit_price_idr: int


class ReturnOut(Schema):
    number: str = Field(..., description="The sale's number.")
    status: str = Field(..., description="The sale's status after the return.")
    reason: str
    occurred_at: datetime.datetime
    lines: list[ReturnLineOut]
