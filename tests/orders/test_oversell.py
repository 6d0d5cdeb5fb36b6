"""No oversell: fifty concurrent buyers for the last ten units, on PostgreSQL and on SQLite (oversell_case.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASE = Path(__file__).with_name("oversell_case.py")

from tests.orders.oversell_case import test_fifty_buyers_for_the_last_ten_units_buy_exactly_ten  # noqa: E402

# On PostgreSQL the case runs here, its threads on their own connections.
test_fifty_buyers_for_the_last_ten_units_on_postgresql = pytest.mark.postgres_only(
    test_fifty_buyers_for_the_last_ten_units_buy_exactly_ten
)
del test_fifty_buyers_for_the_last_ten_units_buy_exactly_ten


@pytest.mark.sqlite_only
def test_fifty_buyers_for_the_last_ten_units_on_sqlite(tmp_path):
    """The same case in a child pytest on an SQLite file, so that its threads contend for SQLite's write lock."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_TEST_PATH"] = str(tmp_path / "oversell.sqlite3")
    env["SQLITE_PATH"] = str(tmp_path / "unused.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--create-db", str(CASE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
