"""The buyer's cart: ``{SKU: units}`` in the session, and the cache rules for pages that show it.

No account is needed: the cart lives in the session (a cookie names it). Pages that show a cart or a
buyer's data are ``Cache-Control: private, no-store``; the public pages are cached only for visitors
without a session (``core.cache.public_page_cache``), so the header's cart count never reaches the
shared cache.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

SESSION_KEY = "cart"
MAX_LINES = 50
MAX_QUANTITY = 1_000
MAX_SKU_LENGTH = 40


def clean_sku(sku: str) -> str:
    return sku.strip().upper()[:MAX_SKU_LENGTH]


def cart_lines(request: HttpRequest) -> dict[str, int]:
    """The cart as ``{SKU: units}``; whatever the session holds that is not such a pair is dropped."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not getattr(request, "_cart_touched", False):
        return {}
    raw = request.session.get(SESSION_KEY)
    if not isinstance(raw, dict):
        return {}
    return {
        str(sku): int(quantity)
        for sku, quantity in raw.items()
        if isinstance(sku, str) and isinstance(quantity, int) and 0 < quantity <= MAX_QUANTITY
    }


def _save(request: HttpRequest, lines: dict[str, int]) -> None:
    request.session[SESSION_KEY] = lines
    request._cart_touched = True  # type: ignore[attr-defined]


def cart_count(request: HttpRequest) -> int:
    """Units in the cart (0 without a session: the session is then not even opened)."""
    return sum(cart_lines(request).values())


def cart_add(request: HttpRequest, sku: str, quantity: int) -> dict[str, int]:
    """Add ``quantity`` units of ``sku`` (capped at MAX_QUANTITY; at most MAX_LINES SKUs)."""
    lines = cart_lines(request)
    sku = clean_sku(sku)
    if sku not in lines and len(lines) >= MAX_LINES:
        return lines
    lines[sku] = min(lines.get(sku, 0) + quantity, MAX_QUANTITY)
    _save(request, lines)
    return lines


def cart_set(request: HttpRequest, sku: str, quantity: int) -> dict[str, int]:
    """Set the units of ``sku``; 0 removes it."""
    lines = cart_lines(request)
    sku = clean_sku(sku)
    if quantity <= 0:
        lines.pop(sku, None)
    elif sku in lines or len(lines) < MAX_LINES:
        lines[sku] = min(quantity, MAX_QUANTITY)
    _save(request, lines)
    return lines


def cart_remove(request: HttpRequest, skus: list[str]) -> None:
    lines = cart_lines(request)
    for sku in skus:
        lines.pop(sku, None)
    _save(request, lines)


def cart_clear(request: HttpRequest) -> None:
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page holds a cart or a buyer's data: never stored by a browser or a proxy."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def private_with_cart(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page: private and not stored when it was drawn for a visitor with a cart (its header counts it).

    Put it outside ``public_page_cache``, which serves and fills its cache only for visitors without a session.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if cart_lines(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
