"""manage.py backup in process, on the test database: what goes in which archive, the manifest, failures.

The whole round trip (backup, destroy, restore) is tests/core/test_backup_drill.py.
"""

import datetime
import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from binakarya.core import backup

NOW = datetime.datetime(2026, 12, 6, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.fixture
def roots(settings, tmp_path: Path) -> tuple[Path, Path]:
    # the way the test settings have it: the private root inside MEDIA_ROOT
    media = tmp_path / "media"
    private = media / "private"
    (media / "products").mkdir(parents=True)
    (media / "products" / "kain.webp").write_bytes(b"a photo")
    (private / "proofs").mkdir(parents=True)
    (private / "proofs" / "transfer.jpg").write_bytes(b"a proof of payment")
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = private
    return media, private


def names_in(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return sorted(tar.getnames())


# Outside a transaction: SQLite's backup API waits for a transaction on the same connection to end.
@pytest.mark.django_db(transaction=True)
def test_a_backup_is_a_new_folder_with_the_database_the_media_and_a_manifest(roots, tmp_path):
    # when
    folder = backup.backup_create(directory=tmp_path / "backups", now=NOW)

    # then a new, complete folder named by the time
    assert folder == tmp_path / "backups" / "binakarya-20261206T030405Z"
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [folder.name]
    dump = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [dump, "media.tar.gz", "private.tar.gz", "manifest.json", "SHA256SUMS"]
    )
    # and the private files only in their own archive, though they lie inside MEDIA_ROOT
    assert names_in(folder / "media.tar.gz") == ["products/kain.webp"]
    assert names_in(folder / "private.tar.gz") == ["proofs/transfer.jpg"]
    # and a manifest that describes it
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["created_at"] == NOW.isoformat()
    assert manifest["vendor"] == connection.vendor
    assert manifest["migrations"]["ledger"] == backup.code_migrations()["ledger"]
    for name, file in manifest["files"].items():
        assert file == {
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            "size": (folder / name).stat().st_size,
        }
    assert manifest["tables"]["ledger_journalline"]["sums"] == {"amount_idr": 0}
    assert manifest["tables"]["django_migrations"]["rows"] > 0
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert f"{hashlib.sha256((folder / 'manifest.json').read_bytes()).hexdigest()}  manifest.json" in lines


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_fails_half_way_leaves_no_folder_behind(roots, tmp_path, monkeypatch):
    # given an archive that cannot be written
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_archive", full_disk)

    # when
    with pytest.raises(OSError):
        backup.backup_create(directory=tmp_path / "backups", now=NOW)

    # then neither a partial nor a complete folder is left
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_restore_of_a_folder_that_is_not_a_backup_exits_with_one_line(tmp_path):
    # when / then
    with pytest.raises(CommandError, match=r"^restore failed: .* is not a backup \(no manifest.json\)$"):
        call_command("restore", "--allow-debug", str(tmp_path))


def test_differences_name_each_table_and_column():
    # given
    expected = {
        "ledger_payout": {"rows": 2, "sums": {"amount_idr": 150_000}},
        "sales_sale": {"rows": 5, "sums": {}},
    }
    found = {
        "ledger_payout": {"rows": 2, "sums": {"amount_idr": 149_999}},
        "sales_sale": {"rows": 4, "sums": {}},
        "stray": {"rows": 0, "sums": {}},
    }

    # when
    problems = backup.stats_differences(expected, found)

    # then
    assert problems == [
        "ledger_payout.amount_idr: sum 149999, expected 150000",
        "sales_sale: 4 rows, expected 5",
        "stray: not in the backup",
    ]
    assert backup.stats_differences(expected, expected) == []


# --- review fixes: modes, the archives and the file set checked up front, --force, --keep, DEBUG ----------


def _make_backup(directory: Path, now: datetime.datetime = NOW) -> Path:
    return backup.backup_create(directory=directory, now=now)


def _rewrite_sums(folder: Path) -> None:
    """Make the manifest's and SHA256SUMS' checksums match the folder's files again (a tampered, consistent copy)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in manifest["files"]:
        data = (folder / name).read_bytes()
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
            for n in sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")
        )
    )


@pytest.fixture
def no_database_restore(monkeypatch):
    """The database step of a restore replaced by a recorder (the test database stays as it is)."""
    calls: list[str] = []
    monkeypatch.setattr(backup, "_restore_sqlite", lambda folder, force: calls.append("sqlite"))
    monkeypatch.setattr(backup, "_restore_postgres", lambda folder, force: calls.append("postgresql"))
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_backup_can_be_read_by_its_owner_only(roots, tmp_path):
    # when
    folder = _make_backup(tmp_path / "backups")

    # then
    assert folder.stat().st_mode & 0o777 == 0o700
    for file in folder.iterdir():
        assert file.stat().st_mode & 0o777 == 0o600, file.name


@pytest.mark.django_db(transaction=True)
def test_an_archive_with_a_link_or_a_path_outside_is_refused_before_anything_is_touched(
    roots, tmp_path, no_database_restore
):
    # given a backup whose media archive holds a symbolic link and a path climbing out
    folder = _make_backup(tmp_path / "backups")
    with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
        link = tarfile.TarInfo("products/evil")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    _rewrite_sums(folder)
    media, _ = roots

    # when / then
    with pytest.raises(backup.BackupError, match="not a file or folder"):
        backup.backup_restore(folder=folder, force=True)
    assert no_database_restore == []
    assert (media / "products" / "kain.webp").read_bytes() == b"a photo"

    # and a path outside
    import io

    with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    _rewrite_sums(folder)
    with pytest.raises(backup.BackupError, match="outside its folder"):
        backup.backup_restore(folder=folder, force=True)
    assert no_database_restore == []


@pytest.mark.django_db(transaction=True)
def test_force_empties_the_media_folders_but_keeps_them_and_extracts_without_tarfile_filters(
    roots, tmp_path, no_database_restore, monkeypatch
):
    # given a backup, then media folders with a mode of their own and a stray file
    media, private = roots
    folder = _make_backup(tmp_path / "backups")
    media.chmod(0o750)
    private.chmod(0o710)
    (media / "stray.txt").write_bytes(b"stray")
    inode = media.stat().st_ino, private.stat().st_ino
    # and a Python without tarfile.data_filter (Debian 12's 3.11.2)
    monkeypatch.delattr(tarfile, "data_filter")

    # when
    result = backup.backup_restore(folder=folder, force=True)

    # then the folders are the same folders, with their modes, holding exactly the backup's files
    assert no_database_restore == [connection.vendor]
    assert (media.stat().st_ino, private.stat().st_ino) == inode
    assert media.stat().st_mode & 0o777 == 0o750
    assert private.stat().st_mode & 0o777 == 0o710
    assert not (media / "stray.txt").exists()
    assert (media / "products" / "kain.webp").read_bytes() == b"a photo"
    assert (private / "proofs" / "transfer.jpg").read_bytes() == b"a proof of payment"
    assert result.files == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["no SHA256SUMS", "extra file", "missing archive", "unknown format"])
def test_a_backup_without_its_exact_files_or_of_an_unknown_format_is_refused(
    roots, tmp_path, no_database_restore, damage
):
    # given
    folder = _make_backup(tmp_path / "backups")
    if damage == "no SHA256SUMS":
        (folder / "SHA256SUMS").unlink()
        expected = "SHA256SUMS is missing"
    elif damage == "extra file":
        (folder / "extra.bin").write_bytes(b"x")
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["files"]["extra.bin"] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}
        (folder / "manifest.json").write_text(json.dumps(manifest))
        _rewrite_sums(folder)
        expected = "expected"
    elif damage == "missing archive":
        (folder / "private.tar.gz").unlink()
        manifest = json.loads((folder / "manifest.json").read_text())
        del manifest["files"]["private.tar.gz"]
        (folder / "manifest.json").write_text(json.dumps(manifest))
        _rewrite_sums(folder)
        expected = "expected"
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["format"] = 2
        (folder / "manifest.json").write_text(json.dumps(manifest))
        _rewrite_sums(folder)
        expected = "unknown backup format 2"

    # when / then
    with pytest.raises(backup.BackupError, match=expected):
        backup.backup_restore(folder=folder, force=True)
    assert no_database_restore == []


@pytest.mark.django_db(transaction=True)
def test_keep_deletes_only_older_complete_backups(roots, tmp_path, settings):
    # given three complete backups, a partial one and a foreign folder
    settings.DEBUG = False
    directory = tmp_path / "backups"
    for day in (1, 2, 3):
        _make_backup(directory, NOW.replace(day=day))
    (directory / "binakarya-20261201T000000Z.partial").mkdir()
    (directory / "binakarya-notes").mkdir()
    (directory / "binakarya-20261130T000000Z").mkdir()  # no manifest: not a backup

    # when
    call_command("backup", str(directory), "--keep", "2")

    # then the new one and the newest older one are kept, the older complete ones gone, and nothing else
    names = sorted(p.name for p in directory.iterdir())
    assert "binakarya-20261201T030405Z" not in names
    assert "binakarya-20261202T030405Z" not in names
    assert "binakarya-20261203T030405Z" in names
    assert {"binakarya-20261201T000000Z.partial", "binakarya-notes", "binakarya-20261130T000000Z"} <= set(names)
    assert len([n for n in names if n.endswith("Z") and (directory / n / "manifest.json").exists()]) == 2


def test_backup_and_restore_name_the_database_and_refuse_debug(settings, tmp_path, capsys):
    # given a development environment
    settings.DEBUG = True

    # when / then both say which database, and refuse
    for command in ("backup", "restore"):
        with pytest.raises(CommandError, match="DEBUG is on"):
            call_command(command, str(tmp_path))
        out = capsys.readouterr().out
        assert out.startswith(f"database: {connection.vendor} ")
        password = settings.DATABASES["default"].get("PASSWORD")
        if password:
            assert password not in out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_postgres_restore_that_fails_with_force_leaves_the_database_as_it_was(roots, tmp_path, monkeypatch):
    # given a backup, and a pg_restore that fails half-way (after pg_restore --list said the dump is readable)
    folder = _make_backup(tmp_path / "backups")
    before = backup.current_stats()
    real_run = backup._run

    def failing(command, env):
        if command[0] == "pg_restore" and "--list" not in command:
            raise backup.BackupError("pg_restore failed (exit 1): error in the middle")
        return real_run(command, env)

    monkeypatch.setattr(backup, "_run", failing)

    # when
    with pytest.raises(backup.BackupError, match="error in the middle"):
        backup.backup_restore(folder=folder, force=True)

    # then every table is back with its rows, in the public schema, and nothing set aside is left
    assert backup.current_stats() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [backup.OLD_SCHEMA])
        assert cursor.fetchone() is None


@pytest.mark.django_db(transaction=True)
def test_a_local_file_deleted_while_the_backup_runs_is_counted_not_a_traceback(roots, tmp_path, monkeypatch):
    media, _private = roots
    real_files = backup.storage_files

    def listed_then_deleted(storage, skip=None):
        names = real_files(storage, skip)
        (media / "products" / "kain.webp").unlink(missing_ok=True)
        return names

    monkeypatch.setattr(backup, "storage_files", listed_then_deleted)
    folder = backup.backup_create(directory=tmp_path / "backups", now=NOW)
    assert names_in(folder / "media.tar.gz") == []
    assert backup.vanished_files(folder) == 1
