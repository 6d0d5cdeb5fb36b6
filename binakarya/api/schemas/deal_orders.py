import datetime

from ninja import Field, Schema


class AcceptIn(Schema):
    po_number: str = Field(max_length=1000, description="The buyer's surat pesanan or SPK number.")
    po_date: datetime.date
    channel: str = Field("DIRECT", max_length=20, description="DIRECT, or EPURCHASING (e-Katalog, Bela Pengadaan).")
    platform: str = Field("", max_length=20, description="E_KATALOG, BELA_PENGADAAN or OTHER_SHOP for EPURCHASING.")
    needed_by: datetime.date | None = None


class DealLineIn(Schema):
    sku: str = Field(max_length=40)
    quantity: int = Field(ge=0, le=2_147_483_647)


class DeliveryIn(Schema):
    lines: list[DealLineIn] = Field(max_length=200)
    from_location: str = Field("", max_length=60, description="The code of the store the goods leave from.")
    delivered_on: datetime.date | None = None
    vehicle: str = Field("", max_length=1000)
    driver: str = Field("", max_length=1000)
    note: str = Field("", max_length=1000)


class SignatoryIn(Schema):
    side: str = Field(max_length=10, description="SELLER or BUYER.")
    name: str = Field(max_length=1000)
    position: str = Field(max_length=1000)
    id_number: str = Field("", max_length=1000, description="NIP or another staff number.")


class HandoverIn(Schema):
    signatories: list[SignatoryIn] = Field(max_length=20)
    handed_over_on: datetime.date | None = None
    lines: list[DealLineIn] | None = Field(None, max_length=200, description="Omit: all that is delivered.")
    place: str = Field("", max_length=1000)
    note: str = Field("", max_length=5000, description="The inspection's findings.")


class InvoiceIn(Schema):
    issued_on: datetime.date | None = None
    due_days: int | None = Field(None, ge=0, le=3650)


class PaymentIn(Schema):
    amount_idr: int = Field(ge=0, le=10**15)
    paid_on: datetime.date | None = None
    method: str = Field("BANK", max_length=10, description="BANK or CASH.")
    reference: str = Field("", max_length=1000)


class CancelIn(Schema):
    reason: str = Field(max_length=1000)


class DocumentRefOut(Schema):
    number: str
    kind: str
    verify_code: str
    verify_url: str | None
    pdf_url: str


class DealLineOut(Schema):
    sku: str
    description: str
    quantity: int
    unit_price_idr: int
    dpp_idr: int
    ppn_idr: int
    delivered: int
    handed_over: int


class DeliveryLineOut(Schema):
    sku: str
    quantity: int


class DeliveryOut(Schema):
    number: str
    delivered_on: datetime.date
    verify_code: str
    document: DocumentRefOut
    lines: list[DeliveryLineOut]


class HandoverOut(Schema):
    number: str
    handed_over_on: datetime.date
    value_idr: int
    dpp_idr: int
    ppn_idr: int
    sale: str | None = Field(description="The sale that recorded it; null until it is recognised.")
    signatories: list[dict[str, str]]
    verify_code: str
    document: DocumentRefOut
    lines: list[DeliveryLineOut]


class InvoiceOut(Schema):
    number: str
    kind: str = Field(description="INVOICE, or RECEIPT (a kuitansi) where the value needs no more.")
    issued_on: datetime.date
    due_on: datetime.date
    amount_idr: int
    verify_code: str
    document: DocumentRefOut


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date
    amount_idr: int
    method: str
    reference: str
    to_receivable_idr: int
    held_idr: int
    verify_code: str | None
    document: DocumentRefOut | None


class NextStepOut(Schema):
    code: str = Field(description="DELIVER, HANDOVER, INVOICE, PAYMENT, DONE or CANCELLED.")
    figure: int = Field(description="Units left (DELIVER, HANDOVER) or rupiah left (INVOICE, PAYMENT).")


class DealOut(Schema):
    number: str
    seller: str
    quotation: str
    buyer: str
    po_number: str
    po_date: datetime.date
    channel: str
    platform: str
    contract_form: str
    legal_reference: str
    contract_document: DocumentRefOut | None
    needed_by: datetime.date | None
    urgency: str = Field(description="past, near or empty: how close the needed-by date is.")
    recognition: str = Field(description="BAST or PAYMENT: when the sale is recorded.")
    status: str
    next_step: NextStepOut
    dpp_idr: int
    ppn_idr: int
    total_idr: int
    handed_over_idr: int
    recognized_idr: int
    invoiced_idr: int
    paid_idr: int
    held_idr: int
    receivable_idr: int
    lines: list[DealLineOut]
    deliveries: list[DeliveryOut]
    handovers: list[HandoverOut]
    invoices: list[InvoiceOut]
    payments: list[PaymentOut]


class DealListOut(Schema):
    count: int
    items: list[DealOut]
