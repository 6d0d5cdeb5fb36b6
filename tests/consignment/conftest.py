import datetime

import pytest
from django.utils import timezone, translation

from binakarya.consignment.services import agreement_create
from tests.consignment.world import consignment_world


@pytest.fixture
def world(db):
    return consignment_world()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def agreement(world, today):
    """20 % commission at catalog prices, monthly, 14 days to pay, started a month ago."""
    return agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        review_months=6,
        start_date=today - datetime.timedelta(days=30),
    )


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check the services' own words, written in English; the UI translates them."""
    with translation.override("en"):
        yield
