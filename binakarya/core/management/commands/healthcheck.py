"""For monitoring (cron, Nagios, systemd): exit 0 with one ``OK: …`` line when the database, the task worker and
the read replica (when DATABASE_REPLICA_URL is set) are fine, else exit 2 (Nagios' CRITICAL) with one
``CRITICAL: …`` line. Both lines go to stdout, where Nagios-style checks read their status text. The same checks as /healthz (binakarya.core.selectors). On the server,
run it through deploy/manage so that it reads the services' environment (docs/deployment.md)."""

from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand

from binakarya.core import selectors

CRITICAL = 2


class Command(BaseCommand):
    help = (
        "Check the database, the task worker and the read replica (if any): exit 0 with an OK line, or exit 2 "
        "with one CRITICAL line (both on stdout) when one is wrong."
    )

    def critical(self, message: str) -> NoReturn:
        self.stdout.write(f"CRITICAL: {message}".splitlines()[0])
        raise SystemExit(CRITICAL)

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = selectors.database_vendor_if_up()
        if vendor is None:
            self.critical("the database does not answer")
        try:
            tasks = selectors.task_queue_health()
        except Exception as error:  # e.g. the migrations not applied: still one line, still CRITICAL
            self.critical(f"the task queue cannot be read: {type(error).__name__}: {error}")
        if tasks.status != "ok":
            self.critical(
                f"the task worker is stalled: {tasks.queued} task(s) waiting, the oldest for "
                f"{tasks.oldest_queued_seconds} s (TASKS_STALL_SECONDS is exceeded); is `manage.py db_worker` running?"
            )
        replica = selectors.replica_health()
        if replica is not None and replica.status == "down":
            self.critical("the read replica (DATABASE_REPLICA_URL) does not answer; the primary serves its reads")
        if replica is not None and replica.status == "not_in_recovery":
            self.critical(
                "the read replica (DATABASE_REPLICA_URL) is not in recovery: it was promoted and no longer follows "
                "the primary; point DATABASE_REPLICA_URL at a standby or unset it"
            )
        if replica is not None and replica.status == "not_streaming":
            self.critical(
                "the read replica (DATABASE_REPLICA_URL) is not streaming from the primary (pg_stat_wal_receiver "
                "shows no streaming WAL receiver): its copy grows older, so the primary serves its reads; check "
                "primary_conninfo, the network and the replication role's password"
            )
        if replica is not None and replica.status == "no_permission":
            role = settings.DATABASES.get("replica", {}).get("USER") or "<the replica's role>"
            self.critical(
                "the read replica (DATABASE_REPLICA_URL) cannot be checked: its role may not read the WAL receiver's "
                f"status (pg_stat_wal_receiver), so the primary serves its reads; on the primary run "
                f'GRANT pg_read_all_stats TO "{role}"'
            )
        if replica is not None and replica.status == "lagging" and replica.lag_seconds is None:
            self.critical(
                "the read replica (DATABASE_REPLICA_URL) is behind the primary by an unknown amount (it has "
                "replayed no transaction yet)"
            )
        if replica is not None and replica.status == "lagging":
            self.critical(
                f"the read replica (DATABASE_REPLICA_URL) lags {replica.lag_seconds} s behind the primary "
                f"(REPLICA_MAX_LAG_SECONDS is {settings.REPLICA_MAX_LAG_SECONDS})"
            )
        replica_text = "" if replica is None else f", read replica in recovery with {replica.lag_seconds} s lag"
        self.stdout.write(
            f"OK: database {vendor}{replica_text}, {tasks.queued} task(s) waiting, the oldest for {tasks.oldest_queued_seconds} s"
        )
