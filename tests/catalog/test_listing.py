"""The e-Katalog listing pack: the listing's validation and audit, the XLSX rows and the spec sheet PDF."""

import datetime
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from binakarya.catalog import listing_pack
from binakarya.catalog.models import ProcurementListing
from binakarya.catalog.selectors import listing_product_for_staff, listing_products_for_staff
from binakarya.catalog.services import ListingInput, listing_save, photo_add
from binakarya.core.exports import xlsx_bytes
from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Role
from tests.api.helpers import png_upload
from tests.factories import GroupMembershipFactory, MembershipFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

GOOD = ListingInput(
    kbki_code="3899.0",
    tkdn_bp=4235,
    tkdn_certificate_number="TKDN/2025/0042",
    tkdn_certificate_date=datetime.date(2025, 3, 1),
    sni_number="SNI  8290:2016",
    trademark="Bambu Lestari",
    unit="set",
    specifications="Bahan: bambu\n\n Ukuran : 30 x 30 x 60 cm ",
)


@pytest.fixture
def world():
    producer = ProducerFactory()
    member = GroupMembershipFactory(group=producer.group, maker__full_name="Rahasia Budi Pembuat")
    product = ProductFactory(producer=producer, name="Tempat Sampah Bambu", variants=[150_000, 175_000])
    staff = MembershipFactory(organization=producer.organization, role=Role.PRODUCTION_OFFICER).user
    return {"product": product, "staff": staff, "maker": member.maker, "org": producer.organization}


def _read(world):
    return listing_product_for_staff(user=world["staff"], pk=world["product"].pk)


def test_listing_save_cleans_the_fields_and_audits(world):
    # when
    listing = listing_save(actor=world["staff"], product=_read(world), data=GOOD)

    # then
    listing.refresh_from_db()
    assert listing.kbki_code == "38990"
    assert listing.sni_number == "SNI 8290:2016"
    assert listing.specifications == "Bahan: bambu\nUkuran: 30 x 30 x 60 cm"
    assert listing.organization == world["org"]
    event = AuditEvent.objects.get(action="listing.save", object_id=str(listing.pk))
    assert event.actor == world["staff"]
    # and saving again replaces it (one listing per product)
    listing_save(actor=world["staff"], product=_read(world), data=ListingInput(kbki_code="38990", unit="pcs"))
    assert ProcurementListing.objects.filter(product=world["product"]).count() == 1
    assert ProcurementListing.objects.get(product=world["product"]).tkdn_bp is None


@pytest.mark.parametrize(
    ("data", "field", "indonesian"),
    [
        (ListingInput(kbki_code="38A90"), "kbki_code", "Kode KBKI terdiri atas 5 sampai 10 angka"),
        (ListingInput(kbki_code="123"), "kbki_code", "Kode KBKI terdiri atas 5 sampai 10 angka"),
        (ListingInput(tkdn_bp=4000), "tkdn_certificate_number", "Nilai TKDN memerlukan nomor sertifikatnya"),
        (ListingInput(tkdn_certificate_number="X-1"), "tkdn_bp", "Isi nilai TKDN"),
        (
            ListingInput(tkdn_bp=10001, tkdn_certificate_number="X", tkdn_certificate_date=datetime.date(2025, 1, 1)),
            "tkdn_bp",
            "TKDN antara 0 dan 100 persen",
        ),
        (ListingInput(specifications="Bahan bambu"), "specifications", "Tulis setiap spesifikasi"),
        (ListingInput(unit="karung"), "unit", "Pilih satuan"),
        (ListingInput(photo_ids=[999_999]), "photo_ids", "Pilih foto produk ini"),
    ],
)
def test_bad_listings_are_refused_in_both_languages_and_nothing_is_saved(world, data, field, indonesian):
    for language in ("en", "id"):
        # when
        with translation.override(language), pytest.raises(ValidationError) as excinfo:
            listing_save(actor=world["staff"], product=_read(world), data=data)

        # then
        message = " ".join(excinfo.value.message_dict[field])
        if language == "id":
            assert indonesian in message
        else:
            assert indonesian not in message and message
    assert not ProcurementListing.objects.exists()
    assert not AuditEvent.objects.filter(action="listing.save").exists()


