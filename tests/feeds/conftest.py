"""A facility with a group (and an inmate maker in it) and an UMKM producer, each with public products."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from binakarya.catalog.services import photo_add, product_refresh
from tests.factories import (
    CategoryFactory,
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
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


def jpeg(width: int, height: int, name: str = "foto.jpg") -> SimpleUploadedFile:
    """A plain JPEG upload of ``width`` × ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def ready_product(producer, category, *, name, slug, variants, photos=1, size=900, **fields):
    """A product as the demo data makes them: a square photo of ``size`` px, every variant weighed and measured.

    ``variants`` is [(name, price), …]; the fields of the product (description, name_en…) come as keywords.
    """
    product = ProductFactory(producer=producer, category=category, name=name, slug=slug, variants=[], **fields)
    for i, (variant_name, price) in enumerate(variants):
        VariantFactory(
            product=product,
            sku=f"{slug[:8].upper()}-{i + 1}",
            name=variant_name,
            price_idr=price,
            stock_quantity=4 - i,
            weight_grams=300 + 50 * i,
            length_mm=400,
            width_mm=305,
            height_mm=25,
        )
    product_refresh(product=product)
    for i in range(photos):
        photo_add(actor=None, product=product, upload=jpeg(size, size, f"foto-{i}.jpg"))
    return product


@pytest.fixture
def shop(producer, category):
    """Demo-like products ready for every channel: one with one variant and English texts, one with three."""
    kain = ready_product(
        producer,
        category,
        name="Kain Batik Tulis Sumenep",
        slug="kain-batik-sumenep",
        name_en="Sumenep Hand-drawn Batik Cloth",
        description="Kain batik tulis pewarna alam, 2 x 1,15 m.",
        description_en="Hand-drawn batik with natural dyes, 2 x 1.15 m.",
        variants=[("", 450_000)],
        photos=3,
    )
    pecut = ready_product(
        producer,
        category,
        name="Pecut Sapi Sumenep",
        slug="pecut-sapi",
        description="Pecut kerapan sapi dari rotan dan kulit.",
        variants=[("1 m", 60_000), ("1,5 m", 85_000), ("2 m", 110_000)],
    )
    return [kain, pecut]
