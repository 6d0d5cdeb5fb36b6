"""The agency sends its size list with its request, on the public form and through the API: the request and the
list saved together (the garment's lines become the list's pieces per size) or neither, every row's problem
shown in Indonesian or English, a macro workbook refused, the template offered for the garments named, one
allowance per address shared with POST /rfqs, and no maker on any page or answer."""

import html
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from binakarya.catalog.services import product_refresh
from binakarya.core.models import AuditEvent
from binakarya.deals.models import Rfq, RfqLine, SizeList, SizeListRow
from binakarya.deals.services import Contact, RfqLineInput
from binakarya.deals.sizes import SizedRfqRefused, rfq_submit_with_size_list
from tests.deals.sizes_world import BATIK_MAKERS, PEOPLE, add_batik, filled_list
from tests.deals.world import MAKER_NAMES
from tests.factories import ProductFactory, VariantFactory

FORM = "/pengadaan/permintaan/"
API = "/api/v1/rfqs/with-size-list"
AGENCY = "Bagian Organisasi Setda Kabupaten Bondowoso"
REQUEST = {
    "rows": "3",
    "sku_0": "PBG-KMJ-M",  # the garment: its quantity is left empty, the list gives the pieces
    "description_1": "Pengki bambu besar",
    "quantity_1": "60",
    "agency": AGENCY,
    "name": "Ibu Lestari",
    "phone": "0812 3333 4444",
    "delivery_place": "Kantor Setda Bondowoso",
}
# Three problems: row 6 has no name, row 7 an unknown size, row 8 zero pieces (rows 1-4: title and header).
BAD_ROWS = [
    ("Ahmad Fauzi", "", "Bagian Umum", "M", 1, ""),
    ("", "", "Bagian Umum", "M", 1, "tanpa nama"),
    ("Siti Rahmawati", "", "Bagian Umum", "XXL", 1, ""),
    ("Dwi Prasetyo", "", "Bagian Umum", "L", 0, ""),
]


