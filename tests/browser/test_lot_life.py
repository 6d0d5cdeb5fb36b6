"""A lot's life on a 360x740 phone: an instructor records it, prints its tags and sends part of it to the
showroom, the showroom confirms, a buyer scans the tag's QR code, and a forged document code is not found.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.inventory.models import Location, StockBalance, Transfer
from binakarya.inventory.services import location_create
from binakarya.organizations.models import Role
from binakarya.production.models import Lot
from tests.backoffice.helpers import text
from tests.browser.staff_menu import go_by_menu, log_out
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
)

# The in-transit location is named in the language of whoever first needed it.
TRANSIT = text("In transit")
PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password
MAKERS = [("Ahmad Rahasiawan", "BI.0042/2025/SMP"), ("Slamet Tersembunyi", "BI.0043/2025/SMP")]


@pytest.fixture
def workshop(transactional_db):
    """Kelompok Batik Tulis of Rutan Kelas IIB Sumenep: two inmates, a Rp450.000 batik, a store and a showroom."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis", public_story="Membatik setiap pagi.")
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
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    instructor = UserFactory(username="instruktur", first_name="Ida")
    MembershipFactory(user=instructor, organization=facility, role=Role.INSTRUCTOR)
    officer = UserFactory(username="petugas.pamer", first_name="Putri")
    MembershipFactory(user=officer, organization=facility, role=Role.PRODUCTION_OFFICER)
    return {"makers": makers, "variant": variant, "store": store, "showroom": showroom}


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_lot_from_the_workshop_to_the_showroom_and_the_buyers_phone(page, screenshot, workshop):
    ahmad, slamet = workshop["makers"]

    # (1) the instructor records the lot from the staff menu
    log_in(page, "instruktur")
    go_by_menu(page, reverse("backoffice:lots"))
    page.locator(f"main a[href='{reverse('backoffice:lot_create')}']").click()
    page.wait_for_url(f"**{reverse('backoffice:lot_create')}")
    expect(page.locator("#id_variant")).to_have_value(str(workshop["variant"].pk))
    page.locator("#id_quantity").fill("12")
    page.locator("#id_material_cost_idr").fill("1200000")
    page.locator(f"#maker_{ahmad.pk}").check()
    page.locator(f"#maker_{slamet.pk}").check()
    page.locator(f"#share_{ahmad.pk}").fill("2")
    assert fits_the_phone(page)
    screenshot("1-record-lot")
    page.locator("#lot-form > button[type=submit]").click()
    page.wait_for_url("**/staf/lot/*/")
    lot = Lot.objects.get()
    assert page.url.endswith(reverse("backoffice:lot_detail", args=[lot.code]))
    expect(page.get_by_test_id("passed")).to_have_text("12")
    expect(page.get_by_test_id("unit-cost")).to_have_text("Rp100.000")
    expect(page.get_by_test_id("on-hand")).to_have_text("12")
    assert dict(lot.contributions.values_list("maker__full_name", "share")) == {
        "Ahmad Rahasiawan": 2,
        "Slamet Tersembunyi": 1,
    }

    # (2) and prints four hang tags: the answer is a PDF, and the sheet is listed on the lot page
    page.locator("#id_count").fill("4")
    with page.expect_download() as download_info:
        page.locator(f"form[action='{reverse('backoffice:lot_tags', args=[lot.code])}'] button").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"label-{lot.code}-TAG-SMP-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.reload()
    expect(page.locator("#tags .rows li")).to_have_count(1)
    assert fits_the_phone(page)
    screenshot("2-lot-page")

    # (3) sends five units to the showroom
    go_by_menu(page, reverse("backoffice:transfers"))
    page.locator(f"main a[href='{reverse('backoffice:transfer_create')}']").click()
    expect(page.locator("#id_from_location")).to_have_value(str(workshop["store"].pk))
    expect(page.locator("#id_to_location")).to_have_value(str(workshop["showroom"].pk))
    page.locator("select[name=baris-0-variant]").select_option(str(workshop["variant"].pk))
    page.locator("input[name=baris-0-quantity]").fill("5")
    assert fits_the_phone(page)
    screenshot("3-send-stock")
    page.locator(f"form[action='{reverse('backoffice:transfer_create')}'] button[type=submit]:not([name])").click()
    page.wait_for_url("**/staf/kiriman/SJ-*/")
    transfer = Transfer.objects.get()
    expect(page.get_by_test_id("verify-code")).to_have_text(transfer.document.verify_code)
    screenshot("3-transfer-sent")
    log_out(page)

    # ... and the showroom's officer confirms that all five arrived
    log_in(page, "petugas.pamer")
    page.goto(reverse("backoffice:transfer_detail", args=[transfer.number]))
    expect(page.locator(f"input[name=line_{transfer.lines.get().pk}]")).to_have_value("5")
    page.locator("#receive form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:transfer_detail', args=[transfer.number])}")
    expect(page.get_by_test_id("status")).to_have_text(text("Received"))
    expect(page.get_by_test_id("discrepancy")).to_have_count(0)
    assert fits_the_phone(page)
    screenshot("3-transfer-received")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    assert dict(StockBalance.objects.filter(lot=lot).values_list("location__name", "quantity")) == {
        "Gudang": 7,
        TRANSIT: 0,
        "Ruang Pamer": 5,
    }

    # (4) a buyer scans the QR code of a tag: the group and the facility, never a maker
    response = page.goto(f"/lacak/{lot.code}/")
    assert response.status == 200
    body = page.locator("main")
    expect(body).to_contain_text("Kain Batik Sekar Jagad")
    expect(body).to_contain_text("Kelompok Batik Tulis")
    expect(body).to_contain_text("Rutan Kelas IIB Sumenep")
    content = page.content()
    for name, number in MAKERS:
        assert name not in content and name.split()[1] not in content and number not in content
    assert fits_the_phone(page)
    screenshot("4-trace")

    # (5) a forged verification code is not found
    forged = "FAKE" + transfer.document.verify_code[4:][::-1]
    if forged == transfer.document.verify_code:
        forged = "0" * 12
    response = page.goto(f"/verifikasi/{forged}/")
    assert response.status == 404
    expect(page.locator("main .msg-error")).to_contain_text(text("Not found."))
    expect(page.locator("main .msg-error")).to_contain_text(forged)
    screenshot("5-forged-code")


