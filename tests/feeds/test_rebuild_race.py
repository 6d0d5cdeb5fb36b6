"""Real concurrent changes against PostgreSQL: sellers marked stale by several commits at once get one
pending rebuild each."""

import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from binakarya.feeds.models import FeedState
from binakarya.feeds.services import feeds_mark_stale
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(workers: int, target) -> None:
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []


@pytest.mark.parametrize("rounds", range(3))
def test_changes_committed_at_once_enqueue_one_rebuild_per_seller(rounds):
    # given two sellers whose feeds are up to date
    sellers = [OrganizationFactory(), OrganizationFactory()]
    ids = [s.pk for s in sellers]

    # when eight commits mark both at the same moment (outside a transaction the marking runs at once)
    race(8, lambda: feeds_mark_stale(organization_ids=ids))

    # then each seller has one task waiting, and is marked
    tasks = DBTaskResult.objects.filter(task_path="binakarya.feeds.services.feeds_rebuild_task")
    assert sorted(r.args_kwargs["args"][0] for r in tasks) == sorted(ids)
    assert FeedState.objects.filter(organization_id__in=ids, stale_at__isnull=False).count() == 2
