"""How many export inquiries one address may send: ``settings.EXPORTS_PUBLIC_INQUIRY_RATE`` (default 20 an
hour), counted in fixed windows in the cache (per process with the local-memory cache; shared with REDIS_URL).
The public form and POST /api/v1/export-inquiries share one allowance, apart from the RFQs' (deals.throttle)."""

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATE = "20/h"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate() -> tuple[int, int]:
    rate = str(getattr(settings, "EXPORTS_PUBLIC_INQUIRY_RATE", DEFAULT_RATE))
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS.get(period[:1], 3600)


def inquiry_attempt(*, address: str) -> float | None:
    """Count one inquiry from ``address``. None when allowed; else the seconds to wait."""
    limit, period = _rate()
    now = time.time()
    window = int(now // period)
    key = f"exports-inquiry:{address or '-'}:{period}:{window}"
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 1)
        count = 1
    return None if count <= limit else (window + 1) * period - now
