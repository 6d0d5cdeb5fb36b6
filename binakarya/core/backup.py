"""Backups of the whole site and their restore: the database, the media files and a manifest.

A backup is one folder, ``binakarya-<UTC time>`` inside the directory given, written under a ``.partial`` name
and renamed when complete, so a folder without that suffix is always whole. It holds:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite, the online
  backup API), each consistent while the site keeps running;
- ``media.tar.gz`` (the public media: ``MEDIA_ROOT``, or ``media/`` in the bucket with ``MEDIA_STORAGE=s3``) and
  ``private.tar.gz`` (buyers' proofs of payment and other private files), both read through Django's storage
  API, so a backup is the same whether the files are on this disk or in S3-compatible object storage;
- ``SHA256SUMS``: every file's SHA-256, the manifest's included, as ``sha256sum -c`` reads it;
- ``manifest.json``: when, the code's git revision, the latest migration per app, the database vendor, the
  SHA-256 and size of every file, and per table its row count and the sum of every integer ``*_idr`` column,
  counted in the same snapshot the dump was taken from.

Restore checks every checksum first, refuses a database or media folder that is not empty (unless forced),
brings everything back (the files written through the storage API again) and then counts again: every table's
rows and money sums must equal the manifest's. ``binakarya.core.backup_s3`` carries a finished folder to and from
``s3://BUCKET/PREFIX``. See docs/backups.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from binakarya.core.storage import private_files, storage_description

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
PRIVATE_ARCHIVE = "private.tar.gz"
# Every file's SHA-256 in ``sha256sum`` format, the manifest's included: ``sha256sum -c SHA256SUMS`` checks a copy.
CHECKSUMS = "SHA256SUMS"

# {table: {"rows": n, "sums": {column: total}}}
TableStats = dict[str, dict[str, Any]]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is the one line an operator reads."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    migrations_behind: list[str] = field(default_factory=list)


# --- counting ---------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stats(cursor: Any, columns: dict[str, list[str]]) -> TableStats:
    stats: TableStats = {}
    for table in sorted(columns):
        money = columns[table]
        select = ", ".join(["COUNT(*)"] + [f"COALESCE(SUM({_quote(c)}), 0)" for c in money])
        cursor.execute(f"SELECT {select} FROM {_quote(table)}")  # noqa: S608 (names from the catalog)
        row = cursor.fetchone()
        stats[table] = {"rows": int(row[0]), "sums": {c: int(v) for c, v in zip(money, row[1:], strict=True)}}
    return stats


def sqlite_stats(db: sqlite3.Connection) -> TableStats:
    """Rows and ``*_idr`` sums of every table of a SQLite database."""
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    columns = {
        t: [
            r[1]
            for r in db.execute(f"PRAGMA table_info({_quote(t)})")
            if r[1].endswith("_idr") and "INT" in (r[2] or "").upper()
        ]
        for t in tables
    }
    return _stats(db.cursor(), columns)


def postgres_stats(cursor: Any) -> TableStats:
    """Rows and ``*_idr`` sums of every table in the current schema of a PostgreSQL database."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    columns: dict[str, list[str]] = {r[0]: [] for r in cursor.fetchall()}
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name LIKE '%%\\_idr' "
        "AND data_type IN ('smallint', 'integer', 'bigint') ORDER BY table_name, ordinal_position"
    )
    for table, column in cursor.fetchall():
        if table in columns:
            columns[table].append(column)
    return _stats(cursor, columns)


def current_stats() -> TableStats:
    """Rows and money sums of the database Django is configured with."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return postgres_stats(cursor)
        if connection.vendor == "sqlite":
            return sqlite_stats(connection.connection)
    raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")


def stats_differences(expected: TableStats, found: TableStats) -> list[str]:
    """What differs between two counts, one line each (empty when they are equal)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"{table}: missing")
        elif table not in expected:
            problems.append(f"{table}: not in the backup")
        else:
            if expected[table]["rows"] != found[table]["rows"]:
                problems.append(f"{table}: {found[table]['rows']} rows, expected {expected[table]['rows']}")
            for column, total in expected[table]["sums"].items():
                if found[table]["sums"].get(column) != total:
                    problems.append(f"{table}.{column}: sum {found[table]['sums'].get(column)}, expected {total}")
    return problems


