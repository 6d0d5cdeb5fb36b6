"""The field report's own case from end to end, on a 360 px phone (issue 13, "What must be shown").

1. DLH PKP Purbalingga asks, on the public form, for 36 bamboo trash bins and 60 dustpans.
2. The facility's staff quote them (Rp7.500.000: the value needs a proof of purchase) and record the agency's
   purchase order.
3. The order is delivered in two parts, each with its surat jalan.
4. The BAST is recorded (which records the sale), the kuitansi issued, and the payment recorded: nothing is owed.
5. The bamboo workshop's makers' statements show the premi their lots earned.
Every document's verification code checks out on the public page, and no maker's name reaches a page a
buyer sees or a document they receive.
"""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from binakarya.deals.models import ContractForm, Deal
from binakarya.deals.services import contract_rules_ensure
from binakarya.ledger.selectors import maker_premi_owed
from tests.browser.staff_menu import go_by_menu, log_in, log_out
from tests.deals.world import MAKER_NAMES, deals_world
from tests.factories import make_lot


@pytest.fixture
def dlh(transactional_db):
    today = timezone.localdate()
    contract_rules_ensure()  # the migration's rules are gone once an earlier browser test emptied the database
    world = deals_world(today)
    # The world holds 20 bins and 10 dustpans; the workshop finishes the rest of the order.
    make_lot(
        variant=world["bin"], group=world["group"], location=world["store"], quantity=16, cost=960_000, finished=today
    )
    make_lot(
        variant=world["dustpan"],
        group=world["group"],
        location=world["store"],
        quantity=50,
        cost=750_000,
        finished=today,
    )
    return world


def hides_makers(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    body = page.locator("body").inner_text()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in body, (page.url, part)


def deliver(page: Page, deal: Deal, bins: int, dustpans: int) -> None:
    page.locator("main .actions a[href$='/kirim/']").click()
    page.wait_for_url("**/kirim/")
    for line in deal.lines.select_related("variant"):
        units = bins if line.variant.sku == "PBG-TSB-001" else dustpans
        page.locator(f"input[name=line_{line.pk}]").fill(str(units) if units else "")
    page.locator("input[name=vehicle]").fill("R 1234 XY")
    page.locator("input[name=driver]").fill("Pak Sopir")
    hides_makers(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:deal', args=[deal.number])}")


def test_dlh_pkp_buys_bins_and_dustpans_and_the_makers_earn_their_premi(page: Page, screenshot, dlh):
    today = timezone.localdate()

    # (1) the agency asks on the public form
    page.goto(reverse("storefront:rfq"))
    page.locator("input[name=sku_0]").fill("PBG-TSB-001")
    page.locator("input[name=quantity_0]").fill("36")
    page.locator("input[name=sku_1]").fill("PBG-PKI-001")
    page.locator("input[name=quantity_1]").fill("60")
    page.locator("input[name=agency]").fill("DLH PKP Kabupaten Purbalingga")
    page.locator("input[name=name]").fill("Ibu Sri Lestari")
    page.locator("input[name=phone]").fill("0812 2700 1111")
    page.locator("input[name=needed_by]").fill((today + datetime.timedelta(days=5)).isoformat())
    page.locator("input[name=delivery_place]").fill("Taman Kota Usman Janatin, Purbalingga")
    hides_makers(page)
    screenshot("1-request")
    page.locator("main form button[type=submit]:not([name])").click()
    expect(page.locator("main")).to_contain_text("RFQ-PBG-")

    # (2) the staff quote it: the value decides the document
    log_in(page, "admin-pbg")
    go_by_menu(page, reverse("backoffice:deal_rfqs"))
    page.locator("[data-testid=rfqs] a", has_text="DLH PKP Kabupaten Purbalingga").click()
    page.locator("main a[href$='/penawaran/']").click()
    page.wait_for_url("**/penawaran/")
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_url("**/pengadaan/penawaran/PNW-*/")
    expect(page.get_by_test_id("total")).to_have_text("Rp7.500.000")
    with translation.override("id"):
        expect(page.get_by_test_id("kind")).to_contain_text(str(ContractForm.PROOF_OF_PURCHASE.label))
    screenshot("2-quotation")
    page.locator("main .actions a[href$='/terima/']").click()
    page.locator("input[name=po_number]").fill("027/118/DLH-PKP/2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/pengadaan/kontrak/KTR-*/")
    deal = Deal.objects.get()
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "DELIVER")

    # (3) two deliveries, each with its surat jalan
    deliver(page, deal, bins=36, dustpans=0)
    expect(page.locator("[data-testid=documents] [data-kind=SURAT_JALAN]")).to_have_count(1)
    expect(page.get_by_test_id("status")).to_have_text(re.compile("Dikirim sebagian|Partly delivered"))
    deliver(page, deal, bins=0, dustpans=60)
    expect(page.locator("[data-testid=documents] [data-kind=SURAT_JALAN]")).to_have_count(2)
    hides_makers(page)
    screenshot("3-delivered")

    # (4) the BAST records the sale; the kuitansi, then the payment
    page.locator("main .actions a[href$='/bast/']").click()
    page.locator("input[name=seller_name]").fill("Sri Wahyuni")
    page.locator("input[name=seller_position]").fill("Kepala Seksi Kegiatan Kerja")
    page.locator("input[name=buyer_name]").fill("Budi Santoso")
    page.locator("input[name=buyer_position]").fill("Pejabat Pembuat Komitmen")
    page.locator("textarea[name=note]").fill("Barang diperiksa, baik dan sesuai pesanan.")
    hides_makers(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:deal', args=[deal.number])}")
    expect(page.get_by_test_id("recognized")).to_contain_text("Rp7.500.000")
    page.locator("#invoice form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:deal', args=[deal.number])}")
    page.locator("#payment input[name=amount]").fill("7.500.000")
    page.locator("#payment input[name=reference]").fill("SP2D 00118/2026")
    page.locator("#payment form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:deal', args=[deal.number])}")
    expect(page.get_by_test_id("receivable")).to_have_text("Rp0")
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "DONE")
    hides_makers(page)
    screenshot("4-paid")
    items = page.locator("[data-testid=documents] li")
    expect(items).to_have_count(4)  # the kuitansi billed is also the receipt of the payment that settles it
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(4)]
    assert sorted(kinds) == ["BAST", "INVOICE", "SURAT_JALAN", "SURAT_JALAN"]

    # every document the agency receives: a PDF whose code checks out on the public page, with no maker
    deal.refresh_from_db()
    codes = [d.transfer.document.verify_code for d in deal.deliveries.all()]
    codes += [h.document.verify_code for h in deal.handovers.all()]
    codes += [i.document.verify_code for i in deal.invoices.all()]
    links = page.locator("[data-testid=documents] a")
    for i in range(links.count()):
        pdf = page.request.get(links.nth(i).get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True).stdout
        assert b"DLH PKP" in text
        for name in MAKER_NAMES:
            for part in name.split():
                assert part.encode() not in text, part
    log_out(page)
    for code in codes:
        page.goto(reverse("storefront:verify", args=[code]))
        expect(page.locator("main")).to_contain_text(code)
        hides_makers(page)

    # (5) the bamboo workshop's makers earned their premi from the sale
    log_in(page, "admin-pbg")
    for maker in dlh["makers"]:
        premi = maker_premi_owed(maker=maker)
        assert premi > 0
        page.goto(reverse("backoffice:statement", args=[maker.pk]))
        shown = "Rp" + f"{premi:,}".replace(",", ".")
        expect(page.get_by_test_id("earned")).to_have_text(shown)
    screenshot("5-premi")
