"""Shipping fees, behind a small provider interface.

``TableRates`` reads the seller's own rate table (``ShippingRate``: a province, or one regency in it,
and weight bands). A courier's API can be added as another provider with the same ``quote``; the first
provider that answers wins. Where none answers, the order is accepted with its fee to be confirmed by
staff ("ongkir dikonfirmasi").
"""

from dataclasses import dataclass
from typing import Protocol

from binakarya.orders.models import ShippingRate


@dataclass(frozen=True)
class Destination:
    province: str
    regency: str


@dataclass(frozen=True)
class Quote:
    fee_idr: int
    courier: str
    etd_days: int | None


class ShippingProvider(Protocol):
    def quote(self, *, organization_id: int, destination: Destination, weight_grams: int) -> Quote | None: ...


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class TableRates:
    """The seller's rate table: the regency's own rows win over the province's; the lightest band that
    carries the weight wins."""

    def quote(self, *, organization_id: int, destination: Destination, weight_grams: int) -> Quote | None:
        rows = [
            rate
            for rate in ShippingRate.objects.filter(organization_id=organization_id).order_by("max_weight_grams", "pk")
            if _same(rate.province, destination.province)
        ]
        regency = [r for r in rows if r.regency and _same(r.regency, destination.regency)]
        province = [r for r in rows if not r.regency]
        for candidates in (regency, province):
            band = next((r for r in candidates if r.max_weight_grams >= max(weight_grams, 1)), None)
            if band is not None:
                return Quote(fee_idr=band.fee_idr, courier=band.courier, etd_days=band.etd_days)
        return None


PROVIDERS: tuple[ShippingProvider, ...] = (TableRates(),)


def shipping_quote(*, organization_id: int, destination: Destination, weight_grams: int) -> Quote | None:
    """The fee to ``destination`` for ``weight_grams``, or None when no provider has a rate."""
    for provider in PROVIDERS:
        quote = provider.quote(organization_id=organization_id, destination=destination, weight_grams=weight_grams)
        if quote is not None:
            return quote
    return None
