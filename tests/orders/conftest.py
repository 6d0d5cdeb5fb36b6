import datetime

import pytest

from binakarya.ledger.services import split_rule_create
from binakarya.orders.models import ShopSettings
from tests.factories import GroupMembershipFactory, LocationFactory, ProducerFactory, ProductFactory, make_lot


def make_seller(*, name: str, units: int = 10, price: int = 150_000, weight: int = 400, made_to_order: bool = False):
    """A facility group of two makers selling one public product from its showroom, with a 50/35/15 rule."""
    producer = ProducerFactory(group__name=f"Kelompok {name}")
    group, org = producer.group, producer.organization
    org.name = name
    org.save(update_fields=["name"])
    members = [GroupMembershipFactory(group=group).maker for _ in range(2)]
    product = ProductFactory(
        producer=producer, variants=[price], photos=1, made_to_order=made_to_order, lead_time_days=14
    )
    variant = product.variants.get()
    variant.weight_grams = weight
    variant.save(update_fields=["weight_grams"])
    showroom = LocationFactory(organization=org, name=f"Ruang Pamer {name}", kind="SHOWROOM")
    lot = make_lot(variant=variant, group=group, location=showroom, quantity=units, cost=100_000) if units else None
    split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kepala Rutan",
    )
    ShopSettings.objects.create(
        organization=org,
        location=showroom,
        bank_name="BRI",
        bank_account_number="0123456789",
        bank_account_holder=f"BLU {name}",
        pickup_address="Jl. Raya 1",
    )
    return {
        "org": org,
        "producer": producer,
        "group": group,
        "members": members,
        "product": product,
        "variant": variant,
        "showroom": showroom,
        "lot": lot,
    }


@pytest.fixture
def seller(db):
    return make_seller(name="Rutan Sumenep")


@pytest.fixture
def other_seller(db):
    return make_seller(name="Rutan Purbalingga", price=85_000)


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield
