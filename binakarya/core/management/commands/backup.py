"""Back up the database and the media files into a new folder inside DIR or s3://BUCKET/PREFIX (docs/backups.md)."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.core.backup import BackupError, backup_create, prune_backups, target_description, vanished_files


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database, media, private files, manifest.json with checksums and counts) "
        "into a new folder binakarya-<UTC time> inside DIR (a folder, or s3://BUCKET/PREFIX in S3-compatible storage), "
        "and print its path. Exit 1 on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", metavar="DIR", help="where to create the backup folder: a folder, or s3://BUCKET/PREFIX"
        )
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
            if directory.startswith("s3://"):
                where, deleted, vanished = self.to_s3(directory, keep)
            else:
                folder = backup_create(directory=Path(directory))
                where, vanished = str(folder), vanished_files(folder)
                deleted = [str(p) for p in prune_backups(directory=Path(directory), keep=keep)] if keep else []
        except BackupError as e:
            raise CommandError(f"backup failed: {e}") from e
        self.stdout.write(where)
        if vanished:
            self.stdout.write(f"{vanished} media files were deleted while the backup ran and are not in it")
        for old in deleted:
            self.stdout.write(f"deleted old backup {old}")

    def to_s3(self, url: str, keep: int | None) -> tuple[str, list[str], int]:
        """Make the backup in a temporary folder (TMPDIR), upload it, prune the old ones there."""
        from binakarya.core.backup_s3 import S3Place, backup_upload, prune_s3_backups, s3_client

        place = S3Place.parse(url)
        client = s3_client()
        with tempfile.TemporaryDirectory(prefix="binakarya-backup-") as tmp:
            folder = backup_create(directory=Path(tmp))
            where = backup_upload(folder=folder, place=place, client=client)
            vanished = vanished_files(folder)
        return where, prune_s3_backups(place=place, keep=keep, client=client) if keep else [], vanished
