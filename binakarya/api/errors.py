"""One JSON error shape for the whole API: ``{"detail": "...", "errors": {field: [messages]}}``.

``errors`` is present for 400 and 422 only. Messages are in the request's language (LocaleMiddleware:
``Accept-Language``), written in English in the source and translated with gettext.

Asking for more stock than a location holds (``InsufficientStock``, a ValidationError subclass) is a
conflict with the current stock, not a malformed request: 409 with the service's message as ``detail``.
So is paying out more premi than a maker is owed, or spending more than a capital fund holds
(``InsufficientBalance``, also a ValidationError subclass).
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from binakarya.accounts.throttle import TokenAttemptsLocked
from binakarya.deals.services import DealConflict
from binakarya.exports.orders import ExportConflict
from binakarya.inventory.services import InsufficientStock
from binakarya.ledger.services import InsufficientBalance

# Where ninja says a bad value came from; dropped from field names ("query.page" -> "page").
_SOURCES = {"query", "path", "body", "form", "file", "header", "cookie"}


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or [])]
    # A JSON body's errors also name the handler's parameter ("body.payload.quantity" -> "quantity").
    if len(parts) > 2 and parts[0] == "body":
        parts = parts[2:]
    elif len(parts) > 1 and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


def request_validation_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) error list as ``{field: [messages]}``."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(_field_name(error.get("loc")), []).append(str(error.get("msg", "")))
    return out


def install_exception_handlers(api: NinjaAPI) -> None:
    # Registered with the decorator: add_exception_handler's annotation wants handlers that also
    # accept the exception class, which ninja never passes (it calls them with the raised instance).
    @api.exception_handler(NinjaValidationError)
    def on_request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = request_validation_errors(exc.errors)
        detail = _("Invalid value for: %(fields)s.") % {"fields": ", ".join(errors)}
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(DjangoValidationError)
    def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            detail = _("The data is not valid.")
        else:
            errors = {NON_FIELD_ERRORS: exc.messages}
            detail = " ".join(exc.messages)
        return api.create_response(request, {"detail": detail, "errors": errors}, status=400)

    @api.exception_handler(InsufficientStock)
    def on_insufficient_stock(request: HttpRequest, exc: InsufficientStock) -> HttpResponse:
        # A conflict with the current stock, not a malformed request: retrying later may succeed.
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)

    @api.exception_handler(InsufficientBalance)
    def on_insufficient_balance(request: HttpRequest, exc: InsufficientBalance) -> HttpResponse:
        # A conflict with the current balance (premi owed, capital fund), like InsufficientStock.
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)

    @api.exception_handler(DealConflict)
    def on_deal_conflict(request: HttpRequest, exc: DealConflict) -> HttpResponse:
        # The request contradicts the deal's state (accepted twice, more than ordered, more than it is worth).
        body: dict[str, Any] = {"detail": " ".join(exc.messages), "code": exc.code}
        if hasattr(exc, "error_dict"):
            body["errors"] = exc.message_dict
        return api.create_response(request, body, status=409)

    @api.exception_handler(ExportConflict)
    def on_export_conflict(request: HttpRequest, exc: ExportConflict) -> HttpResponse:
        # The request contradicts the export order's state (confirmed twice, overpaid, shipped unpaid or twice).
        body: dict[str, Any] = {"detail": " ".join(exc.messages), "code": exc.code}
        if hasattr(exc, "error_dict"):
            body["errors"] = exc.message_dict
        return api.create_response(request, body, status=409)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _("Authentication required: send 'Authorization: Bearer <token>' or log in.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="binakarya"'
        return response

    @api.exception_handler(TokenAttemptsLocked)
    def on_locked(request: HttpRequest, exc: TokenAttemptsLocked) -> HttpResponse:
        # Too many wrong tokens from this address (accounts.throttle): wait, then try again.
        response = api.create_response(request, {"detail": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        # Too many public writes from this address (api/orders.py PublicWriteThrottle).
        response = api.create_response(
            request, {"detail": _("Too many requests from your address. Wait a moment and try again.")}, status=429
        )
        if exc.wait is not None:
            response["Retry-After"] = str(max(int(exc.wait + 0.999), 1))
        return response

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) if str(exc) else _("You do not have permission to do this.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(ObjectDoesNotExist)
    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found")}, status=404)
