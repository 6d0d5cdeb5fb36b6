"""Prove that every stock balance equals the sum of its movements; report any difference."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.inventory.services import stock_reconcile_differences


class Command(BaseCommand):
    help = "Compare every stock balance with the sum of its movements. Exits with status 1 on any difference."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        differences = stock_reconcile_differences()
        elapsed = time.perf_counter() - started
        movements = StockMovement.objects.count()
        balances = StockBalance.objects.count()
        self.stdout.write(f"Checked {movements:,} movements against {balances:,} balances in {elapsed:.2f} s.")
        if not differences:
            self.stdout.write(self.style.SUCCESS("Every balance equals the sum of its movements."))
            return
        self.stdout.write(self.style.ERROR(f"{len(differences)} difference(s):"))
        self.stdout.write(f"{'lot id':>10} {'location id':>12} {'movements':>10} {'balance':>10}")
        for lot_id, location_id, total, balance in differences[:200]:
            self.stdout.write(f"{lot_id:>10} {location_id:>12} {total:>10} {balance:>10}")
        raise SystemExit(1)
