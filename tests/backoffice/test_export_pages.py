"""Staff pages for export buyers (issue 13): produk/<pk>/ekspor/ and produk/kurs/."""

import datetime

import pytest

from binakarya.catalog.models import ExchangeRate, ExportProfile
from binakarya.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VALID = {
    "hs_code": "5208.52",
    "net_weight_grams": "450",
    "gross_weight_grams": "1.200",
    "package_length_mm": "300",
    "package_width_mm": "200",
    "package_height_mm": "50",
    "moq": "10",
    "lead_time_days": "21",
    "certifications": ["BATIKMARK"],
    "certifications_other": "",
    "name_en": "Sekar Jagad hand-drawn batik",
    "description_en": "Natural dyes.",
    "story_en": "",
}


def test_staff_save_export_data_and_english_texts(client_a, product_a):
    url = f"/staf/produk/{product_a.pk}/ekspor/"
    assert client_a.get(url).status_code == 200

    response = client_a.post(url, VALID)

    assert response.status_code == 302
    profile = ExportProfile.objects.get(product=product_a)
    assert (profile.hs_code, profile.net_weight_grams, profile.gross_weight_grams) == ("5208.52", 450, 1200)
    assert profile.certifications == ["BATIKMARK"] and profile.moq == 10
    product_a.refresh_from_db()
    assert product_a.name_en == "Sekar Jagad hand-drawn batik"
    assert AuditEvent.objects.filter(action="export_profile.save", object_id=str(profile.pk)).count() == 1
    assert AuditEvent.objects.filter(action="product.english_update", object_id=str(product_a.pk)).count() == 1


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "Kode HS terdiri dari 4, 6 atau 8 angka"),
        ("/en", "An HS code has 4, 6 or 8 digits"),
    ],
)
def test_a_bad_hs_code_or_gross_below_net_saves_nothing_in_both_languages(client_a, product_a, prefix, message):
    url = f"{prefix}/staf/produk/{product_a.pk}/ekspor/"

    response = client_a.post(url, VALID | {"hs_code": "66.2", "gross_weight_grams": "100"})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert ("berat kotor" in html.lower()) if not prefix else ("gross weight" in html.lower())
    assert not ExportProfile.objects.exists()
    product_a.refresh_from_db()
    assert product_a.name_en == ""


def test_another_organizations_product_is_a_404(client_a, product_b):
    url = f"/staf/produk/{product_b.pk}/ekspor/"

    assert client_a.get(url).status_code == 404
    assert client_a.post(url, VALID).status_code == 404
    assert not ExportProfile.objects.exists()


def test_staff_enter_a_rate_and_see_only_their_organizations(client_a, facility_a, facility_b, staff_b):
    ExchangeRate.objects.create(
        organization=facility_b, currency="USD", idr_per_unit=15_999, effective_date=datetime.date(2026, 1, 1)
    )

    response = client_a.post(
        "/staf/produk/kurs/",
        {"organization": facility_a.pk, "currency": "USD", "idr_per_unit": "16.250", "effective_date": "2026-12-01"},
    )

    assert response.status_code == 302
    rate = ExchangeRate.objects.get(organization=facility_a)
    assert (rate.idr_per_unit, rate.effective_date, rate.entered_by.username) == (
        16250,
        datetime.date(2026, 12, 1),
        "ani",
    )
    html = client_a.get("/staf/produk/kurs/").content.decode()
    assert "Rp16.250" in html and "Rp15.999" not in html


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1,234,5"])
def test_a_bad_rate_saves_nothing(client_a, facility_a, value):
    response = client_a.post(
        "/staf/produk/kurs/",
        {"organization": facility_a.pk, "currency": "USD", "idr_per_unit": value, "effective_date": "2026-12-01"},
    )

    assert response.status_code == 400
    assert not ExchangeRate.objects.exists()


def test_a_rate_for_another_organization_is_refused(client_a, facility_b):
    response = client_a.post(
        "/staf/produk/kurs/",
        {"organization": facility_b.pk, "currency": "USD", "idr_per_unit": "16000", "effective_date": "2026-12-01"},
    )

    assert response.status_code == 400
    assert not ExchangeRate.objects.exists()


def test_yen_rate_with_decimal_comma(client_a, facility_a):
    client_a.post(
        "/staf/produk/kurs/",
        {"organization": facility_a.pk, "currency": "JPY", "idr_per_unit": "108,45", "effective_date": "2026-12-01"},
    )

    assert str(ExchangeRate.objects.get().idr_per_unit) == "108.45"
    assert "Rp108,45" in client_a.get("/staf/produk/kurs/").content.decode()


def test_staff_write_the_producers_english_story(client_a, producer_a):
    url = f"/staf/pembuat/{producer_a.pk}/"
    data = {"description": "", "story": "Kisah.", "story_en": "The story.", "phone": "", "is_published": "on"}

    assert client_a.post(url, data).status_code == 302

    producer_a.refresh_from_db()
    assert producer_a.story_en == "The story."
