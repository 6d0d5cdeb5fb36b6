"""The sign-in form: Django's, with a refusal message of our own.

Django's Indonesian translation of "Please enter a correct %(username)s and password" already says
"nama pengguna" before the field's name is put in, so it read "nama pengguna nama pengguna".
"""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Capital and small letters count."),
    }
