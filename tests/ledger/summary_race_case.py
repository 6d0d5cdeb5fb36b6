"""Sales and grants posted at once from many threads, with real connections: the summaries stay exact.

Not collected by itself (the name does not start with ``test_``): ``test_summary_race.py`` runs it in this
process on PostgreSQL, and in a child pytest on an SQLite *file* (an in-memory test database cannot show
SQLite's locking between connections).
"""

import threading

import pytest
from django.db import connection
from django.utils import translation

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.models import LedgerMonth
from binakarya.ledger.selectors import summary_mismatches
from binakarya.ledger.services import capital_grant
from binakarya.sales.services import SaleLineInput, sale_record
from tests.consignment.world import consignment_world
from tests.factories import make_lot

SELLERS = 8
GRANTS = 4


def race(target, workers: int) -> list:
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_and_grants_keep_the_summaries_exact():
    # given two showrooms of one facility, each with whips of the same group (the same summary rows)
    world = consignment_world()
    facility, group = world["facility"], world["group"]
    rooms = [
        location_create(actor=None, organization=facility, name=f"Ruang Pamer {n}", kind=Location.Kind.SHOWROOM)
        for n in (1, 2)
    ]
    for room in rooms:
        make_lot(variant=world["whip"], group=group, location=room, quantity=SELLERS, makers=world["makers"][:1])

    # when eight sales (alternating showrooms) and four grants are posted at once
    def post(i: int):
        if i < SELLERS:
            return sale_record(
                actor=None, location=rooms[i % 2], channel="POS", lines=[SaleLineInput("SMP-PCT-001", 1, 75_000)]
            )
        return capital_grant(actor=None, organization=facility, group=group, amount_idr=1_000, agency=None)

    results = race(post, SELLERS + GRANTS)

    # then every posting went through, and the summaries equal the journal to the rupiah
    assert [r for r in results if isinstance(r, Exception)] == []
    assert summary_mismatches() == []
    sales = LedgerMonth.objects.get(organization=facility, entry_kind="SALE", account_kind="CASH", channel="POS")
    grants = LedgerMonth.objects.get(organization=facility, entry_kind="GRANT", account_kind="CAPITAL_FUND")
    assert (sales.debit_idr, sales.lines) == (SELLERS * 75_000, SELLERS)
    assert (grants.credit_idr, grants.lines) == (-GRANTS * 1_000, GRANTS)
