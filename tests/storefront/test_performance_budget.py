"""Fixed query counts and a byte budget for storefront pages (no timings here: see benchmarks/)."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from binakarya.catalog.models import Product

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 60 * 1024


@pytest.fixture
def many_products(demo):
    # Enough rows for two full catalog pages, so the counts cannot hide an N+1.
    template = Product.objects.select_related("producer", "category", "organization").first()
    from tests.factories import ProductFactory

    ProductFactory.create_batch(30, producer=template.producer, category=template.category, photos=1)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", 3),
        ("/katalog/", 4),
        ("/katalog/?q=batik", 4),
        ("/katalog/?q=batik&kategori=batik-tulis&harga_min=100000&halaman=1", 4),
        ("/pembuat/", 1),
        ("/api/v1/products", 2),
    ],
)
def test_storefront_query_counts_are_fixed(client, many_products, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_product_and_producer_pages_query_counts(client, many_products, django_assert_num_queries):
    product = Product.objects.select_related("producer").filter(variants__isnull=False).order_by("pk").first()
    product_url, producer_url = f"/produk/{product.slug}/", f"/pembuat/{product.producer.slug}/"

    with django_assert_num_queries(3):
        assert client.get(product_url).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(producer_url).status_code == 200


def _asset_bytes(html: str) -> int:
    total = 0
    for ref in re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html):
        path = finders.find(ref.removeprefix(settings.STATIC_URL))
        assert path, ref
        total += len(gzip.compress(Path(path).read_bytes()))
    return total


@pytest.mark.parametrize("kind", ["catalog", "search", "product", "producer", "home"])
def test_page_weight_html_css_js_under_60kb_compressed(client, demo, kind):
    product = Product.objects.order_by("pk").first()
    url = {
        "catalog": "/katalog/",
        "search": "/katalog/?q=batik",
        "product": f"/produk/{product.slug}/",
        "producer": f"/pembuat/{product.producer.slug}/",
        "home": "/",
    }[kind]

    html = client.get(url).content.decode()
    total = len(gzip.compress(html.encode())) + _asset_bytes(html)

    assert _asset_bytes(html) > 0
    assert total <= PAGE_BUDGET_BYTES, f"{url}: {total} bytes"
