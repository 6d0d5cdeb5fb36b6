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
        call_command("restore", str(tmp_path))


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
