"""The outlet partner hands goods back from their portal (``mitra/<id>/retur/``): one row per lot on the shelf,
a reason, the return in transit until the seller's staff confirm it on their own page; the partner's detail
page and PDF (never a maker); errors in the user's language with nothing saved; another outlet gets 404."""

import subprocess

import pytest
from django.urls import reverse

from binakarya.consignment.models import ConsignmentReturn
from binakarya.core.models import AuditEvent
from binakarya.inventory.models import Transfer
from tests.consignment.settle import shelf_agreement
from tests.consignment.test_partner_pages import EN, gerai, no_maker_in, shelf_units  # noqa: F401 (fixture)


@pytest.fixture
def hotel(world, today):
    """The hotel's agreement: all 10 whips and 6 bags on its shelf, received by its partner."""
    return shelf_agreement(world, today)


@pytest.fixture
def partner(client, world):
    client.force_login(world["partner"])
    return client


def url(name, agreement, *args):
    return reverse(f"backoffice:{name}", args=[agreement.pk, *args])


def indonesian(address):
    return address.removeprefix("/en")  # the default language has no prefix


def pdf_text(response):
    return subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout


def test_the_form_has_one_row_per_lot_on_the_shelf(partner, world, hotel):
    response = partner.get(url("partner_return", hotel), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" not in html and 'name="viewport"' in html and "novalidate" in html
    for lot in (world["whip_lot"].code, world["bag_lot"].code):
        assert f'data-lot="{lot}"' in html and f'name="lot_{lot}"' in html
    assert "Pecut Sapi" in html and "SMP-PCT-001" in html and "10 on the shelf" in html
    assert 'name="reason"' in html
    no_maker_in(html)


def test_the_home_card_links_to_it(partner, hotel):
    html = partner.get(reverse("backoffice:partner_home"), **EN).content.decode()
    assert url("partner_return", hotel) in html and "Hand goods back" in html


def test_handing_goods_back_puts_them_in_transit_until_the_seller_confirms(partner, client, world, hotel):
    whip, bag = world["whip_lot"].code, world["bag_lot"].code
    response = partner.post(
        url("partner_return", hotel), {f"lot_{whip}": "3", f"lot_{bag}": "1", "reason": "rusak ringan"}
    )
    returned = ConsignmentReturn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("partner_return_detail", hotel, returned.pk)
    # the goods left the shelf and are on their way: the seller's store has not got them yet
    assert returned.kind == "RETURN" and returned.reason == "rusak ringan" and returned.created_by == world["partner"]
    assert returned.transfer.status == Transfer.Status.IN_TRANSIT and returned.received_at is None
    assert shelf_units(world, hotel) == {whip: 7, bag: 5}
    assert sorted(returned.lines.values_list("lot__code", "quantity")) == sorted([(whip, 3), (bag, 1)])
    assert AuditEvent.objects.filter(action="consignment.return", actor=world["partner"]).count() == 1

    # the partner's detail page: lines, state waiting for the seller, the PDF; never a maker
    detail = partner.get(response["Location"], **EN)
    html = detail.content.decode()
    assert detail.status_code == 200 and "<table" not in html
    assert "Waiting for the seller" in html and "rusak ringan" in html and "Pecut Sapi" in html
    assert returned.transfer.document.verify_code in html
    assert url("partner_return_pdf", hotel, returned.pk) in html
    no_maker_in(html)
    pdf = partner.get(url("partner_return_pdf", hotel, returned.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    text = pdf_text(pdf).decode()
    assert returned.transfer.number in text and whip in text
    no_maker_in(text)

    # the home card and the form page list it, waiting
    home = partner.get(reverse("backoffice:partner_home"), **EN).content.decode()
    assert f'data-return="{returned.pk}"' in home and "Waiting for the seller" in home
    page = partner.get(url("partner_return", hotel), **EN).content.decode()
    assert f'data-return="{returned.pk}"' in page

    # the seller's staff see it on their own page, on its way, and confirm it there
    client.force_login(world["admin"])
    staff_detail = client.get(url("consignment_shelf_return_detail", hotel, returned.pk), **EN)
    assert staff_detail.status_code == 200 and "On its way" in staff_detail.content.decode()
    confirmed = client.post(url("consignment_shelf_return_receive", hotel, returned.pk), **EN)
    assert confirmed.status_code == 302
    returned.refresh_from_db()
    returned.transfer.refresh_from_db()
    assert returned.received_at is not None and returned.transfer.status == Transfer.Status.RECEIVED

    # back on the partner's side: received
    client.force_login(world["partner"])
    html = client.get(url("partner_return_detail", hotel, returned.pk), **EN).content.decode()
    assert "Received by the seller" in html and "Waiting for the seller" not in html


def test_the_indonesian_page_and_message(partner, world, hotel):
    whip = world["whip_lot"].code
    page = partner.get(indonesian(url("partner_return", hotel))).content.decode()
    assert "Kembalikan barang" in page and "Alasan" in page
    response = partner.post(indonesian(url("partner_return", hotel)), {f"lot_{whip}": "2", "reason": "tidak laku"})
    assert response.status_code == 302
    detail = partner.get(indonesian(response["Location"])).content.decode()
    assert "Menunggu penjual" in detail


@pytest.mark.parametrize(
    ("data", "english", "bahasa"),
    [
        ({"lot_{whip}": "11", "reason": "rusak ringan"}, "More than on the shelf", "Lebih dari yang ada di rak"),
        ({"reason": "tidak laku"}, "at least one item", "paling sedikit satu barang"),
        ({"lot_{whip}": "2", "reason": "  "}, "Say why the goods go back", "Tuliskan alasan barang dikembalikan"),
        ({"lot_{whip}": "dua", "reason": "tidak laku"}, "whole number", "bilangan bulat"),
    ],
)
def test_bad_input_is_explained_in_the_users_language_and_nothing_is_saved(
    partner, world, hotel, data, english, bahasa
):
    whip = world["whip_lot"].code
    post = {key.format(whip=whip): value for key, value in data.items()}
    before = shelf_units(world, hotel)
    transfers = Transfer.objects.count()
    response = partner.post(url("partner_return", hotel), post, **EN)
    assert response.status_code == 200 and english in response.content.decode()
    response = partner.post(indonesian(url("partner_return", hotel)), post)
    assert response.status_code == 200 and bahasa in response.content.decode()
    assert not ConsignmentReturn.objects.exists() and Transfer.objects.count() == transfers
    assert shelf_units(world, hotel) == before


def test_another_outlets_partner_gets_404_and_sees_nothing(client, partner, world, hotel, gerai):  # noqa: F811
    whip = world["whip_lot"].code
    partner.post(url("partner_return", hotel), {f"lot_{whip}": "1", "reason": "rusak ringan"})
    returned = ConsignmentReturn.objects.get()
    client.force_login(world["other_partner"])
    for address in [
        url("partner_return", hotel),
        url("partner_return_detail", hotel, returned.pk),
        url("partner_return_pdf", hotel, returned.pk),
        # the return under the other partner's own agreement: 404 too
        url("partner_return_detail", gerai, returned.pk),
        url("partner_return_pdf", gerai, returned.pk),
    ]:
        assert client.get(address).status_code == 404, address
    assert client.post(url("partner_return", hotel), {f"lot_{whip}": "1", "reason": "x"}).status_code == 404
    assert ConsignmentReturn.objects.count() == 1
    html = client.get(reverse("backoffice:partner_home")).content.decode()
    assert f'data-return="{returned.pk}"' not in html


def test_users_who_are_no_partner_get_403_and_seller_staff_use_their_own_pages(client, world, hotel):
    whip = world["whip_lot"].code
    for user in (world["admin"], world["stranger"]):
        client.force_login(user)
        assert client.get(url("partner_return", hotel)).status_code == 403
        assert client.post(url("partner_return", hotel), {f"lot_{whip}": "1", "reason": "x"}).status_code == 403
    assert not ConsignmentReturn.objects.exists()
    # the seller's staff hand back (recall) from their own page; the partner may open it there, not on staff pages
    client.force_login(world["admin"])
    assert client.get(url("consignment_shelf_return", hotel)).status_code == 200
    client.force_login(world["partner"])
    assert client.get(url("consignment_shelf_return", hotel)).status_code == 403


def test_a_recall_by_the_seller_shows_as_received_to_the_partner(client, partner, world, hotel):
    client.force_login(world["admin"])
    whip = world["whip_lot"].code
    page = client.get(url("consignment_shelf_return", hotel))
    name = {row.sku: field for row, field in page.context["form"].shelf_rows}["SMP-PCT-001"]
    client.post(url("consignment_shelf_return", hotel), {"kind": "RECALL", name: "2", "note": "Lambat laku"})
    returned = ConsignmentReturn.objects.get()
    partner.force_login(world["partner"])  # the same client
    html = partner.get(url("partner_return_detail", hotel, returned.pk), **EN).content.decode()
    assert "Recall by the seller" in html and "Received by the seller" in html and whip in html
    no_maker_in(html)
