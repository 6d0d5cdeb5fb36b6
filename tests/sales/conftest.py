import datetime

import pytest

from binakarya.ledger.services import split_rule_create
from tests.factories import GroupMembershipFactory, LocationFactory, ProducerFactory, VariantFactory, make_lot


@pytest.fixture
def shop(db):
    """A facility group of three makers (shares 1 each), a 10-unit lot at the showroom, a 50/35/15 margin rule."""
    producer = ProducerFactory(group__name="Kelompok Batik Tulis")
    group, org = producer.group, producer.organization
    members = [GroupMembershipFactory(group=group).maker for _ in range(3)]
    variant = VariantFactory(product__producer=producer, sku="SMP-BTK-001", price_idr=450_000)
    showroom = LocationFactory(organization=org, name="Ruang Pamer", kind="SHOWROOM")
    lot = make_lot(variant=variant, group=group, location=showroom, quantity=10, cost=1_500_000)
    rule = split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
    )
    return {
        "org": org,
        "group": group,
        "members": members,
        "variant": variant,
        "showroom": showroom,
        "lot": lot,
        "rule": rule,
    }


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check the services' own words, written in English; the UI translates them."""
    from django.utils import translation

    with translation.override("en"):
        yield
