"""The size lists' API: the public template, the upload (422 with each row's problem, nothing saved), the list
with its totals, the packing list, a quotation from a size list, and another seller's staff seeing nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from binakarya.accounts.services import api_token_create
from binakarya.deals.models import Quotation, SizeList, SizeListRow
from tests.deals.sizes_world import BATIK_MAKERS, PEOPLE, add_batik, filled_list
from tests.deals.world import MAKER_NAMES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def uniform(world):
    return add_batik(world)


def auth(user, language="en"):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


def xlsx(data: bytes, name="setda.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def send(client, uniform, data, user=None, language="en", **fields):
    body = {"file": xlsx(data), "sku": "PBG-KMJ-S", "rfq": uniform["rfq"].pk} | fields
    return client.post("/api/v1/size-lists", body, **auth(user or uniform["admin"], language))


def no_maker_in(response):
    text = response.content.decode(errors="replace")
    for name in MAKER_NAMES + BATIK_MAKERS:
        for part in name.split():
            assert part not in text, part


def test_anyone_downloads_the_template_of_a_published_garment_in_their_language(client, uniform):
    # when
    response = client.get("/api/v1/size-lists/template.xlsx?sku=PBG-KMJ-L", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Size list", "Sizes"]
    assert book.worksheets[0].cell(row=4, column=2).value == "Name / Nama"
    assert client.get("/api/v1/size-lists/template.xlsx?sku=NOPE").status_code == 404


def test_staff_upload_a_list_and_read_its_totals(client, uniform):
    # when
    response = send(client, uniform, filled_list(uniform["shirt"], PEOPLE))

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["persons"], body["quantity"], body["rfq"], body["already_uploaded"]) == (
        7,
        8,
        uniform["rfq"].pk,
        False,
    )
    assert body["totals"] == [
        {"sku": "PBG-KMJ-S", "size": "S", "persons": 1, "quantity": 1},
        {"sku": "PBG-KMJ-M", "size": "M", "persons": 3, "quantity": 4},
        {"sku": "PBG-KMJ-L", "size": "L", "persons": 2, "quantity": 2},
        {"sku": "PBG-KMJ-XL", "size": "XL", "persons": 1, "quantity": 1},
    ]
    detail = client.get(f"/api/v1/size-lists/{body['id']}", **auth(uniform["admin"])).json()
    assert detail["rows"][3] == {
        "row": 8,
        "name": "Rina Kusuma",
        "nip": "199003032015032003",
        "unit": "Dinas Kominfo",
        "size": "M",
        "sku": "PBG-KMJ-M",
        "quantity": 2,
        "note": "",
    }
    listed = client.get(f"/api/v1/size-lists?rfq={uniform['rfq'].pk}", **auth(uniform["admin"])).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    no_maker_in(response)


def test_the_same_file_again_answers_200_and_saves_nothing(client, uniform):
    data = filled_list(uniform["shirt"], PEOPLE)
    first = send(client, uniform, data).json()

    again = send(client, uniform, data)

    assert again.status_code == 200
    assert (again.json()["id"], again.json()["already_uploaded"]) == (first["id"], True)
    assert SizeList.objects.count() == 1


def test_a_bad_list_is_422_with_each_rows_problem_in_the_callers_language(client, uniform):
    # given
    data = filled_list(uniform["shirt"], [("", "", "Umum", "M", 1, "x"), ("Siti", "", "Umum", "XXL", 1, "")])

    # when
    response = send(client, uniform, data, language="id")

    # then
    assert response.status_code == 422
    assert response.json() == {
        "detail": "2 masalah dalam daftar ukuran; tidak ada yang disimpan.",
        "total": 2,
        "errors": [
            {"row": 5, "column": "Nama / Name", "message": "Isi nama orangnya."},
            {"row": 6, "column": "Ukuran / Size", "message": "Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL."},
        ],
    }
    assert SizeList.objects.count() == SizeListRow.objects.count() == 0


def test_a_macro_workbook_is_422(client, uniform):
    response = send(client, uniform, b"PK\x03\x04junk", language="en")

    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 0
    assert SizeList.objects.count() == 0


def test_another_sellers_staff_get_404(client, uniform):
    # given
    size_list_id = send(client, uniform, filled_list(uniform["shirt"], PEOPLE)).json()["id"]
    other = auth(uniform["other_admin"])

    # then
    for path in ("", "/packing-list.pdf", "/packing-list.xlsx"):
        assert client.get(f"/api/v1/size-lists/{size_list_id}{path}", **other).status_code == 404, path
    assert client.get("/api/v1/size-lists", **other).json() == {"count": 0, "items": []}
    assert (
        send(client, uniform, filled_list(uniform["shirt"], PEOPLE[:2]), user=uniform["other_admin"]).status_code == 404
    )
    body = {"file": xlsx(filled_list(uniform["shirt"], PEOPLE[:2])), "sku": "PBG-KMJ-S"}
    assert client.post("/api/v1/size-lists", body, **other).status_code == 400
    quotation = {"size_list": size_list_id, "lines": []}
    assert client.post("/api/v1/quotations", quotation, content_type="application/json", **other).status_code == 404
    assert SizeList.objects.count() == 1


def test_the_packing_list_downloads_and_its_code_is_then_given(client, uniform):
    size_list_id = send(client, uniform, filled_list(uniform["shirt"], PEOPLE)).json()["id"]
    headers = auth(uniform["admin"])

    pdf = client.get(f"/api/v1/size-lists/{size_list_id}/packing-list.pdf?group=unit", **headers)
    sheet = client.get(f"/api/v1/size-lists/{size_list_id}/packing-list.xlsx?group=person", **headers)

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    detail = client.get(f"/api/v1/size-lists/{size_list_id}", **headers).json()
    assert detail["packing_list_verify_code"]
    assert pdf["Content-Disposition"].startswith('inline; filename="PKL-PBG-')
    assert client.get(f"/api/v1/size-lists/{size_list_id}/packing-list.pdf?group=nope", **headers).status_code == 422


def test_a_quotation_takes_the_size_list(client, uniform):
    # given
    size_list_id = send(client, uniform, filled_list(uniform["shirt"], PEOPLE)).json()["id"]

    # when only M is priced (with two spares); the other sizes come at their list price
    response = client.post(
        "/api/v1/quotations",
        {"size_list": size_list_id, "lines": [{"sku": "PBG-KMJ-M", "quantity": 6, "unit_price_idr": 175_000}]},
        content_type="application/json",
        **auth(uniform["admin"]),
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rfq"] == uniform["rfq"].pk
    assert body["buyer"] == "Bagian Umum Setda Kabupaten Bondowoso"
    assert sorted((line["sku"], line["quantity"]) for line in body["lines"]) == [
        ("PBG-KMJ-L", 2),
        ("PBG-KMJ-M", 6),
        ("PBG-KMJ-S", 1),
        ("PBG-KMJ-XL", 1),
    ]
    assert body["subtotal_idr"] == 6 * 175_000 + 2 * 190_000 + 180_000 + 195_000
    assert client.get(f"/api/v1/size-lists/{size_list_id}", **auth(uniform["admin"])).json()["quotations"] == [
        body["number"]
    ]


def test_a_quotation_short_of_the_size_list_is_400_and_saves_nothing(client, uniform):
    size_list_id = send(client, uniform, filled_list(uniform["shirt"], PEOPLE)).json()["id"]

    response = client.post(
        "/api/v1/quotations",
        {"size_list": size_list_id, "lines": [{"sku": "PBG-KMJ-M", "quantity": 2, "unit_price_idr": 175_000}]},
        content_type="application/json",
        **auth(uniform["admin"]),
    )

    assert response.status_code == 400
    assert "PBG-KMJ-M: the size list counts 4 pieces; the quotation has 2." in str(response.json())
    assert Quotation.objects.count() == 0
