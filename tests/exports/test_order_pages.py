"""The export order on the staff's pro-forma page: confirming it, recording the T/T payments, shipping (the sale
is recorded and the commercial invoice issued); refusals shown next to the form in Indonesian with nothing
saved; another seller's staff 404."""

import pytest
from django.urls import reverse

from binakarya.backoffice.exports.forms import parse_foreign_amount
from binakarya.exports.models import ExportOrder, ExportPayment, Shipment
from binakarya.exports.orders import order_confirm
from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from binakarya.sales.models import Sale
from tests.exports.world import MAKER_NAMES, stock_up


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
def staff(client, world):
    client.force_login(world["admin"])
    return client


def url(name, proforma):
    return reverse(f"backoffice:{name}", args=[proforma.number])


def no_maker(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_the_order_from_confirmation_to_shipment(staff, stock, proforma, today):
    page = staff.get(url("export_proforma", proforma)).content.decode()
    assert 'data-testid="confirm-form"' in page and "Pembeli sudah konfirmasi" in page

    confirmed = staff.post(url("export_order_confirm", proforma), {"po_number": "KC-PO-118", "po_date": today})
    assert confirmed.status_code == 302
    page = staff.get(url("export_proforma", proforma)).content.decode()
    assert "Dikonfirmasi, menunggu pembayaran" in page and 'data-testid="payment-form"' in page
    assert 'data-testid="shipment-form"' not in page
    assert "Barang dikirim setelah pembayaran menutup totalnya: Rp9.500.000 masih terutang." in page

    paid = staff.post(
        url("export_order_payment", proforma),
        {"amount": "9.550.000", "received_on": today, "amount_foreign": "584,40", "reference": "SWIFT 0412"},
    )
    assert paid.status_code == 302 and paid["Location"].endswith("#order")
    payment = ExportPayment.objects.get()
    assert (payment.amount_idr, str(payment.amount_foreign), payment.reference) == (9_550_000, "584.40", "SWIFT 0412")
    page = staff.get(url("export_proforma", proforma)).content.decode()
    assert "Lunas, siap dikirim" in page and "USD 584.40" in page and 'data-testid="shipment-form"' in page
    assert "Gudang Rutan" in page and "Gudang Bondowoso" not in page

    shipped = staff.post(
        url("export_order_shipment", proforma),
        {
            "shipped_on": today,
            "location": stock["store"].pk,
            "peb_number": "000123",
            "transport_number": "MSKU 7781234",
            "vessel": "Meratus Jayakarta V.118",
        },
    )
    assert shipped.status_code == 302
    shipment = Shipment.objects.get()
    page = staff.get(url("export_proforma", proforma))
    html = page.content.decode()
    assert shipment.sale.number in html and shipment.invoice_number in html
    assert reverse("backoffice:sale_detail", args=[shipment.sale.number]) in html
    assert "Rp50.000" in html  # received above the total
    no_maker(page)
    pdf = staff.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "commercial-invoice"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    inquiry_page = staff.get(reverse("backoffice:export_inquiry", args=[proforma.inquiry_id])).content.decode()
    assert "Dikirim" in inquiry_page and 'data-testid="make-proforma"' not in inquiry_page


def test_refusals_are_shown_in_indonesian_and_nothing_is_saved(staff, world, stock, proforma, today):
    bad = staff.post(url("export_order_confirm", proforma), {"po_number": "", "po_date": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Masukkan nomor pesanan pembeli (purchase order atau referensi pesanannya)." in html
    assert "Masukkan tanggal pesanan pembeli." in html
    assert not ExportOrder.objects.exists()

    order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-1", po_date=today)
    too_much = staff.post(url("export_order_payment", proforma), {"amount": "9.690.001", "received_on": today})
    assert too_much.status_code == 400
    assert "paling banyak Rp9.690.000 lagi, bukan Rp9.690.001" in too_much.content.decode()
    assert not ExportPayment.objects.exists()

    early = staff.post(
        url("export_order_shipment", proforma),
        {"shipped_on": today, "location": stock["store"].pk, "peb_number": "1", "transport_number": "2", "vessel": "3"},
    )
    assert early.status_code == 400
    assert "Rp9.500.000 dari Rp9.500.000 masih terutang" in early.content.decode()
    assert not Shipment.objects.exists() and not Sale.objects.exists()


def test_another_sellers_staff_get_404(client, world, stock, proforma, today):
    order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-1", po_date=today)
    client.force_login(world["other_admin"])

    answers = [
        client.post(url("export_order_confirm", proforma), {"po_number": "X", "po_date": today}),
        client.post(url("export_order_payment", proforma), {"amount": "1.000", "received_on": today}),
        client.post(url("export_order_shipment", proforma), {"shipped_on": today, "location": stock["store"].pk}),
        client.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "commercial-invoice"])),
    ]

    assert [a.status_code for a in answers] == [404] * 4
    assert not ExportPayment.objects.exists() and not Shipment.objects.exists()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("292,20", "292.20"),
        ("292.20", "292.20"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("12.000", "12000"),
        ("US$ 584,40", "584.40"),
        ("1..2", None),
        ("dua ratus", None),
    ],
)
def test_a_foreign_amount_is_read_either_way(typed, amount):
    parsed = parse_foreign_amount(typed)

    assert (str(parsed) if parsed is not None else None) == amount
