"""The point of sale's staff pages: open a session, the till (typed codes, +/−, pay), receipt, closing report."""

import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from binakarya.pos.models import PosSale, PosSession
from binakarya.pos.services import PosLineInput, pos_sale_record, pos_session_open
from binakarya.sales.models import Sale
from tests.backoffice.helpers import text


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def cashier_client(client, bazaar):
    client.force_login(bazaar["cashier"])
    return client


def open_session(client, bazaar, cash="200.000"):
    response = client.post(reverse("backoffice:pos_open"), {"location": bazaar["event"].pk, "opening_cash_idr": cash})
    session = PosSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:pos_till", args=[session.pk])
    return session


def test_the_menu_leads_to_the_point_of_sale(cashier_client):
    page = cashier_client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:pos_sessions") in page
    page = cashier_client.get(reverse("backoffice:pos_sessions")).content.decode()
    assert reverse("backoffice:pos_open") in page


def test_the_open_form_offers_the_bazaar_and_refuses_bad_cash(cashier_client, bazaar):
    page = cashier_client.get(reverse("backoffice:pos_open")).content.decode()
    assert "Bazar Hari Bakti Pemasyarakatan" in page and "novalidate" in page
    response = cashier_client.post(
        reverse("backoffice:pos_open"), {"location": bazaar["event"].pk, "opening_cash_idr": "abc"}
    )
    assert response.status_code == 200 and not PosSession.objects.exists()


def test_a_sale_at_the_till_without_javascript(cashier_client, bazaar):
    session = open_session(cashier_client, bazaar)
    till = reverse("backoffice:pos_till", args=[session.pk])
    add = reverse("backoffice:pos_cart_add", args=[session.pk])
    change = reverse("backoffice:pos_cart_change", args=[session.pk])
    for code in (bazaar["new_lot"].code, bazaar["whip_lot"].code.lower(), bazaar["whip_lot"].code):
        assert cashier_client.post(add, {"code": code}).status_code == 302
    assert cashier_client.post(add, {"code": "TIDAKADA"}).status_code == 400
    page = cashier_client.get(till).content.decode()
    assert "Kain Batik Sekar Jagad" in page and "Pecut Sapi" in page
    assert "Rp600.000" in page  # 450.000 + 2 × 75.000
    cashier_client.post(change, {"code": bazaar["whip_lot"].code, "delta": "-1"})
    cashier_client.post(change, {"code": bazaar["new_lot"].code, "delta": "1"})
    page = cashier_client.get(till).content.decode()
    assert "Rp975.000" in page  # 2 × 450.000 + 75.000
    # Too little cash: refused, the cart stays.
    response = cashier_client.post(
        reverse("backoffice:pos_pay", args=[session.pk]), {"payment_method": "CASH", "cash_received_idr": "500.000"}
    )
    assert response.status_code == 400 and not Sale.objects.exists()
    response = cashier_client.post(
        reverse("backoffice:pos_pay", args=[session.pk]),
        {"payment_method": "CASH", "cash_received_idr": "1.000.000"},
    )
    pos_sale = PosSale.objects.get()
    assert response["Location"] == reverse("backoffice:pos_receipt", args=[pos_sale.sale.number])
    assert pos_sale.change_idr == 25_000
    assert {line.lot_id for line in pos_sale.sale.lines.all()} == {bazaar["new_lot"].pk, bazaar["whip_lot"].pk}
    assert 'data-testid="cart"' not in cashier_client.get(till).content.decode()  # the cart is empty again


