"""Sign-in, sign-out and password pages: Django's auth views with Binakarya's templates.

Template names are set explicitly and do not reuse Django's defaults (``registration/password_reset_form.html``
and friends), because django.contrib.admin is installed first and its copies would win.
"""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from binakarya.accounts.forms import LoginForm
from binakarya.accounts.middleware import PASSWORD_CHANGE_REQUIRED
from binakarya.accounts.services import password_change_completed


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); redirects to LOGOUT_REDIRECT_URL."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_request.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject_line.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_new.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # A password chosen through the emailed link is the user's own: a temporary one no longer binds.
        password_change_completed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_finished.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["password_change_required"] = bool(self.request.session.get(PASSWORD_CHANGE_REQUIRED))
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        # The user chose their own password: a temporary one set by their facility admin no longer binds.
        password_change_completed(user=self.request.user)  # type: ignore[arg-type]
        self.request.session.pop(PASSWORD_CHANGE_REQUIRED, None)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_finished.html"
