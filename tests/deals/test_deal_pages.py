"""The deal pages: the PO form from the quotation, the pipeline with the next step and urgent deals standing
out, deliveries (more than ordered is shown on the form, nothing saved), the BAST, invoice and payment forms,
the documents' PDFs; another seller's staff get 404; no maker anywhere."""

import datetime

import pytest

from binakarya.deals.models import Deal
from binakarya.deals.services import (
    DealLineInput,
    QuotationLineInput,
    delivery_record,
    quotation_accept,
    quotation_issue,
)
from tests.deals.test_staff_pages import no_maker_in


@pytest.fixture
def quotation(world, today):
    return quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 12, 150_000), QuotationLineInput("PBG-PKI-001", 7, 35_000)],
        today=today,
    )


@pytest.fixture
def staff(client, world):
    client.force_login(world["admin"])
    return client


@pytest.fixture
def deal(world, quotation, today):
    return quotation_accept(
        actor=world["admin"],
        quotation=quotation,
        po_number="027/9/DLH",
        po_date=today,
        needed_by=today + datetime.timedelta(days=2),
    )


def test_the_po_form_makes_the_deal(staff, quotation, today):
    page = staff.get(f"/en/staf/pengadaan/penawaran/{quotation.number}/")
    assert "Record the purchase order" in page.content.decode()
    bad = staff.post(
        f"/en/staf/pengadaan/penawaran/{quotation.number}/terima/", {"po_date": today, "channel": "DIRECT"}
    )
    assert bad.status_code == 400 and "Enter the number of the buyer" in bad.content.decode()
    assert not Deal.objects.exists()
    done = staff.post(
        f"/en/staf/pengadaan/penawaran/{quotation.number}/terima/",
        {"po_number": "027/9/DLH", "po_date": today, "channel": "DIRECT"},
    )
    deal = Deal.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/pengadaan/kontrak/{deal.number}/")


def test_the_pipeline_shows_the_next_step_and_the_deal_needed_soon(staff, deal):
    page = staff.get("/en/staf/pengadaan/kontrak/")
    html = page.content.decode()
    assert page.status_code == 200
    assert deal.number in html and 'data-testid="near"' in html
    assert 'data-step="DELIVER"' in html and "Deliver 19 units" in html
    assert 'data-stage="ORDERED"' in html
    no_maker_in(page)


def test_a_delivery_past_the_order_is_refused_on_the_form(staff, world, deal, today):
    lines = {line.variant.sku: line.pk for line in deal.lines.all()}
    form = staff.get(f"/en/staf/pengadaan/kontrak/{deal.number}/kirim/")
    assert form.status_code == 200
    too_many = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/kirim/",
        {f"line_{lines['PBG-TSB-001']}": 13, "from_location": world["store"].pk, "delivered_on": today},
    )
    assert too_many.status_code == 400 and "13 more is too many" in too_many.content.decode()
    assert deal.deliveries.count() == 0
    done = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/kirim/",
        {f"line_{lines['PBG-TSB-001']}": 12, "from_location": world["store"].pk, "delivered_on": today},
    )
    assert done.status_code == 302
    page = staff.get(f"/en/staf/pengadaan/kontrak/{deal.number}/")
    assert 'data-kind="SURAT_JALAN"' in page.content.decode()


def test_bast_invoice_payment_through_the_pages(staff, world, deal, today):
    delivery_record(
        actor=world["admin"],
        deal=deal,
        lines=[DealLineInput("PBG-TSB-001", 12), DealLineInput("PBG-PKI-001", 7)],
    )
    lines = {line.variant.sku: line.pk for line in deal.lines.all()}
    unsigned = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/bast/",
        {f"line_{lines['PBG-TSB-001']}": 12, "handed_over_on": today},
    )
    assert unsigned.status_code == 400 and "enter the name and the position" in unsigned.content.decode()
    signed = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/bast/",
        {
            f"line_{lines['PBG-TSB-001']}": 12,
            f"line_{lines['PBG-PKI-001']}": 7,
            "handed_over_on": today,
            "seller_name": "Sri",
            "seller_position": "Kasi Giatja",
            "buyer_name": "Budi",
            "buyer_position": "PPK",
        },
    )
    assert signed.status_code == 302, signed.content.decode()[:2000]
    assert staff.post(f"/en/staf/pengadaan/kontrak/{deal.number}/tagihan/", {"issued_on": today}).status_code == 302
    over = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/bayar/",
        {"amount": "Rp3.000.000", "paid_on": today, "method": "BANK"},
    )
    assert over.status_code == 400 and "more than the" in over.content.decode()
    paid = staff.post(
        f"/en/staf/pengadaan/kontrak/{deal.number}/bayar/",
        {"amount": "Rp2.045.000", "paid_on": today, "method": "BANK", "reference": "SP2D 1"},
    )
    assert paid.status_code == 302
    deal.refresh_from_db()
    assert deal.status == Deal.Status.PAID
    page = staff.get(f"/en/staf/pengadaan/kontrak/{deal.number}/")
    html = page.content.decode()
    no_maker_in(page)
    for kind in ("SURAT_JALAN", "BAST", "INVOICE"):
        assert f'data-kind="{kind}"' in html
    for document in [h.document for h in deal.handovers.all()] + [i.document for i in deal.invoices.all()]:
        pdf = staff.get(f"/en/staf/pengadaan/kontrak/{deal.number}/dokumen/{document.number}/pdf/")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_sellers_staff_get_404(client, world, deal):
    client.force_login(world["other_admin"])
    for path in ("", "kirim/", "bast/"):
        assert client.get(f"/en/staf/pengadaan/kontrak/{deal.number}/{path}").status_code == 404
    assert client.post(f"/en/staf/pengadaan/kontrak/{deal.number}/bayar/", {"amount": "1"}).status_code == 404
    assert deal.number not in client.get("/en/staf/pengadaan/kontrak/").content.decode()
