"""Login and API-token throttling, on top of django-axes (see docs/security.md, "Login throttling").

Every failed password (the login page, the admin login) and every failed API token is recorded by axes in
the database, so all server processes see the same counts. Two counts lock a client out for
LOGIN_COOLOFF_MINUTES after its last failure:

- per account and address (username + IP): LOGIN_FAILURES_PER_ACCOUNT wrong passwords for one username
  from one address; API tokens count as one pseudo-account, with API_TOKEN_FAILURES_PER_ADDRESS;
- per address (IP): LOGIN_FAILURES_PER_ADDRESS failures from one address, whatever the username, which
  stops one address from trying a few passwords on every account.

An account is never locked for everyone: a stranger who types someone's username wrong from elsewhere
does not lock that person out (facility computers share one address, so the per-address limit is higher).
While locked, even the right password or token is refused, with 429 and Retry-After.
"""

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

# What axes records as the "username" of a failed API token: not a valid Django username (those have no
# spaces or brackets), so it never collides with a real account.
API_TOKEN_ACCOUNT = "(api token)"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies in front of the app saw.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so with N
    proxies the client is the N-th entry from the right; anything further left was sent by the client
    itself and cannot be trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Failures allowed per username + address (AXES_FAILURE_LIMIT)."""
    if credentials and credentials.get("username") == API_TOKEN_ACCOUNT:
        return settings.API_TOKEN_FAILURES_PER_ADDRESS
    return settings.LOGIN_FAILURES_PER_ACCOUNT


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


class ThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with its own limit for each of AXES_LOCKOUT_PARAMETERS' two counts.

    axes compares one number, the failures, with one limit. Here that number is the username + address
    count, raised to the limit when the address alone has had LOGIN_FAILURES_PER_ADDRESS failures.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(per_account, failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login, forget that username's failures from that address only.

        axes would also forget the address's failures, so one valid account would let its owner reset
        the per-address count between guesses at other accounts.
        """
        per_account = self.filter_user_attempts(request, credentials)[0]
        count, _deleted = per_account.delete()
        return count


def _locked_message() -> str:
    minutes = math.ceil(cooloff_seconds() / 60)
    return ngettext(
        "Too many failed attempts. For your security, logging in from here is paused for %(minutes)d minute. "
        "Try again later; if you forgot your password, ask for a new one.",
        "Too many failed attempts. For your security, logging in from here is paused for %(minutes)d minutes. "
        "Try again later; if you forgot your password, ask for a new one.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After; the login page with the message, or JSON for the API."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": _locked_message()}, status=429)
    else:
        username = (credentials or {}).get("username") or ""
        form = AuthenticationForm(request, initial={"username": username})
        context = {"form": form, "lockout_message": _locked_message(), "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(cooloff_seconds())
    return response


class TokenAttemptsLocked(Exception):
    """Raised by the API's token check while the client's address is locked out."""

    def __init__(self) -> None:
        super().__init__(_locked_message())
        self.retry_after = cooloff_seconds()


def api_token_allowed(request: HttpRequest) -> bool:
    """False while the address that sends this token is locked out (token or password failures alike)."""
    return AxesProxyHandler.is_allowed(request, {"username": API_TOKEN_ACCOUNT})


def api_token_failed(request: HttpRequest) -> None:
    """Record a wrong or revoked API token against the client's address."""
    user_login_failed.send(sender=__name__, credentials={"username": API_TOKEN_ACCOUNT}, request=request)
