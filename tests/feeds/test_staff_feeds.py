"""The staff page of the channel feeds (/staf/feed/): the sellers' feed addresses, the marketplace files to
download and each product's problems per channel, for the sellers whose catalog the user manages."""

import csv
import io

import pytest
from openpyxl import load_workbook

from binakarya.catalog.models import Variant
from binakarya.feeds.marketplaces import SHOPEE_COLUMNS
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, ProductFactory
from tests.feeds.conftest import ready_product

pytestmark = pytest.mark.django_db

URL = "/staf/feed/"


@pytest.fixture
def admin_client(client, facility):
    client.force_login(MembershipFactory(organization=facility, role=Role.FACILITY_ADMIN).user)
    return client


def test_the_page_lists_the_sellers_feed_addresses_and_downloads(admin_client, facility, shop):
    # when
    response = admin_client.get(URL)

    # then the six files in both languages, copyable, and the three downloads in both
    assert response.status_code == 200
    body = response.content.decode()
    for lang in ("id", "en"):
        for name in ("meta.csv", "meta.xml", "google.xml", "tiktok.csv", "shopee.xlsx", "shopee-stock.xlsx"):
            assert f'value="http://testserver/feeds/rutan-sumenep/{lang}/{name}"' in body
            assert f'data-copy="http://testserver/feeds/rutan-sumenep/{lang}/{name}"' in body
        for name in ("tiktok.csv", "shopee.xlsx", "shopee-stock.xlsx"):
            assert f'href="/staf/feed/rutan-sumenep/{lang}/{name}"' in body
    assert body.count('data-testid="feed-link"') == 12
    # the public addresses not served yet say so (the marketplace files are downloaded from here until then)
    served = {link.url.rsplit("/", 1)[1]: link.served for link in response.context["sellers"][0]["links"]}
    assert served["meta.csv"] and served["google.xml"]
    # and the menu leads here, in Indonesian
    assert 'href="/staf/feed/" aria-current="page"' in body
    assert "Feed saluran" in body


def test_the_problems_table_shows_each_products_problems_with_a_link_to_edit_it(
    admin_client, facility, shop, producer, category
):
    # given a ready product, one without a photo and one whose variant has no weight
    bare = ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], photos=0)
    Variant.objects.filter(sku="PECUT-SA-2").update(weight_grams=0)

    # when
    response = admin_client.get(URL)

    # then
    body = response.content.decode()
    assert body.count('data-testid="problem-row"') == 4 + 2  # the bare bag on every channel, the whip on two
    assert f'href="/staf/produk/{bare.pk}/"' in body
    assert "Tidak ada foto: Meta memerlukannya." in body
    assert "PECUT-SA-2" in body and "Belum ada di feed" in body
    assert "1 dari 3 produk terbit siap untuk semua saluran." in body


def test_the_page_is_in_english_under_en(admin_client, facility, producer, category):
    ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], photos=0)

    body = admin_client.get("/en" + URL).content.decode()

    assert "No photo: Meta needs one." in body
    assert "<h1>Channel feeds</h1>" in body
    assert 'href="/en/staf/feed/rutan-sumenep/en/tiktok.csv"' in body


def test_a_seller_with_every_product_ready_says_so(admin_client, facility, shop):
    body = admin_client.get(URL).content.decode()

    assert 'data-testid="problem-row"' not in body
    assert "Setiap produk terbit siap untuk semua saluran." in body


def test_another_sellers_page_and_files_are_a_404(admin_client, shop):
    other = OrganizationFactory(slug="lapas-lain")
    ProductFactory(producer__group__organization=other, photos=1)

    assert admin_client.get(URL + "?organisasi=lapas-lain").status_code == 404
    assert admin_client.get(f"{URL}lapas-lain/id/tiktok.csv").status_code == 404
    assert admin_client.get(f"{URL}rutan-sumenep/fr/tiktok.csv").status_code == 404
    assert admin_client.get(f"{URL}rutan-sumenep/id/meta.csv").status_code == 404


def test_a_user_without_a_catalog_role_is_refused(client, facility, shop):
    client.force_login(MembershipFactory(organization=facility, role=Role.FINANCE_OFFICER).user)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}rutan-sumenep/id/tiktok.csv").status_code == 403


def test_the_downloads_are_the_marketplace_files_without_a_maker(admin_client, shop, maker):
    tiktok = admin_client.get(f"{URL}rutan-sumenep/id/tiktok.csv")
    shopee = admin_client.get(f"{URL}rutan-sumenep/en/shopee.xlsx")
    stock = admin_client.get(f"{URL}rutan-sumenep/id/shopee-stock.xlsx")

    assert tiktok["Content-Disposition"] == 'attachment; filename="rutan-sumenep-id-tiktok.csv"'
    assert tiktok["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(tiktok.content.decode())))
    assert {r["sku_id"] for r in rows} == {"KAIN-BAT-1", "PECUT-SA-1", "PECUT-SA-2", "PECUT-SA-3"}
    sheet = load_workbook(io.BytesIO(shopee.content), read_only=True).worksheets[0]
    header, *body = list(sheet.iter_rows(values_only=True))
    assert header == SHOPEE_COLUMNS
    assert {row[1] for row in body} == {"Sumenep Hand-drawn Batik Cloth", "Pecut Sapi Sumenep"}
    assert stock["Content-Type"].startswith("application/vnd.openxmlformats")
    text = tiktok.content.decode() + repr(body)
    for secret in (maker.full_name, maker.registration_number):
        assert secret not in text
