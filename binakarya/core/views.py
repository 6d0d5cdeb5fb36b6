"""Operational endpoints: a health check for load balancers and a bare view for benchmarks."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 {"status": "ok", "database": vendor} when the default database runs a query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Whatever broke, the answer is "unhealthy"; the log keeps the cause.
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest possible Django response, for measuring the request path itself."""
    return HttpResponse("pong", content_type="text/plain")
