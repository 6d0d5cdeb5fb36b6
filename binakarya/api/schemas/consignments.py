"""Request and response shapes of the consignment endpoints (api/consignments.py). See docs/api.md,
"Consignment". Nothing here carries a maker: an outlet partner reads these answers too.
"""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import IsoDate, NonNegativeRupiah, Rupiah, Units


class CommissionPerProductIn(Schema):
    sku: str = Field(..., max_length=40)
    commission_idr: NonNegativeRupiah = Field(..., description="The outlet's commission per unit sold.")


class AgreedPriceIn(Schema):
    sku: str = Field(..., max_length=40)
    unit_price_idr: Rupiah = Field(..., description="The selling price at the outlet.")


class AgreementIn(Schema):
    organization: str = Field(
        "", max_length=120, description="Slug of the seller; may be left out by staff of one organization."
    )
    outlet: str = Field(..., max_length=120, description="Slug of the outlet (an organization of kind OUTLET).")
    commission_percent: Decimal | None = Field(
        None, ge=0, le=100, max_digits=5, decimal_places=2, description="Of the selling price, e.g. 20 or 12.5."
    )
    commission_per_product: list[CommissionPerProductIn] | None = Field(
        None, max_length=500, description="Instead of commission_percent: an amount per unit per product."
    )
    agreed_prices: list[AgreedPriceIn] = Field(
        [], max_length=500, description="Selling prices agreed per product; the others sell at the catalog price."
    )
    settlement_period: Literal["WEEKLY", "MONTHLY"]
    payment_days: Units = Field(..., description="Days the outlet has to pay a statement, 1 to 90.")
    review_months: Units = Field(6, description="The shelf is reviewed every 4 to 6 months.")
    start_date: IsoDate
    end_date: IsoDate | None = None
    shortage_borne_by: Literal["OUTLET", "SELLER"] = "OUTLET"
    damage_borne_by: Literal["OUTLET", "SELLER"] = "OUTLET"


class TermOut(Schema):
    sku: str
    product: str
    agreed_price_idr: int | None
    commission_idr: int | None


class AgreementOut(Schema):
    id: int
    organization: str = Field(..., description="The seller's slug.")
    organization_name: str
    outlet: str = Field(..., description="The outlet's slug.")
    outlet_name: str
    location: str = Field(..., description="Code of the seller's location at the outlet.")
    commission_mode: str = Field(..., description="PERCENT or PER_PRODUCT.")
    commission_percent: float | None
    price_mode: str = Field(..., description="CATALOG or AGREED.")
    terms: list[TermOut]
    settlement_period: str
    payment_days: int
    review_months: int
    start_date: datetime.date
    end_date: datetime.date | None
    shortage_borne_by: str
    damage_borne_by: str
    status: str = Field(..., description="ACTIVE or ENDED.")
    signed_document: bool = Field(..., description="Whether the signed PDF is on file.")


class AgreementListOut(Schema):
    count: int
    items: list[AgreementOut]


class AgreementListQuery(Schema):
    status: str = Field("", max_length=6, description="ACTIVE or ENDED.")
    outlet: str = Field("", max_length=120, description="Outlet slug.")


class PlacementLineIn(Schema):
    sku: str = Field(..., max_length=40)
    quantity: Units
    unit_price_idr: Rupiah | None = Field(None, description="The selling price; the agreement's when left out.")


class PlacementIn(Schema):
    from_location: str = Field(..., max_length=60, description="Code of the seller's store or showroom.")
    lines: list[PlacementLineIn] = Field(..., max_length=200)
    note: str = Field("", max_length=200)


class PlacementLineOut(Schema):
    sku: str
    product: str
    quantity: int
    unit_price_idr: int


class TransferLineOut(Schema):
    id: int = Field(..., description="Give it in a receipt's lines.")
    sku: str
    lot: str
    quantity_sent: int
    quantity_received: int | None


