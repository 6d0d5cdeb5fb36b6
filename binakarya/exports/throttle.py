"""How many export inquiries one address may send: ``settings.EXPORTS_PUBLIC_INQUIRY_RATE`` (default 20 an
hour), counted by core.ratelimit in the shared cache. The public form and POST /api/v1/export-inquiries share
one allowance, apart from the RFQs' (deals.throttle)."""

from django.conf import settings

from binakarya.core import ratelimit

DEFAULT_RATE = "20/h"


def inquiry_attempt(*, address: str) -> float | None:
    """Count one inquiry from ``address``. None when allowed; else the seconds to wait."""
    rate = str(getattr(settings, "EXPORTS_PUBLIC_INQUIRY_RATE", DEFAULT_RATE))
    return ratelimit.attempt("exports-inquiry", who=address, rate=rate, default_period=3600)
