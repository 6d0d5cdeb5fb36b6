"""Signing in notes in the session whether the user must first replace a temporary password."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from binakarya.accounts.middleware import PASSWORD_CHANGE_REQUIRED
from binakarya.accounts.selectors import password_change_pending


@receiver(user_logged_in, dispatch_uid="binakarya.accounts.password_change_required")
def note_password_change_required(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if password_change_pending(user=user):  # type: ignore[arg-type]
        request.session[PASSWORD_CHANGE_REQUIRED] = True
    else:
        request.session.pop(PASSWORD_CHANGE_REQUIRED, None)
