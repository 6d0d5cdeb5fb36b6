"""Authentication for the API: bearer tokens for scripts, the Django session for the back office.

Tokens are made with ``python manage.py create_api_token <username>`` and sent as
``Authorization: Bearer bk_…``. Only their SHA-256 is stored (see accounts.services).

A wrong token counts as a failed login of the sending address (accounts.throttle): after
API_TOKEN_FAILURES_PER_ADDRESS of them, every token from that address gets 429 with Retry-After until the
cool-off has passed, the right one included.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth, django_auth
from ninja.throttling import BaseThrottle

from binakarya.accounts.services import api_token_authenticate
from binakarya.accounts.throttle import TokenAttemptsLocked, api_token_allowed, api_token_failed, client_ip


class AuthenticatedRequest(HttpRequest):
    """The request of an operation behind STAFF_AUTH, for handlers' annotations only.

    ninja sets ``request.auth`` to what the first succeeding authenticator returned: the token's user
    (ApiTokenAuth) or the session's signed-in user (``django_auth``), an active ``User`` either way.
    """

    auth: User


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the authenticated user becomes ``request.auth``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not api_token_allowed(request):
            raise TokenAttemptsLocked()
        user = api_token_authenticate(raw=token.strip())
        if user is None:
            api_token_failed(request)
        return user


# Either a bearer token or a logged-in session; the first that succeeds sets request.auth to the user.
STAFF_AUTH = [ApiTokenAuth(), django_auth]


class Public:
    """Lets an anonymous caller through as AnonymousUser (after the staff authenticators had their turn)."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


class OptionalSessionAuth(SessionAuth):
    """The signed-in session's user (CSRF checked, as django_auth does); a caller who is not signed in passes
    on to ``Public`` without a CSRF check. Public writes need no CSRF token: nobody's session is acted for,
    and the Idempotency-Key header they require cannot be sent cross-site without a CORS preflight."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# A public endpoint: an API token or a signed-in session when there is one, else anyone.
STAFF_OR_PUBLIC = [ApiTokenAuth(), OptionalSessionAuth(), Public()]


class AddressThrottle(BaseThrottle):
    """Throttles a public write per client address (``accounts.throttle.client_ip``) with the domain's own
    counter, ``attempt(address=…)``: None to let it through, else the seconds to wait. The storefront's form for
    the same thing counts against the same counter."""

    def __init__(self, attempt: Callable[..., float | None]) -> None:
        self._attempt = attempt
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        self._wait = self._attempt(address=client_ip(request) or "")
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait
