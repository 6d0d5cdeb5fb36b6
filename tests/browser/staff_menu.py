"""Finding one's way on a phone's staff pages: logging in, and the full menu that opens from the "Menu" button
in the top bar."""

from django.urls import reverse
from playwright.sync_api import Page


def open_menu(page: Page) -> None:
    """Open the staff menu (a <details>) unless it is open already."""
    menu = page.locator("details.staff-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def go_by_menu(page: Page, url: str) -> None:
    """Open the staff page ``url`` from the menu, as a person on a phone does."""
    open_menu(page)
    page.locator(f".staff-menu-list a[href='{url}']").click()
    page.wait_for_url(f"**{url}")


def log_out(page: Page) -> None:
    open_menu(page)
    page.locator(f".staff-menu-list form[action='{reverse('accounts:logout')}'] button").click()
    page.wait_for_url("**/")


# tests.factories.UserFactory's password
PASSWORD = "pass-word-123"


def log_in(page: Page, username: str, lands_on: str | None = None) -> None:
    """Log in as ``username`` and wait for the page they land on: the staff home, unless given (an outlet's
    partner lands on their portal, ``backoffice:partner_home``)."""
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{lands_on or reverse('backoffice:dashboard')}")