class PlacementOut(Schema):
    id: int
    agreement: int
    number: str = Field(..., description="The surat jalan's number (the tanda terima titipan).")
    status: str = Field(..., description="IN_TRANSIT, RECEIVED or DISCREPANCY.")
    verify_code: str | None
    verify_url: str | None
    lines: list[PlacementLineOut]
    transfer_lines: list[TransferLineOut]


class ReceiptLineIn(Schema):
    line: int = Field(..., ge=1, description="Id of a transfer line of the placement.")
    quantity_received: Units


class ReceiptIn(Schema):
    lines: list[ReceiptLineIn] | None = Field(None, max_length=200, description="Left out: everything arrived.")
    note: str = Field("", max_length=200)


class OutletSaleLineIn(Schema):
    sku: str = Field(..., max_length=40)
    quantity: Units
    unit_price_idr: Rupiah | None = Field(None, description="The price sold at; the agreement's when left out.")


class OutletSaleIn(Schema):
    sold_date: IsoDate
    lines: list[OutletSaleLineIn] = Field(..., max_length=500)


class OutletSaleOut(Schema):
    id: int
    agreement: int
    number: str = Field(..., description="The sale's number.")
    sold_date: datetime.date
    gross_idr: int
    commission_idr: int
    net_idr: int = Field(..., description="What the outlet owes: gross less its commission.")


class StockRowOut(Schema):
    sku: str
    product: str
    lot: str
    quantity: int
    unit_price_idr: int
    arrived_on: datetime.date | None
    days_on_shelf: int | None


class OutletStockOut(Schema):
    agreement: int
    outlet: str
    units: int
    items: list[StockRowOut]


class StatementQuery(Schema):
    date_from: IsoDate | None = Field(
        None, alias="from", description="First day (YYYY-MM-DD); left out: the current period's first day."
    )
    date_to: IsoDate | None = Field(
        None, alias="to", description="Last day (YYYY-MM-DD); left out: the current period's last day."
    )


class StatementIssueIn(Schema):
    date_from: IsoDate | None = Field(None, alias="from", description="Left out: the last whole period's first day.")
    date_to: IsoDate | None = Field(None, alias="to", description="Left out: the last whole period's last day.")


class StatementLineOut(Schema):
    sku: str
    product: str
    lot: str
    units: int
    gross_idr: int
    commission_idr: int
    net_idr: int


class StatementPaymentOut(Schema):
    paid_date: datetime.date
    amount_idr: int
    reference: str


class StatementOut(Schema):
    agreement: int
    outlet: str
    date_from: datetime.date
    date_to: datetime.date
    due_date: datetime.date = Field(..., description="The period's last day + the agreement's payment days.")
    lines: list[StatementLineOut]
    payments: list[StatementPaymentOut]
    gross_idr: int
    commission_idr: int
    net_idr: int = Field(..., description="Gross less the outlet's commission: what the period's sales owe.")
    previous_balance_idr: int = Field(..., description="Owed before the period: earlier net less earlier payments.")
    paid_idr: int = Field(..., description="Payments received in the period.")
    balance_idr: int = Field(..., description="Owed at the period's end.")


class IssuedStatementOut(Schema):
    id: int
    agreement: int
    number: str
    verify_code: str
    verify_url: str | None
    pdf_url: str
    date_from: datetime.date
    date_to: datetime.date
    due_date: datetime.date
    gross_idr: int
    commission_idr: int
    net_idr: int
    previous_balance_idr: int
    paid_idr: int
    balance_idr: int


class IssuedStatementListOut(Schema):
    count: int
    items: list[IssuedStatementOut]


class PaymentIn(Schema):
    amount_idr: Rupiah = Field(..., description="What the outlet paid, more than Rp0 and at most what it owes.")
    paid_date: IsoDate
    reference: str = Field("", max_length=100, description="E.g. the bank transfer's reference.")


class PaymentOut(Schema):
    id: int
    agreement: int
    amount_idr: int
    paid_date: datetime.date
    reference: str
    balance_idr: int = Field(..., description="What the outlet still owes the seller after this payment.")
