"""Concurrent postings keep the monthly summaries exact, on PostgreSQL and on SQLite (summary_race_case.py)."""

from pathlib import Path

import pytest

from tests.sqlite_child import run_case_on_sqlite

CASE = Path(__file__).with_name("summary_race_case.py")

from tests.ledger.summary_race_case import test_concurrent_sales_and_grants_keep_the_summaries_exact  # noqa: E402

# On PostgreSQL the case runs here, its threads on their own connections.
test_concurrent_postings_on_postgresql = pytest.mark.postgres_only(
    test_concurrent_sales_and_grants_keep_the_summaries_exact
)
del test_concurrent_sales_and_grants_keep_the_summaries_exact


@pytest.mark.sqlite_only
def test_concurrent_postings_on_sqlite(tmp_path):
    """The same case in a child pytest on an SQLite file, so that its threads contend for SQLite's write lock."""
    run_case_on_sqlite(CASE, tmp_path)
