"""A short-lived cache of public pages for anonymous visitors.

A cheap phone on a slow network gets the same catalog page everyone else gets; rendering it once a
minute instead of on every request keeps the site fast under load. Requests carrying a session
(staff) are never served from or stored in this cache, nor are responses that set a cookie.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language


def _key(request: HttpRequest) -> str:
    parts = [
        get_language() or "",
        request.headers.get("Accept-Language", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        "htmx" if request.headers.get("HX-Request") else "page",
        request.get_full_path(),
    ]
    return "public-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            status, headers, body = hit
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
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
            cache.set(key, (response.status_code, kept, response.content), seconds)
        return response

    return wrapper
