"""Request and response shapes of the point of sale endpoints (api/pos.py), staff only. See docs/api.md,
"Point of sale".
"""

import datetime

from ninja import Field, Schema

from binakarya.api.schemas.common import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Id,
    NonNegativeRupiah,
    PageParam,
    PageSizeParam,
    Units,
)


class SessionOpenIn(Schema):
    location: str = Field(..., max_length=60, description="Code of the showroom, store or event location.")
    opening_cash_idr: NonNegativeRupiah = Field(..., description="Cash in the drawer before the first sale.")


class SessionCloseIn(Schema):
    counted_cash_idr: NonNegativeRupiah = Field(..., description="All the cash counted in the drawer.")
    note: str = Field("", max_length=200)


class SessionOut(Schema):
    id: int
    number: str
    organization: str = Field(..., description="Organization slug.")
    location: str = Field(..., description="Location code.")
    cashier: str = Field(..., description="The cashier's username.")
    status: str = Field(..., description="OPEN or CLOSED.")
    opened_at: datetime.datetime
    opening_cash_idr: int
    closed_at: datetime.datetime | None
    sales_count: int
    cash_sales_idr: int
    qris_sales_idr: int
    expected_cash_idr: int | None = Field(..., description="Opening cash plus cash sales; set at closing.")
    counted_cash_idr: int | None
    difference_idr: int | None = Field(..., description="Counted less expected; negative when cash is missing.")
    note: str
    closing_verify_code: str | None
    closing_verify_url: str | None


class SessionListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[SessionOut]


class SessionListQuery(Schema):
    status: str = Field("", max_length=6, description="OPEN or CLOSED.")
    location: str = Field("", max_length=60, description="Location code.")
    page: PageParam = 1
    page_size: PageSizeParam = Field(DEFAULT_PAGE_SIZE, description=f"Capped at {MAX_PAGE_SIZE}.")


class PosLineIn(Schema):
    lot: str | None = Field(None, max_length=40, description="Lot code on the hang tag: the unit comes from it.")
    sku: str | None = Field(None, max_length=40, description="SKU, when no lot is named: first in, first out.")
    quantity: Units


class PosSaleIn(Schema):
    session: Id = Field(..., description="Id of the caller's open session.")
    lines: list[PosLineIn] = Field(..., max_length=100)
    payment_method: str = Field(..., max_length=4, description="CASH or QRIS.")
    cash_received_idr: NonNegativeRupiah | None = Field(None, description="Required for CASH: at least the total.")


class PosSaleLineOut(Schema):
    sku: str
    product: str
    lot: str
    quantity: int
    unit_price_idr: int
    total_idr: int


class PosSaleOut(Schema):
    number: str = Field(..., description="The sale's number, also the receipt's.")
    session: int
    location: str
    payment_method: str
    total_idr: int
    cash_received_idr: int | None
    change_idr: int
    premi_idr: int
    receipt_verify_code: str
    receipt_verify_url: str
    lines: list[PosSaleLineOut]
