"""product_create: a SKU generated when none is typed, and the first photos saved with the product, all or nothing."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from PIL import Image

from binakarya.catalog import selectors, services
from binakarya.catalog.models import Photo, Product, Variant
from binakarya.catalog.services import VariantInput, product_create
from binakarya.core.models import AuditEvent
from tests.backoffice.helpers import files_under, text, upload
from tests.factories import CategoryFactory, OrganizationFactory, ProducerFactory, ProductFactory, small_jpeg

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "This file is not a photo. Upload a JPEG, PNG, WebP or GIF image (a GIF is kept as a still picture)."


@pytest.fixture(autouse=True)
def _media(_test_settings, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def sumenep_batik():
    producer = ProducerFactory(group__organization=OrganizationFactory(code="SMP", name="Rutan Sumenep"))
    return producer, CategoryFactory(name="Batik Tulis", slug="batik-tulis")


def _create(producer, category, *, name="Kain Batik Parang", sku="", photos=()):
    return product_create(
        actor=None,
        producer=producer,
        category=category,
        name=name,
        description="Batik tulis.",
        variants=[VariantInput(sku=sku, price_idr=450_000)],
        photos=list(photos),
    )


def _image_bytes(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 60, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("category", "letters"),
    [
        ("Batik Tulis", "BTK"),
        ("Pecut", "PCT"),
        ("Rajutan", "RJT"),
        ("Anyaman Pandan", "ANY"),
        ("Tas", "TAS"),
        ("Ékologi", "EKL"),
        ("—", "PRD"),
    ],
)
def test_sku_letters_stand_for_the_categorys_first_word(category, letters):
    # when / then
    assert services._sku_letters(category) == letters


def test_an_empty_sku_is_generated_from_the_organization_and_the_category(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    product = _create(producer, batik)

    # then
    assert list(product.variants.values_list("sku", flat=True)) == ["SMP-BTK-001"]
    event = AuditEvent.objects.get(action="product.create", object_id=str(product.pk))
    assert event.data["skus"] == ["SMP-BTK-001"]


def test_two_products_with_the_same_name_get_different_skus_and_slugs(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    first = _create(producer, batik)
    second = _create(producer, batik)

    # then
    assert first.variants.get().sku == "SMP-BTK-001"
    assert second.variants.get().sku == "SMP-BTK-002"
    assert (first.slug, second.slug) == ("kain-batik-parang", "kain-batik-parang-2")


def test_the_number_follows_the_highest_in_use_in_the_organization(sumenep_batik):
    # given a typed SKU with a high number, one that does not end in a number, and another facility's
    producer, batik = sumenep_batik
    _create(producer, batik, sku="SMP-BTK-041")
    _create(producer, batik, sku="SMP-BTK-A7")
    other = ProducerFactory(group__organization=OrganizationFactory(code="BWI"))
    _create(other, batik, sku="BWI-BTK-900")

    # when
    product = _create(producer, batik)
    elsewhere = _create(other, batik)

    # then
    assert product.variants.get().sku == "SMP-BTK-042"
    assert elsewhere.variants.get().sku == "BWI-BTK-901"


def test_a_typed_sku_is_kept(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    product = _create(producer, batik, sku="smp-sel-01")

    # then
    assert product.variants.get().sku == "SMP-SEL-01"


def test_a_generated_sku_taken_meanwhile_is_retried_with_the_next_number(sumenep_batik, monkeypatch):
    # given another transaction took SMP-BTK-001 between the read of the highest number and the insert
    producer, batik = sumenep_batik
    ProductFactory(producer=producer, category=batik, variants=[])
    Variant.objects.create(
        organization=producer.organization, product=Product.objects.get(), sku="SMP-BTK-001", price_idr=1
    )
    real_next_sku = services._next_sku
    answers = iter(["SMP-BTK-001"])
    monkeypatch.setattr(services, "_next_sku", lambda prefix: next(answers, None) or real_next_sku(prefix))

    # when
    product = _create(producer, batik)

    # then
    assert product.variants.get().sku == "SMP-BTK-002"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_products_saved_at_the_same_moment_get_different_skus(sumenep_batik):
    # given two people saving a product of the same name at the same moment
    producer, batik = sumenep_batik
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def save() -> None:
        try:
            barrier.wait()
            product = _create(producer, batik, name="Kain Batik Kawung")
            results.append(product.variants.get().sku)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    assert sorted(results) == ["SMP-BTK-001", "SMP-BTK-002"]
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["kain-batik-kawung", "kain-batik-kawung-2"]


def test_photos_given_on_creation_are_saved_first_one_the_cover(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    product = _create(
        producer,
        batik,
        photos=[upload("depan.jpg", _image_bytes("JPEG")), upload("belakang.png", _image_bytes("PNG"), "image/png")],
    )

    # then
    photos = list(product.photos.order_by("position"))
    assert [(p.position, p.alt_text) for p in photos] == [(1, "Kain Batik Parang"), (2, "Kain Batik Parang")]
    assert product.cover_thumbnail == photos[0].thumbnail.name
    assert all(p.image.name.endswith(".webp") for p in photos)
    assert [p.slug for p in selectors.product_search(query=selectors.CatalogQuery()).items] == ["kain-batik-parang"]
    assert AuditEvent.objects.get(action="product.create").data["photos"] == 2


def test_a_bad_photo_refuses_the_whole_product_and_leaves_nothing(sumenep_batik, settings):
    # given one good photo and a document renamed .jpg
    producer, batik = sumenep_batik
    audit_count = AuditEvent.objects.count()

    # when
    with translation.override("id"), pytest.raises(ValidationError) as excinfo:
        _create(producer, batik, photos=[small_jpeg("depan.jpg"), upload("nota.jpg", b"not an image at all")])

    # then
    assert excinfo.value.message_dict == {"photos": [f"nota.jpg: {text(NOT_AN_IMAGE)}"]}
    assert (Product.objects.count(), Variant.objects.count(), Photo.objects.count()) == (0, 0, 0)
    assert AuditEvent.objects.count() == audit_count
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_failure_after_the_photos_were_written_removes_their_files(sumenep_batik, settings, monkeypatch):
    # given the audit write fails after both photos' files are on disk
    producer, batik = sumenep_batik

    def broken_audit(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)

    # when
    with pytest.raises(RuntimeError):
        _create(producer, batik, photos=[small_jpeg("a.jpg"), small_jpeg("b.jpg")])

    # then
    assert Product.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_gif_is_accepted_and_kept_as_a_still_webp(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    product = _create(producer, batik, photos=[upload("kain.gif", _image_bytes("GIF"), "image/gif")])

    # then
    photo = product.photos.get()
    assert photo.image.name.endswith(".webp")
    with photo.image.open("rb") as stored:
        assert Image.open(stored).format == "WEBP"


def test_the_not_a_photo_message_names_every_accepted_format(sumenep_batik):
    # given
    producer, batik = sumenep_batik

    # when
    with pytest.raises(ValidationError) as excinfo:
        _create(producer, batik, photos=[upload("kain.heic", b"ftypheic not really")])

    # then
    (message,) = excinfo.value.message_dict["photos"]
    for name in ("JPEG", "PNG", "WebP", "GIF"):
        assert name in message
