"""Real concurrent release checklists for one maker on PostgreSQL: the maker's row is locked first
(ledger.locks.makers_lock), so the premi is paid once and one Release row is written; the others are refused."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from binakarya.ledger.models import Payout
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.programs.models import Certificate, Release
from binakarya.programs.services import release_complete
from tests.programs.skills import OWED_IDR

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WORKERS = 3


def race(target) -> list:
    barrier = threading.Barrier(WORKERS)
    results: list = [None] * WORKERS

    def run(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_checklists_racing_for_one_maker_pay_the_premi_once(world, siti):
    maker = siti["maker"]
    certificate = {
        "crafts": "Batik tulis",
        "hours": 12,
        "period_start": timezone.localdate(),
        "period_end": timezone.localdate(),
    }

    results = race(
        lambda i: release_complete(
            actor=world["admin"], maker=maker, released_on=timezone.localdate(), certificate=dict(certificate)
        )
    )

    done = [r for r in results if isinstance(r, Release)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(done), len(refused)) == (1, WORKERS - 1), results
    assert all("was already completed" in r.message_dict["maker"][0] for r in refused), refused
    assert Payout.objects.get().amount_idr == OWED_IDR
    assert Release.objects.count() == 1 and Certificate.objects.count() == 1
    assert maker_premi_owed(maker=maker) == 0