def test_the_till_is_redrawn_by_htmx(cashier_client, bazaar):
    session = open_session(cashier_client, bazaar)
    response = cashier_client.post(
        reverse("backoffice:pos_cart_add", args=[session.pk]), {"code": bazaar["new_lot"].code}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="till"') and "Rp450.000" in body


def receipt_for(bazaar):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=100_000)
    return session, pos_sale_record(
        actor=bazaar["cashier"],
        session=session,
        lines=[PosLineInput(bazaar["new_lot"].code, 1), PosLineInput(bazaar["whip_lot"].code, 1)],
        payment_method="CASH",
        cash_received_idr=600_000,
    )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_the_receipt_names_items_lots_and_code_never_a_maker(cashier_client, bazaar, tmp_path):
    _session, pos_sale = receipt_for(bazaar)
    number = pos_sale.sale.number
    page = cashier_client.get(reverse("backoffice:pos_receipt", args=[number])).content.decode()
    assert "size: 58mm" in open("binakarya/static/css/pos-receipt.css").read()
    assert "css/pos-receipt.css" in page and "data-print" in page
    assert pos_sale.receipt.verify_code in page and bazaar["new_lot"].code in page
    assert reverse("storefront:trace", args=[bazaar["new_lot"].code]) in page
    assert "Rp525.000" in page and "Rp75.000" in page  # total and change
    response = cashier_client.get(reverse("backoffice:pos_receipt_pdf", args=[number]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pdf_text(response.content, tmp_path)
    assert pos_sale.receipt.verify_code in pdf and "Kain Batik Sekar Jagad" in pdf
    info = subprocess.run(["pdfinfo", str(tmp_path / "doc.pdf")], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and re.search(r"Page size:\s+164\.4\d* x", info)  # one 58 mm wide page
    for maker in bazaar["makers"]:
        assert maker.full_name not in page
        assert maker.full_name not in pdf
        assert maker.registration_number not in page and maker.registration_number not in pdf


def test_closing_shows_the_difference_and_the_report_names_no_maker(cashier_client, bazaar, tmp_path):
    session, _pos_sale = receipt_for(bazaar)
    close = reverse("backoffice:pos_close", args=[session.pk])
    page = cashier_client.get(close).content.decode()
    assert "Rp525.000" in page
    response = cashier_client.post(close, {"counted_cash_idr": "620.000", "note": ""})
    assert response["Location"] == reverse("backoffice:pos_closing", args=[session.pk])
    session.refresh_from_db()
    assert (session.expected_cash_idr, session.difference_idr) == (625_000, -5_000)
    report = cashier_client.get(response["Location"]).content.decode()
    assert "-Rp5.000" in report or "−Rp5.000" in report
    assert session.closing_document.verify_code in report
    pdf = pdf_text(cashier_client.get(reverse("backoffice:pos_closing_pdf", args=[session.pk])).content, tmp_path)
    # (pdftotext joins a number broken over two lines without its hyphen)
    assert session.number.replace("-", "") in pdf.replace("-", "") and "Rp625.000" in pdf
    for maker in bazaar["makers"]:
        assert maker.full_name not in report and maker.full_name not in pdf
    # The till of a closed session leads to its report.
    assert cashier_client.get(reverse("backoffice:pos_till", args=[session.pk]))["Location"].endswith(
        reverse("backoffice:pos_closing", args=[session.pk])
    )


def test_another_organization_sees_nothing(client, bazaar, stranger):
    session, pos_sale = receipt_for(bazaar)
    client.force_login(stranger)
    for url in (
        reverse("backoffice:pos_till", args=[session.pk]),
        reverse("backoffice:pos_closing", args=[session.pk]),
        reverse("backoffice:pos_receipt", args=[pos_sale.sale.number]),
        reverse("backoffice:pos_receipt_pdf", args=[pos_sale.sale.number]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("backoffice:pos_cart_add", args=[session.pk]), {"code": "X"}).status_code == 404
    assert session.number not in client.get(reverse("backoffice:pos_sessions")).content.decode()
    # Nor can they open a till at our bazaar.
    response = client.post(reverse("backoffice:pos_open"), {"location": bazaar["event"].pk, "opening_cash_idr": "0"})
    assert response.status_code == 200 and PosSession.objects.count() == 1
    assert text("Point of sale")


def test_staff_add_an_event_location_and_send_stock_there_and_back(client, bazaar):
    """A bazaar is a location like any other: added on the locations page, stocked and emptied by transfers."""
    from binakarya.inventory.models import Location, Transfer

    client.force_login(bazaar["admin"])
    page = client.get(reverse("backoffice:locations")).content.decode()
    assert 'value="EVENT"' in page
    response = client.post(
        reverse("backoffice:locations"),
        {"organization": bazaar["facility"].pk, "name": "Pameran Inacraft", "kind": "EVENT"},
    )
    assert response.status_code == 302
    fair = Location.objects.get(name="Pameran Inacraft")
    assert fair.kind == Location.Kind.EVENT
    # To the fair from the bazaar, and back: each with its surat jalan.
    for source, target in ((bazaar["event"], fair), (fair, bazaar["event"])):
        response = client.post(
            reverse("backoffice:transfer_create"),
            {
                "from_location": source.pk,
                "to_location": target.pk,
                "note": "",
                "baris-TOTAL_FORMS": "1",
                "baris-INITIAL_FORMS": "0",
                "baris-0-variant": bazaar["whip"].pk,
                "baris-0-quantity": "2",
            },
        )
        assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())
        transfer = Transfer.objects.latest("pk")
        assert transfer.document is not None and transfer.to_location == target
        received = {f"line_{line.pk}": str(line.quantity_sent) for line in transfer.lines.all()}
        client.post(reverse("backoffice:transfer_receive", args=[transfer.number]), received)
    assert Transfer.objects.filter(status=Transfer.Status.RECEIVED).count() == 3  # the world's, and these two
