"""The outlet partner's portal on a 360x740 phone: the partner logs in, lands on their home, confirms the goods
a seller placed, records a sale by picking it from the shelf, and sees the shelf drop; no page scrolls sideways.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.consignment.services import PlacementLineInput, agreement_create, placement_send
from tests.browser.staff_menu import log_in, open_menu
from tests.consignment.world import MAKER_NAMES, consignment_world


@pytest.fixture
def world(transactional_db):
    """The consignment world: the hotel's agreement with 10 whips placed and still in transit."""
    world = consignment_world()
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 10)],
    )
    world["agreement"] = agreement
    return world


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def no_maker(page: Page) -> None:
    body = page.locator("body").inner_text()
    for name in MAKER_NAMES:
        assert name.split()[-1] not in body


def test_the_partner_confirms_a_placement_records_a_sale_and_sees_the_shelf_drop(page, screenshot, world):
    lot = world["whip_lot"].code
    # given the partner logs in on their phone: the staff home sends them to their outlet's home
    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    expect(page.locator("main h1")).to_have_text("Hotel Bintang Sumenep")
    expect(page.locator("nav.staff-tabbar")).to_be_visible()
    no_sideways_scroll(page)
    no_maker(page)
    screenshot("home")

    # when they confirm the goods that arrived (all of them)
    page.locator("[data-testid=confirm-receipt]").click()
    page.wait_for_url("**/terima/**")
    expect(page.locator("[data-testid=receipt-line]")).to_have_count(1)
    no_sideways_scroll(page)
    screenshot("receive")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:partner_home')}")
    expect(page.locator("[data-testid=units]")).to_contain_text("10")

    # and record a sale of 2 by picking the whip from the shelf list
    # (the menu's "Record sales" goes straight to the one agreement in force)
    open_menu(page)
    page.locator(f".staff-menu-list a[href='{reverse('backoffice:partner_sales')}']").click()
    sale_url = reverse("backoffice:partner_sale", args=[world["agreement"].pk])
    page.wait_for_url(f"**{sale_url}")
    no_sideways_scroll(page)
    row = page.locator(f"[data-testid=pick-row][data-lot='{lot}']")
    row.locator("input").fill("2")
    screenshot("pick")
    page.locator("[data-testid=record-pick]").click()
    page.wait_for_url(f"**{sale_url}")
    expect(page.locator(".messages")).to_be_visible()

    # then the shelf shows 8 left
    page.locator(f"nav.staff-tabbar a[href='{reverse('backoffice:partner_shelf')}']").click()
    page.wait_for_url(f"**{reverse('backoffice:partner_shelf')}")
    expect(page.locator(f"[data-lot='{lot}'] [data-testid=on-shelf]")).to_contain_text("8")
    no_sideways_scroll(page)
    no_maker(page)
    screenshot("shelf")

    # and the other pages fit the phone too
    for url in [
        reverse("backoffice:partner_statements"),
        reverse("backoffice:partner_count", args=[world["agreement"].pk]),
    ]:
        page.goto(url)
        no_sideways_scroll(page)
        no_maker(page)
