import pytest
from django.utils import timezone, translation

from tests.deals.world import deals_world


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(db, today):
    return deals_world(today)


@pytest.fixture
def english():
    with translation.override("en"):
        yield
