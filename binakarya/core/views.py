"""Operational endpoints: a health check for load balancers, a bare view for benchmarks, and media files."""

import logging

from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views import static
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


# Photos are stored under new names (a replaced photo is a new file), so a browser may keep one a
# day without asking again; a phone on a slow network then pays for each thumbnail once.
MEDIA_MAX_AGE = 24 * 3600


def serve_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """MEDIA_ROOT's files when the app serves them itself (SERVE_MEDIA), cacheable for a day."""
    response = static.serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
