"""Back up the database and the media files into a new folder inside DIR (docs/backups.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database, media, private files, manifest.json with checksums and counts) "
        "into a new folder binakarya-<UTC time> inside DIR, and print its path. Exit 1 on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="where to create the backup folder")

    def handle(self, *args: Any, directory: str, **options: Any) -> None:
        try:
            folder = backup_create(directory=Path(directory))
        except BackupError as e:
            raise CommandError(f"backup failed: {e}") from e
        self.stdout.write(str(folder))
