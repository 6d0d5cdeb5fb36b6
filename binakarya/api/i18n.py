"""Language negotiation for API operations.

The API lives outside ``i18n_patterns`` and the site uses ``prefix_default_language=False``, so
LocaleMiddleware gives every unprefixed path (including /api/v1/…) the default language and ignores
``Accept-Language``. API clients negotiate with headers, not URL prefixes, so each operation runs in
the language of the ``django_language`` cookie, else ``Accept-Language``, else LANGUAGE_CODE.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation


def negotiate_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper
