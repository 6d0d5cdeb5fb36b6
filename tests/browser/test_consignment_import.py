"""The outlet's partner imports the till's CSV on a 360x740 phone: a bad row shows the errors table, the
fixed file shows the totals; nothing is wider than the phone."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.staff_menu import log_in
from tests.browser.test_sale_premi import fits_the_phone
from tests.consignment.settle import shelf_agreement
from tests.consignment.world import consignment_world


def test_the_partner_imports_a_till_csv_on_a_phone(page, screenshot, transactional_db):
    world = consignment_world()
    agreement = shelf_agreement(world, timezone.localdate())
    day = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    bad = f"tanggal;sku;jumlah\n{day};SMP-PCT-001;2\n{day};SMP-XXX-999;1\n".encode()
    good = f"tanggal;sku;jumlah\n{day};SMP-PCT-001;2\n{day};SMP-RJT-001;1\n".encode()

    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    page.goto(reverse("backoffice:consignment_import", args=[agreement.pk]))
    page.locator("input[type=file]").set_input_files({"name": "kasir.csv", "mimeType": "text/csv", "buffer": bad})
    page.locator("[data-testid=import]").click()
    errors = page.locator("[data-testid=import-error-rows]")
    expect(errors).to_contain_text("SKU tidak dikenal: SMP-XXX-999.")
    assert fits_the_phone(page)
    screenshot("errors")

    page.locator("input[type=file]").set_input_files({"name": "kasir.csv", "mimeType": "text/csv", "buffer": good})
    page.locator("[data-testid=import]").click()
    expect(page.locator("[data-testid=import-totals]")).to_contain_text("Rp270.000")
    assert fits_the_phone(page)
    screenshot("imported")
