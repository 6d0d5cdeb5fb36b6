import pytest

from tests.dashboards.world import Clock, sumenep_month


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(db, clock):
    return sumenep_month(clock)
