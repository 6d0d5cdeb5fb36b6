import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import GroupMembershipFactory, LocationFactory, ProducerFactory, VariantFactory


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards.

    Each test's own transaction nests inside it (as with TestCase.setUpTestData), so the tests
    share the rows but not each other's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_data, db):
    """The full demo data set, as `make run` loads it: with placeholder photos, which public products need."""


@pytest.fixture
def workshop(db):
    """A facility group with three members, its producer, one variant and a store."""
    producer = ProducerFactory(group__name="Kelompok Batik Tulis")
    group = producer.group
    members = [GroupMembershipFactory(group=group).maker for _ in range(3)]
    variant = VariantFactory(product__producer=producer, sku="SMP-BTK-001", price_idr=450_000)
    store = LocationFactory(organization=group.organization, name="Gudang")
    return {"group": group, "members": members, "variant": variant, "store": store, "org": group.organization}


def year_figures(organization, year: int) -> dict[str, int]:
    """Items sold (less returns) and premi earned in ``year``, added up from the sale lines and sales (the demo
    has months of past sales besides the field reports' own)."""
    from django.db.models import F, Sum

    from binakarya.sales.models import Sale, SaleLine

    lines = SaleLine.objects.filter(sale__organization=organization, sale__occurred_at__year=year)
    items = lines.aggregate(t=Sum(F("quantity") - F("returned_quantity")))["t"] or 0
    premi = Sale.objects.filter(organization=organization, occurred_at__year=year).aggregate(t=Sum("premi_idr"))["t"]
    return {"items": items, "premi": premi or 0}
