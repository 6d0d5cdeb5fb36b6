"""Back up the database and the media files into a new folder inside DIR (docs/backups.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.core.backup import BackupError, backup_create, prune_backups, target_description


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database, media, private files, manifest.json with checksums and counts) "
        "into a new folder binakarya-<UTC time> inside DIR, and print its path. Exit 1 on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="where to create the backup folder")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="after a successful backup, delete the older complete backups in DIR beyond the newest N",
        )
        parser.add_argument(
            "--allow-debug", action="store_true", help="run even though DEBUG is on (a development database)"
        )

    def handle(
        self, *args: Any, directory: str, keep: int | None = None, allow_debug: bool = False, **options: Any
    ) -> None:
        self.stdout.write(f"database: {target_description()}")
        if settings.DEBUG and not allow_debug:
            raise CommandError(
                "backup refused: DEBUG is on, so this is probably not the site's environment "
                "(load its environment file, or --allow-debug)"
            )
        if keep is not None and keep < 1:
            raise CommandError("backup failed: --keep must be at least 1")
        try:
            folder = backup_create(directory=Path(directory))
            deleted = prune_backups(directory=Path(directory), keep=keep) if keep is not None else []
        except BackupError as e:
            raise CommandError(f"backup failed: {e}") from e
        self.stdout.write(str(folder))
        for old in deleted:
            self.stdout.write(f"deleted old backup {old}")
