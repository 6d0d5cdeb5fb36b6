"""Request and response shapes of the order endpoints (api/orders.py). See docs/api.md, "Orders"."""

import datetime
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Flag,
    NonNegativeRupiah,
    PageParam,
    PageSizeParam,
    PositiveUnits,
    Rupiah,
)

# Requests --------------------------------------------------------------------------------------------


class CartLineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=40)
    quantity: PositiveUnits


class BuyerIn(Schema):
    name: str = Field(..., max_length=120)
    phone: str = Field(..., max_length=30, description="Indonesian mobile number, e.g. 0812 3456 7890 or +62812….")
    email: str = Field("", max_length=254, description="Optional: order emails go there.")


class AddressIn(Schema):
    province: str = Field("", max_length=100)
    regency: str = Field("", max_length=100, description="Regency (kabupaten) or city (kota).")
    district: str = Field("", max_length=100, description="District (kecamatan).")
    address: str = Field("", max_length=500, description="Street, number, village.")
    postal_code: str = Field("", max_length=10)


class OrderIn(Schema):
    lines: list[CartLineIn] = Field(..., max_length=50)
    buyer: BuyerIn
    fulfillment: Literal["PICKUP", "DELIVERY"]
    address: AddressIn | None = Field(None, description="Required for DELIVERY.")
    note: str = Field("", max_length=300)
    channel: Literal["WEB", "WHATSAPP"] = Field("WEB", description="WHATSAPP: staff only, with `organization`.")
    organization: str = Field(
        "", max_length=120, description="Staff WhatsApp orders: the seller's slug (or numeric id)."
    )


class PaymentRecordIn(Schema):
    amount_idr: Rupiah
    method: Literal["TRANSFER", "QRIS", "CASH"]
    reference: str = Field("", max_length=100, description="The bank's reference, if any.")


class PaymentConfirmIn(Schema):
    amount_idr: Rupiah | None = Field(None, description="What actually arrived, when it differs from the proof.")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=300)


class RefundIn(Schema):
    amount_idr: Rupiah
    method: Literal["TRANSFER", "QRIS", "CASH"]
    reason: str = Field(..., max_length=300)


class ShippingFeeIn(Schema):
    fee_idr: Rupiah
    courier: str = Field("", max_length=60)


class TransitionIn(Schema):
    to: Literal["PAID", "PACKED", "SHIPPED", "READY_FOR_PICKUP", "COMPLETED"]
    courier: str = Field("", max_length=60)
    resi: str = Field("", max_length=60)
    lot: str = Field(
        "",
        max_length=20,
        description="COMPLETED of a made-to-order order: the lot made for it (its makers earn the premi).",
    )


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class OrderListQuery(Schema):
    status: str = Field("", max_length=20, description="AWAITING_PAYMENT, PAID, PACKED, SHIPPED, …")
    channel: str = Field("", max_length=10, description="WEB or WHATSAPP.")
    needs: str = Field("", max_length=10, description="proof, pack, ship, late or shipping.")
    search: str = Field("", max_length=100, description="Number, buyer's name or phone, resi.")
    organization: str = Field("", max_length=120, description="Seller slug; empty for every one the caller handles.")
    page: PageParam = 1
    page_size: PageSizeParam = Field(DEFAULT_PAGE_SIZE, description=f"Capped at {MAX_PAGE_SIZE}.")


class ShopSettingsIn(Schema):
    accepts_orders: Flag
    location: str | None = Field(None, max_length=60, description="Code of the store or showroom orders reserve from.")
    pickup_address: str = Field("", max_length=500)
    pickup_hours: str = Field("", max_length=120)
    bank_name: str = Field("", max_length=60)
    bank_account_number: str = Field("", max_length=30)
    bank_account_holder: str = Field("", max_length=120)
    qris_merchant_name: str = Field("", max_length=120)
    order_expiry_hours: int = Field(24, strict=True, ge=1, le=720)
    unique_code: Flag = True


class RateIn(Schema):
    province: str = Field(..., max_length=100)
    regency: str = Field("", max_length=100, description="Empty: the whole province.")
    max_weight_grams: int = Field(..., strict=True, ge=1, le=1_000_000)
    fee_idr: NonNegativeRupiah
    courier: str = Field("", max_length=60)
    etd_days: int | None = Field(None, strict=True, ge=0, le=365)


