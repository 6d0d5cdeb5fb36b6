"""The consignment shelf pages (returns, damage, count, review with its recall, history) on a 360x740 phone:
nothing wider than the screen, and the one-tap recall of a slow seller works."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binakarya.consignment.models import ConsignmentReturn
from binakarya.consignment.services import agreement_create
from tests.browser.test_staff_phone import log_in
from tests.consignment.test_review import place_and_receive
from tests.consignment.world import consignment_world


@pytest.fixture
def shelf(transactional_db):
    world = consignment_world()
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        review_months=6,
        start_date=timezone.localdate() - datetime.timedelta(days=120),
    )
    place_and_receive(world, agreement, world["whip"], 6)
    place_and_receive(world, agreement, world["bag"], 4, days_ago=90)
    return agreement


PAGES = [
    "consignment_shelf_return",
    "consignment_shelf_damage",
    "consignment_shelf_count",
    "consignment_review",
    "consignment_history",
]


def test_the_shelf_pages_fit_a_phone_and_a_slow_seller_is_recalled_with_one_tap(page, screenshot, shelf):
    log_in(page, "admin-smp")
    for name in PAGES:
        page.goto(reverse(f"backoffice:{name}", kwargs={"pk": shelf.pk}))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    screenshot("history")
    page.goto(reverse("backoffice:consignment_review", kwargs={"pk": shelf.pk}))
    screenshot("review")
    page.locator("form[action$='/tinjauan/tarik/'] button").first.click()
    page.wait_for_url("**/retur/*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    returned = ConsignmentReturn.objects.get()
    assert returned.kind == "RECALL" and sum(line.quantity for line in returned.lines.all()) == 4
