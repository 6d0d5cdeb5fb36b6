"""The restore drill (issue 16): demo data, sales and a payout, a backup, the database destroyed, a restore.

It runs on the vendor of the test run (SQLite, then PostgreSQL in CI) against a throwaway database of its
own, in subprocesses, exactly as an operator would type the commands; the test database is never touched.
Nothing may be lost: ledger_check and stock_reconcile pass, and every table's row count and every integer
``*_idr`` column's sum, counted here independently of the backup code, equal what they were before.
"""

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Run by `manage.py shell -c` in the drill's database: a sale and a payout after the demo's own sales.
AFTER_THE_DEMO = """
from binakarya.inventory.models import StockBalance
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import premi_payout
from binakarya.makers.models import Maker
from binakarya.sales.services import SaleLineInput, sale_record

balance = (
    StockBalance.objects.filter(quantity__gt=0, location__organization__slug="rutan-sumenep")
    .select_related("variant", "location").order_by("pk").first()
)
sale = sale_record(
    actor=None, location=balance.location, channel="POS",
    lines=[SaleLineInput(sku=balance.variant.sku, quantity=1, unit_price_idr=balance.variant.price_idr)],
)
owed = [(maker_premi_owed(maker=m), m) for m in Maker.objects.order_by("pk")]
amount, maker = max((a, m) for a, m in owed if a > 0)
premi_payout(actor=None, maker=maker, amount_idr=amount // 2, method="SAVINGS")
print("drill: sale", sale.pk, "payout", amount // 2)
"""


def count_sqlite(path: Path) -> dict[str, tuple[int, dict[str, int]]]:
    db = sqlite3.connect(path)
    try:
        found = {}
        tables = db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        for (table,) in tables.fetchall():
            money = [
                c[1] for c in db.execute(f'PRAGMA table_info("{table}")') if c[1].endswith("_idr") and "INT" in c[2]
            ]
            rows = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            sums = {c: db.execute(f'SELECT COALESCE(SUM("{c}"), 0) FROM "{table}"').fetchone()[0] for c in money}
            found[table] = (rows, sums)
        return found
    finally:
        db.close()


def count_postgres(params: dict) -> dict[str, tuple[int, dict[str, int]]]:
    with psycopg.connect(**params) as db, db.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        found = {}
        for (table,) in cur.fetchall():
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = %s AND column_name LIKE %s AND data_type IN ('integer', 'bigint', 'smallint')",
                [table, "%\\_idr"],
            )
            money = [r[0] for r in cur.fetchall()]
            cur.execute(f'SELECT COUNT(*) FROM "{table}"')
            rows = cur.fetchone()[0]
            sums = {}
            for c in money:
                cur.execute(f'SELECT COALESCE(SUM("{c}"), 0) FROM "{table}"')
                sums[c] = int(cur.fetchone()[0])
            found[table] = (rows, sums)
        return found


def files_of(*roots: Path) -> dict[str, str]:
    return {
        f"{root.name}/{p.relative_to(root)}": hashlib.sha256(p.read_bytes()).hexdigest()
        for root in roots
        for p in root.rglob("*")
        if p.is_file()
    }


