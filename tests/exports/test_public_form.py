"""The public export inquiry: English and Indonesian, reachable from a product with export data, no JavaScript,
errors in the buyer's language with nothing saved, a limit per address, the buyer's own page with the
documents, and no maker on any of it."""

import pytest
from django.test import override_settings

from binakarya.exports.models import ExportInquiry
from binakarya.exports.services import ProformaInput, proforma_issue
from tests.exports.world import MAKER_NAMES

GOOD = {
    "rows": "2",
    "sku_0": "SMP-PCT-001",
    "quantity_0": "60",
    "sku_1": "SMP-LYG-001",
    "quantity_1": "20",
    "country": "JP",
    "incoterm": "FOB",
    "place": "Tanjung Perak, Surabaya",
    "company": "Kyoto Crafts K.K.",
    "name": "Yuki Tanaka",
    "email": "yuki@kyoto-crafts.example",
    "phone": "+81 75 123 4567",
}


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_a_product_with_export_data_links_to_the_form_and_one_without_does_not(client, world):
    whip = client.get("/en/produk/pecut-sapi/").content.decode()
    plain = client.get("/en/produk/tas-rajut/").content.decode()

    assert 'href="/en/ekspor/permintaan/?sku=SMP-PCT-001"' in whip
    assert "Ask for an export quote" in whip
    assert "export-inquiry-link" not in plain
    assert "Minta penawaran ekspor" in client.get("/produk/pecut-sapi/").content.decode()


def test_the_form_in_english_prefills_the_product_and_its_minimum(client, world):
    page = client.get("/en/ekspor/permintaan/?sku=SMP-PCT-001")
    html = page.content.decode()

    assert page.status_code == 200
    assert "<script" not in html.split("</head>")[1]
    assert "Export inquiry" in html
    assert '<option value="SMP-PCT-001" selected>Sumenep cattle whip (min. 50) · SMP-PCT-001</option>' in html
    assert 'value="50"' in html
    assert "Japan" in html and "Jepang" not in html
    assert "SMP-RJT-001" not in html  # no export data, not offered
    assert {"private", "no-store"} <= {p.strip() for p in page["Cache-Control"].split(",")}
    no_maker_in(page)


def test_the_form_in_indonesian(client, world):
    html = client.get("/ekspor/permintaan/").content.decode()

    assert "Permintaan ekspor" in html
    assert "Jepang" in html
    assert "Pecut Sapi Sumenep (min. 50) · SMP-PCT-001" in html


def test_an_inquiry_is_sent_and_the_buyer_gets_their_page(client, world):
    response = client.post("/en/ekspor/permintaan/", GOOD)

    assert response.status_code == 302
    inquiry = ExportInquiry.objects.get()
    assert inquiry.language == "en"
    assert [(line.variant.sku, line.quantity) for line in inquiry.lines.all()] == [
        ("SMP-PCT-001", 60),
        ("SMP-LYG-001", 20),
    ]
    done = client.get(response["Location"])
    html = done.content.decode()
    assert inquiry.number in html
    assert f"/en/ekspor/dokumen/{inquiry.token}/" in html
    page = client.get(f"/en/ekspor/dokumen/{inquiry.token}/")
    assert page.status_code == 200
    assert "The seller has not issued a pro-forma invoice yet." in page.content.decode()
    no_maker_in(done)
    no_maker_in(page)


def test_the_buyer_fetches_the_issued_documents(client, world):
    client.post("/en/ekspor/permintaan/", GOOD)
    inquiry = ExportInquiry.objects.get()
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput())

    page = client.get(f"/en/ekspor/dokumen/{inquiry.token}/")
    pdf = client.get(f"/en/ekspor/dokumen/{inquiry.token}/{proforma.number}.pdf")
    packing = client.get(f"/en/ekspor/dokumen/{inquiry.token}/{proforma.packing_list.number}.pdf")
    foreign = client.get(f"/en/ekspor/dokumen/{inquiry.token}/PI-BDW-2026-00001.pdf")
    wrong = client.get("/en/ekspor/dokumen/not-a-token/")

    assert proforma.document.verify_code in page.content.decode()
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert packing.status_code == 200 and packing.content.startswith(b"%PDF")
    assert foreign.status_code == 404
    assert wrong.status_code == 404


def test_errors_in_english_for_an_english_buyer_and_nothing_saved(client, world):
    response = client.post(
        "/en/ekspor/permintaan/", GOOD | {"company": "", "email": "nope", "quantity_0": "10", "country": ""}
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "Enter your company." in html
    assert "Enter a valid email address, e.g. buyer@example.com." in html
    assert "Choose the destination country." in html
    assert "The minimum export order of Sumenep cattle whip is 50 units; you asked for 10." in html
    assert not ExportInquiry.objects.exists()


def test_errors_in_indonesian_by_default(client, world):
    response = client.post("/ekspor/permintaan/", GOOD | {"quantity_1": "5"})
    html = response.content.decode()

    assert response.status_code == 400
    assert "Pesanan ekspor minimal Layang-layang Naga adalah 20 unit; Anda meminta 5." in html
    assert not ExportInquiry.objects.exists()


def test_add_a_product_row_without_javascript(client, world):
    response = client.post("/en/ekspor/permintaan/", GOOD | {"_add_line": "1"})

    assert response.status_code == 200
    assert 'name="sku_2"' in response.content.decode()
    assert not ExportInquiry.objects.exists()


@override_settings(EXPORTS_PUBLIC_INQUIRY_RATE="2/h")
def test_an_address_sends_a_limited_number(client, world):
    statuses = [client.post("/en/ekspor/permintaan/", GOOD).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert ExportInquiry.objects.count() == 2


@pytest.mark.parametrize("path", ["/en/", "/en/katalog/", "/en/produk/pecut-sapi/", "/en/ekspor/permintaan/"])
def test_the_footer_offers_export_inquiries_in_english(client, world, path):
    assert 'href="/en/ekspor/permintaan/">Export inquiries</a>' in client.get(path).content.decode()
