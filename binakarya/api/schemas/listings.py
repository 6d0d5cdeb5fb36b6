"""Shapes of the e-Katalog listing endpoints (binakarya/api/listings.py)."""

import datetime

from ninja import Field, Schema

from binakarya.api.schemas.common import Id, IsoDate


class ListingIn(Schema):
    kbki_code: str = Field("", max_length=20, description="KBKI 2015 code: 5 to 10 digits (dots and spaces dropped).")
    pdn_status: str = Field("PDN", max_length=8, description="PDN (domestic product) or NON_PDN.")
    tkdn_bp: int | None = Field(
        None, strict=True, ge=0, le=10000, description="TKDN in basis points (4235 = 42,35 %); needs its certificate."
    )
    tkdn_certificate_number: str = Field("", max_length=60)
    tkdn_certificate_date: IsoDate | None = None
    sni_number: str = Field("", max_length=60)
    trademark: str = Field("", max_length=100)
    unit: str = Field("pcs", max_length=8, description="pcs, buah, set, lembar, pasang, lusin, kodi, meter or unit.")
    specifications: str = Field("", max_length=4000, description="One “Name: value” per line.")
    photo_ids: list[Id] = Field(default_factory=list, max_length=50, description="The product's photos, in order.")


class ListingVariantOut(Schema):
    sku: str
    name: str
    price_idr: int


class ListingOut(Schema):
    product: str
    organization: str
    exists: bool
    kbki_code: str
    pdn_status: str
    tkdn_bp: int | None
    tkdn_certificate_number: str
    tkdn_certificate_date: datetime.date | None
    sni_number: str
    trademark: str
    unit: str
    specifications: list[list[str]]
    photo_ids: list[int]
    variants: list[ListingVariantOut]