@pytest.fixture
def uniform(world):
    return add_batik(world)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def xlsx(data: bytes, name: str = "daftar-setda.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def macro(data: bytes) -> bytes:
    """The workbook with a VBA project inside, as Excel saves a macro workbook (under an .xlsx name here)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def text_of(response) -> str:
    return html.unescape(response.content.decode(errors="replace"))


def no_maker_in(response):
    text = text_of(response)
    for name in MAKER_NAMES + BATIK_MAKERS:
        for part in name.split():
            assert part not in text, part


def problem_rows(response) -> list[tuple[str, str, str]]:
    """(row, column, problem) of the page's table of the list's problems."""
    table = re.search(r'data-testid="size-list-error-rows">(.*?)</table>', text_of(response), re.DOTALL)
    assert table is not None
    cells = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", table.group(1))
    return [(row.strip(), column.strip(), problem.strip()) for row, column, problem in cells]


def nothing_saved(rfqs_before: int) -> None:
    assert Rfq.objects.count() == rfqs_before
    assert SizeList.objects.count() == 0
    assert SizeListRow.objects.count() == 0
    assert AuditEvent.objects.filter(action="deals.size_list_upload").count() == 0


# The form ---------------------------------------------------------------------------------------------------


def test_the_form_takes_a_file_and_offers_the_template_of_the_garment_named(client, uniform):
    # when the agency comes from the shirt's page
    page = client.get(f"{FORM}?sku=PBG-KMJ-M")

    # then the form takes a file, without JavaScript, and links the shirt's template
    body = text_of(page)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert '<input type="file" name="size_list"' in body
    assert "<script>" not in body
    templates = re.search(r'data-testid="size-templates">(.*?)</ul>', body, re.DOTALL).group(1)
    assert "/pengadaan/permintaan/templat-ukuran/?sku=PBG-KMJ-S" in templates
    assert "Templat untuk Kemeja Batik Bondowoso (XLSX)" in templates
    assert "Tempat Sampah" not in templates
    no_maker_in(page)


def test_a_product_in_one_variant_offers_no_template(client, uniform):
    # when
    body = text_of(client.get(f"{FORM}?sku=PBG-TSB-001"))

    # then
    assert 'data-testid="size-templates"' not in body
    assert "Sebut pakaiannya dengan SKU-nya di atas" in body


def test_the_chosen_sellers_garments_are_offered_without_javascript(client, uniform):
    # when the agency chooses the seller and asks for the templates (a submit button, nothing is sent)
    response = client.post(FORM, {"rows": "3", "seller": str(uniform["facility"].pk), "_templates": "1"})

    # then
    assert response.status_code == 200
    assert "/pengadaan/permintaan/templat-ukuran/?sku=PBG-KMJ-S" in text_of(response)
    assert Rfq.objects.count() == 1  # the world's own request only


@pytest.mark.parametrize(
    ("prefix", "sheet", "name"), [("", "Daftar ukuran", "Nama / Name"), ("/en", "Size list", "Name / Nama")]
)
def test_the_template_downloads_in_the_pages_language(client, uniform, prefix, sheet, name):
    # when
    response = client.get(f"{prefix}/pengadaan/permintaan/templat-ukuran/?sku=PBG-KMJ-L")

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="daftar-ukuran-kemeja-batik.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == sheet
    assert book.worksheets[0].cell(row=4, column=2).value == name
    assert client.get("/pengadaan/permintaan/templat-ukuran/?sku=NOPE").status_code == 404


def test_a_request_with_a_good_list_saves_both_and_the_garment_lines_become_the_pieces_per_size(client, uniform):
    # given seven civil servants: S 1, M 4 (one wears two), L 2, XL 1
    data = filled_list(uniform["shirt"], PEOPLE)

    # when
    response = client.post(FORM, REQUEST | {"size_list": xlsx(data)})

    # then the request is saved with one line per size where the shirt's line stood, then the dustpans
    assert response.status_code == 302, text_of(response)
    rfq = Rfq.objects.get(agency=AGENCY)
    lines = [
        (line.variant.sku if line.variant else None, line.description, line.quantity)
        for line in rfq.lines.order_by("pk")
    ]
    assert lines == [
        ("PBG-KMJ-S", "Kemeja Batik Bondowoso (S)", 1),
        ("PBG-KMJ-M", "Kemeja Batik Bondowoso (M)", 4),
        ("PBG-KMJ-L", "Kemeja Batik Bondowoso (L)", 2),
        ("PBG-KMJ-XL", "Kemeja Batik Bondowoso (XL)", 1),
        (None, "Pengki bambu besar", 60),
    ]
    # and the list with it, for the request's buyer, uploaded by nobody signed in
    size_list = SizeList.objects.get()
    assert (size_list.rfq, size_list.product, size_list.buyer) == (rfq, uniform["shirt"], AGENCY)
    assert (size_list.persons, size_list.units, size_list.status, size_list.uploaded_by) == (7, 8, "CURRENT", None)
    assert (size_list.file_name, size_list.language) == ("daftar-setda.xlsx", "id")
    assert size_list.rows.count() == 7
    assert AuditEvent.objects.filter(action="deals.size_list_upload", object_id=str(size_list.pk)).count() == 1
    # and the agency reads what was received
    done = client.get(response["Location"])
    sent = text_of(done)
    assert rfq.number in sent
    assert "Dengan daftar ukurannya untuk Kemeja Batik Bondowoso: 7 orang, 8 potong." in sent
    assert [s.strip() for s in re.findall(r"<li>(Ukuran .*?)</li>", sent)] == [
        "Ukuran S: 1 potong",
        "Ukuran M: 4 potong",
        "Ukuran L: 2 potong",
        "Ukuran XL: 1 potong",
    ]
    no_maker_in(done)


def test_the_staff_quotation_form_then_counts_the_lists_pieces(client, uniform):
    # given the agency's request and list
    client.post(FORM, REQUEST | {"size_list": xlsx(filled_list(uniform["shirt"], PEOPLE))})
    rfq = Rfq.objects.get(agency=AGENCY)
    client.force_login(uniform["admin"])

    # when the seller's staff open the quotation form of the request
    form = client.get(reverse("backoffice:deal_quote", args=[rfq.pk])).context["form"]

    # then each size is one row holding the list's pieces, with no row added or doubled
    rows = [(form.initial.get(f"sku_{i}"), form.initial.get(f"quantity_{i}")) for i in range(form.row_count)]
    assert rows == [
        ("PBG-KMJ-S", 1),
        ("PBG-KMJ-M", 4),
        ("PBG-KMJ-L", 2),
        ("PBG-KMJ-XL", 1),
        (None, 60),
        (None, None),
    ]


def test_a_signed_in_buyer_is_recorded_on_both(client, uniform):
    # given
    client.force_login(uniform["buyer"])

    # when
    response = client.post(FORM, REQUEST | {"size_list": xlsx(filled_list(uniform["shirt"], PEOPLE))})

    # then
    assert response.status_code == 302
    size_list = SizeList.objects.get()
    assert (size_list.rfq.submitted_by, size_list.uploaded_by) == (uniform["buyer"], uniform["buyer"])


def test_each_problem_of_the_list_is_shown_in_indonesian_and_nothing_is_saved(client, uniform):
    # given
    before = Rfq.objects.count()
    data = filled_list(uniform["shirt"], BAD_ROWS)

    # when
    response = client.post(FORM, REQUEST | {"size_list": xlsx(data)})

    # then
    assert response.status_code == 400
    body = text_of(response)
    assert "3 masalah dalam daftar ukuran; tidak ada yang disimpan." in body
    assert "Permintaannya juga belum terkirim." in body
    assert problem_rows(response) == [
        ("6", "Nama / Name", "Isi nama orangnya."),
        ("7", "Ukuran / Size", "Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL."),
        ("8", "Jumlah / Quantity", "Jumlah “0” bukan bilangan bulat dari 1 sampai 20."),
    ]
    nothing_saved(before)
    no_maker_in(response)


def test_each_problem_of_the_list_is_shown_in_english_under_en(client, uniform):
    # given the English template, filled in
    before = Rfq.objects.count()
    with translation.override("en"):
        data = filled_list(uniform["shirt"], BAD_ROWS)

    # when
    response = client.post(f"/en{FORM}", REQUEST | {"size_list": xlsx(data)})

    # then
    assert response.status_code == 400
    assert "3 problems in the size list; nothing was saved." in text_of(response)
    assert problem_rows(response) == [
        ("6", "Name / Nama", "Enter the person's name."),
        ("7", "Size / Ukuran", "Unknown size “XXL”. The sizes are: S, M, L, XL."),
        ("8", "Quantity / Jumlah", "The quantity “0” is not a whole number from 1 to 20."),
    ]
    nothing_saved(before)


def test_a_wrong_request_with_a_bad_list_shows_both_and_saves_neither(client, uniform):
    # given
    before = Rfq.objects.count()

    # when the agency is missing and the list has problems
    response = client.post(FORM, REQUEST | {"agency": "", "size_list": xlsx(filled_list(uniform["shirt"], BAD_ROWS))})

    # then both are shown
    assert response.status_code == 400
    assert "Isi nama instansi atau perusahaan." in text_of(response)
    assert len(problem_rows(response)) == 3
    nothing_saved(before)


def test_a_wrong_request_with_a_good_list_saves_neither(client, uniform):
    # given
    before = Rfq.objects.count()

    # when
    response = client.post(FORM, REQUEST | {"phone": "", "size_list": xlsx(filled_list(uniform["shirt"], PEOPLE))})

    # then the request's problem is shown, and the agency is told to choose the file again
    assert response.status_code == 400
    body = text_of(response)
    assert "Isi nomor telepon, mis. 0812 3456 7890." in body
    assert 'data-testid="size-list-errors"' not in body
    assert "Berkas yang Anda pilih tidak disimpan saat halaman ini kembali: pilih lagi sebelum mengirim." in body
    nothing_saved(before)


def test_a_macro_workbook_is_refused_and_nothing_is_saved(client, uniform):
    # given
    before = Rfq.objects.count()
    data = macro(filled_list(uniform["shirt"], PEOPLE))

    # when
    response = client.post(f"/en{FORM}", REQUEST | {"size_list": xlsx(data)})

    # then
    assert response.status_code == 400
    assert problem_rows(response) == [
        ("File", "—", "Workbooks with macros are refused. Save the list as an Excel workbook (.xlsx).")
    ]
    nothing_saved(before)


def test_a_list_needs_one_garment_named_by_sku(client, uniform):
    # given a request naming the trash bin only (one variant: no sizes)
    before = Rfq.objects.count()
    request = REQUEST | {"sku_0": "PBG-TSB-001", "quantity_0": "36"}

    # when
    response = client.post(f"/en{FORM}", request | {"size_list": xlsx(filled_list(uniform["shirt"], PEOPLE))})

    # then
    assert response.status_code == 400
    assert problem_rows(response) == [
        (
            "File",
            "—",
            "A size list is for a garment sold in several sizes: name one of its SKUs among the items (the SKU is on "
            "the product's page).",
        )
    ]
    nothing_saved(before)


def test_a_list_may_not_be_attached_to_an_existing_request(uniform):
    # given the world's request (10 M) from the same agency
    existing = uniform["rfq"]
    lines_before = list(RfqLine.objects.filter(rfq=existing).values_list("variant__sku", "quantity"))

    # when the public service is called with a list
    sized = rfq_submit_with_size_list(
        actor=None,
        agency=existing.agency,
        contact=Contact("Bapak Hadi", "0812 1111 2222"),
        lines=[RfqLineInput("PBG-KMJ-M", "", 0)],
        delivery_place="Kantor Setda Bondowoso",
        data=filled_list(uniform["shirt"], PEOPLE),
        file_name="daftar.xlsx",
    )

    # then the list goes to a new request; the existing one has none and keeps its lines
    assert sized.rfq.pk != existing.pk
    assert sized.size_list.rfq == sized.rfq
    assert SizeList.objects.filter(rfq=existing).count() == 0
    assert list(RfqLine.objects.filter(rfq=existing).values_list("variant__sku", "quantity")) == lines_before


def test_the_service_refuses_two_garments_in_one_request(uniform):
    # given another garment in sizes of the same seller
    blouse = ProductFactory(producer=uniform["shirt"].producer, name="Blus Batik", slug="blus", variants=[], photos=1)
    for size in ("S", "M"):
        VariantFactory(product=blouse, sku=f"PBG-BLS-{size}", name=size, price_idr=200_000)
    product_refresh(product=blouse)

    # when
    with translation.override("en"), pytest.raises(SizedRfqRefused) as caught:
        rfq_submit_with_size_list(
            actor=None,
            agency=AGENCY,
            contact=Contact("Ibu Lestari", "0812 3333 4444"),
            lines=[RfqLineInput("PBG-KMJ-M", "", 0), RfqLineInput("PBG-BLS-S", "", 5)],
            delivery_place="Kantor Setda Bondowoso",
            data=filled_list(uniform["shirt"], PEOPLE),
        )

    # then
    assert caught.value.fields is None
    assert [e.message for e in caught.value.size_list.errors] == [
        "A size list is for one garment, and the items name several sold in sizes (Blus Batik, Kemeja Batik "
        "Bondowoso). Send one request per garment."
    ]
    assert SizeList.objects.count() == 0


# The API ----------------------------------------------------------------------------------------------------


def api_request(**changes):
    body = {
        "agency": AGENCY,
        "contact": {"name": "Ibu Lestari", "phone": "0812 3333 4444"},
        "lines": [{"sku": "PBG-KMJ-M", "quantity": 0}, {"description": "Pengki bambu besar", "quantity": 60}],
        "delivery_place": "Kantor Setda Bondowoso",
    }
    return json.dumps(body | changes)


def test_the_api_saves_the_request_with_its_list(client, uniform):
    # when
    response = client.post(
        API,
        {"request": api_request(), "size_list": xlsx(filled_list(uniform["shirt"], PEOPLE))},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    rfq = Rfq.objects.get(agency=AGENCY)
    assert (body["id"], body["number"], body["seller"], body["status"]) == (
        rfq.pk,
        rfq.number,
        "lapas-purbalingga",
        "NEW",
    )
    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [
        ("PBG-KMJ-S", 1),
        ("PBG-KMJ-M", 4),
        ("PBG-KMJ-L", 2),
        ("PBG-KMJ-XL", 1),
        (None, 60),
    ]
    assert body["size_list"] == {
        "product": "Kemeja Batik Bondowoso",
        "file_name": "daftar-setda.xlsx",
        "persons": 7,
        "quantity": 8,
        "totals": [
            {"sku": "PBG-KMJ-S", "size": "S", "persons": 1, "quantity": 1},
            {"sku": "PBG-KMJ-M", "size": "M", "persons": 3, "quantity": 4},
            {"sku": "PBG-KMJ-L", "size": "L", "persons": 2, "quantity": 2},
            {"sku": "PBG-KMJ-XL", "size": "XL", "persons": 1, "quantity": 1},
        ],
    }
    assert SizeList.objects.get().rfq == rfq
    no_maker_in(response)


def test_the_api_lists_every_problem_and_saves_nothing(client, uniform):
    # given
    before = Rfq.objects.count()

    # when the agency is empty and the list has three problems
    response = client.post(
        API,
        {"request": api_request(agency=""), "size_list": xlsx(filled_list(uniform["shirt"], BAD_ROWS))},
        HTTP_ACCEPT_LANGUAGE="id",
    )

    # then the request's fields by name, and the list's rows as the staff upload's 422 gives them
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "agency": ["Isi nama instansi atau perusahaan."],
        "size_list": ["3 masalah dalam daftar ukuran; tidak ada yang disimpan."],
    }
    assert body["size_list"] == {
        "detail": "3 masalah dalam daftar ukuran; tidak ada yang disimpan.",
        "total": 3,
        "errors": [
            {"row": 6, "column": "Nama / Name", "message": "Isi nama orangnya."},
            {"row": 7, "column": "Ukuran / Size", "message": "Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL."},
            {"row": 8, "column": "Jumlah / Quantity", "message": "Jumlah “0” bukan bilangan bulat dari 1 sampai 20."},
        ],
    }
    nothing_saved(before)


def test_the_api_refuses_a_macro_workbook_and_a_wrong_request_shape(client, uniform):
    # given
    before = Rfq.objects.count()
    good = filled_list(uniform["shirt"], PEOPLE)

    # when
    refused = client.post(API, {"request": api_request(), "size_list": xlsx(macro(good))}, HTTP_ACCEPT_LANGUAGE="en")
    malformed = client.post(API, {"request": "{not json", "size_list": xlsx(good)}, HTTP_ACCEPT_LANGUAGE="en")
    no_contact = client.post(
        API, {"request": json.dumps({"agency": AGENCY}), "size_list": xlsx(good)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    no_file = client.post(API, {"request": api_request()}, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"size_list": ["1 problem in the size list; nothing was saved."]}
    assert refused.json()["size_list"]["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "Workbooks with macros are refused. Save the list as an Excel workbook (.xlsx).",
        }
    ]
    assert malformed.status_code == 422
    assert list(malformed.json()["errors"]) == ["request"]
    assert no_contact.status_code == 422
    assert sorted(no_contact.json()["errors"]) == ["request.contact", "request.delivery_place", "request.lines"]
    assert no_file.status_code == 422
    assert list(no_file.json()["errors"]) == ["size_list"]
    nothing_saved(before)


def test_the_form_and_both_api_paths_share_one_allowance(client, uniform, settings):
    # given two requests an hour per address
    settings.DEALS_PUBLIC_RFQ_RATE = "2/h"
    good = filled_list(uniform["shirt"], PEOPLE)

    # when
    by_form = client.post(FORM, REQUEST | {"size_list": xlsx(good)})
    by_api = client.post(
        "/api/v1/rfqs",
        json.loads(api_request(lines=[{"sku": "PBG-TSB-001", "quantity": 3}])),
        content_type="application/json",
    )
    third = client.post(API, {"request": api_request(), "size_list": xlsx(good)})
    by_form_again = client.post(FORM, REQUEST | {"size_list": xlsx(good)})

    # then
    assert (by_form.status_code, by_api.status_code) == (302, 201)
    assert third.status_code == 429
    assert third["Retry-After"]
    assert by_form_again.status_code == 429
    assert SizeList.objects.count() == 1
