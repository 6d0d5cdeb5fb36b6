import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from binakarya.core import db_router, selectors


@pytest.fixture(autouse=True)
def fresh_replica_answer():
    # /healthz reports the router's per-process cached replica health: each test starts without one
    db_router.forget_replica_health()
    yield
    db_router.forget_replica_health()


def enqueue(*, waited: datetime.timedelta, run_after: datetime.datetime | None = None, status: str = "READY"):
    """A task row as the worker would find it: enqueued ``waited`` ago (or scheduled for ``run_after``)."""
    result = DBTaskResult.objects.create(
        task_path="binakarya.orders.notifications.send_order_email",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - waited)
    return result


def broken_database():
    # A database that refuses every query (only while the request runs: teardown needs it back).
    return mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused"))


def test_healthz_reports_ok_with_database_vendor_and_an_idle_worker(client, db):
    # when
    response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": connection.vendor,
        "tasks": {"status": "ok", "queued": 0, "oldest_queued_seconds": 0},
    }


def test_healthz_counts_tasks_that_wait_less_than_the_threshold_as_ok(client, db, settings):
    # given two tasks due a minute ago, one scheduled for later and one already done
    settings.TASKS_STALL_SECONDS = 300
    enqueue(waited=datetime.timedelta(seconds=60))
    enqueue(waited=datetime.timedelta(hours=1), run_after=timezone.now() - datetime.timedelta(seconds=30))
    enqueue(waited=datetime.timedelta(hours=1), run_after=timezone.now() + datetime.timedelta(hours=1))
    enqueue(waited=datetime.timedelta(hours=1), status="SUCCESSFUL")

    # when
    response = client.get(reverse("healthz"))

    # then the scheduled task counts from its run_after, not from when it was enqueued
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["tasks"]["status"] == "ok"
    assert body["tasks"]["queued"] == 2
    assert 60 <= body["tasks"]["oldest_queued_seconds"] < 120


def test_healthz_answers_200_degraded_when_the_worker_is_stalled(client, db, settings):
    # given a task due ten minutes ago, with a threshold of five
    settings.TASKS_STALL_SECONDS = 300
    enqueue(waited=datetime.timedelta(minutes=10))

    # when
    response = client.get(reverse("healthz"))

    # then the web server still takes traffic (200), and says what is wrong
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == connection.vendor
    assert body["tasks"]["status"] == "stalled"
    assert body["tasks"]["queued"] == 1
    assert body["tasks"]["oldest_queued_seconds"] >= 600


def test_the_stall_threshold_comes_from_the_settings(db, settings):
    # given a task due two minutes ago
    enqueue(waited=datetime.timedelta(minutes=2))

    # then
    settings.TASKS_STALL_SECONDS = 60
    assert selectors.task_queue_health().status == "stalled"
    settings.TASKS_STALL_SECONDS = 300
    assert selectors.task_queue_health().status == "ok"


