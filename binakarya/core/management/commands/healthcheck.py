"""For monitoring (cron, Nagios, systemd): exit 0 with one ``OK: …`` line when the database and the task worker
are fine, else exit 2 (Nagios' CRITICAL) with one ``CRITICAL: …`` line. Both lines go to stdout, where
Nagios-style checks read their status text. The same checks as /healthz (binakarya.core.selectors). On the server,
run it through deploy/manage so that it reads the services' environment (docs/deployment.md)."""

from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from binakarya.core import selectors

CRITICAL = 2


class Command(BaseCommand):
    help = (
        "Check the database and the task worker: exit 0 with an OK line, or exit 2 with one CRITICAL line "
        "(both on stdout) when either is wrong."
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
        self.stdout.write(
            f"OK: database {vendor}, {tasks.queued} task(s) waiting, the oldest for {tasks.oldest_queued_seconds} s"
        )
