"""The feeds on the demo data, as docs/feeds.md tells to try them with curl."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from binakarya.feeds.renderers import G_NAMESPACE, META_FIELDS
from binakarya.makers.models import Maker
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
