"""Twenty requests at once against a limit of five, counted in the database's RateCount table by real threads.

Not collected by itself (the name does not start with ``test_``): ``test_ratelimit_table.py`` runs it in this
process on PostgreSQL, and in a child pytest on an SQLite *file* (an in-memory test database cannot show SQLite's
locking between connections).
"""

import threading

import pytest
from django.db import connection

from binakarya.core import ratelimit
from binakarya.core.models import RateCount

REQUESTS = 20
LIMIT = 5


def race(workers: int, target) -> list:
    barrier = threading.Barrier(workers)
    results: list = ["not run"] * workers

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
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
def test_twenty_requests_at_once_against_a_limit_of_five_let_exactly_five_through(settings):
    settings.CACHE_BACKEND = "database"

    results = race(REQUESTS, lambda i: ratelimit.attempt("race", who="10.9.8.7", rate=f"{LIMIT}/h"))

    unexpected = [r for r in results if not (r is None or isinstance(r, float))]
    assert unexpected == []
    assert results.count(None) == LIMIT
    assert [row.count for row in RateCount.objects.all()] == [REQUESTS]
