"""Consignment at a hotel from end to end, on a 360x740 phone (issue 12, "What must be shown").

1. The facility's admin places 4 whips and 2 bags at Hotel Bintang Sumenep from the menu.
2. The hotel's partner logs in on their phone, confirms the receipt, and records sales by picking them from
   the shelf: 3 whips (Rp75.000) and a bag (Rp120.000).
3. The month's statement shows the exact commission (20 %: Rp69.000 of Rp345.000) and net (Rp276.000); the
   admin issues it, and the partner sees the same figures.
4. The admin records the outlet's payment of Rp276.000: the balance is Rp0.
5. Each maker's statement shows the premi their lot earned.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.consignment.models import ConsignmentStatement
from binakarya.consignment.services import agreement_create
from binakarya.ledger.selectors import maker_premi_owed, outlet_owed
from tests.browser.staff_menu import go_by_menu, log_in, log_out, open_menu
from tests.consignment.world import MAKER_NAMES, consignment_world


@pytest.fixture
def hotel(transactional_db):
    """The consignment world and the hotel's agreement: 20 % of catalog prices, monthly, 14 days to pay."""
    world = consignment_world()
    today = timezone.localdate()
    world["agreement"] = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=(today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1),
    )
    return world


def fits_and_hides_makers(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    body = page.locator("body").inner_text()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in body, (page.url, part)


def test_goods_placed_at_a_hotel_are_sold_settled_and_earn_the_makers_premi(page: Page, screenshot, hotel):
    agreement = hotel["agreement"]
    detail = reverse("backoffice:consignment_detail", args=[agreement.pk])
    whip_lot, bag_lot = hotel["whip_lot"].code, hotel["bag_lot"].code

    # (1) the admin places 4 whips and 2 bags at the hotel, from the menu, on their phone
    log_in(page, "admin-smp")
    go_by_menu(page, reverse("backoffice:consignment_list"))
    page.locator("#agreements a", has_text="Hotel Bintang Sumenep").first.click()
    page.wait_for_url(f"**{detail}")
    page.locator("main a", has_text="Titipkan barang").click()
    page.wait_for_url("**/titip/*/kirim/")
    page.locator("select[name=baris-0-sku]").select_option("SMP-PCT-001")
    page.locator("input[name=baris-0-quantity]").fill("4")
    page.locator("button[name=_add_line]").click()
    page.locator("select[name=baris-1-sku]").select_option("SMP-RJT-001")
    page.locator("input[name=baris-1-quantity]").fill("2")
    fits_and_hides_makers(page)
    screenshot("1-place")
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_url("**/titip/*/kirim/*/")
    expect(page.locator("main")).to_contain_text("SJ-SMP-")
    fits_and_hides_makers(page)
    screenshot("1-placed")
    log_out(page)

    # (2) the hotel's partner logs in on their phone, confirms what arrived, and records what sold
    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    page.locator("[data-testid=confirm-receipt]").click()
    page.wait_for_url("**/terima/**")
    expect(page.locator("[data-testid=receipt-line]")).to_have_count(2)
    fits_and_hides_makers(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:partner_home')}")
    expect(page.locator("[data-testid=units]")).to_contain_text("6")

    open_menu(page)
    page.locator(f".staff-menu-list a[href='{reverse('backoffice:partner_sales')}']").click()
    sale_page = reverse("backoffice:partner_sale", args=[agreement.pk])
    page.wait_for_url(f"**{sale_page}")
    page.locator(f"[data-testid=pick-row][data-lot='{whip_lot}'] input").fill("3")
    page.locator(f"[data-testid=pick-row][data-lot='{bag_lot}'] input").fill("1")
    fits_and_hides_makers(page)
    screenshot("2-sell")
    page.locator("[data-testid=record-pick]").click()
    page.wait_for_url(f"**{sale_page}")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(f"[data-testid=pick-row][data-lot='{whip_lot}']")).to_contain_text("1 di rak")
    expect(page.locator(f"[data-testid=pick-row][data-lot='{bag_lot}']")).to_contain_text("1 di rak")
    log_out(page)

    # (3) the month's statement: Rp345.000 sold, Rp69.000 commission (20 %), Rp276.000 net and due
    log_in(page, "admin-smp")
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    page.goto(detail)
    page.locator("main .actions a", has_text="Tagihan").click()
    page.wait_for_url("**/tagihan/**")
    page.locator("input[name=dari]").fill(start.isoformat())
    page.locator("input[name=sampai]").fill(end.isoformat())
    page.locator("main form.filters button").click()
    expect(page.get_by_test_id("gross")).to_have_text("Rp345.000")
    expect(page.get_by_test_id("commission")).to_have_text("Rp69.000")
    expect(page.get_by_test_id("net")).to_have_text("Rp276.000")
    expect(page.get_by_test_id("balance")).to_have_text("Rp276.000")
    fits_and_hides_makers(page)
    screenshot("3-statement")
    page.locator("#issue form button").click()
    expect(page.get_by_test_id("issued")).to_be_visible()
    issued = ConsignmentStatement.objects.get(agreement=agreement)
    assert (issued.date_from, issued.date_to, issued.net_idr) == (start, end, 276_000)
    log_out(page)

    # both sides see the same statement
    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    page.goto(reverse("backoffice:partner_statements"))
    row = page.locator(f"[data-statement='{issued.pk}']")
    expect(row).to_contain_text(issued.document.number)
    expect(row).to_contain_text("Rp345.000")
    expect(row).to_contain_text("Rp69.000")
    expect(row).to_contain_text("Rp276.000")
    fits_and_hides_makers(page)
    screenshot("3-partner-statement")
    log_out(page)

    # (4) the outlet pays: the admin records Rp276.000 and nothing is owed
    log_in(page, "admin-smp")
    page.goto(detail)
    page.locator("main a", has_text="Catat pembayaran").first.click()
    page.wait_for_url("**/bayar/")
    page.locator("input[name=amount_idr]").fill("276.000")
    page.locator("input[name=paid_date]").fill(today.isoformat())
    page.locator("input[name=reference]").fill("TRF-HOTEL-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    expect(page.get_by_test_id("owed")).to_have_text("Rp0")
    screenshot("4-paid")
    assert outlet_owed(organization=hotel["facility"], outlet=hotel["hotel"]) == 0

    # (5) each maker's statement shows the premi their lot earned
    for maker in hotel["makers"]:
        premi = maker_premi_owed(maker=maker)
        assert premi > 0
        page.goto(reverse("backoffice:statement", args=[maker.pk]))
        shown = "Rp" + f"{premi:,}".replace(",", ".")
        expect(page.get_by_test_id("earned")).to_have_text(shown)
        expect(page.get_by_test_id("balance")).to_have_text(shown)
    screenshot("5-premi")
