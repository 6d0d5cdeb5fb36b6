"""Rebuild the stored product feeds now, without the task worker: every seller's, or one seller's.

    manage.py feeds_rebuild                      # every active facility and UMKM producer
    manage.py feeds_rebuild --seller rutan-sumenep

The worker rebuilds a seller's feeds after each change (docs/feeds.md); this is for operators: after a
restore, a change of SITE_URL or of a seller's name, or to check that the stored files are current (an
unchanged file keeps its ETag and Last-Modified).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from binakarya.feeds.selectors import feed_sellers
from binakarya.feeds.services import feeds_rebuild
from binakarya.organizations.models import Organization


class Command(BaseCommand):
    help = "Rebuild the stored product feeds of every seller, or of --seller SLUG, now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", metavar="SLUG", help="only this facility or UMKM producer")

    def handle(self, *args: Any, seller: str | None = None, verbosity: int = 1, **options: Any) -> None:
        try:
            sellers = feed_sellers(slug=seller)
        except Organization.DoesNotExist as exc:
            raise CommandError(f"No active facility or UMKM producer has the slug {seller!r}.") from exc
        changed_files = 0
        out = getattr(self.stderr, "_out", None)
        for organization in tqdm(sellers, unit="seller", file=out, disable=None if verbosity else True):
            result = feeds_rebuild(organization=organization)
            changed_files += len(result.changed)
            if verbosity >= 2:
                self.stdout.write(f"{organization.slug}: changed {', '.join(result.changed) or 'nothing'}")
        self.stdout.write(
            f"Rebuilt the feeds of {len(sellers)} seller(s): {changed_files} file(s) changed, the others unchanged."
        )
