"""A facility admin on a 360x740 phone gives a new officer an account; the officer signs in with the
temporary password, must choose their own, and then works."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.organizations.models import Membership, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password
TEMPORARY = "kopi-tubruk-2026"
OWN = "Batik-Tulis-Sendiri-7"


@pytest.fixture
def facility(transactional_db):
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    MembershipFactory(
        user=UserFactory(username="admin.sumenep", first_name="Ani"), organization=facility, role=Role.FACILITY_ADMIN
    )
    return facility


def log_in(page: Page, username: str, password: str) -> None:
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_facility_admin_gives_a_new_officer_an_account_on_a_phone(page, screenshot, facility):
    # given the facility admin is signed in, and the staff menu links the staff accounts
    log_in(page, "admin.sumenep", PASSWORD)
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")
    assert page.locator(f"a[href='{reverse('backoffice:staff')}']").count() >= 1

    # when they open the staff accounts and create one
    page.goto(reverse("backoffice:staff"))
    assert fits_the_phone(page)
    page.goto(reverse("backoffice:staff_create"))
    page.locator("input[name=full_name]").fill("Siti Aminah")
    page.locator("input[name=username]").fill("produksi.sumenep")
    page.locator("select[name=role]").select_option(Role.PRODUCTION_OFFICER)
    page.locator("input[name=password]").fill(TEMPORARY)
    assert fits_the_phone(page)
    screenshot("create")
    page.locator(f"form[action='{reverse('backoffice:staff_create')}'] button[type=submit]").click()

    # then the person's page shows the account, on the phone's width
    membership = Membership.objects.get(user__username="produksi.sumenep")
    page.wait_for_url(f"**{reverse('backoffice:staff_detail', args=[membership.pk])}")
    expect(page.locator("h1")).to_have_text("Siti Aminah")
    assert fits_the_phone(page)
    screenshot("detail")

    # when the new officer signs in on their own phone with the temporary password
    page.context.clear_cookies()
    log_in(page, "produksi.sumenep", TEMPORARY)

    # then they must choose their own password first
    page.wait_for_url(f"**{reverse('accounts:password_change')}")
    page.goto(reverse("backoffice:products"))
    page.wait_for_url(f"**{reverse('accounts:password_change')}")
    page.locator("input[name=old_password]").fill(TEMPORARY)
    page.locator("input[name=new_password1]").fill(OWN)
    page.locator("input[name=new_password2]").fill(OWN)
    page.locator(f"form[action='{reverse('accounts:password_change')}'] button[type=submit]").click()
    page.wait_for_url(f"**{reverse('accounts:password_change_done')}")

    # and then the staff pages open
    page.goto(reverse("backoffice:products"))
    page.wait_for_url(f"**{reverse('backoffice:products')}")
    assert fits_the_phone(page)
