"""The deal chain through the API: accept a quotation with the PO, deliver twice (409 past the order), BAST,
invoice, payments (409 past the total), the documents' PDFs; another seller's staff get 404."""

import pytest

from binakarya.deals.models import Deal
from binakarya.deals.services import QuotationLineInput, quotation_issue
from tests.deals.test_api import auth, no_maker_in, post

SIGNERS = [
    {"side": "SELLER", "name": "Sri Pengelola", "position": "Kasi Kegiatan Kerja"},
    {"side": "BUYER", "name": "Budi Penerima", "position": "Pejabat Pembuat Komitmen", "id_number": "1970"},
]


@pytest.fixture
def quotation(world, today):
    return quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 12, 150_000), QuotationLineInput("PBG-PKI-001", 7, 35_000)],
        today=today,
    )


def test_the_whole_chain(client, world, quotation, today):
    staff = auth(world["admin"])
    accepted = post(
        client,
        f"/api/v1/quotations/{quotation.number}/accept",
        {"po_number": "027/55/DLH", "po_date": today.isoformat()},
        **staff,
    )
    assert accepted.status_code == 201, accepted.content
    deal = accepted.json()
    number = deal["number"]
    assert deal["status"] == "ORDERED" and deal["total_idr"] == 2_045_000
    assert deal["contract_form"] == "PROOF_OF_PURCHASE" and deal["next_step"] == {"code": "DELIVER", "figure": 19}
    again = post(
        client,
        f"/api/v1/quotations/{quotation.number}/accept",
        {"po_number": "X", "po_date": today.isoformat()},
        **staff,
    )
    assert again.status_code == 409 and again.json()["code"] == "accepted"

    first = post(
        client, f"/api/v1/deals/{number}/deliveries", {"lines": [{"sku": "PBG-TSB-001", "quantity": 12}]}, **staff
    )
    assert first.status_code == 201, first.content
    assert first.json()["verify_code"] and first.json()["document"]["kind"] == "SURAT_JALAN"
    over = post(
        client, f"/api/v1/deals/{number}/deliveries", {"lines": [{"sku": "PBG-PKI-001", "quantity": 8}]}, **staff
    )
    assert over.status_code == 409 and over.json()["code"] == "over_ordered"
    assert "PBG-PKI-001" in over.json()["detail"]
    second = post(
        client, f"/api/v1/deals/{number}/deliveries", {"lines": [{"sku": "PBG-PKI-001", "quantity": 7}]}, **staff
    )
    assert second.status_code == 201

    bast = post(client, f"/api/v1/deals/{number}/bast", {"signatories": SIGNERS, "note": "Baik"}, **staff)
    assert bast.status_code == 201, bast.content
    assert bast.json()["value_idr"] == 2_045_000 and bast.json()["sale"].startswith("PJ-PBG-")
    invoice = post(client, f"/api/v1/deals/{number}/invoice", {}, **staff)
    assert invoice.status_code == 201 and invoice.json()["kind"] == "RECEIPT"
    too_much = post(client, f"/api/v1/deals/{number}/payments", {"amount_idr": 2_045_001}, **staff)
    assert too_much.status_code == 409 and too_much.json()["code"] == "overpayment"
    paid = post(client, f"/api/v1/deals/{number}/payments", {"amount_idr": 2_045_000, "reference": "SP2D 7"}, **staff)
    assert paid.status_code == 201 and paid.json()["to_receivable_idr"] == 2_045_000

    final = client.get(f"/api/v1/deals/{number}", **staff).json()
    assert final["status"] == "PAID" and final["receivable_idr"] == 0 and final["next_step"]["code"] == "DONE"
    documents = [
        final["deliveries"][0]["document"],
        final["handovers"][0]["document"],
        final["invoices"][0]["document"],
    ]
    for document in documents:
        pdf = client.get(document["pdf_url"], **staff)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        verified = client.get(document["verify_url"])
        assert verified.status_code == 200
        no_maker_in(verified)


def test_bad_input_is_400_and_saves_nothing(client, world, quotation, today):
    response = post(
        client,
        f"/api/v1/quotations/{quotation.number}/accept",
        {"po_number": "", "po_date": today.isoformat(), "channel": "EPURCHASING"},
        **auth(world["admin"], "id"),
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"po_number", "platform"}
    assert "Masukkan nomor" in response.json()["errors"]["po_number"][0]
    assert not Deal.objects.exists()


def test_another_sellers_staff_get_404(client, world, quotation, today):
    staff, other = auth(world["admin"]), auth(world["other_admin"])
    number = post(
        client,
        f"/api/v1/quotations/{quotation.number}/accept",
        {"po_number": "P", "po_date": today.isoformat()},
        **staff,
    ).json()["number"]
    assert (
        post(
            client,
            f"/api/v1/quotations/{quotation.number}/accept",
            {"po_number": "Q", "po_date": today.isoformat()},
            **other,
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/deals/{number}", **other).status_code == 404
    assert client.get("/api/v1/deals", **other).json()["count"] == 0
    for path in ("deliveries", "bast", "invoice", "payments", "cancel"):
        assert post(client, f"/api/v1/deals/{number}/{path}", {}, **other).status_code in (404, 422)
    assert (
        post(
            client, f"/api/v1/deals/{number}/deliveries", {"lines": [{"sku": "PBG-TSB-001", "quantity": 1}]}, **other
        ).status_code
        == 404
    )
