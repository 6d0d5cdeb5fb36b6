"""The cache every web process shares: which backend settings.py picks (CACHE_BACKEND), the database cache's
table made by a migration, and the one fixed-window counter of the public rate limits (core.ratelimit)."""

import importlib
import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from binakarya.core import ratelimit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "binakarya_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 3},
    }
}


def settings_with(monkeypatch, **env: str) -> dict:
    for name in ("CACHE_BACKEND", "REDIS_URL", "DEBUG", "CACHE_MAX_ENTRIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "binakarya" / "settings.py"))


@pytest.mark.parametrize(
    "env, backend",
    [
        ({}, "locmem.LocMemCache"),  # development: DEBUG on by default
        ({"DEBUG": "false"}, "db.DatabaseCache"),  # production without Redis: shared through the database
        ({"DEBUG": "false", "REDIS_URL": "redis://127.0.0.1:6379/3"}, "redis.RedisCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, "redis.RedisCache"),
        ({"DEBUG": "false", "CACHE_BACKEND": "local"}, "locmem.LocMemCache"),
        ({"CACHE_BACKEND": "Database"}, "db.DatabaseCache"),
        ({"DEBUG": "false", "REDIS_URL": "redis://127.0.0.1:6379/3", "CACHE_BACKEND": "database"}, "db.DatabaseCache"),
    ],
)
def test_the_backend_follows_debug_redis_url_and_cache_backend(monkeypatch, env, backend):
    caches = settings_with(monkeypatch, **env)["CACHES"]

    assert caches["default"]["BACKEND"] == f"django.core.cache.backends.{backend}"


def test_the_database_cache_keeps_thousands_of_entries_and_names_the_migrated_table(monkeypatch):
    conf = settings_with(monkeypatch, DEBUG="false")
    migration = importlib.import_module("binakarya.core.migrations.0004_cache_table")

    assert conf["CACHES"]["default"]["LOCATION"] == conf["CACHE_TABLE"] == migration.TABLE
    assert conf["CACHES"]["default"]["OPTIONS"]["MAX_ENTRIES"] == 20000
    assert (
        settings_with(monkeypatch, DEBUG="false", CACHE_MAX_ENTRIES="500")["CACHES"]["default"]["OPTIONS"][
            "MAX_ENTRIES"
        ]
        == 500
    )


def test_an_unknown_cache_backend_is_refused_with_the_choices(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="redis, database or local"):
        settings_with(monkeypatch, CACHE_BACKEND="memcached")


@pytest.mark.django_db(transaction=True)
def test_the_migrated_table_serves_as_the_cache(settings):
    # given the production default without Redis, on the test database the migrations made
    settings.CACHES = DATABASE_CACHE
    settings.CACHE_BACKEND = "database"

    # when
    first = [ratelimit.attempt("test-scope", who="10.0.0.1", rate="2/h") for _ in range(3)]
    cache.set("page", ("body", b"\x00bytes"), 60)

    # then
    assert first[:2] == [None, None] and first[2] is not None and 0 < first[2] <= 3600
    assert cache.get("page") == ("body", b"\x00bytes")
    cache.clear()


def test_the_counter_counts_per_scope_and_address_in_fixed_windows(monkeypatch):
    cache.clear()
    now = [7200.0 + 3590]  # ten seconds before an hour's window ends
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])

    assert [ratelimit.attempt("a", who="1.1.1.1", rate="2/h") for _ in range(2)] == [None, None]
    assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") == pytest.approx(10)
    # another address, another scope: counts of their own
    assert ratelimit.attempt("a", who="2.2.2.2", rate="2/h") is None
    assert ratelimit.attempt("b", who="1.1.1.1", rate="2/h") is None
    # the next window starts afresh
    now[0] += 20
    assert ratelimit.attempt("a", who="1.1.1.1", rate="2/h") is None


class BlinkingCache:
    """A cache whose incr misses an entry once (another connection's add not visible to it yet)."""

    def __init__(self, **values: int) -> None:
        self.values = dict(values)
        self.misses = 1
        self.sets: list[tuple] = []

    def add(self, key: str, value: int, timeout: int) -> bool:
        return self.values.setdefault(key, value) == value

    def incr(self, key: str) -> int:
        if self.misses or key not in self.values:
            self.misses = max(self.misses - 1, 0)
            raise ValueError(key)
        self.values[key] += 1
        return self.values[key]

    def set(self, *args) -> None:
        self.sets.append(args)


def test_an_incr_that_misses_is_tried_again_never_reset_to_one(monkeypatch):
    # given a count of 3 made by other processes, which this process's first incr does not see
    fake = BlinkingCache(k=3)
    monkeypatch.setattr(ratelimit, "cache", fake)

    # when
    count = ratelimit.count_in_cache("k", ttl=61)

    # then add and incr were tried again: the fourth request, and the count was never overwritten
    assert (count, fake.values, fake.sets) == (4, {"k": 4}, [])


@pytest.mark.parametrize(
    "rate, default, expected",
    [("30/m", 3600, (30, 60)), ("20/hour", 60, (20, 3600)), ("5/d", 60, (5, 86400)), ("7/x", 60, (7, 60))],
)
def test_a_rate_is_count_over_period(rate, default, expected):
    assert ratelimit.parse_rate(rate, default_period=default) == expected
