"""A sale and its premi on a 360x740 phone: a finance officer records a sale at the showroom, opens a maker's
statement and sees the premi, tries to pay out more than is owed, pays part of it and prints the slip.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import location_create
from binakarya.ledger.models import Payout
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Role
from binakarya.sales.models import Sale
from tests.backoffice.helpers import text
from tests.browser.staff_menu import go_by_menu
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    make_lot,
)

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password
MAKERS = [
    ("Ahmad Rahasiawan", "BI.0042/2025/SMP"),
    ("Slamet Tersembunyi", "BI.0043/2025/SMP"),
    ("Joko Samaran", "BI.0044/2025/SMP"),
]


@pytest.fixture
def showroom(transactional_db):
    """Kelompok Batik Tulis of Rutan Sumenep: three makers, ten Rp450.000 batik costing Rp150.000 each in the
    showroom, the 50/35/15 margin rule, and a finance officer."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    producer = ProducerFactory(group=group, name="Kelompok Batik Tulis", slug="kelompok-batik-tulis-sumenep")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name, registration_number=number),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name, number in MAKERS
    ]
    product = ProductFactory(
        producer=producer, name="Kain Batik Sekar Jagad", slug="kain-batik-sekar-jagad", variants=[]
    )
    variant = VariantFactory(product=product, sku="SMP-BTK-001", price_idr=450_000)
    location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    room = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    lot = make_lot(variant=variant, group=group, location=room, quantity=10, cost=1_500_000, makers=makers)
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
    )
    officer = UserFactory(username="keuangan", first_name="Fitri")
    MembershipFactory(user=officer, organization=facility, role=Role.FINANCE_OFFICER)
    return {"makers": makers, "variant": variant, "showroom": room, "lot": lot}


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_sale_at_the_showroom_pays_the_makers_premi_and_a_payout_prints_its_slip(page, screenshot, showroom):
    ahmad = showroom["makers"][0]
    variant = showroom["variant"]

    # (1) the finance officer logs in and opens Sales, then Record a sale
    log_in(page, "keuangan")
    go_by_menu(page, reverse("backoffice:sales"))
    page.locator(f"main a[href='{reverse('backoffice:sale_create')}']").click()
    page.wait_for_url(f"**{reverse('backoffice:sale_create')}")
    expect(page.locator("#id_location")).to_have_value(str(showroom["showroom"].pk))

    # (2) picks the batik (the list says the showroom holds 10): its price comes in by itself
    line = page.locator("select[name=baris-0-variant]")
    expect(line.locator("option", has_text="Ruang Pamer 10")).to_have_count(1)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(reverse("backoffice:sale_create"))
    ):
        line.select_option(str(variant.pk))
    expect(page.locator("input[name=baris-0-unit_price_idr]")).to_have_value("Rp450.000")
    page.locator("input[name=baris-0-quantity]").fill("2")
    assert fits_the_phone(page)
    screenshot("1-record-sale")
    page.get_by_test_id("record-sale").click()
    page.wait_for_url("**/staf/penjualan/PJ-*/")

    # (3) the sale's page: Rp900.000, of which Rp300.000 premi for the three makers
    sale = Sale.objects.get()
    assert page.url.endswith(reverse("backoffice:sale_detail", args=[sale.number]))
    expect(page.get_by_test_id("total")).to_have_text("Rp900.000")
    expect(page.get_by_test_id("premi")).to_have_text("Rp300.000")
    expect(page.locator("#lines")).to_contain_text(showroom["lot"].code)
    assert StockBalance.objects.get(lot=showroom["lot"], location=showroom["showroom"]).quantity == 8
    assert fits_the_phone(page)
    screenshot("2-sale")

    # (4) opens Ahmad's statement from the list of makers: Rp100.000 premi
    go_by_menu(page, reverse("backoffice:makers"))
    page.locator(f"main a[href='{reverse('backoffice:statement', args=[ahmad.pk])}']").click()
    page.wait_for_url(f"**{reverse('backoffice:statement', args=[ahmad.pk])}")
    expect(page.get_by_test_id("balance")).to_have_text("Rp100.000")
    expect(page.locator("#entries")).to_contain_text(sale.number)
    assert fits_the_phone(page)
    screenshot("3-statement")

    # (5) paying out more than is owed is refused, next to the amount, and nothing is paid
    page.locator("#pay summary").click()
    payout_form = page.locator(f"form[action='{reverse('backoffice:payout_create', args=[ahmad.pk])}']")
    payout_form.locator("input[name=amount_idr]").fill("150000")
    payout_form.locator("select[name=method]").select_option("SAVINGS")
    payout_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    refusal = text(
        "%(name)s is owed %(owed)s; %(amount)s cannot be paid out.",
        name="Ahmad Rahasiawan",
        owed="Rp100.000",
        amount="Rp150.000",
    )
    expect(page.locator("#pay .errorlist")).to_have_text(refusal)
    assert Payout.objects.count() == 0
    assert fits_the_phone(page)
    screenshot("4-refused")

    # (6) pays Rp60.000 into his savings account: the slip's page with its verification code
    payout_form = page.locator(f"form[action='{reverse('backoffice:payout_create', args=[ahmad.pk])}']")
    payout_form.locator("input[name=amount_idr]").fill("60000")
    payout_form.locator("select[name=method]").select_option("SAVINGS")
    payout_form.locator("input[name=reference]").fill("BRI 0123-01-000456-50-1")
    payout_form.locator("button[type=submit]").click()
    # the confirmation: amount, method and recipient, nothing paid yet
    expect(page.get_by_test_id("confirm-amount")).to_have_text("Rp60.000")
    expect(page.get_by_test_id("confirm-recipient")).to_have_text("Ahmad Rahasiawan")
    assert Payout.objects.count() == 0
    assert fits_the_phone(page)
    screenshot("5-confirm")
    page.get_by_test_id("confirm-payout").click()
    page.wait_for_url(f"**{reverse('backoffice:statement', args=[ahmad.pk])}bayar/*/")
    payout = Payout.objects.get()
    expect(page.get_by_test_id("amount")).to_have_text("Rp60.000")
    expect(page.get_by_test_id("balance")).to_have_text("Rp40.000")
    expect(page.get_by_test_id("verify-code")).to_have_text(payout.document.verify_code)
    assert maker_premi_owed(maker=ahmad) == 40_000
    assert fits_the_phone(page)
    screenshot("6-payout")

    # (7) and prints the slip: a PDF
    with page.expect_download() as download_info:
        page.get_by_test_id("slip-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"slip-{payout.document.number}.pdf"
    assert download.suggested_filename.startswith("slip-PRM-SMP-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
