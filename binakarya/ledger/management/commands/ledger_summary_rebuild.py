"""Rebuild the journal's summary tables (LedgerMonth, MakerMonth) from the journal lines.

    manage.py ledger_summary_rebuild [--organization SLUG] [--no-progress]

Each organization is rebuilt in its own transaction (delete, then insert from one grouped query per
table), so postings elsewhere go on meanwhile. ``ledger_check`` then shows that they agree.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from binakarya.ledger.services import ledger_summary_rebuild
from binakarya.organizations.models import Organization


class Command(BaseCommand):
    help = "Recompute the ledger's monthly summaries (dashboards read them) from the journal lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="slug of one organization (default: every organization)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, organization: str | None = None, no_progress: bool = False, **options: Any) -> None:
        orgs = Organization.objects.order_by("pk")
        if organization:
            orgs = orgs.filter(slug=organization)
            if not orgs.exists():
                raise CommandError(f"no organization {organization!r}")
        rows = 0
        show = not no_progress and options.get("verbosity", 1) > 0
        for org in tqdm(list(orgs), desc="Rebuilding", unit=" organizations", disable=None if show else True):
            rows += ledger_summary_rebuild(organization=org)
        self.stdout.write(self.style.SUCCESS(f"{rows} monthly summary rows written for {orgs.count()} organizations."))
