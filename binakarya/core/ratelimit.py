"""One fixed-window counter for the public rate limits (requests for quotation, export inquiries, the public
order API): ``attempt("scope", who=address, rate="20/h")``.

A rate is "COUNT/PERIOD", PERIOD one of s, m, h, d (only its first letter is read: "20/hour" works). Each window
of PERIOD is counted apart (its number is part of the key), shared by every web process and every web server
(settings.CACHE_BACKEND; docs/deployment.md, "More than one web server"):

- database (production's default without Redis): a row of the table RateCount (binakarya_rate_count), one
  ``INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`` on the primary database, so concurrent
  requests each count (exact, on PostgreSQL and SQLite alike). The counts are not in the database cache's table:
  Django's DatabaseCache would count by a read and a write (two requests at once counting once), its incr would
  give a count the cache's default 300 s instead of the window, and its cull would delete them first. A count
  that starts a new window deletes (up to CLEAN_BATCH) rows of windows that ended more than CLEAN_GRACE seconds
  ago; on PostgreSQL the rows another count is deleting at that moment are skipped (``FOR UPDATE SKIP LOCKED``).
- redis: the cache; ``add`` then ``incr`` are atomic there and incr keeps the window's expiry.
- local (development and tests, one process): the cache as for Redis, in the process's memory.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction

from binakarya.core.models import RateCount

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The key column's width; a longer key (an absurd address) is shortened to a digest.
MAX_KEY = 255
# The most ended rows one count deletes: a new window comes at least as often as rows end, so they never pile up.
CLEAN_BATCH = 1000
# How long past its window's end a row is kept: web servers' clocks may be a little apart, and a server whose clock
# runs behind still counts in a window another server sees as ended.
CLEAN_GRACE = 60


def parse_rate(rate: str, *, default_period: int) -> tuple[int, int]:
    """("30/m") -> (30, 60): the count and the window in seconds; an unknown period is ``default_period``."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS.get(period.strip()[:1], default_period)


def attempt(scope: str, *, who: str, rate: str, default_period: int = 3600) -> float | None:
    """Count one request of ``who`` (an address) in ``scope``. None when allowed; else the seconds to wait."""
    limit, period = parse_rate(rate, default_period=default_period)
    now = time.time()
    window = int(now // period)
    ends = (window + 1) * period
    key = f"{scope}:{who or '-'}:{period}:{window}"
    if len(key) > MAX_KEY:
        key = f"{scope[:100]}:{hashlib.sha256(key.encode()).hexdigest()}"
    if getattr(settings, "CACHE_BACKEND", "") == "database":
        count = count_in_table(key, expires=ends, now=now)
    else:
        count = count_in_cache(key, ttl=period + 1)
    return None if count <= limit else ends - now


def count_in_table(key: str, *, expires: int, now: float) -> int:
    """Add one to ``key``'s row (made at 1 when new) in one statement on the primary; the new count."""
    connection = connections["default"]  # never a replica: a count read from a lagging copy would be wrong
    quote = connection.ops.quote_name
    table = quote(RateCount._meta.db_table)
    key_col, count_col, expires_col = quote("key"), quote("count"), quote("expires")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
            f"RETURNING {count_col}",
            [key, expires],
        )
        count = int(cursor.fetchall()[0][0])
    if count == 1:  # a new window (of one address): some ended windows' rows go, found by the index on expires
        # At a window's start every active address comes here at once: on PostgreSQL each takes the rows no other
        # is deleting (SQLite has one writer at a time anyway, and no FOR UPDATE).
        skip_locked = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
        try:
            with transaction.atomic(using="default"), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {table} WHERE {key_col} IN "
                    f"(SELECT {key_col} FROM {table} WHERE {expires_col} < %s LIMIT {CLEAN_BATCH}{skip_locked})",
                    [int(now) - CLEAN_GRACE],
                )
        except DatabaseError:  # two cleanups at once (a deadlock, a busy lock): the next new window cleans up
            pass
    return count


def count_in_cache(key: str, *, ttl: int) -> int:
    """Add one to ``key`` in the cache (made at 0 with ``ttl`` when missing); the new count."""
    for _try in range(2):
        cache.add(key, 0, ttl)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired (or evicted) between add and incr: add it again
            continue
    # Twice gone between two calls a microsecond apart: the cache is not keeping anything; count this one.
    return 1