# --- helpers ----------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_revision() -> str:
    """The running code's git commit (or BINAKARYA_REVISION where the code is not a git checkout)."""
    if os.environ.get("BINAKARYA_REVISION"):
        return os.environ["BINAKARYA_REVISION"]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _latest_per_app(names: Iterator[tuple[str, str]]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in names:
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app in the configured database."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return _latest_per_app(iter(loader.applied_migrations or {}))


def code_migrations() -> dict[str, str]:
    """The latest migration of each app in the running code."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return _latest_per_app(iter(loader.graph.leaf_nodes()))


def _pg_params() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, and the environment carrying the password."""
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("options", "PGOPTIONS")):
        if options.get(option):
            env[variable] = str(options[option])
    return args + ["--no-password"], env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as e:
        raise BackupError(f"{command[0]} could not run: {e}") from e
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed (exit {done.returncode}): {last}")


def _storages() -> tuple[Storage, Storage]:
    """The public media's storage and the private files' (STORAGES["default"] and STORAGES["private"])."""
    return default_storage, private_files()


def private_inside_media(media: Storage, private: Storage) -> str | None:
    """The private files' folder relative to the media folder, where both are on disk and one holds the other."""
    if not (isinstance(media, FileSystemStorage) and isinstance(private, FileSystemStorage)):
        return None
    inner, outer = Path(private.location).resolve(), Path(media.location).resolve()
    return inner.relative_to(outer).as_posix() if outer in inner.parents else None


def _storage_errors() -> tuple[type[Exception], ...]:
    """What object storage raises when it refuses (a missing bucket, wrong credentials); a disk raises OSError."""
    if settings.MEDIA_STORAGE == "s3":
        from binakarya.core.s3 import S3_ERRORS

        return S3_ERRORS
    return ()


def _write_errors() -> tuple[type[Exception], ...]:
    """What writing to a storage raises when it refuses: the service's errors, or the disk's."""
    return (*_storage_errors(), OSError)


def _storage_failed(error: Exception, storage: Storage, doing: str) -> BackupError:
    where = storage_description(storage)
    if settings.MEDIA_STORAGE == "s3":
        from binakarya.core.s3 import s3_error_message

        return BackupError(f"{doing} failed: {s3_error_message(error, where)}")
    return BackupError(f"{doing} failed: {where}: {error}")


def storage_files(storage: Storage, skip: str | None = None) -> list[str]:
    """The names of every file a storage holds, in every folder but ``skip`` (a folder name relative to its root)."""
    names: list[str] = []
    pending = [""]
    while pending:  # bounded: each folder is listed once
        folder = pending.pop()
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:  # a local root not created yet holds nothing
            continue
        names += [posixpath.join(folder, f) for f in files]
        pending += [p for p in (posixpath.join(folder, d) for d in folders) if p != skip]
    return names


def _read_errors() -> tuple[type[Exception], ...]:
    return (FileNotFoundError, *_storage_errors())


def _vanished(error: Exception) -> bool:
    """Whether reading a listed file failed because it is no longer there (deleted since it was listed)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)  # botocore's ClientError, where django-storages lets it through
    code = str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
    return code in {"NoSuchKey", "404"}


def _archive(storage: Storage, target: Path, skip: str | None) -> tuple[int, int]:
    """Write every file of a storage into a tar.gz, read through the storage API; the number of files archived,
    and the number of files listed but gone when read (deleted meanwhile: the site keeps running)."""
    names = sorted(storage_files(storage, skip))
    now = int(time.time())
    archived = vanished = 0
    with tarfile.open(target, "w:gz") as tar:
        for name in names:
            # a spooled copy: the archive records the size of exactly the bytes it then reads
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as copy:
                try:
                    with storage.open(name, "rb") as source:
                        shutil.copyfileobj(source, copy)
                except _read_errors() as e:
                    if not _vanished(e):
                        raise
                    vanished += 1
                    continue
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = copy.tell(), now, 0o644
                copy.seek(0)
                tar.addfile(info, copy)
                archived += 1
    return archived, vanished


# --- backup -----------------------------------------------------------------------------------------------


def _dump_postgres(folder: Path) -> TableStats:
    """pg_dump the database in one snapshot, and count its tables in that same snapshot."""
    args, env = _pg_params()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as snap:
        snap.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snap.read_only = True
        with snap.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            _run(["pg_dump", "--format=custom", f"--snapshot={row[0]}", "--file", str(folder / PG_DUMP), *args], env)
            return postgres_stats(cursor)


LOCK_WAIT_SECONDS = 120


def _give_up_after(seconds: float) -> Callable[[int, int, int], None]:
    """A progress callback for sqlite3's backup, which otherwise retries a locked database for ever."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(f"the SQLite database stayed locked for {seconds:.0f} s; try again")

    return progress


