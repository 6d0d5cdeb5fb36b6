import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Start in the default language: LocaleMiddleware leaves the last request's language active in this thread."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
