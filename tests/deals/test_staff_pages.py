"""The procurement pages: the RFQ list with urgent requests standing out, a request, making a quotation, the
quotation with its plan and PDF, the PPN settings; another seller's staff get 404; no maker anywhere."""

import datetime

import pytest

from binakarya.deals.models import Quotation, Rfq
from binakarya.deals.selectors import tax_settings_for
from binakarya.deals.services import Contact, RfqLineInput, rfq_submit
from tests.deals.world import MAKER_NAMES


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


@pytest.fixture
def rfq(world, today):
    return rfq_submit(
        actor=None,
        agency="DLH PKP Purbalingga",
        contact=Contact("Ibu Sri", "081234567890"),
        lines=[RfqLineInput("PBG-TSB-001", "", 36), RfqLineInput("", "Pengki bambu besar", 60)],
        delivery_place="Taman Kota",
        needed_by=today + datetime.timedelta(days=3),
        today=today,
    )


@pytest.fixture
def staff(client, world):
    client.force_login(world["admin"])
    return client


def test_the_list_shows_a_request_needed_soon_standing_out(staff, rfq):
    response = staff.get("/en/staf/pengadaan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "DLH PKP Purbalingga" in html
    assert 'data-testid="near"' in html
    assert "Perpres 16/2018 pasal 28" in html
    no_maker_in(response)


def test_a_request_past_its_date_stands_out(staff, world, rfq, today):
    Rfq.objects.filter(pk=rfq.pk).update(needed_by=today - datetime.timedelta(days=1))
    assert 'data-testid="past"' in staff.get("/staf/pengadaan/").content.decode()


def test_staff_make_a_quotation_from_a_request_and_see_its_plan_and_pdf(staff, world, rfq):
    page = staff.get(f"/staf/pengadaan/permintaan/{rfq.pk}/")
    assert page.status_code == 200
    assert "Pengki bambu besar" in page.content.decode()
    form = staff.get(f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/")
    assert form.status_code == 200
    assert 'value="PBG-TSB-001"' in form.content.decode()

    # when the free line is priced with the dustpan's SKU, with 10 % off
    response = staff.post(
        f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/",
        {
            "rows": "3",
            "sku_0": "PBG-TSB-001",
            "quantity_0": "36",
            "price_0": "150.000",
            "sku_1": "PBG-PKI-001",
            "quantity_1": "60",
            "price_1": "35.000",
            "buyer": "DLH PKP Purbalingga",
            "valid_days": "14",
            "discount": "10",
        },
    )

    # then
    quotation = Quotation.objects.get()
    assert response.status_code == 302
    assert quotation.total_idr == 6_750_000
    detail = staff.get(response["Location"])
    html = detail.content.decode()
    assert "Rp6.750.000" in html
    assert "44 hari" in html
    assert "Rp1.710.000" in html
    assert "Rp710.000" in html
    assert "Bukti pembelian" in html
    no_maker_in(detail)
    pdf = staff.get(f"/staf/pengadaan/penawaran/{quotation.number}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_bad_quotation_shows_messages_and_saves_nothing(staff, rfq):
    response = staff.post(
        f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/",
        {"rows": "1", "sku_0": "NOPE", "quantity_0": "1", "price_0": "1.000", "buyer": "X", "valid_days": "0"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert Quotation.objects.count() == 0
    assert "NOPE" in response.content.decode()


def test_add_a_line_gives_one_more_row_without_saving(staff, rfq):
    response = staff.post(f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/", {"rows": "3", "_add_line": "1"})
    assert 'name="sku_3"' in response.content.decode()
    assert Quotation.objects.count() == 0


def test_the_ppn_settings_are_saved(staff, world):
    response = staff.post(
        "/staf/pengadaan/pengaturan/",
        {
            "organization": world["facility"].pk,
            "ppn_enabled": "on",
            "ppn_rate": "11",
            "valid_days": "30",
            "recognition": "PAYMENT",
            "payment_days": "14",
        },
    )
    assert response.status_code == 302
    settings = tax_settings_for(organization=world["facility"])
    assert (settings.ppn_enabled, settings.ppn_rate_bp, settings.valid_days) == (True, 1100, 30)
    assert (settings.recognition, settings.payment_days) == ("PAYMENT", 14)


def test_another_sellers_staff_get_404(client, world, rfq):
    client.force_login(world["admin"])
    client.post(
        f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/",
        {
            "rows": "1",
            "sku_0": "PBG-TSB-001",
            "quantity_0": "1",
            "price_0": "150.000",
            "buyer": "X",
            "valid_days": "14",
        },
    )
    number = Quotation.objects.get().number
    client.force_login(world["other_admin"])
    assert "DLH" not in client.get("/staf/pengadaan/").content.decode()
    assert client.get(f"/staf/pengadaan/permintaan/{rfq.pk}/").status_code == 404
    assert client.get(f"/staf/pengadaan/permintaan/{rfq.pk}/penawaran/").status_code == 404
    assert client.get(f"/staf/pengadaan/penawaran/{number}/").status_code == 404
    assert client.get(f"/staf/pengadaan/penawaran/{number}/pdf/").status_code == 404
