"""Request and response shapes of the ledger endpoints (api/ledger.py), staff only. See docs/api.md,
"Sales and the ledger".

Makers appear only in the statement (by id and name, for their own organization's staff) and never in
a public shape.
"""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import (
    Flag,
    IsoDate,
    NonNegativeRupiah,
    PositiveUnits,
    Rupiah,
    YearParam,
)


def percent(description: str) -> Decimal:
    """A percentage as the API takes it: 50, 12.5 or 33.33, at most two decimals (basis points / 100)."""
    return Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2, description=description)


# Makers' premi --------------------------------------------------------------------------------


class StatementEntryOut(Schema):
    date: datetime.date = Field(..., description="Local (Asia/Jakarta) date of the entry.")
    occurred_at: datetime.datetime
    kind: str = Field(..., description="SALE, REVERSAL or PAYOUT.")
    sale: str | None = Field(..., description="Sale number, or null for a payout.")
    product: str = Field(..., description="Product name; for a payout, its method (and recipient).")
    lot: str | None
    share: int | None = Field(..., description="The maker's share in the lot (units or hours).")
    amount_idr: int = Field(..., description="Premi credited (+) or paid out or reversed (−).")
    balance_idr: int = Field(..., description="Premi held for the maker after this entry.")


class StatementOut(Schema):
    maker: int
    name: str
    balance_idr: int = Field(..., description="Premi held for the maker now.")
    entries: list[StatementEntryOut]


class PayoutIn(Schema):
    amount_idr: Rupiah
    method: str = Field(..., max_length=10, description="EMONEY, SAVINGS, FAMILY or RELEASE.")
    recipient: str = Field("", max_length=200, description="Family member's name; required for FAMILY.")
    relationship: str = Field("", max_length=60, description="Required for FAMILY, e.g. istri.")
    reference: str = Field("", max_length=60, description="Account or card number.")
    expected_owed_idr: NonNegativeRupiah | None = Field(
        None,
        description="What the maker was owed when the payer checked (the statement's balance_idr). When given and "
        "no longer true (the payout was already sent, or another came first), nothing is paid: 400 with code "
        "owed_changed. Send it to make a retried request safe.",
    )


class SlipOut(Schema):
    number: str
    verify_code: str
    verify_url: str


class PayoutOut(Schema):
    maker: int
    amount_idr: int
    method: str
    paid_at: datetime.datetime
    balance_idr: int = Field(..., description="Premi still held for the maker after this payout.")
    slip: SlipOut


# Books ------------------------------------------------------------------------------------------


class BooksQuery(Schema):
    organization: str = Field(
        "", max_length=120, description="Organization slug; may be left out by a caller who sees only one."
    )


class YearQuery(BooksQuery):
    year: YearParam | None = Field(None, description="Calendar year; the current one by default.")


EXPORT_FORMAT_HELP = (
    "json (the default) answers this schema; csv or xlsx answer the same figures as the back office's download "
    "(a maker by code, never by name; rupiah as integers)."
)


class BooksExportQuery(BooksQuery):
    format: Literal["json", "csv", "xlsx"] = Field("json", description=EXPORT_FORMAT_HELP)


class YearExportQuery(YearQuery):
    format: Literal["json", "csv", "xlsx"] = Field("json", description=EXPORT_FORMAT_HELP)


class TrialBalanceAccountOut(Schema):
    name: str = Field(..., description="The stored name (Indonesian; a maker only by number).")
    label: str = Field(
        ..., description="The name in the request's language: kind and party; a maker by code, never by name."
    )
    kind: str
    maker_id: int | None = Field(None, description="For a premi account, the maker it is held for.")
    debit_idr: int
    credit_idr: int


class TrialBalanceOut(Schema):
    organization: str
    debit_idr: int
    credit_idr: int
    balanced: bool
    accounts: list[TrialBalanceAccountOut]


# Split rules ------------------------------------------------------------------------------------


class RuleFieldsIn(Schema):
    basis: str = Field(..., max_length=8, description="REVENUE or MARGIN.")
    premi_mode: str = Field(..., max_length=8, description="PERCENT or PER_UNIT.")
    premi_percent: Decimal = percent("Of the basis, for PERCENT mode, e.g. 50 or 12.5.")
    premi_per_unit_idr: NonNegativeRupiah = 0
    capital_percent: Decimal = percent("Of the basis, into the group's capital fund.")
    recover_material_cost: Flag = True
    restitution_percent: Decimal = percent("Of the premi; 0 (off) or 5 to 20.")
    victim_fund_percent: Decimal = percent("Of the premi; 0 (off) or 5 to 20.")
    legal_reference: str = Field(..., max_length=4000, description="The regulation or decree the split follows.")


