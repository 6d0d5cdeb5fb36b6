"""The facility admin records an MoU on a 360 px phone: from the staff menu to the new agreement with its signed
PDF, an obligation of the partner already overdue, the alert on the list, and the PDF downloaded back. Every
page fits the phone's width."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.organizations.models import Organization, Role
from binakarya.programs.models import Agreement
from tests.browser.staff_menu import go_by_menu, log_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def sumenep(transactional_db):
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", province="Jawa Timur")
    for name, slug in (("Polres Sumenep", "polres-sumenep"), ("Disperindag Kabupaten Sumenep", "disperindag-sumenep")):
        OrganizationFactory(kind=Organization.Kind.AGENCY, name=name, slug=slug)
    admin = UserFactory(username="admin-smp")
    MembershipFactory(user=admin, organization=facility, role=Role.FACILITY_ADMIN)
    return facility


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_mou_with_its_pdf_and_an_overdue_obligation_on_a_phone(page, screenshot, sumenep, tmp_path: Path):
    today = timezone.localdate()
    scan = tmp_path / "mou-polres.pdf"
    scan.write_bytes(PDF)

    # given the admin on the agreements page, reached from the menu
    log_in(page, "admin-smp")
    go_by_menu(page, reverse("backoffice:program_agreements"))
    assert fits_the_phone(page)

    # when they record the MoU with Polres Sumenep and its signed scan
    page.get_by_role("link", name="Kerja sama baru").click()
    page.wait_for_url(f"**{reverse('backoffice:program_agreement_create')}")
    form = page.locator("main form")
    form.locator("input[name=number]").fill("DEMO/PKS/01/2026")
    form.locator("input[name=title]").fill("Pembinaan kemandirian warga binaan")
    form.get_by_label("Polres Sumenep").check()
    form.locator("input[name=signed_date]").fill(today.isoformat())
    form.locator("input[name=start_date]").fill(today.isoformat())
    form.locator("input[name=end_date]").fill((today + datetime.timedelta(days=30)).isoformat())
    form.locator("input[name=signed_document]").set_input_files(str(scan))
    assert fits_the_phone(page)
    screenshot("agreement-form")
    form.locator("button[type=submit]").click()

    # then the agreement's page shows it, on the phone's width
    agreement = Agreement.objects.get(number="DEMO/PKS/01/2026")
    page.wait_for_url(f"**{reverse('backoffice:program_agreement', args=[agreement.pk])}")
    expect(page.get_by_test_id("number")).to_have_text("DEMO/PKS/01/2026")
    assert fits_the_phone(page)

    # when they add what Polres promised, due yesterday
    obligation = page.locator(f"form[action='{reverse('backoffice:program_obligation_add', args=[agreement.pk])}']")
    obligation.locator("select[name=party]").select_option(label="Polres Sumenep")
    obligation.locator("input[name=description]").fill("Penyuluhan hukum bagi warga binaan")
    obligation.locator("input[name=due_date]").fill((today - datetime.timedelta(days=1)).isoformat())
    obligation.locator("button[type=submit]").click()

    # then it is listed, and the list's alerts show it overdue and the agreement ending within 60 days
    expect(page.get_by_test_id("obligations")).to_contain_text("Penyuluhan hukum bagi warga binaan")
    assert fits_the_phone(page)
    screenshot("agreement-detail")
    page.goto(reverse("backoffice:program_agreements"))
    expect(page.get_by_test_id("overdue")).to_contain_text("Penyuluhan hukum bagi warga binaan")
    expect(page.get_by_test_id("ending")).to_contain_text("Pembinaan kemandirian warga binaan")
    assert fits_the_phone(page)
    screenshot("agreement-list")

    # and the signed scan downloads as it was uploaded
    page.goto(reverse("backoffice:program_agreement", args=[agreement.pk]))
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('backoffice:program_agreement_pdf', args=[agreement.pk])}']").click()
    assert Path(download_info.value.path()).read_bytes() == PDF
