"""With the Content-Security-Policy on, the main public and staff pages load without one violation, and htmx
still swaps content (catalog filters, the split-rule preview).

A violation shows in two places: Chromium's console ("Refused to apply inline style…") and the page's
``securitypolicyviolation`` event; both are watched. The lead re-runs this after merging issue 10's parts.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from binakarya.catalog.models import Product
from binakarya.demo.data import DEMO_PASSWORD
from binakarya.inventory.models import Transfer
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.sales.models import Sale

# Recorded in the page itself, where Playwright's init script runs before any of the site's own code.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture
def demo_site(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


class Watch:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def visit(self, url: str) -> list[str]:
        """Open ``url``, let it settle, and return what went wrong there (empty when nothing did)."""
        response = self.page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers
        self.page.wait_for_load_state("networkidle")
        found = [f"{url}: {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        found += [f"{url}: {c}" for c in self.console]
        self.console.clear()
        return found


def test_public_and_staff_pages_load_without_a_csp_violation(page, demo_site):
    watch = Watch(page)
    product = Product.objects.filter(is_published=True).order_by("pk").first()
    facility = Organization.objects.get(slug="rutan-sumenep")
    lot = Lot.objects.filter(organization=facility).order_by("pk").first()
    public = [
        "/",
        "/katalog/",
        "/katalog/?q=batik",
        reverse("storefront:product", kwargs={"slug": product.slug}),
        reverse("storefront:producers"),
        reverse("storefront:producer", kwargs={"slug": product.producer.slug}),
        reverse("storefront:impact", kwargs={"slug": facility.slug}),
        reverse("storefront:trace", kwargs={"code": lot.code}),
        reverse("storefront:verify_lookup"),
        reverse("accounts:login"),
        "/en/",
        "/en/katalog/",
    ]
    problems = [problem for url in public for problem in watch.visit(url)]

    # log in through the form, as staff do
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill("admin.sumenep")
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")

    own_product = Product.objects.filter(organization=facility).order_by("pk").first()
    maker = Maker.objects.filter(organization=facility).order_by("pk").first()
    staff = [
        reverse("backoffice:dashboard"),
        reverse("backoffice:products"),
        reverse("backoffice:product_create"),
        reverse("backoffice:product_edit", args=[own_product.pk]),
        reverse("backoffice:makers"),
        reverse("backoffice:maker_edit", args=[maker.pk]),
        reverse("backoffice:groups"),
        reverse("backoffice:lots"),
        reverse("backoffice:lot_create"),
        reverse("backoffice:lot_detail", args=[lot.code]),
        reverse("backoffice:stock"),
        reverse("backoffice:locations"),
        reverse("backoffice:transfers"),
        reverse("backoffice:sales"),
        reverse("backoffice:sale_create"),
        reverse("backoffice:money"),
        reverse("backoffice:rules"),
        reverse("backoffice:rule_create"),
        reverse("backoffice:statement", args=[maker.pk]),
        reverse("backoffice:release_worklist"),
        reverse("backoffice:capital"),
        reverse("backoffice:pnbp"),
        reverse("backoffice:trial_balance"),
        "/en/staf/",
    ]
    sale = Sale.objects.filter(organization=facility).order_by("pk").first()
    if sale is not None:
        staff.append(reverse("backoffice:sale_detail", args=[sale.number]))
    transfer = Transfer.objects.filter(organization=facility).order_by("pk").first()
    if transfer is not None:
        staff.append(reverse("backoffice:transfer_detail", args=[transfer.number]))
    problems += [problem for url in staff for problem in watch.visit(url)]

    assert problems == []


def test_htmx_swaps_the_catalog_results_under_the_policy(page, demo_site):
    watch = Watch(page)
    assert watch.visit("/katalog/") == []
    category = page.locator("#id_kategori option").nth(1)
    slug = category.get_attribute("value")

    # when a category is chosen, htmx fetches the results and swaps them in place
    page.locator("details summary").first.click()
    with page.expect_request(lambda r: "/katalog/" in r.url and r.headers.get("hx-request") == "true") as request:
        page.locator("#id_kategori").select_option(slug)
    assert f"kategori={slug}" in request.value.url

    # then the address follows (hx-push-url) without a page load, and nothing was blocked
    page.wait_for_url(f"**kategori={slug}**")
    expect(page.locator("#results")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert watch.console == []


def test_htmx_loads_the_split_rule_preview_under_the_policy(page, demo_site):
    watch = Watch(page)
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill("keuangan.sumenep")
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")

    # when the new-rule page opens, htmx posts the form for its preview (hx-trigger="load")
    with page.expect_response(lambda r: r.url.endswith(reverse("backoffice:rule_preview"))) as preview:
        page.goto(reverse("backoffice:rule_create"))

    # then the preview answered and was swapped in, and nothing was blocked
    assert preview.value.status == 200
    assert preview.value.request.headers.get("hx-request") == "true"
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert watch.console == []
