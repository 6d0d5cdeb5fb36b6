"""Issue 13, an export buyer on a 360x740 phone: a buyer in Japan browses the English storefront, sees the
indicative US dollar price with the rate's date, asks for an export quote (first under the minimum, refused in
English), and gets a link to their documents. The seller's staff issue the pro-forma invoice and packing list
and mark the PEB on the certificate-of-origin checklist. The buyer fetches both PDFs from their page; each
verification code checks out on the public page; no maker's name is on any of it."""

import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.exports.models import ExportInquiry
from tests.browser.staff_menu import go_by_menu, log_in
from tests.exports.world import MAKER_NAMES, exports_world


@pytest.fixture
def world(transactional_db):
    return exports_world(timezone.localdate())


def no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def pdf_text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_an_export_buyer_asks_and_receives_a_proforma_and_a_packing_list(page, screenshot, world, tmp_path):
    today = timezone.localdate()
    rate_date = f"{today.replace(day=1).day} {today.strftime('%b %Y')}"

    # The buyer browses in English and sees the indicative price in US dollars with the rate's date.
    page.goto("/en/katalog/")
    page.get_by_role("link", name="Sumenep cattle whip").first.click()
    page.wait_for_url("**/en/produk/pecut-sapi/")
    expect(page.locator("h1")).to_have_text("Sumenep cattle whip")
    expect(page.get_by_test_id("indicative-price")).to_contain_text(f"≈ US$7.69, rate of {rate_date}")
    expect(page.get_by_test_id("export-data")).to_contain_text("6602.00")
    no_maker(page.content())
    fits(page)
    screenshot("english-product")

    # The export quote form comes with the product and its minimum; under the minimum it is refused in English.
    page.get_by_test_id("export-inquiry-link").click()
    page.wait_for_url("**/en/ekspor/permintaan/?sku=SMP-PCT-001")
    expect(page.locator("#id_quantity_0")).to_have_value("50")
    page.locator("#id_quantity_0").fill("40")
    page.locator("#id_sku_1").select_option("SMP-LYG-001")
    page.locator("#id_quantity_1").fill("25")
    page.locator("#id_country").select_option("JP")
    page.get_by_label("FOB: Free On Board (port of shipment in Indonesia)").check()
    page.locator("#id_place").fill("Tanjung Perak, Surabaya")
    page.locator("#id_company").fill("Kyoto Crafts K.K.")
    page.locator("#id_name").fill("Yuki Tanaka")
    page.locator("#id_email").fill("yuki@kyoto-crafts.example")
    page.get_by_test_id("inquiry-send").click()
    expect(page.get_by_test_id("inquiry-errors")).to_contain_text(
        "The minimum export order of Sumenep cattle whip is 50 units; you asked for 40."
    )
    assert not ExportInquiry.objects.exists()
    fits(page)
    screenshot("inquiry-refused")
    page.locator("#id_quantity_0").fill("60")
    page.get_by_test_id("inquiry-send").click()
    expect(page.get_by_test_id("inquiry-sent")).to_contain_text("has reached Rutan Kelas IIB Sumenep")
    inquiry = ExportInquiry.objects.get()
    page.get_by_test_id("documents-link").click()
    page.wait_for_url(f"**/en/ekspor/dokumen/{inquiry.token}/")
    expect(page.get_by_test_id("no-documents")).to_be_visible()
    buyer_page = page.url
    screenshot("inquiry-sent")

    # The seller's staff issue the pro-forma invoice and its packing list, and note the PEB for the SKA.
    log_in(page, "admin-smp")
    go_by_menu(page, "/staf/ekspor/")
    page.get_by_role("link", name="Kyoto Crafts K.K.").click()
    expect(page.get_by_test_id("lines")).to_contain_text("Sumenep cattle whip")
    fits(page)
    page.get_by_test_id("make-proforma").click()
    expect(page.get_by_test_id("rates-in-force")).to_contain_text("Rp16.250")
    fits(page)
    page.get_by_test_id("issue-proforma").click()
    expect(page.get_by_test_id("proforma-total")).to_contain_text("Rp9.500.000 · USD 584.40")
    fits(page)
    screenshot("staff-proforma")
    page.get_by_role("link", name=inquiry.number).click()
    peb = page.locator("[data-item=PEB]")
    peb.locator("input[name=reference]").fill("PEB 000123, 10 Dec 2026")
    peb.get_by_role("button").click()
    expect(page.locator("[data-item=PEB]")).to_contain_text("PEB 000123, 10 Dec 2026")
    expect(page.locator("[data-item=INVOICE]")).to_contain_text("Siap")
    fits(page)
    screenshot("staff-checklist")

    # The buyer finds both documents on their page and fetches the PDFs.
    page.goto(buyer_page)
    expect(page.get_by_test_id("buyer-proforma")).to_contain_text("Pro-forma invoice PI-SMP-")
    proforma = inquiry.proformas.get()
    packing = proforma.packing_list
    fits(page)
    screenshot("buyer-documents")
    documents = {
        "proforma": (page.get_by_test_id("proforma-pdf"), proforma.document.verify_code, proforma.number),
        "packing-list": (page.get_by_test_id("packing-list-pdf"), packing.document.verify_code, packing.number),
    }
    hrefs = {name: link.get_attribute("href") for name, (link, _code, _number) in documents.items()}
    for name, (_link, code, number) in documents.items():
        response = page.request.get(hrefs[name] or "")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        if shutil.which("pdftotext"):
            text = pdf_text(response.body(), tmp_path, name)
            assert number in text and code in text and "Kyoto Crafts K.K." in text
            assert "USD 584.40" in text if name == "proforma" else "30.250" in text  # 60 x 0.4 + 25 x 0.25 kg
            no_maker(text)

        # Each code checks out on the public verification page, in English, with its public figures only.
        page.goto(f"/en/verifikasi/{code}/")
        expect(page.locator("main")).to_contain_text("Genuine.")
        expect(page.locator("main")).to_contain_text(number)
        if name == "proforma":
            expect(page.locator("main")).to_contain_text("USD 584.40")
            expect(page.locator("main")).to_contain_text("FOB Tanjung Perak, Surabaya")
        else:
            expect(page.locator("main")).to_contain_text("85")
        assert "Kyoto Crafts" not in page.content()  # the buyer is not a public figure
        no_maker(page.content())
        fits(page)
        screenshot(f"verified-{name}")
