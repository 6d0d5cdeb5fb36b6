"""Amounts typed the Indonesian way on a 360x740 phone: ``15.000`` is Rp15.000, formatted as it is typed.

A finance officer sells the Rp450.000 batik at ``15.000``: the form shows Rp15.000 as she types, refuses the
price as far from the catalog's at its line, and records it once she ticks "Harga ini disengaja" and says why.
An operator types a product's price ``125.000``: it is saved as Rp125.000 and shown so.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.catalog.models import Variant
from binakarya.organizations.models import Role
from binakarya.sales.models import Sale, SaleLine
from tests.backoffice.helpers import text
from tests.browser.test_sale_premi import fits_the_phone, log_in
from tests.browser.test_sale_premi import showroom as showroom  # noqa: F401 (a fixture)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_price_typed_15_000_on_the_sale_form_is_sold_at_rp15_000(page: Page, showroom, screenshot):  # noqa: F811
    # given the finance officer on the sale form, the batik picked
    variant = showroom["variant"]
    log_in(page, "keuangan")
    page.goto(reverse("backoffice:sale_create"))
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(reverse("backoffice:sale_create"))
    ):
        page.locator("select[name=baris-0-variant]").select_option(str(variant.pk))
    price = page.locator("input[name=baris-0-unit_price_idr]")
    expect(price).to_have_value("Rp450.000")
    expect(price).to_have_attribute("inputmode", "numeric")
    expect(price).to_have_attribute("type", "text")

    # when she types 15.000 as the price of 2
    page.locator("input[name=baris-0-quantity]").fill("2")
    price.fill("")
    price.press_sequentially("15.000")

    # then it reads Rp15.000 (her own dot kept where she typed it), and still does on leaving the field
    expect(price).to_have_value("Rp15.000")
    price.blur()
    expect(price).to_have_value("Rp15.000")

    # when she records the sale
    page.get_by_test_id("record-sale").click()

    # then the line says the price is far from the catalog's, with a checkbox and a reason, and nothing is sold
    confirm = page.get_by_test_id("price-confirm")
    expect(confirm).to_be_visible()
    message = text(
        "%(price)s for %(sku)s is far from its catalog price of %(catalog_price)s (below half or above twice). "
        "If this price is intended, confirm it and give the reason.",
        price="Rp15.000",
        sku="SMP-BTK-001",
        catalog_price="Rp450.000",
    )
    expect(page.locator("fieldset.sale-line .errorlist")).to_have_text(message)
    expect(page.locator("input[name=baris-0-unit_price_idr]")).to_have_value("Rp15.000")
    assert not Sale.objects.exists()
    assert fits_the_phone(page)
    screenshot("1-unusual-price")

    # when she ticks "Harga ini disengaja", says why and records it again
    confirm.get_by_label("Harga ini disengaja").check()
    confirm.get_by_label("Alasan harga ini").fill("Kain contoh pameran, bernoda")
    page.get_by_test_id("record-sale").click()
    page.wait_for_url("**/staf/penjualan/PJ-*/")

    # then the sale is Rp30.000: two at Rp15.000, with the reason kept
    sale = Sale.objects.get()
    assert sale.gross_idr == 30_000
    assert list(SaleLine.objects.values_list("unit_price_idr", "price_reason")) == [
        (15_000, "Kain contoh pameran, bernoda")
    ]
    expect(page.locator("main")).to_contain_text("Rp15.000")
    expect(page.locator("main")).to_contain_text("Rp30.000")
    screenshot("2-sold")


def test_a_products_price_typed_125_000_is_saved_and_shown_as_rp125_000(page: Page, showroom, screenshot):  # noqa: F811
    # given an operator of the facility on the batik's variant page
    variant = showroom["variant"]
    MembershipFactory(
        user=UserFactory(username="operator"), organization=variant.organization, role=Role.FACILITY_ADMIN
    )
    log_in(page, "operator")
    url = reverse("backoffice:variant_edit", args=[variant.product_id, variant.pk])
    page.goto(url)
    price = page.locator("input[name=price_idr]")
    expect(price).to_have_value("Rp450.000")

    # when a price with cents is typed, the script stops formatting at the comma and the server explains
    price.fill("")
    price.press_sequentially("125.000,50")
    expect(price).to_have_value("Rp125.000,50")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text(
        text("Type whole rupiah, without cents: 15.000, not “%(value)s”.", value="Rp125.000,50")
    )
    assert Variant.objects.get(pk=variant.pk).price_idr == 450_000

    # when a long amount is typed, and the dot after its first digit is deleted with the caret after it
    price = page.locator("input[name=price_idr]")
    price.fill("")
    price.press_sequentially("1250000")
    expect(price).to_have_value("Rp1.250.000")
    price.evaluate("input => input.setSelectionRange(4, 4)")  # Rp1.|250.000
    price.press("Backspace")

    # then the digit before the dot goes, and the caret stays where it was among the digits
    expect(price).to_have_value("Rp250.000")
    assert price.evaluate("input => input.selectionStart") == 2
    price.press("9")
    expect(price).to_have_value("Rp9.250.000")

    # when 15.00 is typed (cents, or a slip), then it is never regrouped into another amount: left as typed,
    # and the server says why it is unclear
    price.fill("")
    price.press_sequentially("15.00")
    price.blur()
    expect(price).to_have_value("Rp15.00")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text(
        text("“%(value)s” is unclear: dots group the digits in threes, e.g. 15.000 or 1.250.000.", value="Rp15.00")
    )
    assert Variant.objects.get(pk=variant.pk).price_idr == 450_000

    # when 125.000 is typed and saved
    price = page.locator("input[name=price_idr]")
    price.fill("")
    price.press_sequentially("125.000")
    price.blur()
    expect(price).to_have_value("Rp125.000")
    assert fits_the_phone(page)
    screenshot("1-typed")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    # then it is Rp125.000, and shown so
    assert Variant.objects.get(pk=variant.pk).price_idr == 125_000
    page.goto(url)
    expect(page.locator("input[name=price_idr]")).to_have_value("Rp125.000")
    screenshot("2-saved")