def test_changing_the_group_redraws_its_products_and_members_in_place(page, screenshot, workshop):
    # given a second group with its own product and member
    facility = workshop["store"].organization
    rajut = GroupFactory(organization=facility, name="Kelompok Rajut")
    producer = ProducerFactory(group=rajut, name="Kelompok Rajut", slug="kelompok-rajut-sumenep")
    doll = VariantFactory(
        product=ProductFactory(producer=producer, name="Boneka Rajut", slug="boneka-rajut", variants=[]),
        sku="SMP-RJT-001",
    )
    knitter = GroupMembershipFactory(
        group=rajut,
        maker=MakerFactory(organization=facility, full_name="Fajar Perajut", registration_number="BI.0050/2025/SMP"),
        joined_date=datetime.date(2025, 2, 1),
    ).maker
    log_in(page, "instruktur")
    page.goto(reverse("backoffice:lot_create"))
    page.locator("#id_quantity").fill("6")

    # when
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(reverse("backoffice:lot_create"))
    ):
        page.locator("#id_group").select_option(f"g{rajut.pk}")

    # then the form shows the knitting group's product and member, and keeps what was typed
    expect(page.locator("#id_variant")).to_have_value(str(doll.pk))
    expect(page.locator(f"#maker_{knitter.pk}")).to_be_visible()
    expect(page.locator(f"#maker_{workshop['makers'][0].pk}")).to_have_count(0)
    expect(page.locator("#id_quantity")).to_have_value("6")
    expect(page.locator("h1")).to_have_count(1)
    screenshot("group-changed")
    page.locator("#id_material_cost_idr").fill("300000")
    page.locator(f"#maker_{knitter.pk}").check()
    page.locator("#lot-form > button[type=submit]").click()
    page.wait_for_url("**/staf/lot/*/")
    lot = Lot.objects.get()
    assert (lot.group, lot.variant, lot.quantity_passed, lot.unit_cost_idr) == (rajut, doll, 6, 50_000)
