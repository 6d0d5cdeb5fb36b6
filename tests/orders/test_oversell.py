"""No oversell: fifty concurrent buyers for the last ten units, on PostgreSQL and on SQLite (oversell_case.py)."""

from pathlib import Path

import pytest

from tests.sqlite_child import run_case_on_sqlite

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
    run_case_on_sqlite(CASE, tmp_path)