def test_another_organizations_staff_can_neither_read_nor_write(world):
    # given
    outsider = MembershipFactory(role=Role.PRODUCTION_OFFICER).user

    # then
    with pytest.raises(ProcurementListing.product.field.related_model.DoesNotExist):
        listing_product_for_staff(user=outsider, pk=world["product"].pk)
    with pytest.raises(PermissionDenied):
        listing_save(actor=outsider, product=world["product"], data=GOOD)
    assert not ProcurementListing.objects.exists()


def _sheet(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_has_one_row_per_variant_with_integer_prices_and_no_maker(world):
    # given a listed product, and one without a listing
    listing_save(actor=world["staff"], product=_read(world), data=GOOD)
    ProductFactory(producer=world["product"].producer, name="Pengki Bambu", variants=[35_000])
    products = listing_products_for_staff(user=world["staff"], organization=world["org"])

    # when
    rows = _sheet(xlsx_bytes([listing_pack.listing_table(products, base_url="https://binakarya.test")]))

    # then the header is Indonesian and each variant has its row
    header, *body = rows
    assert header[:8] == ["Penjual", "Nama Produk", "Kategori", "Produsen", "SKU", "Varian", "Harga (Rp)", "Satuan"]
    by_name = {}
    for row in body:
        by_name.setdefault(row[1], []).append(dict(zip(header, row, strict=True)))
    bins = by_name["Tempat Sampah Bambu"]
    assert [r["Harga (Rp)"] for r in bins] == [150_000, 175_000]
    assert all(isinstance(r["Harga (Rp)"], int) for r in bins)
    assert bins[0]["Kode KBKI"] == "38990" and bins[0]["Status PDN"] == "PDN" and bins[0]["Satuan"] == "set"
    assert float(bins[0]["TKDN (%)"]) == 42.35 and bins[0]["No. Sertifikat TKDN"] == "TKDN/2025/0042"
    assert bins[0]["Spesifikasi"] == "Bahan: bambu; Ukuran: 30 x 30 x 60 cm"
    # and the product without a listing still has its row, with the listing's columns blank
    (dustpan,) = by_name["Pengki Bambu"]
    assert dustpan["Harga (Rp)"] == 35_000
    assert dustpan["Kode KBKI"] in ("", None) and dustpan["TKDN (%)"] in ("", None) and dustpan["Merek"] in ("", None)
    # and no maker anywhere
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    assert world["maker"].full_name not in flat and world["maker"].registration_number not in flat


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_the_spec_sheet_shows_the_listing_the_seller_and_the_variants_but_never_a_maker(world):
    # given
    photo_add(actor=world["staff"], product=world["product"], upload=png_upload())
    listing_save(actor=world["staff"], product=_read(world), data=GOOD)

    # when
    context = listing_pack.spec_sheet_context(_read(world))
    text = _pdf_text(listing_pack.spec_sheet_pdf(_read(world)))

    # then
    assert context["photo"].startswith("data:image/")
    assert "Lembar Spesifikasi Produk" in text
    assert world["org"].name.upper() in text
    for expected in ("Tempat Sampah Bambu", "38990", "42,35%", "TKDN/2025/0042", "SNI 8290:2016", "Bambu Lestari"):
        assert expected in text
    for sku in world["product"].variants.values_list("sku", flat=True):
        assert sku in text
    assert "Rp150.000" in text and "Rp175.000" in text
    assert "Bahan" in text and "bambu" in text
    assert world["maker"].full_name not in text and world["maker"].registration_number not in text


def test_a_product_without_a_listing_still_has_a_spec_sheet(world):
    text = _pdf_text(listing_pack.spec_sheet_pdf(_read(world)))
    assert "Tempat Sampah Bambu" in text and "Rp150.000" in text
