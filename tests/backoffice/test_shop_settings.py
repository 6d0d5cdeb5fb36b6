"""The seller's shop settings (payment, QRIS, pickup, expiry), the shipping rate table, and a made-to-order
product's down payment percent on the product form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from binakarya.orders.models import ShippingRate, ShopSettings
from binakarya.organizations.models import Role
from tests.backoffice.helpers import jpeg_with_gps, text, upload
from tests.backoffice.order_helpers import make_seller, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(name="Rutan Sumenep")


@pytest.fixture
def staff_client(client, seller):
    client.force_login(staff_of(seller["org"], username="ani"))
    return client


def settings_data(seller, **overrides):
    data = {
        "organization": seller["org"].pk,
        "accepts_orders": "on",
        "location": seller["showroom"].pk,
        "order_expiry_hours": "48",
        "unique_code": "on",
        "bank_name": "BNI",
        "bank_account_number": "9988776655",
        "bank_account_holder": "BLU Rutan Sumenep",
        "qris_merchant_name": "RUTAN SUMENEP",
        "pickup_address": "Jl. Raya 1, Sumenep",
        "pickup_hours": "Senin–Jumat 08.00–15.00",
    }
    data.update(overrides)
    return data


def test_the_settings_page_shows_the_current_settings(staff_client, seller):
    page = staff_client.get(reverse("backoffice:shop_settings")).content.decode()
    assert 'value="0123456789"' in page
    assert 'enctype="multipart/form-data"' in page and "novalidate" in page


def test_staff_save_the_settings_with_a_qris_image_re_encoded_without_its_metadata(staff_client, seller):
    data = settings_data(seller, qris_image=upload("qris.jpg", jpeg_with_gps(size=(600, 600))))
    response = staff_client.post(reverse("backoffice:shop_settings"), data)
    assert response.status_code == 302
    shop = ShopSettings.objects.get(organization=seller["org"])
    assert (shop.bank_name, shop.order_expiry_hours, shop.pickup_hours) == ("BNI", 48, "Senin–Jumat 08.00–15.00")
    assert shop.qris_image.name.endswith(".webp")
    with shop.qris_image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "WEBP"
        assert not image.getexif()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(staff_client, seller):
    data = settings_data(seller, qris_image=SimpleUploadedFile("qris.jpg", b"not an image", content_type="image/jpeg"))
    response = staff_client.post(reverse("backoffice:shop_settings"), data)
    assert response.status_code == 400
    shop = ShopSettings.objects.get(organization=seller["org"])
    assert shop.bank_name == "BRI" and not shop.qris_image


def test_expiry_hours_out_of_range_are_refused(staff_client, seller):
    response = staff_client.post(reverse("backoffice:shop_settings"), settings_data(seller, order_expiry_hours="0"))
    assert response.status_code == 400
    assert ShopSettings.objects.get(organization=seller["org"]).order_expiry_hours == 24


def test_another_organizations_location_cannot_be_chosen(staff_client, seller):
    other = make_seller(name="Rutan Purbalingga")
    response = staff_client.post(
        reverse("backoffice:shop_settings"), settings_data(seller, location=other["showroom"].pk)
    )
    assert response.status_code == 400
    assert ShopSettings.objects.get(organization=seller["org"]).location == seller["showroom"]


def test_staff_of_another_seller_cannot_change_these_settings(client, seller):
    other = make_seller(name="Rutan Purbalingga")
    client.force_login(staff_of(other["org"], username="budi"))
    response = client.post(reverse("backoffice:shop_settings"), settings_data(seller))
    # The organization offered is their own: this seller's is not a choice.
    assert ShopSettings.objects.get(organization=seller["org"]).bank_name == "BRI"
    assert response.status_code in (302, 400)


def test_a_viewer_gets_a_403(client, seller):
    client.force_login(staff_of(seller["org"], username="guru", role=Role.INSTRUCTOR))
    assert client.post(reverse("backoffice:shop_settings"), settings_data(seller)).status_code == 403
    assert client.get(reverse("backoffice:shipping_rates")).status_code == 403


# The rate table -----------------------------------------------------------------------------------------


def rates_data(rows):
    data = {
        "tarif-TOTAL_FORMS": str(len(rows)),
        "tarif-INITIAL_FORMS": "0",
        "tarif-MIN_NUM_FORMS": "0",
        "tarif-MAX_NUM_FORMS": "2000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"tarif-{i}-{key}"] = value
    return data


def test_staff_edit_the_rate_table(staff_client, seller):
    rows = [
        {
            "province": "Jawa Timur",
            "regency": "",
            "max_weight_grams": "1.000",
            "fee_idr": "Rp15.000",
            "courier": "JNE",
            "etd_days": "2",
        },
        {
            "province": "Jawa Timur",
            "regency": "Sumenep",
            "max_weight_grams": "1000",
            "fee_idr": "10.000",
            "courier": "",
            "etd_days": "",
        },
        {"province": "", "regency": "", "max_weight_grams": "", "fee_idr": "", "courier": "", "etd_days": ""},
    ]
    response = staff_client.post(reverse("backoffice:shipping_rates"), rates_data(rows))
    assert response.status_code == 302
    assert sorted(ShippingRate.objects.values_list("regency", "fee_idr")) == [("", 15_000), ("Sumenep", 10_000)]
    page = staff_client.get(reverse("backoffice:shipping_rates")).content.decode()
    assert "Sumenep" in page


def test_a_repeated_row_is_refused_and_nothing_is_saved(staff_client, seller):
    row = {
        "province": "Bali",
        "regency": "",
        "max_weight_grams": "500",
        "fee_idr": "20.000",
        "courier": "",
        "etd_days": "",
    }
    response = staff_client.post(reverse("backoffice:shipping_rates"), rates_data([row, row]))
    assert response.status_code == 400
    assert text("Row %(row)s repeats an earlier row.", row=2) in response.content.decode()
    assert not ShippingRate.objects.exists()


CSV_OK = (
    "province,regency,max_weight_grams,fee_idr,courier,etd_days\n"
    "Jawa Timur,,1000,15000,JNE,2\n"
    "Jawa Timur,,5000,40000,JNE,3\n"
    "DKI Jakarta,Jakarta Selatan,1000,25000,,\n"
)


def test_a_csv_file_replaces_the_table(staff_client, seller):
    ShippingRate.objects.create(organization=seller["org"], province="Bali", max_weight_grams=1, fee_idr=1)
    csv_file = SimpleUploadedFile("tarif.csv", CSV_OK.encode(), content_type="text/csv")
    response = staff_client.post(reverse("backoffice:shipping_rates"), {"_upload": "1", "file": csv_file})
    assert response.status_code == 302
    assert ShippingRate.objects.filter(organization=seller["org"]).count() == 3
    assert not ShippingRate.objects.filter(province="Bali").exists()


def test_a_csv_file_with_a_bad_row_saves_nothing_and_names_the_row(staff_client, seller):
    ShippingRate.objects.create(organization=seller["org"], province="Bali", max_weight_grams=1, fee_idr=1)
    bad = CSV_OK + "Jawa Barat,,1000,lima ribu,,\n"
    csv_file = SimpleUploadedFile("tarif.csv", bad.encode(), content_type="text/csv")
    response = staff_client.post(reverse("backoffice:shipping_rates"), {"_upload": "1", "file": csv_file})
    assert response.status_code == 400
    assert "lima ribu" in response.content.decode()
    assert list(ShippingRate.objects.values_list("province", flat=True)) == ["Bali"]


def test_a_csv_without_its_header_is_refused(staff_client, seller):
    csv_file = SimpleUploadedFile("tarif.csv", b"Jawa Timur,,1000,15000,JNE,2\n", content_type="text/csv")
    response = staff_client.post(reverse("backoffice:shipping_rates"), {"_upload": "1", "file": csv_file})
    assert response.status_code == 400
    assert not ShippingRate.objects.exists()


# A made-to-order product's down payment -------------------------------------------------------------------


def product_data(product, **overrides):
    data = {
        "name": product.name,
        "category": product.category_id,
        "moq": 1,
        "lead_time_days": 14,
        "made_to_order": "on",
    }
    data.update(overrides)
    return data


def test_the_product_form_sets_the_down_payment_percent(staff_client, seller):
    product = seller["product"]
    page = staff_client.get(reverse("backoffice:product_edit", args=[product.pk])).content.decode()
    assert 'name="deposit_percent"' in page
    response = staff_client.post(
        reverse("backoffice:product_edit", args=[product.pk]), product_data(product, deposit_percent="30")
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.deposit_percent == 30


@pytest.mark.parametrize("value", ["0", "101", "abc"])
def test_the_down_payment_percent_is_between_1_and_100(staff_client, seller, value):
    product = seller["product"]
    response = staff_client.post(
        reverse("backoffice:product_edit", args=[product.pk]), product_data(product, deposit_percent=value)
    )
    assert response.status_code == 200
    assert "deposit_percent" in response.context["form"].errors
    product.refresh_from_db()
    assert product.deposit_percent == 50


def test_the_catalog_service_refuses_a_percent_outside_1_to_100(seller):
    from django.core.exceptions import ValidationError

    from binakarya.catalog.services import product_update

    with pytest.raises(ValidationError) as caught:
        product_update(actor=None, product=seller["product"], deposit_percent=0)
    assert "deposit_percent" in caught.value.error_dict
