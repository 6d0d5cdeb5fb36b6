"""Print a trial balance per organization and verify the ledger's invariants.

It lives in the sales app because one invariant is about sales: the premi each sale credited equals
what its split rules give (``sales.selectors.premi_mismatches``).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from binakarya.core.money import format_rupiah
from binakarya.ledger import selectors
from binakarya.ledger.models import JournalLine
from binakarya.organizations.models import Organization
from binakarya.sales.selectors import premi_mismatches


class Command(BaseCommand):
    help = (
        "Trial balance per organization, then the invariants: every entry balances, the premi "
        "credited equals what the split rules give, no payable has gone negative, and the monthly summaries "
        "(LedgerMonth, MakerMonth) equal the journal. Exit 1 on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="slug of one organization")

    def handle(self, *args: Any, organization: str | None = None, **options: Any) -> None:
        orgs = Organization.objects.filter(pk__in=JournalLine.objects.values("organization_id")).order_by("name")
        if organization:
            orgs = orgs.filter(slug=organization)
        failures = 0
        for org in orgs:
            tb = selectors.trial_balance(organization=org)
            self.stdout.write(self.style.MIGRATE_HEADING(f"\n{org.name}"))
            self.stdout.write(f"  {'account':<48} {'debit':>18} {'credit':>18}")
            for row in tb.rows:
                debit = format_rupiah(row.debit_idr) if row.debit_idr else ""
                credit = format_rupiah(row.credit_idr) if row.credit_idr else ""
                self.stdout.write(f"  {row.name[:48]:<48} {debit:>18} {credit:>18}")
            self.stdout.write(
                f"  {'total':<48} {format_rupiah(tb.debit_idr):>18} {format_rupiah(tb.credit_idr):>18}"
                + ("" if tb.balanced else "  NOT BALANCED")
            )
            failures += not tb.balanced
        checks: list[tuple[str, list[Any]]] = [
            ("every entry sums to zero", selectors.unbalanced_entries()),
            ("premi credited equals the split rules", premi_mismatches()),
            ("no payable or fund below zero", selectors.negative_payables()),
            ("the monthly summaries equal the journal", selectors.summary_mismatches()),
        ]
        self.stdout.write("")
        for label, problems in checks:
            if problems:
                failures += 1
                self.stdout.write(self.style.ERROR(f"FAIL {label}: {[str(p) for p in problems[:20]]}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"ok   {label}"))
        if failures:
            raise SystemExit(1)
