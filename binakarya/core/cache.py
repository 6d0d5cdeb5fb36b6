"""A short-lived cache of public pages for anonymous visitors.

A cheap phone on a slow network gets the same catalog page everyone else gets; rendering it once a
minute instead of on every request keeps the site fast under load. Requests carrying a session
(staff) are never served from or stored in this cache, nor are responses that set a cookie.
A page is stored with its gzip-compressed body too, so a hit costs no compression.

The cache is settings.CACHES' (the database or Redis in production), so a page one web server rendered is
served by every other. ``X-Page-Cache`` says which: "hit" (from the cache) or "miss" (rendered and stored).
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

from binakarya.core.db_router import PIN_COOKIE

# The test GZipMiddleware applies to Accept-Encoding.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
CACHE_HEADER = "X-Page-Cache"


def _key(request: HttpRequest) -> str:
    parts = [
        get_language() or "",
        request.headers.get("Accept-Language", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        "htmx" if request.headers.get("HX-Request") else "page",
        request.get_full_path(),
    ]
    # v2: entries hold (status, headers, body, gzipped body).
    return "public-page:v2:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        # A browser that has just written reads its own writes (binakarya.core.db_router): no cached page for it.
        if PIN_COOKIE in request.COOKIES:
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            status, headers, body, gzipped = hit
            if gzipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
                # Compressed once when stored; GZipMiddleware leaves a response with an encoding alone.
                response = HttpResponse(gzipped, status=status)
                response["Content-Encoding"] = "gzip"
            else:
                response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            patch_vary_headers(response, ("Accept-Encoding",))
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            patch_vary_headers(response, ("Cookie", "HX-Request"))
            patch_cache_control(response, public=True, max_age=seconds)
            kept = [
                (n, v)
                for n, v in response.items()
                if n.lower() in ("content-type", "content-language", "vary", "cache-control")
            ]
            body = response.content
            gzipped = compress_string(body) if len(body) >= 200 else None
            cache.set(key, (response.status_code, kept, body, gzipped), seconds)
            response[CACHE_HEADER] = "miss"
        return response

    return wrapper
