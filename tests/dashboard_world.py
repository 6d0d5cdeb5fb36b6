"""Facilities with a few sales this year, for the dashboards' page and browser tests (issue 14)."""

import datetime

from django.utils import timezone

from binakarya.ledger.services import split_rule_create
from binakarya.sales.services import SaleLineInput, sale_record
from tests.factories import (
    GroupMembershipFactory,
    LocationFactory,
    OrganizationFactory,
    ProducerFactory,
    VariantFactory,
    make_lot,
)


def seller(name: str, slug: str, province: str, sku: str) -> dict:
    """A facility with a group of two makers, 20 units at its showroom and a 50 % premi rule."""
    org = OrganizationFactory(name=name, slug=slug, province=province)
    producer = ProducerFactory(group__organization=org, organization=org, group__name=f"Kelompok {name}")
    members = [GroupMembershipFactory(group=producer.group).maker for _ in range(2)]
    variant = VariantFactory(product__producer=producer, sku=sku, price_idr=200_000)
    showroom = LocationFactory(organization=org, name="Ruang Pamer", kind="SHOWROOM")
    make_lot(variant=variant, group=producer.group, location=showroom, quantity=20, cost=400_000)
    split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=2000,
        legal_reference="SK Kepala Rutan",
    )
    return {"org": org, "variant": variant, "showroom": showroom, "makers": members}


def sell(shop: dict, quantity: int, *, month: int, channel: str = "POS") -> None:
    year = timezone.localdate().year
    at = timezone.make_aware(datetime.datetime(year, month, 10, 10, 0))
    sale_record(
        actor=None,
        location=shop["showroom"],
        channel=channel,
        lines=[SaleLineInput(shop["variant"].sku, quantity, shop["variant"].price_idr)],
        occurred_at=min(at, timezone.now()),
    )
