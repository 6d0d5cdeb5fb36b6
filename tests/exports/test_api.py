"""The export API: the public inquiry (throttled, errors in the caller's language, nothing half-saved), the
staff's pro-forma with its packing list, the SKA checklist, exporter settings, and another seller's 404."""

from decimal import Decimal

import pytest
from django.test import override_settings

from binakarya.accounts.services import api_token_create
from binakarya.exports.models import ExportInquiry, Proforma
from tests.exports.world import MAKER_NAMES

INQUIRY = {
    "company": "Kyoto Crafts K.K.",
    "contact": {"name": "Yuki Tanaka", "email": "yuki@kyoto-crafts.example", "phone": "+81 75 123 4567"},
    "country": "JP",
    "incoterm": "FOB",
    "place": "Tanjung Perak, Surabaya",
    "lines": [{"sku": "SMP-PCT-001", "quantity": 60}, {"sku": "SMP-LYG-001", "quantity": 25}],
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def inquiry_id(client, world):
    response = client.post("/api/v1/export-inquiries", INQUIRY, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def no_maker(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_a_public_inquiry_is_created(client, world):
    response = client.post(
        "/api/v1/export-inquiries", INQUIRY, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 201
    body = response.json()
    inquiry = ExportInquiry.objects.get()
    assert body["number"] == inquiry.number and body["seller"] == "rutan-sumenep" and body["status"] == "NEW"
    assert body["lines"] == [
        {"sku": "SMP-PCT-001", "description": "Sumenep cattle whip", "quantity": 60},
        {"sku": "SMP-LYG-001", "description": "Dragon kite", "quantity": 25},
    ]
    assert body["documents_url"].endswith(f"/en/ekspor/dokumen/{inquiry.token}/")
    assert inquiry.language == "en"
    no_maker(response)


def test_bad_input_is_400_in_english_and_nothing_saved(client, world):
    bad = INQUIRY | {"country": "ID", "lines": [{"sku": "SMP-PCT-001", "quantity": 5}]}

    response = client.post("/api/v1/export-inquiries", bad, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "country": ["Indonesia is not an export destination: use the catalog or ask for a quotation."],
        "lines": ["The minimum export order of Sumenep cattle whip is 50 units; you asked for 5."],
    }
    assert not ExportInquiry.objects.exists()


def test_bad_input_is_400_in_indonesian(client, world):
    bad = INQUIRY | {"incoterm": "DDP"}

    response = client.post("/api/v1/export-inquiries", bad, content_type="application/json", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 400
    assert response.json()["errors"] == {"incoterm": ["Pilih Incoterm: EXW, FOB atau CIF."]}
    assert not ExportInquiry.objects.exists()


def test_a_malformed_body_is_422_naming_the_field(client, world):
    response = client.post("/api/v1/export-inquiries", INQUIRY | {"lines": "many"}, content_type="application/json")

    assert response.status_code == 422
    assert "lines" in response.json()["errors"]


@override_settings(EXPORTS_PUBLIC_INQUIRY_RATE="1/h")
def test_the_public_endpoint_is_throttled(client, world):
    first = client.post("/api/v1/export-inquiries", INQUIRY, content_type="application/json")
    second = client.post("/api/v1/export-inquiries", INQUIRY, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 429)
    assert int(second["Retry-After"]) >= 1
    assert ExportInquiry.objects.count() == 1


def test_staff_issue_the_proforma_and_packing_list(client, world, inquiry_id, today):
    response = client.post(
        f"/api/v1/export-inquiries/{inquiry_id}/proforma",
        {"currency": "USD", "lines": [{"sku": "SMP-PCT-001", "quantity": 60, "unit_price_idr": 130_000}]},
        content_type="application/json",
        **bearer(world["admin"]),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    proforma = Proforma.objects.get()
    assert body["number"] == proforma.number
    assert (body["currency"], Decimal(body["idr_per_unit"]), body["rate_date"]) == (
        "USD",
        Decimal("16250"),
        today.replace(day=1).isoformat(),
    )
    # Rp130.000 / 16.250 = US$8.00 exactly
    assert (body["total_idr"], Decimal(body["total"])) == (7_800_000, Decimal("480.00"))
    assert body["lines"][0]["hs_code"] == "6602.00" and Decimal(body["lines"][0]["unit_price"]) == Decimal("8.00")
    assert (body["packages"], body["net_weight_grams"], body["gross_weight_grams"]) == (60, 24_000, 33_000)
    assert Decimal(body["volume_m3"]) == Decimal("0.576")
    assert body["verify_code"] == proforma.document.verify_code
    assert body["packing_list"]["verify_code"] == proforma.packing_list.document.verify_code
    assert body["packing_list"]["number"] == proforma.packing_list.number
    pdf = client.get(body["pdf_url"], **bearer(world["admin"]))
    packing = client.get(body["packing_list"]["pdf_url"], **bearer(world["admin"]))
    assert pdf.status_code == packing.status_code == 200
    assert pdf.content.startswith(b"%PDF") and packing.content.startswith(b"%PDF")
    detail = client.get(f"/api/v1/export-inquiries/{inquiry_id}", **bearer(world["admin"]))
    assert detail.json()["status"] == "QUOTED" and detail.json()["proformas"] == [proforma.number]
    no_maker(response)


def test_a_proforma_without_a_rate_is_400_and_nothing_issued(client, world, inquiry_id):
    response = client.post(
        f"/api/v1/export-inquiries/{inquiry_id}/proforma",
        {"currency": "SGD"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world["admin"]),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "currency": ["Rutan Kelas IIB Sumenep has no SGD rate in force. Enter one on the exchange rates page first."]
    }
    assert not Proforma.objects.exists()


def test_another_sellers_staff_get_404_everywhere(client, world, inquiry_id):
    own = client.post(
        f"/api/v1/export-inquiries/{inquiry_id}/proforma", {}, content_type="application/json", **bearer(world["admin"])
    )
    number = own.json()["number"]
    other = bearer(world["other_admin"])

    answers = [
        client.get(f"/api/v1/export-inquiries/{inquiry_id}", **other),
        client.get(f"/api/v1/export-inquiries/{inquiry_id}/checklist", **other),
        client.post(f"/api/v1/export-inquiries/{inquiry_id}/proforma", {}, content_type="application/json", **other),
        client.post(f"/api/v1/export-inquiries/{inquiry_id}/close", **other),
        client.put(
            f"/api/v1/export-inquiries/{inquiry_id}/checklist/peb",
            {"reference": "PEB 000123"},
            content_type="application/json",
            **other,
        ),
        client.get(f"/api/v1/proformas/{number}", **other),
        client.get(f"/api/v1/proformas/{number}/pdf", **other),
        client.get(f"/api/v1/proformas/{number}/packing-list.pdf", **other),
    ]

    assert [a.status_code for a in answers] == [404] * 8
    assert client.get("/api/v1/export-inquiries", **other).json() == {"count": 0, "items": []}
    assert Proforma.objects.count() == 1
    assert ExportInquiry.objects.get().status == "QUOTED"


def test_the_checklist_shows_ready_and_missing_and_takes_marks(client, world, inquiry_id):
    staff = bearer(world["admin"])

    before = client.get(f"/api/v1/export-inquiries/{inquiry_id}/checklist", **staff).json()
    client.put(
        "/api/v1/exporter-settings",
        {"nib": "1234567890123", "npwp": "01.234.567.8-901.000"},
        content_type="application/json",
        **staff,
    )
    client.post(f"/api/v1/export-inquiries/{inquiry_id}/proforma", {}, content_type="application/json", **staff)
    marked = client.put(
        f"/api/v1/export-inquiries/{inquiry_id}/checklist/peb",
        {"reference": "PEB 000123, 10 Dec 2026"},
        content_type="application/json",
        **staff,
    )
    refused = client.put(
        f"/api/v1/export-inquiries/{inquiry_id}/checklist/nib",
        {"reference": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **staff,
    )
    empty = client.put(
        f"/api/v1/export-inquiries/{inquiry_id}/checklist/transport",
        {"reference": " "},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **staff,
    )

    assert [item["key"] for item in before["items"]] == [
        "NIB",
        "NPWP",
        "INVOICE",
        "PACKING_LIST",
        "ESKA_ACCOUNT",
        "PEB",
        "TRANSPORT",
        "ORIGIN",
    ]
    assert before["ready"] == 0
    assert marked.status_code == 200
    after = marked.json()
    assert after["missing"] == ["ESKA_ACCOUNT", "TRANSPORT", "ORIGIN"]
    items = {item["key"]: item for item in after["items"]}
    assert items["NIB"]["reference"] == "1234567890123" and items["NPWP"]["reference"] == "012345678901000"
    assert items["INVOICE"]["reference"] == Proforma.objects.get().number
    assert items["PEB"] == items["PEB"] | {"ready": True, "manual": True, "reference": "PEB 000123, 10 Dec 2026"}
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"item": ["This checklist item is not marked by hand."]}
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"reference": ["Enter the reference, e.g. the PEB number and date."]}


def test_wood_needs_the_svlk_document(client, world, inquiry_id):
    from binakarya.catalog.export_services import ExportInput, export_profile_save

    profile = world["whip"].product.export_profile
    export_profile_save(
        actor=None,
        product=world["whip"].product,
        data=ExportInput(**{name: getattr(profile, name) for name in vars(ExportInput())} | {"hs_code": "4421.99"}),
    )

    checklist = client.get(f"/api/v1/export-inquiries/{inquiry_id}/checklist", **bearer(world["admin"])).json()

    assert checklist["missing"][-1] == "SVLK"


def test_exporter_settings_refuse_bad_numbers_and_save_nothing(client, world):
    response = client.put(
        "/api/v1/exporter-settings",
        {"nib": "12345", "npwp": "abc", "swift_code": "XX"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world["admin"]),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "nib": ["An NIB has 13 digits."],
        "npwp": ["An NPWP has 15 digits (16 in the new format), e.g. 01.234.567.8-901.000."],
        "swift_code": ["A SWIFT code has 8 or 11 letters and digits, e.g. BMRIIDJA."],
    }
    got = client.get("/api/v1/exporter-settings", **bearer(world["admin"])).json()
    assert got["nib"] == "" and got["organization"] == "rutan-sumenep"


def test_closing_an_inquiry(client, world, inquiry_id):
    staff = bearer(world["admin"])

    closed = client.post(f"/api/v1/export-inquiries/{inquiry_id}/close", **staff)
    again = client.post(f"/api/v1/export-inquiries/{inquiry_id}/close", HTTP_ACCEPT_LANGUAGE="en", **staff)

    assert closed.status_code == 200 and closed.json()["status"] == "CLOSED"
    assert again.status_code == 400
    assert again.json()["errors"] == {"status": ["This inquiry is closed already."]}