class Drill:
    """A throwaway database and media folders, and the commands run against them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.media = tmp / "media"
        self.private = tmp / "private"
        self.vendor = connection.vendor
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
        self.env.update(MEDIA_ROOT=str(self.media), PRIVATE_MEDIA_ROOT=str(self.private))
        db = settings.DATABASES["default"]
        if self.vendor == "postgresql":
            self.name = f"binakarya_drill_{secrets.token_hex(4)}"
            self.params = {
                k: v
                for k, v in {
                    "host": db.get("HOST"),
                    "port": db.get("PORT"),
                    "user": db.get("USER"),
                    "password": db.get("PASSWORD"),
                }.items()
                if v
            }
            auth = quote(str(db.get("USER") or ""), safe="")
            if db.get("PASSWORD"):
                auth += ":" + quote(str(db["PASSWORD"]), safe="")
            host = f"{auth}@" if auth else ""
            host += str(db.get("HOST") or "") + (f":{db['PORT']}" if db.get("PORT") else "")
            self.env["DATABASE_URL"] = f"postgres://{host}/{self.name}"
        else:
            self.path = tmp / "drill.sqlite3"
            self.env["SQLITE_PATH"] = str(self.path)

    def _admin(self, sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as db:
            db.execute(sql)

    def create(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'CREATE DATABASE "{self.name}"')

    def destroy(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.media, ignore_errors=True)
        shutil.rmtree(self.private, ignore_errors=True)

    def counts(self) -> dict[str, tuple[int, dict[str, int]]]:
        if self.vendor == "postgresql":
            return count_postgres({**self.params, "dbname": self.name})
        return count_sqlite(self.path)

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture
def drill(tmp_path: Path) -> Iterator[Drill]:
    drill = Drill(tmp_path)
    drill.create()
    try:
        yield drill
    finally:
        drill.destroy()


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, (
        f"{done.args[2:]} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def test_the_restore_drill_loses_nothing_and_refuses_what_it_must(drill: Drill) -> None:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    # given the demo, then one more sale and a payout, and a buyer's proof of payment among the private files
    ok(drill.manage("migrate", "--noinput", "-v", "0"))
    ok(drill.manage("load_demo", "--no-photos"))
    assert "drill: sale" in ok(drill.manage("shell", "-c", AFTER_THE_DEMO))
    (drill.private / "proofs").mkdir(parents=True, exist_ok=True)
    (drill.private / "proofs" / "transfer.jpg").write_bytes(b"\xff\xd8 a proof of payment " + os.urandom(64))
    before = drill.counts()
    files_before = files_of(drill.media, drill.private)
    assert before["ledger_payout"][0] >= 1
    assert before["sales_sale"][0] >= 2
    assert before["ledger_journalline"][0] > 0
    assert any(name.startswith("private/") for name in files_before)
    timings["prepare"] = time.perf_counter() - started

    # when it is backed up, the database and the media are destroyed, and the backup restored into empty ones
    mark = time.perf_counter()
    folder = Path(ok(drill.manage("backup", "--allow-debug", str(drill.tmp / "backups"))).strip().splitlines()[-1])
    timings["backup"] = time.perf_counter() - mark
    drill.destroy()
    drill.create()
    mark = time.perf_counter()
    restored = ok(drill.manage("restore", "--allow-debug", str(folder)))
    timings["restore"] = time.perf_counter() - mark

    # then the books and the stock still prove themselves
    assert "every table's rows and *_idr sums equal the backup's" in restored
    ledger = ok(drill.manage("ledger_check"))
    assert "FAIL" not in ledger
    assert "Every balance equals the sum of its movements." in ok(drill.manage("stock_reconcile"))
    # and every table has the rows and the sums it had, and every file its bytes
    assert drill.counts() == before
    assert files_of(drill.media, drill.private) == files_before
    timings["total"] = time.perf_counter() - started
    print(f"drill on {drill.vendor}: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))

    # when the backup is restored again over the database that now holds it
    refused = drill.manage("restore", "--allow-debug", str(folder))

    # then it is refused, in one line, and nothing is touched
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    # and a copy of the backup can be checked with coreutils alone
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder).returncode == 0

    # when the manifest claims a payout more than the dump holds (its checksum updated to match)
    manifest_path = folder / "manifest.json"
    original = manifest_path.read_text()
    manifest = json.loads(original)
    payouts = manifest["tables"]["ledger_payout"]["rows"]
    manifest["tables"]["ledger_payout"]["rows"] = payouts + 1
    manifest_path.write_text(json.dumps(manifest))
    sums = (folder / "SHA256SUMS").read_text()
    digest = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{digest}  manifest.json\n" if line.endswith("  manifest.json") else line + "\n"
            for line in sums.splitlines()
        )
    )
    short = drill.manage("restore", "--allow-debug", "--force", str(folder))

    # then --force restores, but the count that differs fails the command and is named
    assert short.returncode != 0
    assert f"ledger_payout: {payouts} rows, expected {payouts + 1}" in short.stderr
    assert drill.counts() == before

    # when the manifest is changed and its checksum is not
    manifest_path.write_text(original + "\n")
    altered = drill.manage("restore", "--allow-debug", "--force", str(folder))

    # then it is refused
    assert altered.returncode != 0
    assert "manifest.json does not match its checksum in SHA256SUMS" in altered.stderr
    manifest_path.write_text(original)
    (folder / "SHA256SUMS").write_text(sums)

    # when a file of the backup is damaged, even with --force
    dump = next(p for p in folder.iterdir() if p.name.startswith("database."))
    with dump.open("r+b") as f:
        f.seek(dump.stat().st_size // 2)
        f.write(b"rot")
    damaged = drill.manage("restore", "--allow-debug", "--force", str(folder))

    # then the checksum refuses it before anything is replaced
    assert damaged.returncode != 0
    assert f"{dump.name} does not match its checksum" in damaged.stderr
    assert drill.counts() == before

    # when the dump is not a dump at all, though every checksum matches it
    dump.write_bytes(b"not a database " * 100)
    manifest = json.loads(original)
    manifest["files"][dump.name] = {"sha256": hashlib.sha256(dump.read_bytes()).hexdigest(), "size": 1500}
    manifest_path.write_text(json.dumps(manifest))
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
            for n in sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")
        )
    )
    unreadable = drill.manage("restore", "--allow-debug", "--force", str(folder))

    # then it is refused before the database or a file is touched
    assert unreadable.returncode != 0
    assert f"refusing to restore: {dump.name} " in unreadable.stderr
    assert drill.counts() == before
    assert files_of(drill.media, drill.private) == files_before

    # and a folder that is not a backup says where the newest one is
    wrong = drill.manage("restore", "--allow-debug", str(folder.parent))
    assert wrong.returncode != 0
    assert f"the newest backup in it is {folder}" in wrong.stderr
