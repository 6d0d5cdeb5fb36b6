"""For monitoring (cron, Nagios, systemd): exit 0 when the database and the task worker are fine, else 1
with a one-line reason. The same checks as /healthz (binakarya.core.selectors)."""

from typing import Any

from django.core.management.base import BaseCommand

from binakarya.core import selectors


class Command(BaseCommand):
    help = "Check the database and the task worker; exit 1 with a one-line reason when either is wrong."

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = selectors.database_vendor_if_up()
        if vendor is None:
            self.stderr.write("CRITICAL: the database does not answer")
            raise SystemExit(2)
        try:
            tasks = selectors.task_queue_health()
        except Exception as error:  # e.g. the migrations not applied: still one line, still CRITICAL
            self.stderr.write(
                f"CRITICAL: the task queue cannot be read: {type(error).__name__}: {error}".splitlines()[0]
            )
            raise SystemExit(2) from error
        if tasks.status != "ok":
            self.stderr.write(
                f"CRITICAL: the task worker is stalled: {tasks.queued} task(s) waiting, the oldest for "
                f"{tasks.oldest_queued_seconds} s (TASKS_STALL_SECONDS is exceeded); is `manage.py db_worker` running?"
            )
            raise SystemExit(2)
        self.stdout.write(
            f"OK: database {vendor}, {tasks.queued} task(s) waiting, the oldest for {tasks.oldest_queued_seconds} s"
        )