def _dump_sqlite(folder: Path) -> TableStats:
    """Copy the database with SQLite's online backup API, then count the copy (which no one writes to)."""
    target = folder / SQLITE_DUMP
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest, progress=_give_up_after(LOCK_WAIT_SECONDS))
        dest.execute("PRAGMA journal_mode=DELETE")
        return sqlite_stats(dest)
    finally:
        dest.close()


def vanished_files(folder: Path) -> int:
    """How many files a finished backup left out because they were deleted while it ran (its manifest says)."""
    try:
        return int(json.loads((folder / MANIFEST).read_text()).get("vanished_files", 0))
    except (OSError, ValueError, TypeError):
        return 0


def backup_create(*, directory: Path, now: datetime.datetime | None = None) -> Path:
    """Write a new backup folder inside ``directory`` and return its path; only its owner can read it."""
    old_umask = os.umask(0o077)
    try:
        return _backup_create(directory=directory, now=now)
    finally:
        os.umask(old_umask)


def _backup_create(*, directory: Path, now: datetime.datetime | None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    name = "binakarya-" + now.strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    if final.exists():
        raise BackupError(f"{final} already exists; wait a second and run again")
    partial = directory / (name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(mode=0o700)
    os.chmod(partial, 0o700)
    try:
        vendor = connection.vendor
        if vendor == "postgresql":
            tables = _dump_postgres(partial)
        elif vendor == "sqlite":
            tables = _dump_sqlite(partial)
        else:
            raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
        media, private = _storages()
        try:
            media_count, media_gone = _archive(
                media, partial / MEDIA_ARCHIVE, skip=private_inside_media(media, private)
            )
        except _storage_errors() as e:
            raise _storage_failed(e, media, "reading the media files") from e
        try:
            private_count, private_gone = _archive(private, partial / PRIVATE_ARCHIVE, skip=None)
        except _storage_errors() as e:
            raise _storage_failed(e, private, "reading the private files") from e
        files = {
            p.name: {"sha256": sha256_of(p), "size": p.stat().st_size} for p in sorted(partial.iterdir()) if p.is_file()
        }
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "revision": git_revision(),
            "vendor": vendor,
            "migrations": applied_migrations(),
            "media_files": media_count,
            "private_files": private_count,
            # listed but deleted before they were read (the site keeps running during a backup)
            "vanished_files": media_gone + private_gone,
            "files": files,
            "tables": tables,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        sums = {**{name: f["sha256"] for name, f in files.items()}, MANIFEST: sha256_of(partial / MANIFEST)}
        (partial / CHECKSUMS).write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))
        for p in partial.iterdir():
            os.chmod(p, 0o600)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


