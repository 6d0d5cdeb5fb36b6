"""Scanning a hang tag with the phone's camera (static/js/tag-scan.js), with a camera Chromium fakes from a video
of the tag's QR code: the outlet's partner scans the tag on their sales page, the code is filled in, and the sale
of that lot is recorded; a cashier scans a tag at the till and the item is in the cart at once.

Chromium on Linux has no BarcodeDetector, so this proves the jsQR path served by the app.
"""

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, expect

from binakarya.consignment.models import ConsignmentSale
from binakarya.consignment.services import PlacementLineInput, agreement_create, placement_receive, placement_send
from binakarya.pos.services import pos_session_open
from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT
from tests.browser.staff_menu import log_in
from tests.consignment.world import consignment_world
from tests.pos.world import bazaar_world

WIDTH, HEIGHT, FRAMES = 320, 240, 10


def y4m_of(image: Image.Image, path: Path) -> Path:
    """A short Y4M video (4:2:0) showing ``image``: what Chromium's fake camera plays in a loop."""
    frame = image.convert("RGB").resize((WIDTH, HEIGHT)).convert("YCbCr")
    y, cb, cr = frame.split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + planes)
    return path


def tag_video(url: str, path: Path) -> Path:
    """The QR of a hang tag (its /lacak/<code>/ address) on a white card, as the camera sees it."""
    qr = segno.make(url, error="m")
    card = Image.new("RGB", (WIDTH, HEIGHT), "white")
    side = HEIGHT - 40
    code = Image.open(_png(qr, path.with_suffix(".png"))).convert("RGB").resize((side, side), Image.NEAREST)
    card.paste(code, ((WIDTH - side) // 2, 20))
    return y4m_of(card, path)


def _png(qr: segno.QRCode, path: Path) -> Path:
    qr.save(str(path), scale=8, border=4)
    return path


@pytest.fixture
def shelf(transactional_db):
    world = consignment_world()
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 3), PlacementLineInput(world["bag"], 2)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    world["agreement"] = agreement
    return world


@pytest.fixture
def camera_page(
    playwright: Playwright, chromium_path: str, live_server, tmp_path: Path
) -> Iterator[Callable[[str], Page]]:
    """A phone whose camera sees the hang tag of the lot code given."""
    opened: list[Browser] = []

    def phone(lot_code: str) -> Page:
        video = tag_video(f"{live_server.url}/lacak/{lot_code}/", tmp_path / "tag.y4m")
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        opened.append(browser)
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="id-ID"
        )
        context.grant_permissions(["camera"])
        context.set_default_timeout(15_000)
        return context.new_page()

    yield phone
    for browser in opened:
        browser.close()


def test_the_partner_scans_a_hang_tag_and_records_its_sale(camera_page, shelf):
    page = camera_page(shelf["bag_lot"].code)
    agreement = shelf["agreement"]
    log_in(page, "mitra-hotel", reverse("backoffice:partner_home"))
    page.goto(reverse("backoffice:partner_sale", args=[agreement.pk]))

    # when the partner opens the camera in front of the bag's tag
    scanner = page.locator("[data-tag-scan]")
    expect(scanner).to_be_visible()
    scanner.locator("[data-scan-start]").click()

    # then the tag's lot code is filled in and the quantity gets the focus
    code = page.locator("[data-scan-form] input[name$=code]")
    expect(code).to_have_value(shelf["bag_lot"].code)
    expect(page.locator("[data-scan-form] input[name$=quantity]")).to_be_focused()
    expect(page.locator("[data-scan-video]")).to_be_hidden()

    # and the sale of that lot is recorded with the form's button
    page.locator("[data-testid=record-scan]").click()
    expect(page.locator(".messages")).to_be_visible()
    sold = ConsignmentSale.objects.get(agreement=agreement).sale.lines.get()
    assert (sold.variant.sku, sold.lot.code, sold.quantity) == ("SMP-RJT-001", shelf["bag_lot"].code, 1)


def test_a_cashier_scans_a_hang_tag_and_the_item_is_in_the_cart(camera_page, transactional_db):
    bazaar = bazaar_world()
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=100_000)
    page = camera_page(bazaar["whip_lot"].code)
    log_in(page, "kasir")
    page.goto(reverse("backoffice:pos_till", args=[session.pk]))

    # when the cashier opens the camera in front of the whip's tag
    page.locator("[data-tag-scan] [data-scan-start]").click()

    # then the item is added at once (the till is redrawn), and the scanner is offered again
    expect(page.locator("[data-testid=cart] > li")).to_have_count(1)
    expect(page.locator("[data-testid=cart]")).to_contain_text("Pecut")
    expect(page.locator("[data-tag-scan] [data-scan-start]")).to_be_visible()
