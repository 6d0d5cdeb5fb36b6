"""Reads about the running system itself: the database and the task queue (for /healthz and healthcheck)."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskQueueHealth:
    status: str  # "ok" or "stalled"
    queued: int  # tasks due now and waiting for the worker
    oldest_queued_seconds: int  # how long the longest-waiting of them has been due (0 when none)

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "queued": self.queued, "oldest_queued_seconds": self.oldest_queued_seconds}


def database_vendor_if_up() -> str | None:
    """The default database's vendor ("sqlite", "postgresql") when it answers a query, else None."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Whatever broke, the answer is "down"; the log keeps the cause.
        logger.exception("health: database check failed")
        return None
    return connection.vendor


def task_queue_health(*, now: datetime.datetime | None = None, stall_seconds: int | None = None) -> TaskQueueHealth:
    """The task worker's backlog: READY tasks already due, and how long the oldest has waited.

    A task is due from when it was enqueued, or from its ``run_after`` when it was scheduled for later.
    The worker is "stalled" when a due task has waited longer than ``TASKS_STALL_SECONDS``: a worker that
    runs takes every due task within seconds.
    """
    now = now or timezone.now()
    stall_seconds = settings.TASKS_STALL_SECONDS if stall_seconds is None else stall_seconds
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    unscheduled = ready.filter(run_after=get_date_max()).aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    scheduled = ready.filter(run_after__lte=now).aggregate(count=Count("pk"), oldest=Min("run_after"))
    due_since = [moment for moment in (unscheduled["oldest"], scheduled["oldest"]) if moment is not None]
    oldest_seconds = max(0, int((now - min(due_since)).total_seconds())) if due_since else 0
    return TaskQueueHealth(
        status="stalled" if oldest_seconds > stall_seconds else "ok",
        queued=unscheduled["count"] + scheduled["count"],
        oldest_queued_seconds=oldest_seconds,
    )