# --- restore ----------------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a backup folder, after checking every file it lists against its checksum."""
    path = folder / MANIFEST
    if not path.is_file():
        found = (
            sorted(p.name for p in folder.glob("binakarya-*") if (p / MANIFEST).is_file()) if folder.is_dir() else []
        )
        hint = f"; the newest backup in it is {folder / found[-1]}" if found else ""
        raise BackupError(f"{folder} is not a backup (no {MANIFEST}){hint}")
    checksums = folder / CHECKSUMS
    if not checksums.is_file():
        raise BackupError(f"refusing to restore: {CHECKSUMS} is missing from {folder}")
    listed: dict[str, str] = {}
    for line in checksums.read_text().splitlines():
        digest, _, name = line.partition("  ")
        listed[name.strip()] = digest.strip()
    if listed.get(MANIFEST) != sha256_of(path):
        raise BackupError(f"refusing to restore: {MANIFEST} does not match its checksum in {CHECKSUMS} (damaged?)")
    try:
        manifest = json.loads(path.read_text())
        files = manifest["files"]
        vendor = manifest["vendor"]
        fmt = manifest["format"]
    except (ValueError, KeyError, TypeError) as e:
        raise BackupError(f"{path} is not a readable manifest: {e}") from e
    if fmt != FORMAT_VERSION:
        raise BackupError(f"refusing to restore: unknown backup format {fmt!r} (this code reads {FORMAT_VERSION})")
    dump = {"postgresql": PG_DUMP, "sqlite": SQLITE_DUMP}.get(vendor)
    if dump is None:
        raise BackupError(f"refusing to restore: unknown database vendor {vendor!r} in {MANIFEST}")
    expected_files = {dump, MEDIA_ARCHIVE, PRIVATE_ARCHIVE}
    if not isinstance(files, dict) or set(files) != expected_files:
        raise BackupError(f"refusing to restore: {MANIFEST} lists {sorted(files)}, expected {sorted(expected_files)}")
    if set(listed) != expected_files | {MANIFEST}:
        raise BackupError(f"refusing to restore: {CHECKSUMS} does not list exactly the backup's files")
    for name in expected_files:
        if listed[name] != files[name]["sha256"]:
            raise BackupError(f"refusing to restore: {name}'s checksums in {CHECKSUMS} and {MANIFEST} differ")
    for name, expected in sorted(files.items()):
        file = folder / name
        if not file.is_file():
            raise BackupError(f"refusing to restore: {name} is missing from {folder}")
        if file.stat().st_size != expected["size"] or sha256_of(file) != expected["sha256"]:
            raise BackupError(f"refusing to restore: {name} does not match its checksum in {MANIFEST} (damaged?)")
    return manifest


def database_is_empty() -> bool:
    """Whether the configured database has no tables at all."""
    if connection.vendor == "sqlite":
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        if not name.exists():
            return True
    return not connection.introspection.table_names()


def _media_is_empty() -> bool:
    media, private = _storages()
    return not storage_files(media, skip=private_inside_media(media, private)) and not storage_files(private)


def _check_dump(folder: Path, vendor: str) -> None:
    """Refuse a dump the database program cannot read, before the configured database is touched."""
    if vendor == "postgresql":
        _, env = _pg_params()
        try:
            _run(["pg_restore", "--list", "--file", os.devnull, str(folder / PG_DUMP)], env)
        except BackupError as e:
            raise BackupError(f"refusing to restore: {PG_DUMP} is not readable: {e}") from e
    elif vendor == "sqlite":
        try:
            db = sqlite3.connect(f"file:{folder / SQLITE_DUMP}?mode=ro", uri=True)
            try:
                row = db.execute("PRAGMA quick_check").fetchone()
            finally:
                db.close()
        except sqlite3.Error as e:
            raise BackupError(f"refusing to restore: {SQLITE_DUMP} is not readable: {e}") from e
        if not row or row[0] != "ok":
            raise BackupError(f"refusing to restore: {SQLITE_DUMP} fails SQLite's check: {row}")


OLD_SCHEMA = "binakarya_replaced_by_restore"


def _extensions_in(cursor: Any, schema: str) -> list[str]:
    cursor.execute(
        "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = %s",
        [schema],
    )
    return [r[0] for r in cursor.fetchall()]


def _move_extensions(cursor: Any, names: list[str], schema: str) -> None:
    for name in names:
        cursor.execute(f"ALTER EXTENSION {_quote(name)} SET SCHEMA {_quote(schema)}")


