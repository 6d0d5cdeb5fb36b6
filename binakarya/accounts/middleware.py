"""Holds a user who signed in with a temporary password on the password change page until they choose
their own (docs/accounts.md).

Signing in looks once whether the password is temporary (accounts.signals) and notes it in the session,
so other requests cost no query. Token-authenticated API calls have no session: setting a temporary
password revokes the user's tokens.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

PASSWORD_CHANGE_REQUIRED = "binakarya_password_change_required"
# What such a user may still open: the password change pages, signing out and choosing a language.
ALLOWED_VIEWS = frozenset(
    {"accounts:password_change", "accounts:password_change_done", "accounts:logout", "set_language"}
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(PASSWORD_CHANGE_REQUIRED) and request.user.is_authenticated:
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name not in ALLOWED_VIEWS:
                if view_name.startswith("api:"):
                    detail = _("Choose your own password first: your facility admin set a temporary one.")
                    return JsonResponse({"detail": detail}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)
