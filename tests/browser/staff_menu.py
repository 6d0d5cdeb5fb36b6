"""Finding one's way on a phone's staff pages: the full menu opens from the "Menu" button in the top bar."""

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