def _set_aside_public() -> list[str]:
    """Rename ``public`` out of the way (its extensions, such as pg_trgm, move to the new empty ``public``)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {OLD_SCHEMA} CASCADE")
        cursor.execute("CREATE SCHEMA IF NOT EXISTS public")
        extensions = _extensions_in(cursor, "public")
        cursor.execute(f"ALTER SCHEMA public RENAME TO {OLD_SCHEMA}")
        cursor.execute("CREATE SCHEMA public")
        try:
            _move_extensions(cursor, extensions, "public")
        except Exception:
            _put_back_public(extensions)
            raise
    return extensions


def _put_back_public(extensions: list[str]) -> None:
    with connection.cursor() as cursor:
        moved = [e for e in extensions if e in _extensions_in(cursor, "public")]
        _move_extensions(cursor, moved, OLD_SCHEMA)
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute(f"ALTER SCHEMA {OLD_SCHEMA} RENAME TO public")


OLD_SCHEMA = "binakarya_replaced_by_restore"


def _restore_postgres(folder: Path, force: bool) -> None:
    """pg_restore in one transaction; with ``force``, the old ``public`` schema is set aside until it succeeds."""
    extensions = _set_aside_public() if force else []
    connection.close()
    args, env = _pg_params()
    try:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(folder / PG_DUMP),
            ],
            env,
        )
    except BaseException:
        if force:  # put the old database back as it was
            _put_back_public(extensions)
            connection.close()
        raise
    if force:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {OLD_SCHEMA} CASCADE")
        connection.close()


def _restore_sqlite(folder: Path, force: bool) -> None:
    name = Path(str(settings.DATABASES["default"]["NAME"]))
    connection.close()
    name.parent.mkdir(parents=True, exist_ok=True)
    if force:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(name) + suffix).unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{folder / SQLITE_DUMP}?mode=ro", uri=True)
    dest = sqlite3.connect(name)
    try:
        # The backup API writes through the target's own journal, so a WAL file beside it stays consistent.
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _archive_members(archive: Path) -> list[tarfile.TarInfo]:
    """The archive's members, refused unless each is a plain file or folder with a relative path inside the root."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
    except (OSError, tarfile.TarError, EOFError) as e:
        raise BackupError(f"refusing to restore: {archive.name} is not a readable archive: {e}") from e
    for member in members:
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"refusing to restore: {archive.name} holds {member.name!r}, not a file or folder")
        if member.name.startswith("/") or Path(member.name).is_absolute() or ".." in parts:
            raise BackupError(f"refusing to restore: {archive.name} holds {member.name!r}, outside its folder")
    return members


def _extract(archive: Path, storage: Storage) -> int:
    """Write each file of an archive through the storage API, under its own name; the number of files."""
    members = [m for m in _archive_members(archive) if m.isfile()]
    with tarfile.open(archive, "r:gz") as tar:
        for member in members:
            source = tar.extractfile(member)
            assert source is not None
            with source:
                saved = storage.save(member.name, File(source, name=member.name))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}: the media storage was not empty")
    return len(members)


PROBE_NAME = ".binakarya-restore-write-probe"


def _probe_write_access(*storages: Storage) -> None:
    """Write and delete a small marker in each storage, so that a restore refuses before the database is touched
    where the media could not be written back (a read-only key, a full disk, a refusing service)."""
    for storage in storages:
        try:
            saved = storage.save(PROBE_NAME, ContentFile(b"restore probe"))
            storage.delete(saved)
        except _write_errors() as e:
            raise BackupError(
                f"refusing to restore, nothing was touched: {_storage_failed(e, storage, 'writing a test file')}"
            ) from e


