"""Backups kept in S3-compatible object storage: ``manage.py backup s3://BUCKET/PREFIX`` and its restore.

A backup is made in a local temporary folder as usual (binakarya.core.backup), then each of its files is
uploaded under ``PREFIX/binakarya-<UTC time>/``, SHA256SUMS last: a backup whose SHA256SUMS is there is whole.
A restore downloads one such folder into a temporary folder, where binakarya.core.backup checks every checksum
before it touches anything. The connection: BACKUP_S3_* settings, each defaulting to its S3_* one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from binakarya.core.backup import CHECKSUMS, MANIFEST, BackupError
from binakarya.core.s3 import S3_ERRORS, s3_error_message

SCHEME = "s3://"
NAME_LENGTH = len("binakarya-20261206T030405Z")


def is_s3_url(target: str) -> bool:
    return target.startswith(SCHEME)


@dataclass(frozen=True)
class S3Place:
    bucket: str
    prefix: str  # without a leading or trailing slash; may be empty

    @classmethod
    def parse(cls, url: str) -> S3Place:
        bucket, _, prefix = url.removeprefix(SCHEME).partition("/")
        if not bucket:
            raise BackupError(f"{url} names no bucket: write s3://BUCKET/PREFIX")
        return cls(bucket=bucket, prefix=prefix.strip("/"))

    def key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    def url(self, *parts: str) -> str:
        return f"{SCHEME}{self.bucket}/{self.key(*parts)}".rstrip("/")


def s3_client() -> Any:
    """A boto3 S3 client for the backups' bucket (BACKUP_S3_*, else S3_*; else boto3's own credentials)."""
    import boto3
    from botocore.config import Config

    style = settings.S3_ADDRESSING_STYLE if settings.S3_ADDRESSING_STYLE != "auto" else None
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL or None,
        region_name=settings.BACKUP_S3_REGION or None,
        aws_access_key_id=settings.BACKUP_S3_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.BACKUP_S3_SECRET_ACCESS_KEY or None,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": style} if style else {},
            connect_timeout=10,
            read_timeout=60,
            retries={"max_attempts": 3},
        ),
    )


def _failed(error: Exception, where: str) -> BackupError:
    return BackupError(s3_error_message(error, where))


def _keys(client: Any, place: S3Place, prefix: str) -> list[str]:
    """Every key under ``prefix`` (paginated: bounded by what the bucket holds)."""
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=place.bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


def backup_upload(*, folder: Path, place: S3Place, client: Any | None = None) -> str:
    """Upload a finished backup folder under ``place``; its address. SHA256SUMS goes last (the mark of a whole one)."""
    client = client or s3_client()
    files = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: (p.name == CHECKSUMS, p.name))
    done: list[str] = []
    try:
        if _keys(client, place, place.key(folder.name) + "/"):
            raise BackupError(f"{place.url(folder.name)} already exists; wait a second and run again")
        for path in files:
            key = place.key(folder.name, path.name)
            client.upload_file(str(path), place.bucket, key)
            done.append(key)
    except S3_ERRORS as e:
        for key in done:  # best effort: leave no half backup behind
            try:
                client.delete_object(Bucket=place.bucket, Key=key)
            except S3_ERRORS:
                break
        raise _failed(e, place.url()) from e
    return place.url(folder.name)


def _backup_folders(*, place: S3Place, client: Any) -> dict[str, set[str]]:
    """Each ``binakarya-<time>`` folder under ``place`` and the names of the files directly in it."""
    try:
        keys = _keys(client, place, place.key("binakarya-"))
    except S3_ERRORS as e:
        raise _failed(e, place.url()) from e
    found: dict[str, set[str]] = {}
    start = len(place.key()) + 1 if place.prefix else 0
    for key in keys:
        name, _, file = key[start:].partition("/")
        if len(name) == NAME_LENGTH and name.endswith("Z") and "/" not in file:
            found.setdefault(name, set()).add(file)
    return found


def complete_backups(*, place: S3Place, client: Any | None = None) -> list[str]:
    """The names of the whole backups (``binakarya-<time>`` holding manifest.json and SHA256SUMS), oldest first."""
    found = _backup_folders(place=place, client=client or s3_client())
    return sorted(name for name, files in found.items() if {MANIFEST, CHECKSUMS} <= files)


def prune_s3_backups(*, place: S3Place, keep: int, client: Any | None = None) -> list[str]:
    """Delete the whole backups under ``place`` beyond the newest ``keep``, and the unfinished uploads (no
    SHA256SUMS) older than the newest whole one (a newer one may be an upload still running); the addresses
    deleted."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    client = client or s3_client()
    found = _backup_folders(place=place, client=client)
    complete = sorted(name for name, files in found.items() if {MANIFEST, CHECKSUMS} <= files)
    unfinished = sorted(
        name for name, files in found.items() if CHECKSUMS not in files and complete and name < complete[-1]
    )
    doomed = sorted(complete[:-keep] + unfinished)
    try:
        for name in doomed:
            keys = _keys(client, place, place.key(name) + "/")
            for start in range(0, len(keys), 1000):
                batch = [{"Key": k} for k in keys[start : start + 1000]]
                client.delete_objects(Bucket=place.bucket, Delete={"Objects": batch, "Quiet": True})
    except S3_ERRORS as e:
        raise _failed(e, place.url()) from e
    return [place.url(name) for name in doomed]


def backup_download(*, url: str, directory: Path, client: Any | None = None) -> Path:
    """Download the backup at ``url`` (s3://BUCKET/PREFIX/binakarya-<time>) into a new folder in ``directory``."""
    place = S3Place.parse(url)
    client = client or s3_client()
    try:
        start = len(place.key()) + 1
        # a backup's own files only: none of a "folder" key (ending in /), an empty name, "." or ".." (which
        # would land outside the download folder), nor anything in a sub-folder
        keys = [
            k
            for k in _keys(client, place, place.key() + "/")
            if k[start:] not in {"", ".", ".."} and "/" not in k[start:]
        ]
    except S3_ERRORS as e:
        raise _failed(e, url) from e
    names = {k.rsplit("/", 1)[-1] for k in keys}
    if MANIFEST not in names:
        newest = complete_backups(place=place, client=client)
        hint = f"; the newest backup in it is {place.url(newest[-1])}" if newest else ""
        raise BackupError(f"{url} is not a backup (no {MANIFEST}){hint}")
    folder = directory / (place.prefix.rsplit("/", 1)[-1] or "backup")
    folder.mkdir(mode=0o700)
    try:
        for key in keys:
            target = folder / key.rsplit("/", 1)[-1]
            client.download_file(place.bucket, key, str(target))
            os.chmod(target, 0o600)
    except S3_ERRORS as e:
        raise _failed(e, url) from e
    return folder
