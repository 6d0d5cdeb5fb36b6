"""The outlet partner hands goods back on a 360x740 phone: from the home card's "Kembalikan barang", a
quantity on one lot and a reason; the return waits for the seller; no page scrolls sideways, no maker."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.consignment.services import PlacementLineInput, agreement_create, placement_receive, placement_send
from tests.browser.staff_menu import log_in
from tests.consignment.world import MAKER_NAMES, consignment_world


@pytest.fixture
def world(transactional_db):
    """The hotel's agreement with 10 whips on its shelf, received by its partner."""
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
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 10)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    world["agreement"] = agreement
    return world


def fits_the_phone_without_a_maker(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    body = page.locator("body").inner_text()
    for name in MAKER_NAMES:
        assert name.split()[-1] not in body


def test_the_partner_hands_goods_back_on_a_phone(page, screenshot, world):
    lot = world["whip_lot"].code
    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    fits_the_phone_without_a_maker(page)
    page.locator("[data-testid=hand-back]").first.click()
    page.wait_for_url(f"**{reverse('backoffice:partner_return', args=[world['agreement'].pk])}")
    fits_the_phone_without_a_maker(page)

    # bad input first: no reason, nothing saved, the message in Indonesian
    page.locator(f"[data-testid=return-row][data-lot='{lot}'] input").fill("2")
    page.locator("[data-testid=hand-back]").click()
    expect(page.locator("main")).to_contain_text("Tuliskan alasan barang dikembalikan")
    fits_the_phone_without_a_maker(page)

    page.locator("main input[name=reason]").fill("rusak ringan")
    screenshot("return")
    page.locator("[data-testid=hand-back]").click()
    page.wait_for_url("**/retur/*/")
    expect(page.locator("[data-testid=state]")).to_contain_text("Menunggu penjual")
    expect(page.locator("[data-testid=return-line]")).to_have_count(1)
    fits_the_phone_without_a_maker(page)
    screenshot("return-detail")