def _empty_storage(storage: Storage, skip: str | None) -> None:
    """Delete every file a storage holds but those under ``skip``; on disk, the emptied folders too (not the root)."""
    for name in storage_files(storage, skip):
        storage.delete(name)
    if isinstance(storage, FileSystemStorage) and os.path.isdir(storage.location):
        root = Path(storage.location)
        keep = (root / skip).resolve() if skip else None
        for folder in sorted((p for p in root.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
            if keep is not None and (folder.resolve() == keep or keep in folder.resolve().parents):
                continue
            if not any(folder.iterdir()):
                folder.rmdir()


def backup_restore(
    *, folder: Path, force: bool = False, say: Callable[[str], None] = lambda line: None
) -> RestoreResult:
    """Bring a backup back into the configured database and media folders; verify the counts."""
    manifest = read_manifest(folder)
    say(f"checksums ok: {len(manifest['files'])} files")
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(f"this backup is of a {manifest.get('vendor')} database; the target is {vendor}")
    if not force and not database_is_empty():
        raise BackupError(
            f"refusing to restore: the database {settings.DATABASES['default']['NAME']} is not empty "
            "(use an empty one, or --force to replace it)"
        )
    media, private = _storages()
    try:
        media_empty = _media_is_empty()
    except _storage_errors() as e:
        raise _storage_failed(e, media, "listing the media files") from e
    if not force and not media_empty:
        raise BackupError(
            f"refusing to restore: {storage_description(media)} or {storage_description(private)} holds files "
            "(empty them, or --force)"
        )
    # every archive problem refuses here, before the database or a media file is touched
    _archive_members(folder / MEDIA_ARCHIVE)
    _archive_members(folder / PRIVATE_ARCHIVE)
    _check_dump(folder, vendor)
    # a key that may list but not write or delete refuses here too, before the database is replaced
    _probe_write_access(media, private)
    if vendor == "postgresql":
        _restore_postgres(folder, force)
    elif vendor == "sqlite":
        _restore_sqlite(folder, force)
    else:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    say(f"database restored ({vendor})")
    skip = private_inside_media(media, private)
    try:
        try:
            if force:
                # the private root may lie inside MEDIA_ROOT: empty it, then what else MEDIA_ROOT holds but it
                _empty_storage(private, skip=None)
                _empty_storage(media, skip=skip)
            files = _extract(folder / MEDIA_ARCHIVE, media)
        except _write_errors() as e:
            raise _storage_failed(e, media, "restoring the media files") from e
        try:
            files += _extract(folder / PRIVATE_ARCHIVE, private)
        except _write_errors() as e:
            raise _storage_failed(e, private, "restoring the private files") from e
    except BackupError as e:
        raise BackupError(
            f"the database WAS restored, but the media files are incomplete: {e}. Fix the storage, then run the "
            "same restore again with --force (it replaces the database and the media once more)"
        ) from e
    say(f"media restored: {files} files")
    expected: TableStats = manifest["tables"]
    problems = stats_differences(expected, current_stats())
    if problems:
        raise BackupError(f"restored, but the counts differ from the backup: {'; '.join(problems[:10])}")
    code = code_migrations()
    restored = manifest.get("migrations", {})
    behind = sorted(f"{app}.{name}" for app, name in code.items() if restored.get(app, "") < name)
    return RestoreResult(
        tables=len(expected),
        rows=sum(t["rows"] for t in expected.values()),
        files=files,
        migrations_behind=behind,
    )


# --- the target, and retention ----------------------------------------------------------------------------


def target_description() -> str:
    """The configured database as an operator recognises it (vendor and name or path; never the password)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite {db['NAME']}"
    where = f"{db.get('HOST') or 'local socket'}{':' + str(db['PORT']) if db.get('PORT') else ''}"
    return f"{connection.vendor} {db['NAME']} on {where}"


def prune_backups(*, directory: Path, keep: int) -> list[Path]:
    """Delete the complete backups (``binakarya-<time>`` with a readable manifest) beyond the newest ``keep``.

    Never touches a ``.partial`` folder or anything else in the directory. Returns what it deleted.
    """
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    complete = []
    for p in sorted(directory.glob("binakarya-*")):
        if not p.is_dir() or p.is_symlink() or p.name.endswith(".partial"):
            continue
        if len(p.name) != len("binakarya-20261206T030405Z") or not p.name.endswith("Z"):
            continue
        try:
            json.loads((p / MANIFEST).read_text())["files"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        complete.append(p)
    doomed = complete[:-keep]
    for p in doomed:
        shutil.rmtree(p)
    return doomed
