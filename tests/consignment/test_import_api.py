"""POST /api/v1/consignments/{id}/sales/import and GET …/sales/template.csv: both sides, errors per row, 404s."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from binakarya.accounts.services import api_token_create
from binakarya.consignment.models import ConsignmentSale
from binakarya.sales.models import Sale
from tests.consignment.settle import shelf_agreement
from tests.consignment.world import MAKER_NAMES


def auth(user, language="en"):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


@pytest.fixture
def shelf(world, today):
    return shelf_agreement(world, today)


def a_file(today, sku="SMP-PCT-001", quantity=2):
    day = (today - datetime.timedelta(days=1)).isoformat()
    return f"tanggal;sku;jumlah;harga\n{day};{sku};{quantity};Rp75.000\n{day};SMP-RJT-001;1;\n".encode()


def upload(client, agreement_id, data, headers):
    return client.post(
        f"/api/v1/consignments/{agreement_id}/sales/import",
        {"file": SimpleUploadedFile("till.csv", data, content_type="text/csv")},
        **headers,
    )


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


@pytest.mark.parametrize("who", ["partner", "admin"])
def test_both_sides_import_a_file(client, world, shelf, today, who):
    response = upload(client, shelf.pk, a_file(today), auth(world[who]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("sales", "lines", "units", "gross_idr", "commission_idr", "net_idr")} == {
        "sales": 1,
        "lines": 2,
        "units": 3,
        "gross_idr": 270_000,
        "commission_idr": 54_000,
        "net_idr": 216_000,
    }
    assert ConsignmentSale.objects.filter(agreement=shelf).count() == 1
    no_maker_in(response)


def test_a_raw_csv_body_is_accepted_too(client, world, shelf, today):
    response = client.post(
        f"/api/v1/consignments/{shelf.pk}/sales/import",
        a_file(today),
        content_type="text/csv",
        **auth(world["partner"]),
    )
    assert response.status_code == 201, response.json()


def test_errors_are_listed_per_row_in_the_callers_language(client, world, shelf, today):
    data = a_file(today, sku="SMP-XXX-999")
    english = upload(client, shelf.pk, data, auth(world["partner"]))
    indonesian = upload(client, shelf.pk, data, auth(world["partner"], "id"))
    assert english.status_code == indonesian.status_code == 422
    assert english.json()["errors"] == [{"row": 2, "column": "sku", "message": "Unknown SKU: SMP-XXX-999."}]
    assert indonesian.json()["errors"][0]["message"] == "SKU tidak dikenal: SMP-XXX-999."
    assert english.json()["total"] == 1
    assert Sale.objects.count() == 0


def test_more_than_the_shelf_holds_across_rows_is_422(client, world, shelf, today):
    response = upload(client, shelf.pk, a_file(today, quantity=11), auth(world["partner"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 2
    assert Sale.objects.count() == 0


def test_no_file_is_422(client, world, shelf):
    response = client.post(f"/api/v1/consignments/{shelf.pk}/sales/import", **auth(world["partner"]))
    assert response.status_code == 422
    assert "multipart" in response.json()["detail"]


@pytest.mark.parametrize("who", ["other_partner", "stranger"])
def test_another_outlet_or_organization_gets_404(client, world, shelf, today, who):
    response = upload(client, shelf.pk, a_file(today), auth(world[who]))
    assert response.status_code == 404
    template = client.get(f"/api/v1/consignments/{shelf.pk}/sales/template.csv", **auth(world[who]))
    assert template.status_code == 404
    assert Sale.objects.count() == 0


def test_the_template_downloads(client, world, shelf):
    response = client.get(f"/api/v1/consignments/{shelf.pk}/sales/template.csv", **auth(world["partner"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == "tanggal,sku,jumlah,harga,kode_lot"
    no_maker_in(response)


def test_a_huge_file_is_422_for_the_file_as_a_whole(client, world, shelf):
    data = b"tanggal,sku,jumlah\n" + b"2026-01-01,SMP-PCT-001,1\n" * 220_000  # about 5.5 MB
    response = upload(client, shelf.pk, data, auth(world["partner"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 0
    assert "at most 5 MB" in response.json()["errors"][0]["message"]
    assert Sale.objects.count() == 0


def test_a_file_that_is_not_csv_is_422_never_500(client, world, shelf):
    response = upload(client, shelf.pk, b"%PDF-1.7\n\x00\x01\x02binary", auth(world["admin"]))
    assert response.status_code == 422
    assert "not a CSV file" in response.json()["detail"] + response.json()["errors"][0]["message"]
