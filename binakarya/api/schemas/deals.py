import datetime

from ninja import Field, Schema


class ContactIn(Schema):
    name: str = Field(max_length=200)
    phone: str = Field(max_length=40)
    email: str = Field("", max_length=254)


class RfqLineIn(Schema):
    sku: str = Field("", max_length=40)
    description: str = Field("", max_length=1000)
    quantity: int = Field(ge=0, le=2_147_483_647)


class RfqIn(Schema):
    agency: str = Field(max_length=1000)
    contact: ContactIn
    lines: list[RfqLineIn] = Field(max_length=200)
    needed_by: datetime.date | None = None
    delivery_place: str = Field(max_length=1000)
    seller: str = Field("", max_length=120, description="The seller's slug; optional when a line names a SKU.")
    note: str = Field("", max_length=5000)


class RfqLineOut(Schema):
    sku: str | None
    description: str
    quantity: int


class RfqOut(Schema):
    id: int
    number: str
    seller: str
    agency: str
    status: str
    needed_by: datetime.date | None
    delivery_place: str
    lines: list[RfqLineOut]


class RfqStaffOut(RfqOut):
    contact_name: str
    contact_phone: str
    contact_email: str
    created_at: datetime.datetime
    quotations: list[str]


class RfqListOut(Schema):
    count: int
    items: list[RfqStaffOut]


class QuotationLineIn(Schema):
    sku: str = Field(max_length=40)
    quantity: int = Field(ge=0, le=2_147_483_647)
    unit_price_idr: int = Field(ge=0, le=9_223_372_036_854_775_807)


class QuotationIn(Schema):
    rfq: int | None = Field(None, description="The RFQ's id; its seller quotes.")
    seller: str = Field(
        "", max_length=120, description="The seller's slug; needed without an RFQ when you act for several."
    )
    buyer: str = Field("", max_length=1000)
    lines: list[QuotationLineIn] = Field(max_length=200)
    valid_days: int | None = Field(None, ge=0, le=32_767)
    discount_bp: int = Field(0, ge=0, le=2_147_483_647, description="Discount in basis points (500 = 5 %).")
    note: str = Field("", max_length=5000)
    size_list: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="A size list's id: lines missing for its sizes are added at the list price with its totals; "
        "each size must be quoted at least as many times as the list counts (docs/deals.md).",
    )


class QuotationLineOut(Schema):
    sku: str
    description: str
    quantity: int
    unit_price_idr: int
    line_total_idr: int
    from_stock: int
    to_make: int


class QuotationOut(Schema):
    number: str
    seller: str
    rfq: int | None
    buyer: str
    issued_on: datetime.date
    valid_until: datetime.date
    subtotal_idr: int
    discount_bp: int
    discount_idr: int
    ppn_rate_bp: int
    ppn_idr: int
    total_idr: int
    document_kind: str
    legal_reference: str
    lead_time_days: int | None
    capacity_per_month: int | None
    capital_needed_idr: int
    capital_fund_idr: int
    down_payment_idr: int
    verify_code: str
    verify_url: str | None
    pdf_url: str
    lines: list[QuotationLineOut]


class QuotationListOut(Schema):
    count: int
    items: list[QuotationOut]
