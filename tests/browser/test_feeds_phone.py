"""A catalog officer on a 360 px phone opens the channel feeds from the menu: the feed addresses fit the screen
with a copy button each, the problems of a product without a photo show per channel, and the product opens."""

import pytest
from playwright.sync_api import Page, expect

from binakarya.organizations.models import Role
from tests.browser.staff_menu import log_in
from tests.factories import MembershipFactory, ProducerFactory, ProductFactory, UserFactory


@pytest.fixture
def seller(transactional_db):
    producer = ProducerFactory(name="Kelompok Bambu")
    ProductFactory(producer=producer, name="Tempat Sampah Bambu Anyaman", slug="tempat-sampah", variants=[150_000])
    officer = UserFactory(username="petugas.feed")
    MembershipFactory(user=officer, organization=producer.organization, role=Role.PRODUCTION_OFFICER)
    return producer.organization


def test_the_feeds_page_on_a_phone(page: Page, screenshot, seller):
    log_in(page, "petugas.feed")
    page.get_by_text("Menu", exact=True).click()
    page.locator(".staff-menu-list").get_by_role("link", name="Feed saluran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feed saluran")

    # the addresses, each with its copy button, and nothing wider than the phone
    expect(page.locator("[data-testid=feed-link]")).to_have_count(12)
    expect(page.locator("[data-testid=feed-link] button").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("addresses")

    # the product without a photo, refused by the four channels, opens for editing
    rows = page.locator("[data-testid=problem-row]")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Tidak ada foto: Meta memerlukannya.")
    page.locator("#masalah").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("problems")
    rows.first.get_by_role("link", name="Tempat Sampah Bambu Anyaman").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tempat Sampah Bambu Anyaman")
