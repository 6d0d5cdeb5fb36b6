"""Expire overdue orders and purge old idempotency records: a cron job's command, beside the task worker.

Each order schedules its own expiry task when it is placed (orders.notifications); this command catches
any the worker missed (it was stopped, the task failed) and keeps the idempotency table small.

    */15 * * * *  cd /srv/binakarya && .venv/bin/python manage.py orders_expire
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from binakarya.orders.idempotency import idempotency_purge
from binakarya.orders.services import orders_expire


class Command(BaseCommand):
    help = "Expire the orders awaiting payment past their time and delete idempotency records past theirs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=500, help="most orders expired per batch (500); batches repeat until done"
        )

    def handle(self, *args: Any, limit: int = 500, **options: Any) -> None:
        limit = max(1, min(limit, 10_000))
        expired = 0
        for _batch in range(1000):  # bounded: each batch leaves the orders it expired behind
            count = orders_expire(limit=limit)
            expired += count
            if count < limit:
                break
        purged = idempotency_purge()
        self.stdout.write(f"Expired {expired} order(s); purged {purged} idempotency record(s).")
