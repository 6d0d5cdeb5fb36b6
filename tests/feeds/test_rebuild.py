"""Stored feeds rebuilt in the background (issue 14): a change reaches the served feed when the django-tasks
worker has run the rebuild, repeated changes make one rebuild, and an unchanged feed keeps its ETag."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django.utils.http import parse_http_date
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from binakarya.catalog import services as catalog_services
from binakarya.catalog.services import VariantInput
from binakarya.feeds.models import FeedFile, FeedState
from binakarya.feeds.registry import FEEDS
from binakarya.feeds.selectors import LANGUAGES
from binakarya.feeds.services import feeds_rebuild, feeds_rebuild_task
from binakarya.inventory.services import variant_stock_refresh
from tests.factories import (
    LocationFactory,
    MembershipFactory,
    ProducerOrgFactory,
    ProductFactory,
    UmkmProducerFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

URL = "/feeds/rutan-sumenep/id/meta.csv"
TASK = "binakarya.feeds.services.feeds_rebuild_task"


def pending() -> list[list]:
    """The arguments of the feed rebuilds waiting for the worker."""
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=TASK, status="READY").order_by("pk")]


@pytest.fixture
def run_worker(monkeypatch):
    """What `make run`'s worker does, until no task is left: django-tasks' own db_worker, in batch mode.

    The worker recycles its database connection between tasks (close_old_connections); inside the test's
    transaction that would close the connection the test runs in (on PostgreSQL), so it is left alone.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)

    return run


