"""Reads about the running system itself: the database, the read replica and the task queue (for /healthz and
healthcheck)."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from binakarya.core.db_router import REPLICA

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


@dataclass(frozen=True)
class ReplicaHealth:
    # "ok"; "down" (does not answer); "not_in_recovery" (promoted: no longer a standby); "not_streaming" (its WAL
    # receiver is not streaming from the primary: it serves an ever older copy); "no_permission" (a WAL receiver runs
    # but the replica's role may not see its status: GRANT pg_read_all_stats TO that role); "lagging" (replay further
    # behind than REPLICA_MAX_LAG_SECONDS, or behind by an unknown amount)
    status: str
    in_recovery: bool | None  # None when it does not answer
    lag_seconds: float | None  # how far replay is behind the primary; None when unknown
    detail: str = field(default="", compare=False)  # why it is down, for the log (never in as_dict: public)

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "in_recovery": self.in_recovery, "lag_seconds": self.lag_seconds}


# In recovery; whether the WAL receiver streams (pg_stat_wal_receiver, whose status only a role with
# pg_read_all_stats sees: docs/deployment.md "Read replicas"); the replay lag in seconds; whether a receiver runs
# but its status is hidden from this role (pid shown, status NULL: the role lacks pg_read_all_stats). The lag is 0
# only when streaming and everything received is replayed (an idle primary sends nothing, and the time of the last
# replayed transaction then says nothing); else the age of the last replayed transaction, NULL (unknown) when none
# was. Measured on the standby against what it has received: a standby whose network is slow shows 0 while the
# primary is ahead (the primary's pg_stat_replication.replay_lag shows that).
_REPLICA_QUERY = """
    WITH receiver AS (
        SELECT coalesce(bool_or(status = 'streaming'), false) AS streaming,
               coalesce(bool_or(pid IS NOT NULL AND status IS NULL), false) AS hidden
        FROM pg_stat_wal_receiver
    )
    SELECT pg_is_in_recovery(),
           receiver.streaming,
           CASE WHEN NOT pg_is_in_recovery() THEN NULL
                WHEN receiver.streaming AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
           END,
           receiver.hidden
    FROM receiver
"""


def replica_status(
    in_recovery: bool,
    streaming: bool,
    lag_seconds: float | None,
    *,
    max_lag_seconds: int,
    receiver_hidden: bool = False,
) -> str:
    """What the replica health query's answer means (see :class:`ReplicaHealth`).

    ``receiver_hidden``: a WAL receiver runs but the role cannot see its status (no pg_read_all_stats): whether it
    streams is unknown, which is "no_permission", not "not_streaming" (replication may well be fine).
    """
    if not in_recovery:
        return "not_in_recovery"
    if receiver_hidden and not streaming:
        return "no_permission"
    if not streaming:
        return "not_streaming"
    if lag_seconds is None or lag_seconds > max_lag_seconds:
        return "lagging"
    return "ok"


def replica_health(*, max_lag_seconds: int | None = None, log_failure: bool = True) -> ReplicaHealth | None:
    """The read replica (DATABASE_REPLICA_URL), or None when none is configured. One query, on a fresh probe:
    the connection's connect_timeout (settings.py) bounds how long a vanished host can take.

    ``log_failure=False``: a replica that does not answer is not logged here (the router logs the change of state
    once, with ``detail``); /healthz uses the router's cached answer (db_router.cached_replica_health)."""
    if REPLICA not in connections.settings:
        return None
    max_lag_seconds = settings.REPLICA_MAX_LAG_SECONDS if max_lag_seconds is None else max_lag_seconds
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_REPLICA_QUERY)
            in_recovery, streaming, lag, hidden = cursor.fetchone()
    except Exception as error:
        if log_failure:
            logger.exception("health: read replica check failed")
        return ReplicaHealth(
            status="down", in_recovery=None, lag_seconds=None, detail=f"{type(error).__name__}: {error}"
        )
    lag_seconds = None if lag is None else max(0.0, round(float(lag), 1))
    status = replica_status(
        bool(in_recovery), bool(streaming), lag_seconds, max_lag_seconds=max_lag_seconds, receiver_hidden=bool(hidden)
    )
    return ReplicaHealth(status=status, in_recovery=bool(in_recovery), lag_seconds=lag_seconds)


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
