"""What an outlet's partner can reach through the API: every GET path of the OpenAPI schema, walked.

The hotel's partner has sold goods of Rutan Sumenep, so every kind of row exists. For each path the partner
gets either a refusal (401, 403, 404) or an answer that names no maker, no registration number, nothing of the
other outlet, and nothing of the other facility. The facility's own staff records (makers, lots, stock, the
books, staff accounts, orders) are refused outright. New endpoints are walked automatically.
"""

import re

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.consignment.returns import ShelfLine, consignment_return_create
from binakarya.makers.models import Maker
from binakarya.sales.models import Sale
from tests.consignment.settle import sell, shelf_agreement

# Paths whose answer is public (the catalog, a seller's impact page, the webhook receiver): they answer
# anyone; the walk still checks that they name no maker.
PUBLIC = {
    "/api/v1/products",
    "/api/v1/products/{slug}",
    "/api/v1/producers",
    "/api/v1/impact/{organization_slug}",
    "/api/v1/payments/webhooks/{provider}",
}

# The facility's internal records: a partner is refused, or given an empty list (scoping finds nothing of theirs).
REFUSED = {
    "/api/v1/activities",
    "/api/v1/activities/{activity_id}",
    "/api/v1/agreements",
    "/api/v1/agreements/{agreement_id}",
    "/api/v1/agreements/{agreement_id}/document",
    "/api/v1/releases",
    "/api/v1/programs/outcomes",
    "/api/v1/makers",
    "/api/v1/makers/{maker_id}/statement",
    "/api/v1/makers/{maker_id}/skills",
    "/api/v1/certificates/{certificate_id}/pdf",
    "/api/v1/lots/{code}",
    "/api/v1/groups",
    "/api/v1/locations",
    "/api/v1/ledger/trial-balance",
    "/api/v1/staff",
    "/api/v1/capital/funds",
    "/api/v1/dashboards",
    "/api/v1/dashboards/panels",
    "/api/v1/pnbp",
    "/api/v1/split-rules",
    "/api/v1/stock",
    "/api/v1/orders",
    "/api/v1/pos/sessions",
    "/api/v1/transfers/{number}",
    "/api/v1/documents/{number}/pdf",
    "/api/v1/rfqs",
    "/api/v1/rfqs/{rfq_id}",
    "/api/v1/quotations",
    "/api/v1/quotations/{number}",
    "/api/v1/deals",
    "/api/v1/deals/{number}",
    "/api/v1/deals/{number}/documents/{document}/pdf",
    "/api/v1/size-lists",
    "/api/v1/size-lists/{size_list_id}",
    "/api/v1/export-inquiries",
    "/api/v1/export-inquiries/{inquiry_id}",
    "/api/v1/export-inquiries/{inquiry_id}/checklist",
    "/api/v1/exporter-settings",
    "/api/v1/proformas/{number}",
    "/api/v1/proformas/{number}/commercial-invoice.pdf",
    "/api/v1/feeds/{seller_slug}/problems",
    "/api/v1/feeds/{seller_slug}/tiktok.csv",
    "/api/v1/feeds/{seller_slug}/shopee.xlsx",
    "/api/v1/feeds/{seller_slug}/shopee-stock.xlsx",
    "/api/v1/reports/monthly/{org_slug}/{year}/{month}.pdf",
    "/api/v1/reports/ekatalog",
}

# Query strings a path needs to be answered at all: the seller's organization, a SKU.
QUERY = {
    "/api/v1/capital/funds": "?organization=rutan-sumenep",
    "/api/v1/ledger/trial-balance": "?organization=rutan-sumenep",
    "/api/v1/pnbp": "?organization=rutan-sumenep",
    "/api/v1/split-rules": "?organization=rutan-sumenep",
    "/api/v1/stock": "?sku=SMP-PCT-001",
    "/api/v1/makers": "?organization=rutan-sumenep",
    "/api/v1/groups": "?organization=rutan-sumenep",
    "/api/v1/programs/outcomes": "?scope=org:rutan-sumenep",
    "/api/v1/reports/ekatalog": "?province=Jawa%20Timur&date_from=2026-01-01&date_to=2026-12-31",
}


