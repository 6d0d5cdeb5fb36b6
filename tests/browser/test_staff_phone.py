"""The staff pages on a 360x740 phone: a compact navigation with each role's main action on the first screen,
a styled "no access" page with a way back, and form refreshes that leave no error in the console.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.organizations.models import Organization, Role
from tests.backoffice.helpers import text
from tests.browser.staff_menu import open_menu
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
SCREEN_HEIGHT = 740


@pytest.fixture
def facility(transactional_db):
    """Rutan Sumenep with two groups (a batik and a whip each), a store and a showroom holding five batik;
    its instructor and finance officer, and the partner of the Disperindag outlet."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    room = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    for index, (group_name, product_name, sku) in enumerate(
        [
            ("Kelompok Batik Tulis", "Kain Batik Sekar Jagad", "SMP-BTK-001"),
            ("Kelompok Pecut", "Pecut Madura", "SMP-PCT-001"),
        ]
    ):
        group = GroupFactory(organization=facility, name=group_name)
        producer = ProducerFactory(group=group, name=group_name, slug=f"kelompok-{index}-sumenep")
        maker = MakerFactory(
            organization=facility, full_name=f"Perajin {index}", registration_number=f"BI.{index}/2025"
        )
        GroupMembershipFactory(group=group, maker=maker, joined_date=datetime.date(2025, 2, 1))
        product = ProductFactory(producer=producer, name=product_name, slug=f"produk-{index}", variants=[])
        variant = VariantFactory(product=product, sku=sku, price_idr=150_000)
        make_lot(variant=variant, group=group, location=room if index == 0 else store, quantity=5, makers=[maker])
    for username, role in [("instruktur", Role.INSTRUCTOR), ("keuangan", Role.FINANCE_OFFICER)]:
        MembershipFactory(user=UserFactory(username=username, first_name="Ida"), organization=facility, role=role)
    outlet = OrganizationFactory(name="Gerai Disperindag Sumenep", slug="gerai-sumenep", kind=Organization.Kind.OUTLET)
    MembershipFactory(user=UserFactory(username="mitra.gerai"), organization=outlet, role=Role.OUTLET_PARTNER)
    return {"store": store, "showroom": room}


def log_in(page: Page, username: str, lands: str = "backoffice:dashboard") -> None:
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse(lands)}")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not on the page"
    return found


@pytest.mark.parametrize(
    ("username", "action", "url_name"),
    [("instruktur", "Record a lot", "lot_create"), ("keuangan", "Record a sale", "sale_create")],
)
def test_the_roles_main_action_is_on_the_first_screen_under_a_compact_navigation(
    page, screenshot, facility, username, action, url_name
):
    # given
    log_in(page, username)

    # when the staff home opens on the phone
    screenshot("home")

    # then the main action is the first button of the page, above the fold and above the bottom bar
    button = page.locator("[data-testid=main-actions] a").first
    expect(button).to_have_text(text(action))
    assert button.get_attribute("href") == reverse(f"backoffice:{url_name}")
    tabbar = box(page, ".staff-tabbar")
    found = box(page, "[data-testid=main-actions] a")
    assert found["y"] + found["height"] <= tabbar["y"] <= SCREEN_HEIGHT
    # and the navigation takes one bar on top and one at the bottom, not four rows
    assert box(page, "header.staff-top")["height"] <= 60
    assert tabbar["height"] <= 64
    expect(page.locator("nav.staff-nav")).to_be_hidden()
    expect(page.locator(".staff-tabbar a")).to_have_count(4)
    expect(page.locator(".staff-tabbar a.tab-main").first).to_have_text(text(action))
    expect(page.locator(".staff-menu-list")).to_be_hidden()

    # when the menu button is pressed, the full menu opens, and it leads to the money pages
    open_menu(page)
    money = page.locator(f".staff-menu-list a[href='{reverse('backoffice:money')}']")
    expect(money).to_be_visible()
    screenshot("menu-open")
    money.click()
    page.wait_for_url(f"**{reverse('backoffice:money')}")

    # and the bottom bar's main action is there on every staff page
    page.locator(".staff-tabbar a.tab-main").first.click()
    page.wait_for_url(f"**{reverse(f'backoffice:{url_name}')}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_outlet_partner_on_a_forbidden_page_sees_the_styled_page_with_a_way_back(page, screenshot, facility):
    # given
    log_in(page, "mitra.gerai", lands="backoffice:partner_home")  # a partner's home is their portal

    # when the partner follows a link to the makers
    response = page.goto(reverse("backoffice:makers"))

    # then the staff-styled page says so, in Indonesian, with a way back within the first screen
    assert response is not None and response.status == 403
    expect(page.locator("main h1")).to_have_text(text("No access"))
    expect(page.locator("main")).to_contain_text(text("Only the staff of a facility or a producer see makers."))
    back = page.locator("main .error-links a")
    expect(back).to_have_text(text("Back to the staff home"))
    found = box(page, "main .error-links a")
    assert found["y"] + found["height"] <= SCREEN_HEIGHT
    expect(page.locator("header.staff-top")).to_be_visible()
    screenshot("forbidden")
    back.click()
    page.wait_for_url(f"**{reverse('backoffice:partner_home')}")
    expect(page.locator("main h1")).to_be_visible()


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_redrawing_the_lot_and_sale_forms_logs_no_console_error(page, facility):
    # given
    errors = _console_errors(page)
    log_in(page, "instruktur")
    page.goto(reverse("backoffice:lot_create"))

    # when the instructor picks the other group, the form is redrawn for it
    group = page.locator("#id_group")
    other = group.locator("option").nth(1).get_attribute("value")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(reverse("backoffice:lot_create"))
    ):
        group.select_option(other)
    expect(page.locator("#id_group")).to_have_value(other or "")
    expect(page.locator("#lot-form > button[type=submit]")).to_be_enabled()

    # and the finance officer's sale form is redrawn for another location
    page.context.clear_cookies()
    log_in(page, "keuangan")
    page.goto(reverse("backoffice:sale_create"))
    location = page.locator("#id_location")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(reverse("backoffice:sale_create"))
    ):
        location.select_option(str(facility["store"].pk))
    expect(page.locator("#id_location")).to_have_value(str(facility["store"].pk))
    expect(page.get_by_test_id("record-sale")).to_be_enabled()

    # then no error reached the console
    assert errors == []
