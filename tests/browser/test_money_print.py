"""The books print: on paper the trial balance shows its table without the menu, the buttons or the forms."""

from django.urls import reverse
from playwright.sync_api import expect

from binakarya.organizations.models import Role
from tests.backoffice.test_sales_pages import make_shop, sell
from tests.browser.test_sale_premi import log_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def test_the_trial_balance_prints_its_table_without_menu_or_buttons(page, screenshot, transactional_db):
    # given a facility with a sale, and its finance officer on the trial balance
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    sell(make_shop(facility), 2)
    MembershipFactory(user=UserFactory(username="keuangan"), organization=facility, role=Role.FINANCE_OFFICER)
    log_in(page, "keuangan")
    page.goto(reverse("backoffice:trial_balance"))
    print_button = page.locator("[data-print]")
    expect(print_button).to_be_visible()  # shown by print.js
    expect(page.locator(".staff-top")).to_be_visible()  # the phone's top bar and bottom bar
    expect(page.locator(".staff-tabbar")).to_be_visible()

    # when printed
    page.emulate_media(media="print")

    # then
    expect(page.get_by_test_id("trial-balance")).to_be_visible()
    expect(page.get_by_test_id("debit-total")).to_have_text("Rp900.000")
    for hidden in [".staff-top", ".staff-tabbar", ".staff-nav", "[data-testid=export-actions]", "form", ".crumbs"]:
        expect(page.locator(hidden).first).to_be_hidden()
    screenshot("printed")
