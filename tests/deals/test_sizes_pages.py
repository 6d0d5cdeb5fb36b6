"""The size list pages: the template and the upload on a request (every row's problem in a table, nothing
saved), the list with its totals and counts per unit, the packing list downloads, the quotation form taking
its quantities from the list; another seller's staff get 404; no maker anywhere."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from binakarya.deals.models import Quotation, SizeList, SizeListRow
from binakarya.deals.sizes import size_list_upload
from tests.deals.sizes_world import BATIK_MAKERS, PEOPLE, add_batik, filled_list
from tests.deals.world import MAKER_NAMES


@pytest.fixture
def uniform(world):
    return add_batik(world)


@pytest.fixture
def staff(client, uniform):
    client.force_login(uniform["admin"])
    return client


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES + BATIK_MAKERS:
        for part in name.split():
            assert part not in text, part


def upload(client, uniform, data, **headers):
    url = reverse("backoffice:deal_rfq_sizes", args=[uniform["rfq"].pk])
    file = SimpleUploadedFile("setda.xlsx", data, content_type="application/octet-stream")
    return client.post(url, {"product": uniform["shirt"].pk, "file": file}, **headers)


def saved(uniform):
    return size_list_upload(
        actor=uniform["admin"],
        organization=uniform["facility"],
        product=uniform["shirt"],
        data=filled_list(uniform["shirt"], PEOPLE),
        rfq=uniform["rfq"],
    ).size_list


def test_the_request_page_leads_to_the_size_lists_and_the_template_downloads(staff, uniform):
    # when
    page = staff.get(reverse("backoffice:deal_rfq", args=[uniform["rfq"].pk]))
    sizes = staff.get(reverse("backoffice:deal_rfq_sizes", args=[uniform["rfq"].pk]))
    template = staff.get(
        reverse("backoffice:deal_size_template", args=[uniform["rfq"].pk]) + f"?produk={uniform['shirt'].pk}"
    )

    # then
    assert 'data-testid="size-lists-page"' in page.content.decode()
    assert sizes.status_code == 200
    assert "Kemeja Batik Bondowoso" in sizes.content.decode()
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert book.worksheets[0].cell(row=4, column=5).value == "Ukuran / Size"
    no_maker_in(sizes)


def test_an_upload_with_problems_lists_each_row_and_saves_nothing(staff, uniform):
    # given
    data = filled_list(uniform["shirt"], [("Ahmad", "", "Umum", "M", 1, ""), ("", "", "Umum", "XXL", "2x", "")])

    # when
    response = upload(staff, uniform, data)

    # then
    assert response.status_code == 422
    text = response.content.decode()
    assert "3 masalah dalam daftar ukuran; tidak ada yang disimpan." in text
    assert "Isi nama orangnya." in text
    assert "Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL." in text
    assert "Jumlah “2x” bukan bilangan bulat dari 1 sampai 20." in text
    assert SizeList.objects.count() == SizeListRow.objects.count() == 0


def test_an_upload_in_english_says_it_in_english(staff, uniform):
    with translation.override("en"):
        response = upload(staff, uniform, b"not a workbook")

    assert response.status_code == 422
    assert "This is not an XLSX file." in response.content.decode()


def test_a_good_upload_shows_the_list_with_its_totals_and_counts_per_unit(staff, uniform):
    # when
    response = upload(staff, uniform, filled_list(uniform["shirt"], PEOPLE), follow=True)

    # then
    size_list = SizeList.objects.get()
    assert response.redirect_chain[-1][0] == reverse("backoffice:deal_size_list", args=[size_list.pk])
    text = response.content.decode()
    assert "Daftar ukuran disimpan: 7 orang, 8 potong." in text
    assert "Rina Kusuma" in text and "Dinas Kominfo" in text
    assert 'data-testid="persons">7<' in text and 'data-testid="pieces">8<' in text
    no_maker_in(response)


def test_the_packing_list_downloads_per_unit_and_per_person(staff, uniform):
    size_list = saved(uniform)
    url = reverse("backoffice:deal_packing_list", args=[size_list.pk])

    pdf = staff.get(url + "?kelompok=bagian")
    sheet = staff.get(url + "?kelompok=orang&format=xlsx")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert sheet.status_code == 200
    assert load_workbook(io.BytesIO(sheet.content)).sheetnames[1] == "Per orang"


def test_the_quotation_form_takes_the_quantities_of_the_size_list_and_links_it(staff, uniform):
    # given the request asked for 10 M; the list counts S 1, M 4, L 2, XL 1
    size_list = saved(uniform)
    url = reverse("backoffice:deal_quote", args=[uniform["rfq"].pk])

    # when
    form = staff.get(url).context["form"]

    # then
    rows = [(form.initial.get(f"sku_{i}"), form.initial.get(f"quantity_{i}")) for i in range(form.row_count)]
    assert rows == [("PBG-KMJ-M", 4), ("PBG-KMJ-S", 1), ("PBG-KMJ-L", 2), ("PBG-KMJ-XL", 1), (None, None)]

    # and when it is sent as prefilled
    data = {"buyer": "", "valid_days": "14", "discount": "0", "note": "", "rows": str(form.row_count)}
    for i in range(form.row_count):
        for field in ("sku", "quantity", "price"):
            value = form.initial.get(f"{field}_{i}")
            data[f"{field}_{i}"] = "" if value is None else str(value)
    response = staff.post(url, data)

    # then the quotation covers the list
    quotation = Quotation.objects.get()
    assert response.status_code == 302
    assert list(size_list.quotations.all()) == [quotation]
    assert sorted((line.variant.sku, line.quantity) for line in quotation.lines.all()) == [
        ("PBG-KMJ-L", 2),
        ("PBG-KMJ-M", 4),
        ("PBG-KMJ-S", 1),
        ("PBG-KMJ-XL", 1),
    ]
    page = staff.get(reverse("backoffice:deal_quotation", args=[quotation.number]))
    assert 'data-testid="size-lists"' in page.content.decode()


def test_the_quotation_form_refuses_fewer_than_the_list(staff, uniform):
    saved(uniform)
    url = reverse("backoffice:deal_quote", args=[uniform["rfq"].pk])
    data = {"buyer": "", "valid_days": "14", "discount": "0", "note": "", "rows": "1"}
    data |= {"sku_0": "PBG-KMJ-M", "quantity_0": "4", "price_0": "185000"}

    response = staff.post(url, data)

    assert response.status_code == 400
    assert "PBG-KMJ-S: daftar ukuran berisi 1 potong; penawaran hanya 0." in response.content.decode()
    assert Quotation.objects.count() == 0


def test_another_sellers_staff_get_404(client, uniform):
    size_list = saved(uniform)
    client.force_login(uniform["other_admin"])
    rfq = uniform["rfq"].pk

    for url in (
        reverse("backoffice:deal_rfq_sizes", args=[rfq]),
        reverse("backoffice:deal_size_template", args=[rfq]) + f"?produk={uniform['shirt'].pk}",
        reverse("backoffice:deal_size_list", args=[size_list.pk]),
        reverse("backoffice:deal_packing_list", args=[size_list.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert upload(client, uniform, filled_list(uniform["shirt"], PEOPLE[:1])).status_code == 404
    assert SizeList.objects.count() == 1
