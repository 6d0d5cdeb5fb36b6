import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from tests.exports.world import exports_world


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(db, today):
    return exports_world(today)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()
