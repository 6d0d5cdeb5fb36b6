"""Restore a backup folder (or s3://BUCKET/PREFIX/binakarya-<time>) into the empty database DATABASE_URL names
and the media storage (docs/backups.md)."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.core.backup import BackupError, backup_restore, target_description


class Command(BaseCommand):
    help = (
        "Check a backup's checksums, restore it into the configured database and media storage "
        "(MEDIA_ROOT/PRIVATE_MEDIA_ROOT, or the buckets with MEDIA_STORAGE=s3; empty unless --force), "
        "then verify every table's rows and money sums. Exit 1 on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            metavar="DIR",
            help="a backup folder (the one holding manifest.json), or s3://BUCKET/PREFIX/binakarya-<time>",
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database and media folders that are not empty"
        )
        parser.add_argument(
            "--allow-debug", action="store_true", help="run even though DEBUG is on (a development database)"
        )

    def handle(
        self, *args: Any, directory: str, force: bool = False, allow_debug: bool = False, **options: Any
    ) -> None:
        self.stdout.write(f"database: {target_description()}")
        if settings.DEBUG and not allow_debug:
            raise CommandError(
                "restore refused: DEBUG is on, so this is probably not the site's environment "
                "(load its environment file, or --allow-debug)"
            )
        try:
            if directory.startswith("s3://"):
                from binakarya.core.backup_s3 import backup_download

                with tempfile.TemporaryDirectory(prefix="binakarya-restore-") as tmp:
                    folder = backup_download(url=directory, directory=Path(tmp))
                    self.stdout.write(f"downloaded {directory}")
                    result = backup_restore(folder=folder, force=force, say=self.stdout.write)
            else:
                result = backup_restore(folder=Path(directory), force=force, say=self.stdout.write)
        except BackupError as e:
            raise CommandError(f"restore failed: {e}") from e
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {result.tables} tables, {result.rows:,} rows, {result.files} media files; "
                "every table's rows and *_idr sums equal the backup's"
            )
        )
        if result.migrations_behind:
            self.stdout.write(
                self.style.WARNING(
                    f"the backup predates {len(result.migrations_behind)} migration(s) of this code: "
                    "run manage.py migrate"
                )
            )
