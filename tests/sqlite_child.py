"""Runs a race case file in a child pytest on an SQLite file of its own, so that its threads contend for SQLite's
write lock (the run's own database may be PostgreSQL, or SQLite in memory). Used by the ``*_on_sqlite`` tests,
marked ``sqlite_only``; the same case runs in process on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_case_on_sqlite(case: Path, tmp_path: Path) -> None:
    """Asserts that the child run of ``case`` passed its one test."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_TEST_PATH"] = str(tmp_path / f"{case.stem}.sqlite3")
    env["SQLITE_PATH"] = str(tmp_path / "unused.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--create-db", str(case)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
