"""Playwright fixtures: Debian's Chromium, headless, driving pytest-django's live_server on a phone-sized page."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread, which makes Django refuse ORM
# calls there (fixtures, flushes between tests) unless this is set.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, Playwright, sync_playwright  # noqa: E402

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machines have no network but loopback; these stop Chromium calling home at start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 360, "height": 740}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    message = f"Chromium not found at {path}; install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    print(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright(chromium_path: str) -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh phone-sized context (360x740, Indonesian locale) whose relative URLs go to live_server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORT,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    call_report = getattr(request.node, "rep_call", None)
    if call_report is not None and call_report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{_safe_name(request.node.name)}-failed.png", full_page=True)
    context.close()


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Call screenshot("label") to keep artifacts/screenshots/<test name>-<label>.png of the whole page."""

    def take(label: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{_safe_name(request.node.name)}-{_safe_name(label)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
