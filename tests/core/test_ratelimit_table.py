"""The rate limits' counts in the database (settings.CACHE_BACKEND = "database"): the RateCount table counted by
one upsert, so concurrent requests each count, a window lasts its whole period, and the cache's cull leaves the
counts alone. The cache's own path (Redis, local) is in test_cache_backend.py."""

from pathlib import Path

import pytest
from django.core.cache import cache

from binakarya.core import ratelimit
from binakarya.core.models import RateCount
from tests.core.ratelimit_race_case import test_twenty_requests_at_once_against_a_limit_of_five_let_exactly_five_through
from tests.sqlite_child import run_case_on_sqlite

CASE = Path(__file__).with_name("ratelimit_race_case.py")

# On PostgreSQL the case runs here, its threads on their own connections.
test_twenty_requests_at_once_on_postgresql = pytest.mark.postgres_only(
    test_twenty_requests_at_once_against_a_limit_of_five_let_exactly_five_through
)
del test_twenty_requests_at_once_against_a_limit_of_five_let_exactly_five_through


@pytest.mark.sqlite_only
def test_twenty_requests_at_once_on_sqlite(tmp_path):
    """The same case in a child pytest on an SQLite file, so that its threads contend for SQLite's write lock."""
    run_case_on_sqlite(CASE, tmp_path)


@pytest.fixture
def database_counts(settings, monkeypatch):
    """The production default without Redis, and a clock the test moves: returns the list holding the time."""
    settings.CACHE_BACKEND = "database"
    now = [36000.0]  # the start of an hour's window
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


@pytest.mark.django_db
def test_a_window_lasts_its_whole_period_and_the_next_starts_afresh(database_counts):
    now = database_counts

    # given the limit of 2 an hour spent at the window's start
    assert [ratelimit.attempt("a", who="1.1.1.1", rate="2/h") for _ in range(2)] == [None, None]

    # then past the database cache's 300 s default, and a second before the end, it is still spent
    now[0] += 301
    assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") == pytest.approx(3600 - 301)
    now[0] = 36000.0 + 3599
    assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") == pytest.approx(1)
    # another address, another scope: counts of their own
    assert ratelimit.attempt("a", who="2.2.2.2", rate="2/h") is None
    assert ratelimit.attempt("b", who="1.1.1.1", rate="2/h") is None
    assert RateCount.objects.get(key="a:1.1.1.1:3600:10").count == 4
    assert RateCount.objects.get(key="a:1.1.1.1:3600:10").expires == 36000 + 3600

    # when the window has ended
    now[0] = 36000.0 + 3600

    # then the next one starts afresh; the ended window's rows stay for CLEAN_GRACE (servers' clocks differ a little)
    assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") is None
    assert RateCount.objects.filter(key="a:1.1.1.1:3600:10").exists()
    now[0] += ratelimit.CLEAN_GRACE
    assert ratelimit.attempt("a", who="3.3.3.3", rate="2/h") is None
    assert RateCount.objects.filter(key="a:1.1.1.1:3600:10").exists()  # ended exactly CLEAN_GRACE ago: kept

    # and a new window's first count past the grace deletes the rows of the windows that ended
    now[0] += 1
    assert ratelimit.attempt("a", who="4.4.4.4", rate="2/h") is None
    assert sorted(RateCount.objects.values_list("key", "count")) == [
        ("a:1.1.1.1:3600:11", 1),
        ("a:3.3.3.3:3600:11", 1),
        ("a:4.4.4.4:3600:11", 1),
    ]


@pytest.mark.django_db
def test_an_absurdly_long_address_is_counted_under_a_digest(database_counts):
    who = "9" * 400

    assert [ratelimit.attempt("a", who=who, rate="1/m") is None for _ in range(2)] == [True, False]
    assert len(RateCount.objects.get().key) <= ratelimit.MAX_KEY


@pytest.mark.django_db(transaction=True)
def test_the_cache_culling_its_table_leaves_the_counts_alone(database_counts, settings):
    # given a database cache of at most 10 entries holding pages, and a count whose limit is spent
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "binakarya_cache",
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2},
        }
    }
    try:
        assert [ratelimit.attempt("a", who="1.1.1.1", rate="1/h") for _ in range(2)][0] is None

        # when a flood of distinct pages makes the cache cull again and again
        for i in range(40):
            cache.set(f"page:/produk/{i}", "body", 600)

        # then the cache was culled, and the count is untouched
        assert cache.get("page:/produk/0") is None
        assert RateCount.objects.get().count == 2
        assert ratelimit.attempt("a", who="1.1.1.1", rate="1/h") is not None
    finally:
        cache.clear()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_cleanup_skips_the_rows_another_cleanup_holds(database_counts):
    import psycopg
    from django.db import connection

    # given two rows of an hour's window that ended long ago, one of them locked by another cleanup in progress
    RateCount.objects.bulk_create(
        [RateCount(key="old:1", count=3, expires=30000), RateCount(key="old:2", count=3, expires=30000)]
    )
    params = connection.settings_dict
    other = psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432
    )
    try:
        other.execute("SELECT 1 FROM binakarya_rate_count WHERE key = 'old:1' FOR UPDATE")
        # (without SKIP LOCKED this cleanup would wait for that lock: bounded, and the cleanup would then give up)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")

        # when a new window's first count cleans up
        assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") is None

        # then it deleted the row no one held and left the held one to its holder
        assert set(RateCount.objects.values_list("key", flat=True)) == {"old:1", "a:1.1.1.1:3600:10"}
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
