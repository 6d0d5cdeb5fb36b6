"""One fixed-window counter for the public rate limits (requests for quotation, export inquiries, the public
order API): ``attempt("scope", who=address, rate="20/h")``.

A rate is "COUNT/PERIOD", PERIOD one of s, m, h, d (only its first letter is read: "20/hour" works). Each
window of PERIOD counts in the cache, so every web process and every web server shares the count when the
cache is shared (settings.CACHE_BACKEND: database or redis; docs/deployment.md, "More than one web server").
Redis adds atomically; the database cache reads and writes the count, so two requests at the very same moment
may count as one: a limit against floods, not an exact meter.
"""

import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str, *, default_period: int) -> tuple[int, int]:
    """("30/m") -> (30, 60): the count and the window in seconds; an unknown period is ``default_period``."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS.get(period.strip()[:1], default_period)


def attempt(scope: str, *, who: str, rate: str, default_period: int = 3600) -> float | None:
    """Count one request of ``who`` (an address) in ``scope``. None when allowed; else the seconds to wait."""
    limit, period = parse_rate(rate, default_period=default_period)
    now = time.time()
    window = int(now // period)
    key = f"{scope}:{who or '-'}:{period}:{window}"
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 1)
        count = 1
    return None if count <= limit else (window + 1) * period - now
