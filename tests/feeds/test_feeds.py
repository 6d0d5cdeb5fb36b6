"""The channel feeds of issue 14: Meta's CSV and XML and Google Merchant Center's XML, per seller and language."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from binakarya.catalog.models import Variant
from binakarya.feeds.renderers import G_NAMESPACE, META_FIELDS
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

G = f"{{{G_NAMESPACE}}}"
PRICE = re.compile(r"^[1-9][0-9]* IDR$")
REQUIRED = ("id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand")


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert tuple(reader.fieldnames or ()) == META_FIELDS
    return list(reader)


def xml_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") and channel.findtext("link")
    rows = []
    for item in channel.findall("item"):
        row = {}
        for child in item:
            assert child.tag.startswith(G), child.tag
            row[child.tag.removeprefix(G)] = child.text or ""
        rows.append(row)
    return rows


def assert_well_formed(row: dict[str, str]) -> None:
    for field in REQUIRED:
        assert row.get(field), (field, row)
    assert PRICE.match(row["price"]), row["price"]
    assert row["availability"] in ("in stock", "out of stock")
    assert row["condition"] == "new"
    for field in ("link", "image_link"):
        parts = urlsplit(row[field])
        assert parts.scheme == "http" and parts.netloc == "testserver", row[field]


FEEDS = ("meta.csv", "meta.xml", "google.xml")


def rows_of(client, kind: str, slug: str = "rutan-sumenep", lang: str = "id") -> list[dict[str, str]]:
    response = client.get(f"/feeds/{slug}/{lang}/{kind}")
    return csv_rows(response) if kind.endswith(".csv") else xml_rows(response)


@pytest.mark.parametrize("kind", FEEDS)
def test_each_feed_has_a_well_formed_row_per_variant_of_the_published_products(client, catalog, kind):
    # given two published products (one and two variants) and an unpublished one
    batik, tas, hidden = catalog

    # when
    rows = rows_of(client, kind)

    # then each active variant of a published product is a row with every required field
    for row in rows:
        assert_well_formed(row)
    by_id = {row["id"]: row for row in rows}
    expected = {v.sku for v in Variant.objects.filter(product__in=[batik, tas])}
    assert set(by_id) == expected
    assert not set(by_id) & {v.sku for v in hidden.variants.all()}

    single = by_id[batik.variants.get().sku]
    assert single["price"] == "150000 IDR"
    assert single["title"] == "Kain Batik Tulis Sumenep"
    assert single["brand"] == "Kelompok Batik Sumenep"
    assert single["availability"] == "in stock"
    assert single["link"] == "http://testserver/produk/kain-batik-sumenep/"
    assert single["image_link"].startswith("http://testserver/media/photos/large/")
    assert not single.get("item_group_id")

    small, large = tas.variants.order_by("price_idr")
    assert by_id[small.sku]["item_group_id"] == by_id[large.sku]["item_group_id"] == "tas-anyaman-pandan"
    assert by_id[small.sku]["price"] == "85000 IDR"
    assert by_id[small.sku]["title"] == "Tas Anyaman Pandan - Kecil"
    assert by_id[large.sku]["availability"] == "out of stock"
    assert by_id[small.sku]["availability"] == "in stock"


def test_only_the_google_feed_says_identifier_exists_no(client, catalog):
    google = rows_of(client, "google.xml")
    meta = rows_of(client, "meta.xml")

    assert google and all(row["identifier_exists"] == "no" for row in google)
    assert all("identifier_exists" not in row for row in meta)


@pytest.mark.parametrize("kind", FEEDS)
def test_the_english_feed_uses_english_texts_and_falls_back_to_indonesian(client, catalog, kind):
    batik, tas, _hidden = catalog

    by_id = {row["id"]: row for row in rows_of(client, kind, lang="en")}

    english = by_id[batik.variants.get().sku]
    assert english["title"] == "Sumenep Hand-drawn Batik Cloth"
    assert english["description"] == "Hand-drawn batik with natural dyes."
    assert english["link"] == "http://testserver/en/produk/kain-batik-sumenep/"
    fallback = by_id[tas.variants.order_by("price_idr").first().sku]
    assert fallback["title"] == "Tas Anyaman Pandan - Kecil"


@pytest.mark.parametrize("kind", FEEDS)
def test_a_seller_without_published_products_has_an_empty_valid_feed(client, kind):
    OrganizationFactory(slug="lapas-kosong")

    assert rows_of(client, kind, slug="lapas-kosong") == []


@pytest.mark.parametrize("kind", FEEDS)
def test_only_the_sellers_own_products_are_listed(client, catalog, kind):
    other = OrganizationFactory(slug="lapas-lain")

    assert rows_of(client, kind, slug=other.slug) == []
    assert rows_of(client, kind)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/tidak-ada/id/meta.csv",
        "/feeds/tidak-ada/en/google.xml",
        "/feeds/rutan-sumenep/fr/meta.xml",
        "/feeds/rutan-sumenep/id/lazada.csv",
    ],
)
def test_an_unknown_seller_language_or_feed_is_a_404(client, catalog, url):
    assert client.get(url).status_code == 404


def test_an_inactive_seller_is_a_404(client, facility, catalog):
    facility.is_active = False
    facility.save(update_fields=["is_active"])

    assert client.get("/feeds/rutan-sumenep/id/meta.csv").status_code == 404


@pytest.mark.parametrize("kind", FEEDS)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_feed_carries_a_makers_identity(client, catalog, maker, kind, lang):
    body = client.get(f"/feeds/rutan-sumenep/{lang}/{kind}").content.decode()

    assert "Kelompok Batik Sumenep" in body  # the producer's public name is there
    for secret in (maker.full_name, "Ahmad", "Rahasia", maker.registration_number):
        assert secret not in body


# ETag, Last-Modified and 304 (changes reaching the stored feeds: test_rebuild.py) ---------------------------


@pytest.mark.parametrize("kind", FEEDS)
def test_a_request_with_the_current_etag_is_a_304(client, catalog, kind):
    url = f"/feeds/rutan-sumenep/id/{kind}"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]

    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""


def test_the_languages_have_different_etags(client, catalog):
    assert (
        client.get("/feeds/rutan-sumenep/id/meta.xml")["ETag"] != client.get("/feeds/rutan-sumenep/en/meta.xml")["ETag"]
    )
