"""The outlet sales import pages (titip/<pk>/impor/): both sides upload, errors per row, the template."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from binakarya.consignment.models import ConsignmentSale
from binakarya.sales.models import Sale
from tests.consignment.settle import shelf_agreement
from tests.consignment.world import MAKER_NAMES


@pytest.fixture
def shelf(world, today):
    return shelf_agreement(world, today)


def url(agreement):
    return reverse("backoffice:consignment_import", args=[agreement.pk])


def a_file(today, sku="SMP-PCT-001"):
    day = (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    return SimpleUploadedFile("kasir.csv", f"\ufefftanggal;sku;jumlah\n{day};{sku};2\n".encode(), "text/csv")


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


@pytest.mark.parametrize("who", ["partner", "admin"])
def test_both_sides_upload_and_see_the_totals(client, world, shelf, today, who):
    client.force_login(world[who])
    page = client.get(url(shelf), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    response = client.post(url(shelf), {"file": a_file(today)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?hasil=1")
    assert b'data-testid="import-totals"' in response.content
    assert "Rp150.000" in response.content.decode() and "Rp120.000" in response.content.decode()
    assert ConsignmentSale.objects.filter(agreement=shelf).count() == 1
    no_maker_in(response)
    # a reload shows the form again and imports nothing twice
    again = client.get(url(shelf) + "?hasil=1")
    assert b'data-testid="import-form"' in again.content
    assert Sale.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"), [("id", "SKU tidak dikenal: SMP-XXX-999."), ("en", "Unknown SKU: SMP-XXX-999.")]
)
def test_a_bad_row_shows_the_errors_table_in_the_pages_language_and_imports_nothing(
    client, world, shelf, today, language, message
):
    client.force_login(world["partner"])
    with translation.override(language):
        address = url(shelf)
    response = client.post(address, {"file": a_file(today, sku="SMP-XXX-999")})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'data-testid="import-error-rows"' in text
    assert message in text
    assert Sale.objects.count() == 0


def test_no_file_is_a_clear_message(client, world, shelf):
    client.force_login(world["admin"])
    response = client.post(url(shelf), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and b'data-testid="error-summary"' in response.content


def test_a_picture_instead_of_a_csv_is_a_clear_message(client, world, shelf):
    client.force_login(world["partner"])
    picture = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 10, "image/jpeg")
    response = client.post(url(shelf), {"file": picture})
    assert response.status_code == 422 and "CSV" in response.content.decode()


@pytest.mark.parametrize("who", ["other_partner", "stranger"])
def test_another_outlet_or_organization_gets_404(client, world, shelf, today, who):
    client.force_login(world[who])
    assert client.get(url(shelf)).status_code == 404
    assert client.post(url(shelf), {"file": a_file(today)}).status_code == 404
    template = reverse("backoffice:consignment_import_template", args=[shelf.pk])
    assert client.get(template).status_code == 404
    assert Sale.objects.count() == 0


def test_the_template_downloads(client, world, shelf):
    client.force_login(world["partner"])
    response = client.get(reverse("backoffice:consignment_import_template", args=[shelf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, example = response.content.decode().splitlines()
    assert header == "tanggal,sku,jumlah,harga,kode_lot" and "SMP-" in example
