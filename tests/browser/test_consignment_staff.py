"""The seller staff's consignment pages on a 360x740 phone: from the menu to the agreements, an agreement's
page and its forms (placing goods, a payment), nothing wider than the screen, a refusal shown in the form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.consignment.services import agreement_create
from tests.browser.staff_menu import go_by_menu, log_in
from tests.consignment.settle import sell, shelf_agreement
from tests.consignment.world import MAKER_NAMES, consignment_world


@pytest.fixture
def world(transactional_db):
    world = consignment_world()
    today = timezone.localdate()
    world["shelf"] = shelf_agreement(world, today)
    sell(world, world["shelf"], today, whips=1)
    agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["gerai"],
        commission_percent_bp=1500,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=10),
    )
    return world


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_staff_find_their_agreements_on_a_phone_and_a_payment_above_what_is_owed_is_refused(page, world, screenshot):
    # given
    log_in(page, "admin-smp")
    expect(page.get_by_test_id("consignment-ending")).to_have_text("1")

    # when
    go_by_menu(page, reverse("backoffice:consignment_list"))

    # then the agreement ending soon stands out, and the list fits the screen
    expect(page.get_by_test_id("ending")).to_contain_text("Gerai Dekranasda Sumenep")
    fits(page)
    screenshot("list")

    # when
    page.locator("#agreements a", has_text="Hotel Bintang Sumenep").first.click()
    page.wait_for_url(f"**{reverse('backoffice:consignment_detail', args=[world['shelf'].pk])}")

    # then
    expect(page.get_by_test_id("owed")).to_have_text("Rp60.000")
    fits(page)
    content = page.content()
    for name in MAKER_NAMES:
        assert name not in content
    screenshot("detail")

    # when a payment above what is owed is typed
    page.goto(reverse("backoffice:consignment_payment", args=[world["shelf"].pk]))
    fits(page)
    page.locator("input[name=amount_idr]").fill("70.000")
    page.locator("main form button[type=submit]").click()

    # then the summary names the field and the amounts
    expect(page.get_by_test_id("error-summary")).to_contain_text("Rp70.000")
    fits(page)

    # and the place-goods form fits the screen too
    page.goto(reverse("backoffice:consignment_place", args=[world["shelf"].pk]))
    fits(page)
    screenshot("place")
