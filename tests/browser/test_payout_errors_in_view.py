"""A refused payout on a 360x740 phone: the page comes back with the error in view and the amount focused,
even below a long statement (the issue found it some 4,000 px down, in a closed panel)."""

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.models import Payout
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Role
from binakarya.sales.services import SaleLineInput, sale_record
from tests.backoffice.helpers import text
from tests.browser.test_sale_premi import fits_the_phone, log_in
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

VIEWPORT_HEIGHT = 740


def _long_statement(transactional_db):
    """A maker with twenty sales on his statement (a page far taller than the phone) and Rp100.000 owed."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    producer = ProducerFactory(group=group, name="Kelompok Batik Tulis", slug="kelompok-batik-tulis-sumenep")
    maker = GroupMembershipFactory(
        group=group,
        maker=MakerFactory(organization=facility, full_name="Ahmad Rahasiawan", registration_number="BI.0042/2025"),
        joined_date=datetime.date(2025, 2, 1),
    ).maker
    product = ProductFactory(producer=producer, name="Gantungan Kunci", slug="gantungan-kunci", variants=[])
    variant = VariantFactory(product=product, sku="SMP-GK-001", price_idr=15_000)
    room = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    make_lot(variant=variant, group=group, location=room, quantity=40, cost=200_000, makers=[maker])
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="REVENUE",
        premi_mode="PER_UNIT",
        premi_per_unit_idr=5_000,
        capital_bp=0,
        legal_reference="SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
    )
    for _ in range(20):
        sale_record(actor=None, location=room, channel="POS", lines=[SaleLineInput(variant.sku, 1, 15_000)])
    MembershipFactory(user=UserFactory(username="keuangan"), organization=facility, role=Role.FINANCE_OFFICER)
    return maker


def test_a_refused_payout_shows_its_error_in_view_with_the_amount_focused(page, screenshot, transactional_db):
    # given
    maker = _long_statement(transactional_db)
    log_in(page, "keuangan")
    page.goto(reverse("backoffice:statement", args=[maker.pk]))
    expect(page.get_by_test_id("balance")).to_have_text("Rp100.000")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * VIEWPORT_HEIGHT

    # when more than is owed is paid out
    page.locator("#pay summary").click()
    form = page.locator(f"form[action='{reverse('backoffice:payout_create', args=[maker.pk])}']")
    form.locator("input[name=amount_idr]").fill("150000")
    form.locator("select[name=method]").select_option("SAVINGS")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # then the error is on the first screen, and the amount has focus
    error = page.locator("#id_amount_idr_error")
    expect(error).to_have_text(
        text(
            "%(name)s is owed %(owed)s; %(amount)s cannot be paid out.",
            name="Ahmad Rahasiawan",
            owed="Rp100.000",
            amount="Rp150.000",
        )
    )
    amount = page.locator("#id_amount_idr")
    expect(amount).to_be_focused()
    box = error.bounding_box()
    assert box is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT_HEIGHT, box
    field_box = amount.bounding_box()
    assert field_box is not None and 0 <= field_box["y"] <= VIEWPORT_HEIGHT, field_box
    expect(page.locator("#pay")).to_have_attribute("open", "")
    assert Payout.objects.count() == 0
    assert fits_the_phone(page)
    screenshot("refused-in-view")
