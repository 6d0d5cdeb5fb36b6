"""Site-wide request and response rules that no single view should have to remember (docs/security.md).

- RejectNulMiddleware: a NUL character (``\\x00``, ``%00``, ``\\u0000``) anywhere in the path, the query
  string, a cookie, a form or a JSON body is refused with a 400 before any view runs. PostgreSQL cannot
  store it in text (a 500 otherwise) and SQLite would keep it; no legitimate text contains it.
- PrivateCacheMiddleware: staff pages, the login and password pages, the admin and every authenticated API
  answer carry ``Cache-Control: private, no-store``, so neither a shared facility computer's browser nor a
  proxy keeps a copy of personal or financial data. Public pages keep their own caching.
- RequestIdMiddleware: every request gets an id (nginx's X-Request-ID when it is safe, else a new one),
  echoed in the answer's X-Request-ID header and carried by every log line written while it is served;
  it writes one line per request (method, the matched URL pattern rather than the path, status, duration,
  user id): secret addresses (a password-reset link, an order's tracking token, a buyer's document link)
  never reach the log. An address that matched no pattern is logged with its long or token-like parts masked.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import empty
from django.utils.translation import gettext as _

from binakarya.core.logging import request_id_var, safe_request_id

NUL = "\x00"
API_PREFIX = "/api/"
_JSON_TYPES = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) for every key and string in a decoded JSON document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def _texts(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(name, text) for every piece of text the request brings: path, query, cookies, form or JSON body."""
    yield "path", request.path_info
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value
    for key, value in request.COOKIES.items():
        yield key, key + value
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    api = request.path_info.startswith(API_PREFIX)
    try:
        # The API reads any body as JSON, whatever its Content-Type says, so an API body is read (and kept)
        # first: parsing it as a form first would leave the API unable to read it at all.
        body = request.body if api or _JSON_TYPES.match(content_type) else b""
        if content_type in _FORM_TYPES:
            for key, values in request.POST.lists():
                yield key, key
                for value in values:
                    yield key, value
            for key, uploads in request.FILES.lists():
                for upload in uploads:
                    yield key, upload.name or ""
        if body:
            try:
                document = json.loads(body)
            except ValueError:  # not JSON, or not UTF-8: the view answers it as it always has
                return
            yield from _json_strings(document, "")
    except (
        ValueError,  # not JSON, or not UTF-8: the view answers it as it always has
        RequestDataTooBig,
        MultiPartParserError,
        RawPostDataException,
        SuspiciousOperation,
        BadRequest,
    ):
        return


def nul_fields(request: HttpRequest) -> list[str]:
    """Names of the parameters (or "path") whose text holds a NUL character, in the order found."""
    found: list[str] = []
    for name, text in _texts(request):
        if NUL in text and name not in found:
            found.append(name)
    return found


def _nul_message() -> str:
    return _("The text contains a null character (\\0), which is not allowed. Remove it and try again.")


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = nul_fields(request)
        if not fields:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            # The API negotiates its language by header, as binakarya.api.i18n does for its operations.
            language = translation.get_language_from_request(request, check_path=False)
            with translation.override(language):
                message = _nul_message()
            response = JsonResponse({"detail": message, "errors": {name: [message] for name in fields}}, status=400)
            response["Content-Language"] = language
            return response
        return render(request, "bad_input.html", {"message": _nul_message()}, status=400)


_PRIVATE_PAGES = re.compile(
    r"^/(?:(?:{languages})/)?(?:staf|akun)/".format(
        languages="|".join(re.escape(code) for code, _ in settings.LANGUAGES)
    )
)


def is_private(request: HttpRequest) -> bool:
    """Staff pages, account pages, the admin, and API answers to an authenticated caller."""
    path = request.path_info
    if _PRIVATE_PAGES.match(path) or path.startswith("/admin/"):
        return True
    if path.startswith(API_PREFIX):
        user = getattr(request, "user", None)
        return bool(
            getattr(request, "auth", None)
            or "HTTP_AUTHORIZATION" in request.META
            or (user is not None and user.is_authenticated)
        )
    return False


class PrivateCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            # patch_cache_control drops a "public" that private contradicts.
            patch_cache_control(response, private=True, no_store=True)
        return response


request_logger = logging.getLogger("binakarya.request")
REQUEST_ID_HEADER = "X-Request-ID"


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, only if the request already looked the user up (no extra query)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


_MASK = "<masked>"
_LONG_SEGMENT = 20
# A token-like segment: 8 or more of [A-Za-z0-9_-] holding both a digit and a letter, or any long hex run.
_TOKEN_SHAPE = re.compile(r"^(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{8,}$|^[0-9a-fA-F-]{16,}$")


def mask_path(path: str) -> str:
    """The path with every segment longer than 20 characters or shaped like a token replaced by <masked>."""
    return "/".join(
        _MASK if len(segment) > _LONG_SEGMENT or _TOKEN_SHAPE.match(segment) else segment for segment in path.split("/")
    )


def loggable_path(request: HttpRequest) -> tuple[str, str | None]:
    """(path, view name) for the log: the URL pattern that matched (its parameters left as <name>), else the
    masked path. Never the raw path, which may carry a secret token."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.lstrip("/"), match.view_name or None
    return mask_path(request.path), None


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = safe_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.META["HTTP_X_REQUEST_ID"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            # The URL pattern, never the query string (what someone searched for: a maker's name) nor the
            # path's own tokens (a password-reset link, an order's tracking address).
            path, view = loggable_path(request)
            extra: dict[str, Any] = {
                "request_id": request_id,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": _user_id(request),
            }
            if view:
                extra["view"] = view
            request_logger.info("%s %s %s", request.method, path, response.status_code, extra=extra)
            return response
        finally:
            request_id_var.reset(token)
