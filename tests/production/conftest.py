import pytest

from tests.factories import GroupMembershipFactory, LocationFactory, ProducerFactory, VariantFactory


@pytest.fixture
def workshop(db):
    """A facility group with three members, its producer, one variant and a store."""
    producer = ProducerFactory(group__name="Kelompok Batik Tulis")
    group = producer.group
    members = [GroupMembershipFactory(group=group).maker for _ in range(3)]
    variant = VariantFactory(product__producer=producer, sku="SMP-BTK-001", price_idr=450_000)
    store = LocationFactory(organization=group.organization, name="Gudang")
    return {"group": group, "members": members, "variant": variant, "store": store, "org": group.organization}


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check the services' own words, written in English; the UI translates them."""
    from django.utils import translation

    with translation.override("en"):
        yield