def test_healthz_answers_503_when_database_fails(client, db):
    # when
    with broken_database():
        response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_ping_answers_pong_as_plain_text(client):
    # when
    response = client.get(reverse("ping"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"pong"


# manage.py healthcheck ----------------------------------------------------------------------------


def test_healthcheck_exits_0_and_says_ok(db, capsys):
    # when
    call_command("healthcheck")

    # then
    out = capsys.readouterr().out
    assert out.startswith(f"OK: database {connection.vendor}, 0 task(s) waiting")
    assert out.count("\n") == 1


def test_healthcheck_exits_non_zero_with_one_line_when_the_worker_is_stalled(db, settings, capsys):
    # given
    settings.TASKS_STALL_SECONDS = 300
    enqueue(waited=datetime.timedelta(minutes=10))

    # when
    with pytest.raises(SystemExit) as exit_info:
        call_command("healthcheck")

    # then
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out.startswith("CRITICAL: the task worker is stalled: 1 task(s) waiting, the oldest for 6")
    assert out.count("\n") == 1
    assert err == ""


def test_healthcheck_exits_non_zero_with_one_line_when_the_database_is_down(db, capsys):
    # when
    with broken_database(), pytest.raises(SystemExit) as exit_info:
        call_command("healthcheck")

    # then
    assert exit_info.value.code == 2
    # on stdout, where Nagios-style checks read their status line
    assert capsys.readouterr() == ("CRITICAL: the database does not answer\n", "")


def test_healthz_answers_200_degraded_when_the_task_queue_cannot_be_read(client, db):
    # given a task table that cannot be read (say, its migration not yet applied)
    broken = mock.patch.object(selectors, "task_queue_health", side_effect=OperationalError("no such table"))

    # when
    with broken:
        response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": connection.vendor, "tasks": {"status": "error"}}


def test_healthcheck_exits_non_zero_with_one_line_when_the_task_queue_cannot_be_read(db, capsys):
    # given
    broken = mock.patch.object(selectors, "task_queue_health", side_effect=OperationalError("no such table\nmore"))

    # when
    with broken, pytest.raises(SystemExit) as exit_info:
        call_command("healthcheck")

    # then
    assert exit_info.value.code == 2
    assert capsys.readouterr().out == "CRITICAL: the task queue cannot be read: OperationalError: no such table\n"


def test_healthcheck_help_gives_the_real_exit_code():
    from binakarya.core.management.commands.healthcheck import Command

    assert "exit 2" in Command.help and "exit 1" not in Command.help


# The read replica (DATABASE_REPLICA_URL): its own answers stood in for; the real standby is in
# tests/core/test_replica.py.


class _Cursor:
    def __init__(self, row):
        self.row = row

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        if isinstance(self.row, Exception):
            raise self.row

    def fetchone(self):
        return self.row


class _Replica:
    def __init__(self, row):
        self.row = row

    def cursor(self):
        return _Cursor(self.row)


class _Connections:
    """selectors.connections with a "replica" alias whose query answers ``row`` (or raises it)."""

    def __init__(self, row):
        self.settings = {"default": {}, "replica": {}}
        self.replica = _Replica(row)

    def __getitem__(self, alias):
        assert alias == "replica"
        return self.replica


def replica_answering(row):
    return mock.patch.object(selectors, "connections", _Connections(row))


def test_without_a_replica_there_is_no_replica_health(db):
    assert selectors.replica_health() is None


@pytest.mark.parametrize(
    "row, status, lag",
    [
        ((True, True, 0, False), "ok", 0.0),
        ((True, True, 3.25, False), "ok", 3.2),
        ((True, True, 61.0, False), "lagging", 61.0),
        ((True, True, None, False), "lagging", None),  # nothing replayed yet: the lag is unknown, not 0
        ((True, True, -0.4, False), "ok", 0.0),  # clocks a moment apart
        ((True, False, 0, False), "not_streaming", 0.0),  # the WAL receiver stopped: replayed all it got, long ago
        ((True, False, None, False), "not_streaming", None),
        ((False, False, None, False), "not_in_recovery", None),
        # a WAL receiver runs (its pid shows) but this role may not see its status: not "not_streaming"
        ((True, False, 0, True), "no_permission", 0.0),
        (OperationalError("connection refused"), "down", None),
    ],
)
def test_replica_health_reads_recovery_and_lag(db, settings, row, status, lag):
    settings.REPLICA_MAX_LAG_SECONDS = 60
    with replica_answering(row):
        health = selectors.replica_health()
    assert health is not None
    assert health.status == status
    assert health.lag_seconds == lag


def test_healthz_reports_the_replica(client, db):
    with replica_answering((True, True, 1.5, False)):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["replica"] == {"status": "ok", "in_recovery": True, "lag_seconds": 1.5}


def test_healthz_answers_200_degraded_when_the_replica_is_not_streaming(client, db):
    with replica_answering((True, False, 0, False)):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["replica"] == {"status": "not_streaming", "in_recovery": True, "lag_seconds": 0.0}


def test_healthz_answers_200_degraded_when_the_replica_does_not_answer(client, db):
    with replica_answering(OperationalError("connection refused")):
        response = client.get(reverse("healthz"))

    # then the web server still takes traffic: the primary serves the replica's reads
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == connection.vendor
    assert body["replica"] == {"status": "down", "in_recovery": None, "lag_seconds": None}


def test_healthcheck_mentions_the_replica_when_it_is_fine(db, capsys):
    with replica_answering((True, True, 0, False)):
        call_command("healthcheck")

    assert "read replica in recovery with 0.0 s lag" in capsys.readouterr().out


@pytest.mark.parametrize(
    "row, says",
    [
        (OperationalError("connection refused"), "the read replica (DATABASE_REPLICA_URL) does not answer"),
        ((False, False, None, False), "is not in recovery"),
        ((True, False, 0, False), "is not streaming from the primary"),
        ((True, False, None, True), "GRANT pg_read_all_stats TO"),
        ((True, True, 600.0, False), "lags 600.0 s behind the primary"),
        ((True, True, None, False), "behind the primary by an unknown amount"),
    ],
)
def test_healthcheck_exits_non_zero_with_one_line_when_the_replica_is_wrong(db, capsys, row, says):
    with replica_answering(row), pytest.raises(SystemExit) as exit_info:
        call_command("healthcheck")

    assert exit_info.value.code == 2
    out = capsys.readouterr().out
    assert out.startswith("CRITICAL: ")
    assert says in out
    assert out.count("\n") == 1


@pytest.mark.parametrize(
    "in_recovery, streaming, hidden, status",
    [
        (True, True, False, "ok"),
        (True, False, False, "not_streaming"),  # no WAL receiver at all, or one that is not streaming
        (True, False, True, "no_permission"),  # pid shown, status NULL: the role lacks pg_read_all_stats
        (False, False, True, "not_in_recovery"),  # promoted wins over anything the receiver says
    ],
)
def test_replica_status_tells_a_hidden_wal_receiver_from_one_that_does_not_stream(
    in_recovery, streaming, hidden, status
):
    assert selectors.replica_status(in_recovery, streaming, 0.0, max_lag_seconds=60, receiver_hidden=hidden) == status


def test_two_healthz_calls_within_the_retry_period_probe_the_replica_once(client, db, monkeypatch):
    probes: list[int] = []
    real = selectors.replica_health

    def counted(**kwargs):
        probes.append(1)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "replica_health", counted)
    with replica_answering(OperationalError("could not connect: timeout expired")):
        first = client.get(reverse("healthz")).json()
        second = client.get(reverse("healthz")).json()

    assert first == second
    assert first["replica"]["status"] == "down"
    assert probes == [1]
    # and once the answer is due again, the next one probes
    monkeypatch.setattr(db_router, "_replica_answer", (False, 0.0))
    with replica_answering((True, True, 0, False)):
        assert client.get(reverse("healthz")).json()["replica"]["status"] == "ok"
    assert probes == [1, 1]


def test_a_replica_going_down_and_up_is_logged_once_per_change(db, monkeypatch, caplog):
    def probe_due_again():
        monkeypatch.setattr(db_router, "_replica_answer", (False, 0.0))
        return db_router.cached_replica_health()

    with caplog.at_level("WARNING"):
        with replica_answering(OperationalError("connection refused")):
            for _ in range(3):
                assert probe_due_again().status == "down"
        with replica_answering((True, True, 0, False)):
            for _ in range(2):
                assert probe_due_again().status == "ok"

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert "not usable" in messages[0] and "connection refused" in messages[0]
    assert "usable again" in messages[1]
    assert not any(record.exc_info for record in caplog.records)  # no traceback on each probe


def test_the_healthcheck_command_probes_afresh(db, capsys):
    with replica_answering((True, True, 0, False)):
        assert db_router.cached_replica_health().status == "ok"
    with replica_answering(OperationalError("connection refused")), pytest.raises(SystemExit):
        call_command("healthcheck")
    assert "does not answer" in capsys.readouterr().out


@pytest.mark.postgres_only
def test_the_replica_query_runs_on_postgresql(db):
    # on a primary (the test database): not in recovery, no WAL receiver, no lag to speak of
    with connection.cursor() as cursor:
        cursor.execute(selectors._REPLICA_QUERY)
        assert cursor.fetchone() == (False, False, None, False)
