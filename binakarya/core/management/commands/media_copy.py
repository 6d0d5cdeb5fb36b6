"""Copy the media between this disk and object storage, e.g. before switching to MEDIA_STORAGE=s3."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.core.backup import private_inside_media, storage_files
from binakarya.core.storage import PrivateFileStorage, storage_description


def _local() -> tuple[Storage, Storage]:
    return FileSystemStorage(location=settings.MEDIA_ROOT), PrivateFileStorage()


def _s3() -> tuple[Storage, Storage]:
    from storages.backends.s3 import S3Storage

    from binakarya.core.s3 import PrivateS3Storage

    if not settings.S3_BUCKET:
        raise CommandError("media_copy: S3_BUCKET is not set (and S3_PRIVATE_BUCKET, if it is another bucket)")
    return S3Storage(**settings.S3_MEDIA_OPTIONS), PrivateS3Storage(**settings.S3_PRIVATE_OPTIONS)


class Command(BaseCommand):
    help = (
        "Copy every media file and private file from MEDIA_ROOT/PRIVATE_MEDIA_ROOT into the S3_BUCKET/"
        "S3_PRIVATE_BUCKET object storage (--to s3), or back (--to local), whatever MEDIA_STORAGE says. "
        "A file already there with the same content is skipped, so it can run again; a different file already "
        "there under the same name is never replaced but listed as a conflict (and the command then fails). "
        "Nothing is deleted or overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", choices=["s3", "local"], required=True, help="where to copy the files to")

    def handle(self, *args: Any, to: str, **options: Any) -> None:
        from binakarya.core.s3 import S3_ERRORS, s3_error_message

        local, s3 = _local(), _s3()
        (media_from, private_from), (media_to, private_to) = (local, s3) if to == "s3" else (s3, local)
        conflicts: list[str] = []
        for source, target, skip in (
            (media_from, media_to, private_inside_media(*local) if to == "s3" else None),
            (private_from, private_to, None),
        ):
            where = f"{storage_description(source)} -> {storage_description(target)}"
            try:
                copied, skipped, differ = self.copy(source, target, skip)
            except S3_ERRORS as e:
                raise CommandError(f"media_copy failed: {s3_error_message(e, where)}") from e
            self.stdout.write(f"{where}: {copied} copied, {skipped} already there, {len(differ)} conflicts")
            conflicts += [f"{storage_description(target)}/{name}" for name in differ]
        if conflicts:
            raise CommandError(
                f"media_copy: {len(conflicts)} files already exist in the target with other content and were "
                f"left as they are (nothing was overwritten): {', '.join(conflicts)}"
            )

    def copy(self, source: Storage, target: Storage, skip: str | None) -> tuple[int, int, list[str]]:
        """Copy what the target lacks; the number copied, the number already there, and the names that differ."""
        copied = skipped = 0
        conflicts: list[str] = []
        for name in sorted(storage_files(source, skip)):
            if target.exists(name):
                if _same_content(source, target, name):
                    skipped += 1
                else:
                    conflicts.append(name)
                continue
            with source.open(name, "rb") as content:
                saved = target.save(name, content)
            if saved != name:  # created there meanwhile: ours is kept under another name, theirs untouched
                conflicts.append(name)
                target.delete(saved)
                continue
            copied += 1
        return copied, skipped, conflicts


def _digest(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _same_content(source: Storage, target: Storage, name: str) -> bool:
    """Whether both hold the same bytes under ``name`` (sizes first, then both read through)."""
    return source.size(name) == target.size(name) and _digest(source, name) == _digest(target, name)
