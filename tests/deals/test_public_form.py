"""The public request for quotation: Indonesian and English, no JavaScript, errors in the buyer's language with
nothing saved, a limit per address, and no maker on the page."""

import pytest
from django.core.cache import cache

from binakarya.deals.models import Rfq
from tests.deals.world import MAKER_NAMES

GOOD = {
    "rows": "3",
    "sku_0": "PBG-TSB-001",
    "quantity_0": "36",
    "description_1": "Pengki bambu besar",
    "quantity_1": "60",
    "agency": "DLH PKP Kabupaten Purbalingga",
    "name": "Ibu Sri",
    "phone": "0812 3456 7890",
    "delivery_place": "Taman Kota, Purbalingga",
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_the_form_in_indonesian_and_english_without_javascript(client, world):
    page = client.get("/pengadaan/permintaan/?sku=PBG-TSB-001")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>" not in html
    assert 'value="PBG-TSB-001"' in html
    assert "Lapas Kelas IIB Purbalingga" in html
    no_maker_in(page)
    assert "Request for quotation" in client.get("/en/pengadaan/permintaan/").content.decode()


def test_a_request_is_sent_and_acknowledged(client, world):
    response = client.post("/pengadaan/permintaan/", GOOD)
    assert response.status_code == 302
    rfq = Rfq.objects.get()
    assert rfq.organization == world["facility"]
    assert rfq.lines.count() == 2
    done = client.get(response["Location"])
    assert rfq.number in done.content.decode()
    no_maker_in(done)


def test_a_signed_in_buyer_sends_one_too(client, world):
    client.force_login(world["buyer"])
    assert client.post("/pengadaan/permintaan/", GOOD).status_code == 302
    assert Rfq.objects.get().submitted_by == world["buyer"]


def test_errors_in_english_for_an_english_buyer_and_nothing_saved(client, world):
    response = client.post("/en/pengadaan/permintaan/", GOOD | {"agency": "", "phone": "abc", "quantity_0": "0"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the agency or company." in html
    assert "Item 1: enter a quantity of at least 1." in html
    assert Rfq.objects.count() == 0


def test_errors_in_indonesian_by_default(client, world):
    response = client.post("/pengadaan/permintaan/", GOOD | {"agency": ""})
    assert response.status_code == 400
    assert "Isi nama instansi atau perusahaan." in response.content.decode()
    assert Rfq.objects.count() == 0


def test_add_an_item_gives_a_row_without_sending(client, world):
    response = client.post("/pengadaan/permintaan/", GOOD | {"_add_line": "1"})
    assert 'name="sku_3"' in response.content.decode()
    assert Rfq.objects.count() == 0


def test_too_many_requests_from_one_address(client, world, settings):
    settings.DEALS_PUBLIC_RFQ_RATE = "1/h"
    assert client.post("/pengadaan/permintaan/", GOOD).status_code == 302
    assert client.post("/pengadaan/permintaan/", GOOD).status_code == 429
    assert Rfq.objects.count() == 1


def test_a_product_page_links_to_the_form_with_its_sku(client, world):
    html = client.get("/produk/tempat-sampah/").content.decode()
    assert "/pengadaan/permintaan/?sku=PBG-TSB-001" in html
