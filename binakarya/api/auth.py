"""Authentication for the API: bearer tokens for scripts, the Django session for the back office.

Tokens are made with ``python manage.py create_api_token <username>`` and sent as
``Authorization: Bearer bk_…``. Only their SHA-256 is stored (see accounts.services).

A wrong token counts as a failed login of the sending address (accounts.throttle): after
API_TOKEN_FAILURES_PER_ADDRESS of them, every token from that address gets 429 with Retry-After until the
cool-off has passed, the right one included.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from binakarya.accounts.services import api_token_authenticate
from binakarya.accounts.throttle import TokenAttemptsLocked, api_token_allowed, api_token_failed


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
