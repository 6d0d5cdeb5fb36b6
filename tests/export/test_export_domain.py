"""Export data, English texts and indicative prices (issue 13): services, selectors and public pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binakarya.catalog import export_selectors as sel
from binakarya.catalog.export_services import (
    ExportInput,
    exchange_rate_create,
    export_profile_save,
    hs_code_clean,
    producer_english_update,
    product_english_update,
)
from binakarya.catalog.models import ExchangeRate, ExportProfile
from binakarya.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["6602", "6602.00", "660200", "9503.00", "9503.00.10", "95030010", ""])
def test_hs_codes_of_4_6_or_8_digits_are_accepted(code):
    assert hs_code_clean(f" {code} ") == code


@pytest.mark.parametrize("code", ["660", "66020", "6602.0", "6602.000", "abcd", "6602.00.10.11", "6602-00"])
def test_other_hs_codes_are_refused(code):
    with pytest.raises(ValidationError) as exc:
        hs_code_clean(code)
    assert "hs_code" in exc.value.message_dict


def test_export_profile_save_validates_everything_and_saves_nothing(staff_a, product_a):
    bad = ExportInput(hs_code="12", net_weight_grams=500, gross_weight_grams=400, moq=0, certifications=["XYZ"])

    with pytest.raises(ValidationError) as exc:
        export_profile_save(actor=staff_a, product=product_a, data=bad)

    assert set(exc.value.message_dict) == {"hs_code", "gross_weight_grams", "moq", "certifications"}
    assert not ExportProfile.objects.exists()
    assert not AuditEvent.objects.filter(action="export_profile.save").exists()


def test_export_profile_save_creates_then_updates_one_row(staff_a, product_a):
    data = ExportInput(
        hs_code="5208.52", net_weight_grams=450, gross_weight_grams=600, moq=10, certifications=["SVLK", "BATIKMARK"]
    )

    export_profile_save(actor=staff_a, product=product_a, data=data)
    data.gross_weight_grams = 650
    profile = export_profile_save(actor=staff_a, product=product_a, data=data)

    assert ExportProfile.objects.count() == 1
    assert profile.organization == product_a.organization
    assert profile.certifications == ["BATIKMARK", "SVLK"] and profile.gross_weight_grams == 650
    assert AuditEvent.objects.filter(action="export_profile.save").count() == 2


def test_another_organizations_staff_may_not_save(staff_b, product_a, facility_a):
    with pytest.raises(PermissionDenied):
        export_profile_save(actor=staff_b, product=product_a, data=ExportInput())
    with pytest.raises(PermissionDenied):
        product_english_update(actor=staff_b, product=product_a, name_en="x")
    with pytest.raises(PermissionDenied):
        exchange_rate_create(actor=staff_b, organization=facility_a, currency="USD", idr_per_unit=16000)
    assert not ExportProfile.objects.exists() and not ExchangeRate.objects.exists()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (0, "idr_per_unit"),
        (-1, "idr_per_unit"),
        ("1.234", "idr_per_unit"),
        ("x", "idr_per_unit"),
        ("NaN", "idr_per_unit"),
    ],
)
def test_bad_rates_are_refused(staff_a, facility_a, value, field):
    with pytest.raises(ValidationError) as exc:
        exchange_rate_create(actor=staff_a, organization=facility_a, currency="USD", idr_per_unit=value)
    assert field in exc.value.message_dict
    assert not ExchangeRate.objects.exists()


def test_unknown_currency_is_refused(staff_a, facility_a):
    with pytest.raises(ValidationError) as exc:
        exchange_rate_create(actor=staff_a, organization=facility_a, currency="GBP", idr_per_unit=20000)
    assert "currency" in exc.value.message_dict


@pytest.mark.parametrize(
    ("price", "rate", "currency", "expected", "text"),
    [
        (250_000, Decimal("16250"), "USD", Decimal("15.38"), "US$15.38"),
        (2_000_000, Decimal("16250"), "USD", Decimal("123"), "US$123"),
        (20_000_000, Decimal("16250"), "USD", Decimal("1231"), "US$1,231"),
        (1, Decimal("8"), "USD", Decimal("0.13"), "US$0.13"),  # 0.125 rounds half up, not to even
        (250_000, Decimal("108.45"), "JPY", Decimal("2305"), "¥2,305"),
        (250_000, Decimal("17500.50"), "EUR", Decimal("14.29"), "€14.29"),
        (250_000, Decimal("12100"), "SGD", Decimal("20.66"), "S$20.66"),
    ],
)
def test_foreign_amounts_are_decimal_and_rounded_sensibly(price, rate, currency, expected, text):
    amount = sel.foreign_amount(price, rate, currency)

    assert isinstance(amount, Decimal) and amount == expected
    assert sel.foreign_amount_format(amount, currency) == text


def test_indicative_prices_use_the_newest_rate_effective_today(staff_a, facility_a, product_a):
    today = timezone.localdate()
    exchange_rate_create(
        actor=staff_a,
        organization=facility_a,
        currency="USD",
        idr_per_unit=15000,
        effective_date=today - datetime.timedelta(days=9),
    )
    exchange_rate_create(
        actor=staff_a,
        organization=facility_a,
        currency="USD",
        idr_per_unit="16250",
        effective_date=today - datetime.timedelta(days=2),
    )
    exchange_rate_create(
        actor=staff_a,
        organization=facility_a,
        currency="USD",
        idr_per_unit=20000,
        effective_date=today + datetime.timedelta(days=3),
    )

    [usd] = sel.indicative_prices(product=product_a)

    assert usd.idr_per_unit == Decimal("16250") and usd.effective_date == today - datetime.timedelta(days=2)
    assert usd.text == "US$15.38–30.77"
    assert AuditEvent.objects.filter(action="exchange_rate.create").count() == 3


def test_no_rate_means_no_indicative_price(product_a, facility_b, staff_b):
    # another organization's rate is not this product's
    exchange_rate_create(actor=staff_b, organization=facility_b, currency="USD", idr_per_unit=16000)

    assert sel.indicative_prices(product=product_a) == []


def test_english_text_falls_back_to_indonesian_marked(product_a):
    assert sel.localized(product_a, "name", "en") == sel.LocalizedText("Kain Batik Sekar Jagad", fallback=True)
    assert sel.localized(product_a, "name", "id") == sel.LocalizedText("Kain Batik Sekar Jagad", fallback=False)
    product_a.name_en = "Sekar Jagad batik"
    assert sel.localized(product_a, "name", "en") == sel.LocalizedText("Sekar Jagad batik", fallback=False)


# Public pages ----------------------------------------------------------------------------------


def test_english_product_page_shows_english_texts_and_marks_the_fallback(client, staff_a, product_a):
    product_english_update(actor=staff_a, product=product_a, name_en="Sekar Jagad hand-drawn batik")

    html = client.get(f"/en/produk/{product_a.slug}/").content.decode()

    assert "<h1>Sekar Jagad hand-drawn batik</h1>" in html
    # no English description or story: the Indonesian ones, marked
    assert (
        '<div lang="id"> <small class="in-indonesian" lang="en">(in Indonesian)</small><p>Kain batik tulis pewarna alam.</p></div>'
        in html
    )
    assert '<div class="story" lang="id">' in html
    assert AuditEvent.objects.filter(action="product.english_update").count() == 1


def test_english_cards_and_producer_story_fall_back_marked(client, staff_a, product_a):
    catalog = client.get("/en/katalog/").content.decode()
    producer = client.get(f"/en/pembuat/{product_a.producer.slug}/").content.decode()

    assert '<p lang="id" class="card-title">Kain Batik Sekar Jagad</p>' in catalog
    assert "(in Indonesian)" in producer and "Kisah kelompok batik." in producer

    producer_english_update(actor=staff_a, producer=product_a.producer, story_en="The story of the batik group.")
    producer = client.get(f"/en/pembuat/{product_a.producer.slug}/").content.decode()
    assert "The story of the batik group." in producer and "(in Indonesian)" not in producer


def test_indonesian_pages_never_show_the_marker(client, product_a):
    html = client.get(f"/produk/{product_a.slug}/").content.decode()

    assert "in-indonesian" not in html and "(in Indonesian)" not in html
    assert "<h1>Kain Batik Sekar Jagad</h1>" in html


def test_english_page_shows_the_indicative_usd_price_with_its_date(client, staff_a, facility_a, product_a):
    exchange_rate_create(
        actor=staff_a,
        organization=facility_a,
        currency="USD",
        idr_per_unit=16250,
        effective_date=datetime.date(2026, 12, 1),
    )

    english = client.get(f"/en/produk/{product_a.slug}/").content.decode()
    indonesian = client.get(f"/produk/{product_a.slug}/").content.decode()
    chosen = client.get(f"/produk/{product_a.slug}/", {"currency": "USD"}).content.decode()

    assert "≈ US$15.38–30.77, rate of 1 Dec 2026" in english
    assert "Rp250.000" in english  # rupiah stays the currency of record
    assert "US$" not in indonesian
    assert "≈ US$15.38–30.77, kurs 1 Des 2026" in chosen


def test_no_rate_no_usd_on_the_english_page(client, product_a):
    html = client.get(f"/en/produk/{product_a.slug}/").content.decode()

    assert "US$" not in html and "indicative-price" not in html


def test_english_product_page_adds_one_query_for_the_rates(client, product_a, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get(f"/produk/{product_a.slug}/")
    with django_assert_num_queries(4):
        client.get(f"/en/produk/{product_a.slug}/")


def test_export_data_on_the_public_page_and_never_a_maker(client, staff_a, facility_a, product_a, maker_a):
    export_profile_save(
        actor=staff_a,
        product=product_a,
        data=ExportInput(
            hs_code="5208.52",
            net_weight_grams=450,
            gross_weight_grams=1200,
            moq=10,
            lead_time_days=21,
            certifications=["BATIKMARK"],
            certifications_other="ISO 9001",
        ),
    )
    exchange_rate_create(actor=staff_a, organization=facility_a, currency="USD", idr_per_unit=16250)

    pages = [
        client.get(f"/en/produk/{product_a.slug}/").content.decode(),
        client.get(f"/produk/{product_a.slug}/").content.decode(),
        client.get(f"/en/pembuat/{product_a.producer.slug}/").content.decode(),
        client.get("/en/katalog/").content.decode(),
        client.get(f"/api/v1/products/{product_a.slug}", {"currency": "USD"}).content.decode(),
    ]

    assert "5208.52" in pages[0] and "450 g / 1,200 g" in pages[0] and "Batikmark, ISO 9001" in pages[0]
    assert "21 days" in pages[0]
    for html in pages:
        assert maker_a.full_name not in html and maker_a.registration_number not in html
