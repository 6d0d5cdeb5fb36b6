import datetime
from decimal import Decimal

from ninja import Field, Schema

from binakarya.api.schemas.common import IsoDate, NonNegativeRupiah, PositiveUnits


class ExportContactIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=40)


class ExportInquiryLineIn(Schema):
    sku: str = Field(max_length=40)
    quantity: int = Field(ge=0, le=2_147_483_647)


class ExportInquiryIn(Schema):
    company: str = Field(max_length=1000)
    contact: ExportContactIn
    country: str = Field(max_length=60, description="ISO 3166-1 alpha-2 code of the destination, e.g. JP.")
    incoterm: str = Field(max_length=10, description="EXW, FOB or CIF.")
    place: str = Field(
        max_length=1000,
        description="The named place: the seller's place (EXW), port of shipment (FOB), port of destination (CIF).",
    )
    lines: list[ExportInquiryLineIn] = Field(max_length=200)
    note: str = Field("", max_length=5000)


class ExportInquiryLineOut(Schema):
    sku: str
    description: str
    quantity: int


class ExportInquiryOut(Schema):
    id: int
    number: str
    seller: str
    status: str
    company: str
    country: str
    incoterm: str
    place: str
    lines: list[ExportInquiryLineOut]
    documents_url: str = Field(description="The buyer's own page with the documents once issued (keep it secret).")


class DocumentRefOut(Schema):
    number: str
    verify_code: str
    verify_url: str | None
    pdf_url: str


class ExportInquiryStaffOut(Schema):
    id: int
    number: str
    seller: str
    status: str
    company: str
    contact_name: str
    contact_email: str
    contact_phone: str
    country: str
    incoterm: str
    place: str
    note: str
    language: str
    created_at: datetime.datetime
    lines: list[ExportInquiryLineOut]
    proformas: list[str]


class ExportInquiryListOut(Schema):
    count: int
    items: list[ExportInquiryStaffOut]


class ProformaLineIn(Schema):
    sku: str = Field(max_length=40)
    quantity: PositiveUnits
    unit_price_idr: NonNegativeRupiah


class ProformaIn(Schema):
    currency: str = Field("USD", max_length=3, description="USD (default), EUR, SGD, JPY or IDR.")
    incoterm: str = Field("", max_length=10, description="Defaults to the inquiry's.")
    place: str = Field("", max_length=1000, description="Defaults to the inquiry's.")
    payment_terms: str = Field("50% T/T in advance, balance by T/T before shipment.", max_length=5000)
    valid_days: int = Field(30, ge=0, le=32_767)
    freight_idr: NonNegativeRupiah = Field(0, description="CIF only: the freight, in rupiah.")
    insurance_idr: NonNegativeRupiah = Field(0, description="CIF only: the insurance premium, in rupiah.")
    lines: list[ProformaLineIn] | None = Field(
        None, max_length=200, description="Defaults to the inquiry's lines at the list prices."
    )
    note: str = Field("", max_length=5000)


# The export order: confirmation, payments, shipment -----------------------------------------------------


class OrderConfirmIn(Schema):
    po_number: str = Field(max_length=1000, description="The buyer's purchase order number or order reference.")
    po_date: IsoDate = Field(description="The date of the buyer's order, within the pro-forma's validity.")


class OrderPaymentIn(Schema):
    amount_idr: NonNegativeRupiah = Field(description="The rupiah the bank credited.")
    received_on: IsoDate | None = Field(None, description="Defaults to today.")
    amount: Decimal | None = Field(
        None, description="The amount in the pro-forma's currency (to the cent; whole yen), when known."
    )
    reference: str = Field("", max_length=1000, description="The bank's reference, e.g. the T/T's SWIFT message.")


class ShipmentIn(Schema):
    shipped_on: IsoDate
    peb_number: str = Field(max_length=1000, description="The PEB (export declaration) number.")
    transport_number: str = Field(max_length=1000, description="The B/L (sea) or AWB (air) number.")
    vessel: str = Field(max_length=1000, description="The vessel and voyage, or the flight.")
    location: str = Field(max_length=60, description="The code of the store or showroom the goods leave from.")


class ExportPaymentOut(Schema):
    id: int
    received_on: datetime.date
    amount_idr: int
    amount: Decimal | None
    reference: str


class ShipmentOut(Schema):
    shipped_on: datetime.date
    peb_number: str
    transport_number: str
    vessel: str
    location: str
    sale: str = Field(description="The number of the sale recorded (PJ-…).")
    extra_idr: int = Field(description="Rupiah received above the total, booked as income with the sale.")
    commercial_invoice: DocumentRefOut


class ExportOrderOut(Schema):
    proforma: str
    inquiry: int
    status: str = Field(description="CONFIRMED, PAID or SHIPPED.")
    po_number: str
    po_date: datetime.date
    currency: str
    total_idr: int
    paid_idr: int
    due_idr: int
    max_payment_idr: int = Field(
        description="The most the order still takes (its total, plus 2% for a T/T in a foreign currency)."
    )
    payments: list[ExportPaymentOut]
    shipment: ShipmentOut | None


class ProformaLineOut(Schema):
    sku: str
    description: str
    hs_code: str
    quantity: int
    unit_price_idr: int
    amount_idr: int
    unit_price: Decimal
    amount: Decimal
    packages: int
    units_per_package: int
    net_weight_grams: int
    gross_weight_grams: int
    package_mm: list[int]
    volume_mm3: int


class ProformaOut(Schema):
    number: str
    inquiry: int
    seller: str
    issued_on: datetime.date
    valid_until: datetime.date
    currency: str
    idr_per_unit: Decimal
    rate_date: datetime.date | None
    incoterm: str
    place: str
    payment_terms: str
    subtotal_idr: int
    freight_idr: int
    insurance_idr: int
    total_idr: int
    subtotal: Decimal
    freight: Decimal
    insurance: Decimal
    total: Decimal
    packages: int
    net_weight_grams: int
    gross_weight_grams: int
    volume_m3: Decimal
    verify_code: str
    verify_url: str | None
    pdf_url: str
    packing_list: DocumentRefOut
    lines: list[ProformaLineOut]
    order: ExportOrderOut | None = Field(description="The export order once the buyer confirmed this pro-forma.")


class ChecklistItemOut(Schema):
    key: str
    label: str
    help: str
    manual: bool
    ready: bool
    reference: str


class ChecklistOut(Schema):
    inquiry: int
    ready: int
    missing: list[str]
    items: list[ChecklistItemOut]


class ChecklistMarkIn(Schema):
    done: bool = True
    reference: str = Field("", max_length=1000)


class ExporterSettingsIn(Schema):
    organization: str = Field("", max_length=120, description="The seller's slug; needed when you act for several.")
    nib: str = Field("", max_length=40)
    npwp: str = Field("", max_length=40)
    bank_name: str = Field("", max_length=1000)
    bank_account_name: str = Field("", max_length=1000)
    bank_account_number: str = Field("", max_length=1000)
    swift_code: str = Field("", max_length=40)


class ExporterSettingsOut(Schema):
    organization: str
    nib: str
    npwp: str
    bank_name: str
    bank_account_name: str
    bank_account_number: str
    swift_code: str
