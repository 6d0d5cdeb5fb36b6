"""The export order by API: confirm a pro-forma, record T/T payments, ship (the sale is recorded), fetch the
commercial invoice; conflicts are 409 with a code, bad input 400 in the caller's language, another seller 404."""

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.exports.models import ExportOrder, ExportPayment, Shipment
from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from binakarya.sales.models import Sale
from tests.exports.world import MAKER_NAMES, stock_up


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def stock(world, today):
    return stock_up(world, today)


@pytest.fixture
def proforma(world, stock, today):
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )
    return proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(), today=today)


@pytest.fixture
def api(client, world):
    headers = bearer(world["admin"]) | {"HTTP_ACCEPT_LANGUAGE": "en"}

    def post(path, body, **extra):
        return client.post(f"/api/v1{path}", body, content_type="application/json", **(headers | extra))

    def get(path, **extra):
        return client.get(f"/api/v1{path}", **(headers | extra))

    return post, get


def no_maker(response):
    text = response.content.decode(errors="replace")
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def shipment_body(today, **changes):
    return {
        "shipped_on": today.isoformat(),
        "peb_number": "000123",
        "transport_number": "MSKU 7781234",
        "vessel": "Meratus Jayakarta V.118",
        "location": "",
    } | changes


def test_the_chain_by_api(api, world, stock, proforma, today):
    post, get = api
    base = f"/proformas/{proforma.number}"

    confirmed = post(f"{base}/confirm", {"po_number": "KC-PO-118", "po_date": today.isoformat()})
    assert confirmed.status_code == 201, confirmed.content
    body = confirmed.json()
    assert (body["status"], body["total_idr"], body["paid_idr"], body["due_idr"], body["max_payment_idr"]) == (
        "CONFIRMED",
        9_500_000,
        0,
        9_500_000,
        9_690_000,
    )

    first = post(f"{base}/payments", {"amount_idr": 4_750_000, "amount": "292.20", "reference": "SWIFT 0412"})
    assert first.status_code == 201, first.content
    assert first.json()["payments"] == [
        {
            "id": ExportPayment.objects.get().pk,
            "received_on": today.isoformat(),
            "amount_idr": 4_750_000,
            "amount": "292.20",
            "reference": "SWIFT 0412",
        }
    ]

    early = post(f"{base}/shipment", shipment_body(today, location=stock["store"].code))
    assert early.status_code == 409
    assert early.json()["code"] == "not_paid"
    assert "Rp4.750.000 of Rp9.500.000 is still due" in early.json()["detail"]

    too_much = post(f"{base}/payments", {"amount_idr": 4_940_001})
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "overpayment"
    assert list(too_much.json()["errors"]) == ["amount_idr"]

    second = post(f"{base}/payments", {"amount_idr": 4_750_000, "received_on": today.isoformat()})
    assert second.status_code == 201
    assert (second.json()["status"], second.json()["due_idr"]) == ("PAID", 0)

    shipped = post(f"{base}/shipment", shipment_body(today, location=stock["store"].code))
    assert shipped.status_code == 201, shipped.content
    shipment = shipped.json()["shipment"]
    sale = Sale.objects.get()
    assert (shipped.json()["status"], shipment["sale"], shipment["location"], shipment["extra_idr"]) == (
        "SHIPPED",
        sale.number,
        stock["store"].code,
        0,
    )
    invoice = shipment["commercial_invoice"]
    assert invoice["number"] == f"CI-SMP-{today.year}-00001"
    assert invoice["verify_code"] == Shipment.objects.get().document.verify_code
    no_maker(shipped)

    again = post(f"{base}/shipment", shipment_body(today, location=stock["store"].code))
    assert (again.status_code, again.json()["code"]) == (409, "shipped")

    detail = get(base)
    assert detail.json()["order"]["shipment"]["sale"] == sale.number
    pdf = get(f"{base}/commercial-invoice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_confirming_twice_is_409_and_bad_input_400_in_english(api, proforma, today):
    post, _get = api
    base = f"/proformas/{proforma.number}"

    bad = post(f"{base}/confirm", {"po_number": " ", "po_date": "2020-01-01"})

    assert bad.status_code == 400
    assert bad.json()["errors"]["po_number"] == [
        "Enter the buyer's order number (their purchase order or order reference)."
    ]
    assert bad.json()["errors"]["po_date"][0].startswith("The buyer's order cannot be dated before the pro-forma")
    assert not ExportOrder.objects.exists()
    assert post(f"{base}/confirm", {"po_number": "A", "po_date": today.isoformat()}).status_code == 201
    twice = post(f"{base}/confirm", {"po_number": "B", "po_date": today.isoformat()})
    assert (twice.status_code, twice.json()["code"]) == (409, "confirmed")
    assert ExportOrder.objects.count() == 1


def test_bad_input_is_400_in_indonesian(api, proforma, today):
    post, _get = api
    base = f"/proformas/{proforma.number}"
    post(f"{base}/confirm", {"po_number": "A", "po_date": today.isoformat()})

    response = post(
        f"{base}/shipment",
        shipment_body(today, peb_number="", location="nowhere"),
        HTTP_ACCEPT_LANGUAGE="id",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "peb_number": ["Masukkan nomor PEB (pemberitahuan ekspor barang yang diajukan ke Bea Cukai)."],
        "location": ["Pilih gudang atau showroom Rutan Kelas IIB Sumenep tempat barang berangkat."],
    }
    assert not Shipment.objects.exists()


def test_a_payment_before_confirmation_is_409(api, proforma):
    post, _get = api

    response = post(f"/proformas/{proforma.number}/payments", {"amount_idr": 1_000})

    assert (response.status_code, response.json()["code"]) == (409, "not_confirmed")
    assert not ExportPayment.objects.exists()


def test_too_little_stock_is_409_and_nothing_is_saved(api, world, today):
    stock = stock_up(world, today, whips=10)
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60)],
        language="en",
    )
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(currency="IDR"), today=today)
    post, _get = api
    base = f"/proformas/{proforma.number}"
    post(f"{base}/confirm", {"po_number": "A", "po_date": today.isoformat()})
    post(f"{base}/payments", {"amount_idr": 7_500_000})

    response = post(f"{base}/shipment", shipment_body(today, location=stock["store"].code))

    assert response.status_code == 409
    assert "SMP-PCT-001" in response.json()["detail"]
    assert not Shipment.objects.exists() and not Sale.objects.exists()
    assert ExportOrder.objects.get().status == ExportOrder.Status.PAID


def test_another_sellers_staff_get_404(client, world, proforma, today):
    headers = bearer(world["other_admin"])
    base = f"/api/v1/proformas/{proforma.number}"

    answers = [
        client.post(f"{base}/confirm", {"po_number": "A", "po_date": today.isoformat()}, "application/json", **headers),
        client.post(f"{base}/payments", {"amount_idr": 1_000}, "application/json", **headers),
        client.post(f"{base}/shipment", shipment_body(today), "application/json", **headers),
        client.get(f"{base}/commercial-invoice.pdf", **headers),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert not ExportOrder.objects.exists()
