"""Percentages are written the reader's way by one template filter: ``12,5%`` in Indonesian, ``12.5%`` in
English, and never ``25.0%``."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Role
from tests.backoffice.test_sales_pages import make_shop, user_with


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        (Decimal("12.5"), "id", "12,5%"),
        (Decimal("12.5"), "en", "12.5%"),
        (25.0, "id", "25%"),
        (25.0, "en", "25%"),
        (Decimal("33.33"), "id", "33,33%"),
        (40, "id", "40%"),
        (None, "id", ""),
        ("bukan angka", "id", ""),
    ],
)
def test_the_percent_filter(value, language, shown):
    # when
    with translation.override(language):
        rendered = Template("{{ value|percent }}").render(Context({"value": value}))

    # then
    assert rendered == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "premi", "restitution"), [("", "12,5%", "restitusi 7,5%"), ("/en", "12.5%", "restitution 7.5%")]
)
def test_the_rule_list_shows_percentages_the_readers_way(client, facility_a, prefix, premi, restitution):
    # given a rule of 12.5% premi with a 7.5% restitution deduction
    shop = make_shop(facility_a)
    split_rule_create(
        actor=None,
        organization=shop["org"],
        effective_from=datetime.date(2025, 1, 1),
        basis="REVENUE",
        premi_mode="PERCENT",
        premi_bp=1250,
        capital_bp=2500,
        restitution_bp=750,
        legal_reference="SK baru",
    )
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))

    # when
    body = client.get(prefix + reverse("backoffice:rules")).content.decode()

    # then
    assert f"<dd>{premi}</dd>" in body
    assert "<dd>25%</dd>" in body
    assert restitution in body
    assert "12.50" not in body and "25.0%" not in body
