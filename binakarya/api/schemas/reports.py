"""Request and response shapes of the report endpoints (api/reports.py), staff only. See docs/reports.md.

No shape carries a maker: the monthly report is a PDF that counts makers, the e-Katalog report reads none.
"""

from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import IsoDate


class EkatalogQuery(Schema):
    province: str = Field(..., min_length=1, max_length=100, description="A province, e.g. “Jawa Timur”.")
    date_from: IsoDate = Field(..., description="First day of the period (a month, a quarter or a year).")
    date_to: IsoDate = Field(..., description="Last day of the period, included; at most a year after date_from.")
    format: Literal["json", "pdf", "xlsx", "csv"] = Field(
        "json", description="json (the default) answers this schema; pdf, xlsx or csv the printed report or its table."
    )


class ChannelFiguresOut(Schema):
    channel: str = Field(..., description="WEB, WHATSAPP, POS, OUTLET, INSTITUTIONAL, EXPORT, MARKETPLACE, DIRECT.")
    transactions: int = Field(..., description="Sales recorded in the period.")
    value_idr: int = Field(..., description="What they sold for, less the returns recorded in the period.")


class FiguresOut(Schema):
    transactions: int
    value_idr: int


class UptOut(Schema):
    organization: str = Field(..., description="The facility's slug.")
    name: str
    regency: str
    products_published: int = Field(..., description="Products in the public catalog.")
    products_with_listing: int = Field(
        ..., description="Of those, products with e-Katalog listing data (not proof of a live e-Katalog listing)."
    )
    sold: bool = Field(..., description="Whether the UPT recorded a sale in the period.")
    transactions: int
    value_idr: int
    ekatalog: FiguresOut = Field(..., description="Deals whose purchase order came through e-Katalog.")
    channels: list[ChannelFiguresOut] = Field(..., description="Only the channels the UPT sold through.")


class EkatalogTotalsOut(Schema):
    upts: int
    upts_selling: int
    products_published: int
    products_with_listing: int
    transactions: int
    value_idr: int
    ekatalog: FiguresOut
    channels: list[ChannelFiguresOut]


class EkatalogOut(Schema):
    province: str
    date_from: IsoDate
    date_to: IsoDate
    upts: list[UptOut]
    totals: EkatalogTotalsOut
