"""Two staff make an agreement with the same outlet at the same moment: exactly one is made (PostgreSQL,
real threads on their own connections; consignment/locks.py locks the outlet's row first)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from binakarya.consignment.models import Agreement
from binakarya.consignment.services import agreement_create
from tests.consignment.world import consignment_world

WORKERS = 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_only_one_of_several_agreements_made_at_once_is_made():
    world = consignment_world()
    barrier = threading.Barrier(WORKERS)
    results: list = [None] * WORKERS

    def run(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[i] = agreement_create(
                    actor=world["admin"],
                    organization=world["facility"],
                    outlet=world["hotel"],
                    commission_percent_bp=1000 + i,
                    settlement_period="MONTHLY",
                    payment_days=14,
                    start_date=timezone.localdate(),
                )
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    made = [r for r in results if isinstance(r, Agreement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refused)) == (1, WORKERS - 1), results
    assert Agreement.objects.count() == 1
    assert all("already has an agreement in force" in e.message_dict["start_date"][0] for e in refused)
