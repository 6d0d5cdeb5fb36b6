"""A facility with a group (and an inmate maker in it) and an UMKM producer, each with public products."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import (
    CategoryFactory,
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
)


@pytest.fixture(autouse=True)
def _default_language():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Stored feeds are built with links under SITE_URL (no request is at hand in the worker): the test
    client's host here."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def facility(db):
    return OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep")


@pytest.fixture
def maker(facility):
    return MakerFactory(organization=facility, full_name="Ahmad Rahasia Sekali", registration_number="BI-777/2025")


@pytest.fixture
def producer(facility, maker):
    group = GroupFactory(organization=facility, name="Kelompok Batik Sumenep")
    GroupMembershipFactory(group=group, maker=maker)
    return ProducerFactory(group=group, name="Kelompok Batik Sumenep")


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def batik(producer, category):
    """One variant, an English name and description."""
    return ProductFactory(
        producer=producer,
        category=category,
        name="Kain Batik Tulis Sumenep",
        name_en="Sumenep Hand-drawn Batik Cloth",
        description="Kain batik tulis pewarna alam.",
        description_en="Hand-drawn batik with natural dyes.",
        slug="kain-batik-sumenep",
        variants=[150_000],
        photos=1,
    )


@pytest.fixture
def tas(producer, category):
    """Two variants (the second out of stock), no English texts."""
    product = ProductFactory(
        producer=producer,
        category=category,
        name="Tas Anyaman Pandan",
        slug="tas-anyaman-pandan",
        variants=[85_000, 120_000],
        photos=2,
    )
    small, large = product.variants.order_by("price_idr")
    small.name, large.name = "Kecil", "Besar"
    small.save(update_fields=["name"])
    large.stock_quantity = 0
    large.name = "Besar"
    large.save(update_fields=["name", "stock_quantity"])
    return product


@pytest.fixture
def hidden(producer, category):
    product = ProductFactory(producer=producer, category=category, name="Produk Belum Terbit", slug="belum", photos=1)
    product.is_published = False
    product.save(update_fields=["is_published"])
    return product


@pytest.fixture
def catalog(batik, tas, hidden):
    return [batik, tas, hidden]
