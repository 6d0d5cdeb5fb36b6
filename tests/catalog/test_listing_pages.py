"""The e-Katalog listing pages (produk/<pk>/ekatalog/) and API (/api/v1/products/{slug}/listing, spec-sheet.pdf,
listings.xlsx): scoped to the product's organization, errors in the user's language with nothing saved."""

import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from binakarya.catalog.models import ProcurementListing
from binakarya.organizations.models import Role
from tests.factories import GroupMembershipFactory, MembershipFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    producer = ProducerFactory()
    member = GroupMembershipFactory(group=producer.group, maker__full_name="Rahasia Siti Pembuat")
    product = ProductFactory(producer=producer, name="Pengki Bambu", variants=[35_000])
    staff = MembershipFactory(organization=producer.organization, role=Role.PRODUCTION_OFFICER).user
    outsider = MembershipFactory(role=Role.PRODUCTION_OFFICER).user
    return {"product": product, "staff": staff, "outsider": outsider, "maker": member.maker}


FORM = {
    "kbki_code": "38990",
    "pdn_status": "PDN",
    "tkdn": "42,35",
    "tkdn_certificate_number": "TKDN/1",
    "tkdn_certificate_date": "2025-03-01",
    "sni_number": "",
    "trademark": "Bambu Lestari",
    "unit": "pcs",
    "specifications": "Bahan: bambu",
}


def test_staff_fill_the_listing_on_its_page(client, world):
    # given
    client.force_login(world["staff"])
    url = reverse("backoffice:listing_edit", args=[world["product"].pk])

    # when
    page = client.get(url)
    saved = client.post(url, FORM, follow=True)

    # then
    assert page.status_code == 200
    assert reverse("backoffice:listing_spec_sheet", args=[world["product"].pk]) in page.content.decode()
    assert saved.status_code == 200
    listing = ProcurementListing.objects.get(product=world["product"])
    assert (listing.kbki_code, listing.tkdn_bp, listing.trademark) == ("38990", 4235, "Bambu Lestari")
    edit = client.get(reverse("backoffice:product_edit", args=[world["product"].pk])).content.decode()
    assert url in edit


@pytest.mark.parametrize(
    ("language", "message"),
    [("id", "Kode KBKI terdiri atas 5 sampai 10 angka"), ("en", "A KBKI code has 5 to 10 digits")],
)
def test_a_bad_listing_is_shown_again_with_the_message_in_the_users_language(client, world, language, message):
    client.force_login(world["staff"])
    with translation.override(language):
        url = reverse("backoffice:listing_edit", args=[world["product"].pk])
    response = client.post(url, FORM | {"kbki_code": "38-99X"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProcurementListing.objects.exists()


def test_another_organizations_staff_get_404_everywhere(client, world):
    client.force_login(world["outsider"])
    pk = world["product"].pk
    for name in ("listing_edit", "listing_spec_sheet", "listing_xlsx"):
        assert client.get(reverse(f"backoffice:{name}", args=[pk])).status_code == 404
    assert client.post(reverse("backoffice:listing_edit", args=[pk]), FORM).status_code == 404
    slug = world["product"].slug
    assert client.get(f"/api/v1/products/{slug}/listing").status_code == 404
    assert client.put(f"/api/v1/products/{slug}/listing", {}, content_type="application/json").status_code == 404
    assert client.get(f"/api/v1/products/{slug}/spec-sheet.pdf").status_code == 404
    org = world["product"].organization.slug
    assert client.get(f"/api/v1/listings.xlsx?organization={org}").status_code == 404
    assert client.get(reverse("backoffice:listing_seller_xlsx") + f"?organisasi={org}").status_code == 404
    assert not ProcurementListing.objects.exists()


def test_the_api_reads_and_replaces_a_listing(client, world):
    # given
    client.force_login(world["staff"])
    url = f"/api/v1/products/{world['product'].slug}/listing"

    # when
    blank = client.get(url).json()
    put = client.put(
        url,
        {"kbki_code": "38990", "unit": "set", "specifications": "Bahan: bambu\nWarna: alami"},
        content_type="application/json",
    )

    # then
    assert blank["exists"] is False and blank["kbki_code"] == "" and blank["variants"][0]["price_idr"] == 35_000
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["exists"] is True and body["unit"] == "set"
    assert body["specifications"] == [["Bahan", "bambu"], ["Warna", "alami"]]


def test_the_api_refuses_a_bad_listing_in_the_callers_language(client, world):
    client.force_login(world["staff"])
    url = f"/api/v1/products/{world['product'].slug}/listing"
    body = {"tkdn_bp": 4000}
    indonesian = client.put(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="id")
    english = client.put(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.status_code == english.status_code == 400
    assert "memerlukan nomor sertifikatnya" in indonesian.json()["errors"]["tkdn_certificate_number"][0]
    assert "needs its certificate number" in english.json()["errors"]["tkdn_certificate_number"][0]
    assert client.put(url, {"tkdn_bp": "12"}, content_type="application/json").status_code == 422
    assert not ProcurementListing.objects.exists()


def test_the_api_gives_the_spec_sheet_and_the_sellers_rows_without_a_maker(client, world):
    client.force_login(world["staff"])
    pdf = client.get(f"/api/v1/products/{world['product'].slug}/spec-sheet.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Pengki Bambu" in text and world["maker"].full_name not in text

    xlsx = client.get("/api/v1/listings.xlsx")  # the staff member's only seller
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][1] == "Nama Produk" and rows[1][1] == "Pengki Bambu" and rows[1][6] == 35_000
    assert world["maker"].full_name not in " ".join(str(v) for row in rows for v in row if v is not None)


def test_the_product_list_offers_the_sellers_xlsx(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("backoffice:products")).content.decode()
    link = reverse("backoffice:listing_seller_xlsx") + f"?organisasi={world['product'].organization.slug}"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == list(world["product"].variants.values_list("sku", flat=True))
    single = client.get(reverse("backoffice:listing_xlsx", args=[world["product"].pk]))
    assert single.status_code == 200


def test_anonymous_callers_are_refused(client, world):
    assert client.get(f"/api/v1/products/{world['product'].slug}/listing").status_code == 401
    assert client.get("/api/v1/listings.xlsx").status_code == 401