class RatesIn(Schema):
    rates: list[RateIn] = Field(..., max_length=2000)


# Responses -------------------------------------------------------------------------------------------


class PaymentMethodOut(Schema):
    method: str = Field(..., description="TRANSFER or QRIS.")
    label: str
    amount_idr: int
    bank_name: str
    account_number: str
    account_holder: str
    qris_image_url: str = Field(..., description="Absolute URL of the seller's QRIS image, or empty.")
    qris_merchant_name: str
    ready: bool = Field(..., description="False: not set up by the seller, or the shipping fee is not known yet.")


class PaymentDueOut(Schema):
    amount_due_idr: int = Field(..., description="What to pay now (a made-to-order down payment, or the rest).")
    unique_code_idr: int = Field(..., description="Included in the amount so that a transfer is matched.")
    expires_at: datetime.datetime
    methods: list[PaymentMethodOut]


class PlacedOrderOut(Schema):
    number: str
    status: str
    seller: str = Field(..., description="The seller's name.")
    total_idr: int
    goods_idr: int
    shipping_idr: int | None = Field(..., description="null: the seller confirms the shipping fee first.")
    made_to_order: bool
    deposit_idr: int
    expected_ready_on: datetime.date | None
    tracking_url: str = Field(..., description="The buyer's secret link; its last part is the order's token.")
    token: str = Field(..., description="The tracking token (for GET /orders/{number}?token=…).")
    payment: PaymentDueOut


class PlacedOut(Schema):
    orders: list[PlacedOrderOut]


class StockShortOut(Schema):
    sku: str
    available: int
    wanted: int


class StockConflictOut(Schema):
    detail: str
    shortfalls: list[StockShortOut]


class OrderLineOut(Schema):
    sku: str
    product: str
    variant: str
    quantity: int
    unit_price_idr: int
    total_idr: int
    made_to_order: bool


class TimelineStepOut(Schema):
    at: datetime.datetime
    title: str
    detail: str
    status: str
    internal: bool


class PaymentOut(Schema):
    id: int
    kind: str = Field(..., description="PAYMENT or REFUND.")
    method: str
    amount_idr: int
    status: str = Field(..., description="SUBMITTED (a proof to check), CONFIRMED or REJECTED.")
    reason: str
    created_at: datetime.datetime


class BuyerOut(Schema):
    name: str
    phone: str
    email: str


class DeliveryOut(Schema):
    province: str
    regency: str
    district: str
    address: str
    postal_code: str


class OrderOut(Schema):
    number: str
    seller: str
    organization: str = Field(..., description="The seller's slug.")
    channel: str
    status: str
    payment_state: str
    fulfillment: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    goods_idr: int
    shipping_idr: int | None
    unique_code_idr: int
    total_idr: int
    paid_idr: int
    refunded_idr: int
    balance_idr: int
    made_to_order: bool
    deposit_idr: int
    expected_ready_on: datetime.date | None
    courier: str
    resi: str
    needs_refund: bool
    tracking_url: str
    buyer: BuyerOut
    delivery: DeliveryOut | None
    pickup_address: str
    pickup_hours: str
    lines: list[OrderLineOut]
    payment: PaymentDueOut
    payments: list[PaymentOut]
    timeline: list[TimelineStepOut]
    next_statuses: list[str] = Field(..., description="Staff only: where the order may move next; empty for a buyer.")


class OrderListItemOut(Schema):
    number: str
    seller: str
    organization: str
    channel: str
    status: str
    payment_state: str
    fulfillment: str
    buyer_name: str
    total_idr: int
    shipping_idr: int | None
    needs_refund: bool
    created_at: datetime.datetime
    expires_at: datetime.datetime


class OrderListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrderListItemOut]


class ShopSettingsOut(Schema):
    organization: str
    accepts_orders: bool
    location: str | None
    pickup_address: str
    pickup_hours: str
    bank_name: str
    bank_account_number: str
    bank_account_holder: str
    qris_image_url: str
    qris_merchant_name: str
    order_expiry_hours: int
    unique_code: bool


class RateOut(Schema):
    province: str
    regency: str
    max_weight_grams: int
    fee_idr: int
    courier: str
    etd_days: int | None


class RatesOut(Schema):
    organization: str
    rates: list[RateOut]