class SplitRuleIn(RuleFieldsIn):
    organization: str = Field("", max_length=120, description="Slug; may be left out by a caller who keeps one book.")
    category: str | None = Field(None, max_length=80, description="Category slug for an override; null for all.")
    effective_from: IsoDate


class SplitRuleOut(Schema):
    id: int
    organization: str
    category: str | None
    effective_from: IsoDate
    basis: str
    premi_mode: str
    premi_percent: float
    premi_per_unit_idr: int
    capital_percent: float
    recover_material_cost: bool
    restitution_percent: float
    victim_fund_percent: float
    legal_reference: str
    in_force: bool = Field(..., description="Whether sales of today use this rule (for its category).")


class SplitRuleListOut(Schema):
    count: int
    items: list[SplitRuleOut]


class ExampleIn(Schema):
    quantity: PositiveUnits
    unit_price_idr: NonNegativeRupiah
    unit_cost_idr: NonNegativeRupiah = Field(0, description="Material cost of one unit.")
    commission_idr: NonNegativeRupiah = 0
    shares: list[PositiveUnits] = Field(
        ..., min_length=1, max_length=100, description="Each contributor's share, more than 0."
    )


class PreviewIn(RuleFieldsIn):
    example: ExampleIn


class PreviewShareOut(Schema):
    share: int
    premi_idr: int
    deductions: dict[str, int] = Field(..., description="RESTITUTION and VICTIM_FUND, when on.")
    net_premi_idr: int


class PreviewOut(Schema):
    gross_idr: int
    commission_idr: int
    material_idr: int = Field(..., description="Material cost recovered into the capital fund.")
    premi_idr: int
    capital_idr: int
    remainder_idr: int = Field(..., description="PNBP for a facility, the producer's income for an UMKM.")
    contributors: list[PreviewShareOut]


# Capital and PNBP -------------------------------------------------------------------------------


class GrantIn(Schema):
    organization: str = Field("", max_length=120)
    group: str | None = Field(None, max_length=120, description="Group slug; null for the organization's own fund.")
    amount_idr: Rupiah
    agency: str | None = Field(None, max_length=120, description="Slug of the granting agency.")
    memo: str = Field("", max_length=300)


class PurchaseIn(Schema):
    organization: str = Field("", max_length=120)
    group: str | None = Field(None, max_length=120)
    amount_idr: Rupiah
    memo: str = Field("", max_length=300)


class CapitalMovementOut(Schema):
    kind: str = Field(..., description="GRANT or MATERIAL_PURCHASE.")
    organization: str
    group: str | None
    agency: str | None
    amount_idr: int
    memo: str
    occurred_at: datetime.datetime
    balance_idr: int = Field(..., description="The fund's balance after this movement.")


class FundOut(Schema):
    group: str | None = Field(..., description="Group slug, or null for the organization's own fund.")
    name: str
    balance_idr: int
    material_per_piece_idr: int = Field(..., description="Unit material cost of the group's latest lot.")
    product: str = Field(..., description="Product of that lot.")
    pieces: int = Field(..., description="Pieces whose materials the fund can still pay for.")


class FundsOut(Schema):
    organization: str
    funds: list[FundOut]


class PnbpDepositIn(Schema):
    organization: str = Field("", max_length=120)
    amount_idr: Rupiah
    billing_code: str = Field(..., max_length=30)
    ntpn: str = Field(..., max_length=30)
    deposited_date: IsoDate


class PnbpTargetIn(Schema):
    organization: str = Field(
        "", max_length=120, description="Facility slug; may be left out by a one-facility caller."
    )
    target_idr: NonNegativeRupiah = Field(..., description="The year's PNBP target in whole rupiah.")


class PnbpTargetOut(Schema):
    organization: str
    year: int
    target_idr: int


class PnbpDepositOut(Schema):
    organization: str
    amount_idr: int
    billing_code: str
    ntpn: str
    deposited_date: datetime.date


class PnbpYearOut(Schema):
    organization: str
    year: int
    target_idr: int
    deposited_idr: int
    accrued_idr: int = Field(..., description="PNBP the year's sales (less returns) set aside.")
