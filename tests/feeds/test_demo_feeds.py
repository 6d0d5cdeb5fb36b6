"""The feeds and the marketplace files on the demo data, as docs/feeds.md tells to try them."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from binakarya.catalog.models import Variant
from binakarya.feeds import marketplaces, selectors
from binakarya.feeds.marketplaces import SHOPEE_COLUMNS, SHOPEE_STOCK_COLUMNS
from binakarya.feeds.renderers import G_NAMESPACE, META_FIELDS
from binakarya.feeds.validation import SHOPEE_STOCK, feed_required_fields
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from tests.storefront.conftest import _demo_data, demo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["rutan-sumenep", "batik-raung-tamanan"])
def test_the_demo_sellers_feeds_list_their_products_without_a_maker(client, demo, slug):  # noqa: F811
    secrets = [m.full_name for m in Maker.objects.all()] + [m.registration_number for m in Maker.objects.all()]

    rows = list(csv.DictReader(io.StringIO(client.get(f"/feeds/{slug}/id/meta.csv").content.decode())))
    google = ET.fromstring(client.get(f"/feeds/{slug}/en/google.xml").content)
    items = google.findall("channel/item")

    assert rows and tuple(rows[0]) == META_FIELDS
    assert all(row["id"] and row["price"].endswith(" IDR") and row["image_link"] for row in rows)
    assert len(items) == len(rows)
    assert all(item.findtext(f"{{{G_NAMESPACE}}}identifier_exists") == "no" for item in items)
    bodies = client.get(f"/feeds/{slug}/id/meta.csv").content.decode() + ET.tostring(google, encoding="unicode")
    assert [s for s in secrets if s and s in bodies] == []


def test_the_demo_sellers_marketplace_files_fill_their_required_fields_and_name_no_maker(demo):  # noqa: F811
    # given every inmate's name and registration number
    inmates = Maker.objects.filter(kind=Maker.Kind.INMATE)
    secrets = {m.full_name for m in inmates} | {m.registration_number for m in inmates if m.registration_number}
    assert len(secrets) > 40

    def sheet(content: bytes, columns: tuple[str, ...]) -> list[dict[str, object]]:
        header, *body = list(
            load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True)
        )
        assert header == columns
        return [dict(zip(header, row, strict=True)) for row in body]

    # the batik workshop for visitors (a service) is the one demo item without a weight: the channel checks
    # flag it (tests/feeds/test_validation.py), and its weight cells stay empty
    weightless = set(Variant.objects.filter(weight_grams=0, is_active=True).values_list("sku", flat=True))
    assert weightless == {"TMN-KLS-002"}
    weight_fields = {"package_weight_g", "Weight (g)"}
    listed = 0
    for seller in Organization.objects.filter(kind__in=["FACILITY", "PRODUCER"], is_active=True):
        for lang in ("id", "en"):
            # when each seller's marketplace files are made
            items = selectors.feed_items(organization=seller, language=lang, base_url="https://binakarya.test")
            tiktok = marketplaces.tiktok_csv(items)
            files = [
                ("tiktok", list(csv.DictReader(io.StringIO(tiktok)))),
                ("shopee", sheet(marketplaces.shopee_xlsx(items, language=lang), SHOPEE_COLUMNS)),
                (SHOPEE_STOCK, sheet(marketplaces.shopee_stock_xlsx(items), SHOPEE_STOCK_COLUMNS)),
            ]

            # then every row fills its channel's required fields, and no file names an inmate
            for channel, rows in files:
                listed += len(rows)
                for row in rows:
                    empty = {f for f in feed_required_fields(channel) if row.get(f) in (None, "")}
                    sku = row.get("sku_id") or row.get("SKU")
                    assert empty == (weight_fields & empty if sku in weightless else set()), (channel, row)
                text = tiktok if channel == "tiktok" else repr(rows)
                assert [s for s in secrets if s in text] == [], (seller.slug, channel)
    assert listed > 0
