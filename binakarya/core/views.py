"""Operational endpoints (a health check for load balancers, a bare view for benchmarks), media files, and the error pages."""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from binakarya.core import db_router, selectors

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the task worker, for a load balancer and for monitoring (docs/deployment.md).

    503 {"status": "error"} only when the database does not answer: that server cannot serve. A stalled
    task worker (a due task waiting longer than TASKS_STALL_SECONDS) answers 200 with "status": "degraded",
    so a load balancer keeps sending buyers to web servers that work; ``manage.py healthcheck`` fails on it.
    So does a read replica (DATABASE_REPLICA_URL) that does not answer, is no longer a standby or lags more than
    REPLICA_MAX_LAG_SECONDS: "replica" gives its status, whether it is in recovery and its replay lag in
    seconds. (A replica that does not answer is skipped by binakarya.core.db_router: the primary serves.) The replica's
    answer is the router's, cached per process for db_router.RETRY_SECONDS: a load balancer probing often costs one
    replica query per RETRY_SECONDS, and a vanished replica host slows one probe, not each.
    """
    vendor = selectors.database_vendor_if_up()
    if vendor is None:
        return JsonResponse({"status": "error"}, status=503)
    try:
        tasks = selectors.task_queue_health().as_dict()
    except Exception:
        logger.exception("healthz: task queue check failed")
        tasks = {"status": "error"}
    body: dict[str, object] = {"database": vendor, "tasks": tasks}
    replica = db_router.cached_replica_health()  # probed at most once per RETRY_SECONDS per process
    if replica is not None:
        body["replica"] = replica.as_dict()
    healthy = tasks["status"] == "ok" and (replica is None or replica.status == "ok")
    return JsonResponse({"status": "ok" if healthy else "degraded", **body})


def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest possible Django response, for measuring the request path itself."""
    return HttpResponse("pong", content_type="text/plain")


# Photos are stored under new names (a replaced photo is a new file), so a browser may keep one a
# day without asking again; a phone on a slow network then pays for each thumbnail once.
MEDIA_MAX_AGE = 24 * 3600


def serve_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """MEDIA_ROOT's files when the app serves them itself (SERVE_MEDIA), cacheable for a day.

    With media on object storage (MEDIA_STORAGE=s3 and SERVE_MEDIA=true), an old /media/ address is sent on
    to the object's own address.
    """
    if settings.MEDIA_STORAGE != "local":
        return HttpResponseRedirect(default_storage.url(path))
    response = static.serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response


# Error pages ------------------------------------------------------------------------------------
# A staff address (/staf/…, /en/staf/…) gets the staff look and a way back to the staff home; any other
# address gets the public look with links to the home page and the catalog. Both speak the language
# LocaleMiddleware chose from the address.


def _staff_prefix() -> str:
    """The staff pages' address without a language prefix ("/staf/")."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("backoffice:dashboard")


def is_staff_path(path: str) -> bool:
    """Whether ``path`` is one of the staff pages, in any language (``/staf/lot/``, ``/en/staf/lot/``)."""
    language = get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        path = path[len(language) + 1 :]
    return path.startswith(_staff_prefix())


def _error_page(request: HttpRequest, *, status: int, exception: Exception | None = None) -> HttpResponse:
    staff = is_staff_path(request.path)
    context = {"status": status, "reason": ""}
    # Our own PermissionDenied messages are written for the user (and translated); Django's and other
    # libraries' 404 texts are not, so only a 403 shows its message.
    if status == 403 and exception is not None and exception.args and isinstance(exception.args[0], str):
        context["reason"] = exception.args[0]
    template = f"backoffice/{status}.html" if staff else f"{status}.html"
    return render(request, template, context, status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: the styled "no access" page."""
    return _error_page(request, status=403, exception=exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the styled "not found" page."""
    return _error_page(request, status=404, exception=exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: rendered without the request's context (no user, no session, no query), so it still
    works when the database is what failed."""
    content = loader.render_to_string("500.html", {"staff": is_staff_path(request.path)})
    return HttpResponseServerError(content)