@pytest.fixture
def walk(client, world, today):
    agreement = shelf_agreement(world, today)
    sale = sell(world, agreement, today, whips=1, bags=1).sale
    handed_back = consignment_return_create(
        actor=world["partner"], agreement=agreement, kind="RETURN", lines=[ShelfLine(sku="SMP-PCT-001", quantity=1)]
    )
    maker = Maker.objects.filter(organization=world["facility"]).first()
    Maker.objects.filter(pk=maker.pk).update(registration_number="B.I-123/2025")
    values = {
        "agreement_id": agreement.pk,
        "activity_id": 1,
        "placement_id": agreement.placements.get().pk,
        "return_id": handed_back.pk,
        "statement_id": 1,
        "maker_id": maker.pk,
        "certificate_id": 1,
        "code": world["whip_lot"].code,
        "slug": "pecut-sapi",
        "number": sale.number,
        "organization_slug": "rutan-sumenep",
        "seller_slug": "rutan-sumenep",
        "organization": "rutan-sumenep",
        "org_slug": "rutan-sumenep",
        "month": today.month,
        "membership_id": 1,
        "session_id": 1,
        "payment_id": 1,
        "rfq_id": 1,
        "document": "SJ-SMP-2026-00001",
        "size_list_id": 1,
        "inquiry_id": 1,
        "provider": "manual",
        "year": today.year,
    }
    token = api_token_create(user=world["partner"], name="test")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
    schema = client.get("/api/v1/openapi.json").json()
    paths = sorted(path for path, ops in schema["paths"].items() if "get" in ops)
    answers = {}
    transfer = agreement.placements.get().transfer.number  # the tanda terima titipan
    for path in paths:
        values["number"] = transfer if path.startswith(("/api/v1/transfers", "/api/v1/documents")) else sale.number
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        answers[path] = client.get(url + QUERY.get(path, ""), **headers)
    return answers, world, sale


def test_the_walk_covers_the_api(walk):
    answers, _, _ = walk
    assert len(answers) >= 30
    assert "/api/v1/consignments/{agreement_id}/stock" in answers


def test_no_answer_names_a_maker_or_another_party(walk):
    answers, world, _ = walk
    forbidden = [*(part for m in world["makers"] for part in m.full_name.split()), "B.I-123/2025"]
    forbidden += ["Gerai Dekranasda", "gerai-dekranasda", "Bondowoso"]
    for path, response in answers.items():
        assert response.status_code != 500, path
        text = response.content.decode(errors="replace")
        for word in forbidden:
            assert word not in text, (path, word)


def test_the_facility_records_are_refused(walk):
    answers, _, _ = walk
    for path in REFUSED:
        response = answers[path]
        if response.status_code == 200:
            assert response.json()["items"] == [], path
        else:
            assert response.status_code in (400, 401, 403, 404), (path, response.status_code)


def test_the_partner_reaches_its_own_consignment(walk):
    answers, _, _ = walk
    stock = answers["/api/v1/consignments/{agreement_id}/stock"]
    assert stock.status_code == 200
    assert {item["sku"] for item in stock.json()["items"]} == {"SMP-PCT-001", "SMP-RJT-001"}
    listed = answers["/api/v1/consignments"]
    assert listed.status_code == 200
    assert [a["outlet"] for a in listed.json()["items"]] == ["hotel-bintang-sumenep"]


def test_sales_the_partner_sees_are_the_outlets_only(walk):
    answers, world, sale = walk
    listed = answers["/api/v1/sales"]
    if listed.status_code == 200:
        numbers = {s["number"] for s in listed.json()["items"]}
        assert numbers == set(Sale.objects.filter(location__outlet=world["hotel"]).values_list("number", flat=True))
        assert sale.number in numbers
    else:
        assert listed.status_code in (403, 404)


def test_other_outlets_partner_reaches_nothing_of_the_hotel(client, world, today):
    agreement = shelf_agreement(world, today)
    token = api_token_create(user=world["other_partner"], name="test")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    placement = agreement.placements.get().pk
    for suffix in ["", "/stock", f"/placements/{placement}", "/statements", f"/statement?from={today}&to={today}"]:
        response = client.get(f"/api/v1/consignments/{agreement.pk}{suffix}", **headers)
        assert response.status_code in (403, 404), suffix
    listed = client.get("/api/v1/consignments", **headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