def rows(response) -> dict[str, dict[str, str]]:
    assert response.status_code == 200
    return {row["id"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


@pytest.fixture
def staff(facility):
    return MembershipFactory(organization=facility, role="PRODUCTION_OFFICER").user


def _price_edit(staff, variant, price_idr: int) -> None:
    catalog_services.variant_update(
        actor=staff, variant=variant, data=VariantInput(sku=variant.sku, price_idr=price_idr, name=variant.name)
    )


def test_a_price_edit_reaches_the_feed_only_when_the_task_has_run(
    client, catalog, staff, run_worker, django_capture_on_commit_callbacks
):
    # given the stored feed, built on the first request
    batik = catalog[0]
    variant = batik.variants.get()
    first = client.get(URL)
    assert rows(first)[variant.sku]["price"] == "150000 IDR"

    # when staff change the price through the catalog service
    with django_capture_on_commit_callbacks(execute=True):
        _price_edit(staff, variant, 175_000)

    # then the feed served is still the stored one (a 304 on its ETag), and one rebuild waits for the worker
    assert client.get(URL, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert rows(client.get(URL))[variant.sku]["price"] == "150000 IDR"
    assert pending() == [[batik.organization_id]]

    # when the worker runs
    run_worker()

    # then the feed has the new price, a new ETag and a later Last-Modified, in both languages
    after = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert rows(after)[variant.sku]["price"] == "175000 IDR"
    assert after["ETag"] != first["ETag"]
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    english = client.get("/feeds/rutan-sumenep/en/meta.csv")
    assert rows(english)[variant.sku]["price"] == "175000 IDR"
    assert pending() == []
    assert DBTaskResult.objects.get(task_path=TASK).status == "SUCCESSFUL"


def test_a_title_edit_reaches_the_xml_feeds_after_the_task(
    client, catalog, staff, run_worker, django_capture_on_commit_callbacks
):
    # given
    batik = catalog[0]
    before = client.get("/feeds/rutan-sumenep/id/google.xml")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_update(actor=staff, product=batik, name="Kain Batik Tulis Gapura")
    run_worker()

    # then
    after = client.get("/feeds/rutan-sumenep/id/google.xml")
    assert b"Kain Batik Tulis Gapura" in after.content
    assert b"Kain Batik Tulis Gapura" not in before.content
    assert after["ETag"] != before["ETag"]


def test_a_stock_only_change_changes_the_availability(
    client, facility, producer, catalog, run_worker, django_capture_on_commit_callbacks
):
    # given the large bag, out of stock in the stored feed
    large = catalog[1].variants.get(name="Besar")
    first = client.get(URL)
    assert rows(first)[large.sku]["availability"] == "out of stock"

    # when a production lot of it reaches the store (stock movements; no product or price change)
    with django_capture_on_commit_callbacks(execute=True):
        make_lot(variant=large, group=producer.group, location=LocationFactory(organization=facility), quantity=5)

    # then the stock figure moved, one rebuild of that seller waits, and the feed is still the stored one
    large.refresh_from_db()
    assert large.stock_quantity == 5
    assert pending() == [[facility.pk]]
    assert FeedState.objects.get(organization=facility).stale_at is not None
    assert rows(client.get(URL))[large.sku]["availability"] == "out of stock"

    # when the worker runs, then the bag is in stock at the same price
    run_worker()
    after = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert rows(after)[large.sku]["availability"] == "in stock"
    assert rows(after)[large.sku]["price"] == rows(first)[large.sku]["price"]
    assert after["ETag"] != first["ETag"]


def test_several_changes_make_one_pending_rebuild_and_the_next_change_after_it_another(
    client, catalog, staff, run_worker, django_capture_on_commit_callbacks
):
    # given the stored feeds
    batik, tas, _hidden = catalog
    client.get(URL)

    # when four changes commit one after another
    for price in (160_000, 170_000):
        with django_capture_on_commit_callbacks(execute=True):
            _price_edit(staff, batik.variants.get(), price)
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_update(actor=staff, product=tas, description="Tas anyaman pandan dari Sumenep.")
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.photo_make_cover(actor=staff, photo=tas.photos.order_by("position").last())

    # then one task waits, for that seller
    assert pending() == [[batik.organization_id]]

    # when the worker runs, then every change is in the feed and the marker is cleared
    run_worker()
    assert rows(client.get(URL))[batik.variants.get().sku]["price"] == "170000 IDR"
    assert FeedState.objects.get(organization_id=batik.organization_id).stale_at is None

    # and a change after the rebuild gets a rebuild of its own
    with django_capture_on_commit_callbacks(execute=True):
        _price_edit(staff, batik.variants.get(), 180_000)
    assert pending() == [[batik.organization_id]]
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_a_change_that_rolls_back_schedules_nothing(catalog, staff, django_capture_on_commit_callbacks):
    # given
    variant = catalog[0].variants.get()

    # when the edit's transaction rolls back
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _price_edit(staff, variant, 999_000)
            raise RuntimeError("rolled back")

    # then
    assert pending() == []
    assert not FeedState.objects.filter(stale_at__isnull=False).exists()


def test_a_bulk_stock_refresh_marks_each_seller_once(catalog, facility, django_capture_on_commit_callbacks):
    # given variants of two sellers
    other = ProducerOrgFactory(slug="batik-lain")
    other_product = ProductFactory(producer=UmkmProducerFactory(organization=other), variants=[90_000, 95_000])
    variant_ids = [v.pk for p in catalog for v in p.variants.all()] + [v.pk for v in other_product.variants.all()]

    # when an import refreshes the stock figures of all of them at once
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        variant_stock_refresh(variant_ids=variant_ids)

    # then one callback and one task per seller
    assert len(callbacks) == 1
    assert sorted(pending()) == sorted([[facility.pk], [other.pk]])


def test_the_first_request_builds_every_feed_of_the_seller_once(client, facility, catalog):
    # given a fresh install: no stored feed
    assert not FeedFile.objects.exists()

    # when
    response = client.get("/feeds/rutan-sumenep/en/meta.xml")

    # then every registered feed is stored in every language, and the next request reads them
    assert response.status_code == 200
    stored = set(FeedFile.objects.filter(organization=facility).values_list("language", "name"))
    assert stored == {(lang, name) for name, kind in FEEDS.items() for lang in LANGUAGES if lang in kind.languages}
    assert client.get("/feeds/rutan-sumenep/en/meta.xml").content == response.content
    assert FeedFile.objects.count() == len(stored)


def test_a_rebuild_without_changes_keeps_the_etag_and_last_modified(client, facility, catalog):
    # given
    first = client.get(URL)

    # when
    result = feeds_rebuild(organization=facility)
    again = client.get(URL, headers={"If-Modified-Since": first["Last-Modified"]})

    # then
    assert result.changed == ()
    assert len(result.unchanged) == len(FEEDS) * len(LANGUAGES)
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert "max-age=300" in again["Cache-Control"]


def test_a_rebuild_never_overwrites_a_newer_one(facility, catalog, staff):
    # given files stored by a rebuild that started after this one will
    feeds_rebuild(organization=facility)
    later = timezone.now() + datetime.timedelta(minutes=5)
    FeedFile.objects.filter(organization=facility).update(built_at=later)
    bodies = dict(FeedFile.objects.values_list("pk", "body"))
    _price_edit(staff, catalog[0].variants.get(), 190_000)

    # when the older rebuild finishes
    result = feeds_rebuild(organization=facility)

    # then it leaves the newer files as they are
    assert result.changed == ()
    assert {pk: bytes(body) for pk, body in FeedFile.objects.values_list("pk", "body")} == {
        pk: bytes(body) for pk, body in bodies.items()
    }


def test_the_task_clears_the_marker_and_ignores_a_removed_seller(facility, catalog):
    # given
    FeedState.objects.create(organization=facility, stale_at=timezone.now())

    # when / then
    assert len(feeds_rebuild_task.call(facility.pk)) == len(FEEDS) * len(LANGUAGES)
    assert FeedState.objects.get(organization=facility).stale_at is None
    assert feeds_rebuild_task.call(999_999) == []


def test_the_stored_feeds_name_no_maker(client, facility, catalog, maker):
    # when
    feeds_rebuild(organization=facility)

    # then no stored body, in any language, holds the inmate's name or number
    bodies = list(FeedFile.objects.values_list("name", "body"))
    assert {name for name, _ in bodies} == set(FEEDS)
    for name, body in bodies:
        if name.endswith(".xlsx"):  # a zip: the cells are in the XML inside
            with zipfile.ZipFile(io.BytesIO(bytes(body))) as book:
                text = " ".join(book.read(member).decode() for member in book.namelist())
        else:
            text = bytes(body).decode()
        for secret in (maker.full_name, maker.registration_number):
            assert secret not in text


def test_the_operators_command_rebuilds_one_seller_or_all(facility, catalog):
    # given
    out = io.StringIO()

    # when
    call_command("feeds_rebuild", "--seller", "rutan-sumenep", stdout=out, stderr=io.StringIO())

    # then
    files = len(FEEDS) * len(LANGUAGES)
    assert f"Rebuilt the feeds of 1 seller(s): {files} file(s) changed" in out.getvalue()
    assert FeedFile.objects.filter(organization=facility).count() == files
    out = io.StringIO()
    call_command("feeds_rebuild", stdout=out, stderr=io.StringIO())
    assert "0 file(s) changed" in out.getvalue()
    with pytest.raises(CommandError, match="tidak-ada"):
        call_command("feeds_rebuild", "--seller", "tidak-ada", stdout=io.StringIO(), stderr=io.StringIO())
