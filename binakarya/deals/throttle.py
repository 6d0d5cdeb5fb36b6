"""How many requests for quotation one address may send: ``settings.DEALS_PUBLIC_RFQ_RATE`` (default 20 an
hour), counted by core.ratelimit in the shared cache. Both the public form and POST /api/v1/rfqs count against
the same allowance."""

from django.conf import settings

from binakarya.core import ratelimit

DEFAULT_RATE = "20/h"


def rfq_attempt(*, address: str) -> float | None:
    """Count one request from ``address``. None when allowed; else the seconds to wait."""
    rate = str(getattr(settings, "DEALS_PUBLIC_RFQ_RATE", DEFAULT_RATE))
    return ratelimit.attempt("deals-rfq", who=address, rate=rate, default_period=3600)
