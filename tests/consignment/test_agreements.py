import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from binakarya.consignment.models import Agreement
from binakarya.consignment.services import agreement_create, agreement_end, commission_for, unit_price
from binakarya.core.models import AuditEvent
from binakarya.core.storage import private_storage
from binakarya.inventory.models import Location

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def make(world, today, **overrides):
    arguments = {
        "actor": world["admin"],
        "organization": world["facility"],
        "outlet": world["hotel"],
        "commission_percent_bp": 2000,
        "settlement_period": "MONTHLY",
        "payment_days": 14,
        "start_date": today,
    }
    arguments.update(overrides)
    return agreement_create(**arguments)


def test_an_agreement_creates_the_outlet_shelf_and_an_audit_row(world, today):
    # when
    agreement = make(world, today, end_date=today + datetime.timedelta(days=180))

    # then the seller's OUTLET location names the hotel
    location = agreement.location
    assert (location.kind, location.outlet, location.organization) == (
        Location.Kind.OUTLET,
        world["hotel"],
        world["facility"],
    )
    assert agreement.status == Agreement.Status.ACTIVE
    assert (agreement.commission_mode, agreement.commission_bp, agreement.price_mode) == ("PERCENT", 2000, "CATALOG")
    event = AuditEvent.objects.get(action="consignment.agreement_create")
    assert (event.actor, event.object_id, event.data["outlet"]) == (
        world["admin"],
        str(agreement.pk),
        "hotel-bintang-sumenep",
    )


def test_an_existing_outlet_shelf_is_reused(world, today):
    # given
    shelf = Location.objects.create(
        organization=world["facility"], code="rak-hotel", name="Rak Hotel", kind="OUTLET", outlet=world["hotel"]
    )

    # when
    agreement = make(world, today)

    # then
    assert agreement.location == shelf


def test_a_second_agreement_whose_dates_overlap_is_refused(world, today):
    # given one in force for six months
    make(world, today, end_date=today + datetime.timedelta(days=180))

    # when another starts within it, then
    with pytest.raises(ValidationError) as error:
        make(world, today + datetime.timedelta(days=100))
    assert "already has an agreement in force" in error.value.message_dict["start_date"][0]
    assert Agreement.objects.count() == 1

    # but one starting after it ends is fine, and so is another outlet
    make(world, today + datetime.timedelta(days=181))
    make(world, today, outlet=world["gerai"])
    assert Agreement.objects.count() == 3


def test_an_open_ended_agreement_overlaps_everything_after_it(world, today):
    # given
    make(world, today - datetime.timedelta(days=400))

    # when, then
    with pytest.raises(ValidationError):
        make(world, today + datetime.timedelta(days=1000))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"payment_days": 0}, "payment_days"),
        ({"payment_days": 91}, "payment_days"),
        ({"review_months": 3}, "review_months"),
        ({"review_months": 7}, "review_months"),
        ({"commission_percent_bp": 10_001}, "commission"),
        ({"commission_percent_bp": None}, "commission"),
        ({"settlement_period": "DAILY"}, "settlement_period"),
        ({"shortage_borne_by": "NOBODY"}, "shortage_borne_by"),
        ({"end_date": datetime.date(2000, 1, 1)}, "end_date"),
    ],
)
def test_values_out_of_range_are_refused(world, today, overrides, field):
    with pytest.raises(ValidationError) as error:
        make(world, today, **overrides)
    assert field in error.value.message_dict
    assert not Agreement.objects.exists()


def test_the_outlet_must_be_an_outlet(world, today):
    with pytest.raises(ValidationError) as error:
        make(world, today, outlet=world["other_facility"])
    assert "outlet" in error.value.message_dict


def test_the_database_refuses_ranges_too(agreement):
    for field, value in (("payment_days", 91), ("review_months", 3)):
        setattr(agreement, field, value)
        with pytest.raises(IntegrityError), transaction.atomic():
            agreement.save()
        agreement.refresh_from_db()


def test_only_sales_staff_of_the_seller_make_agreements(world, today):
    for user in (world["partner"], world["stranger"]):
        with pytest.raises(PermissionDenied):
            make(world, today, actor=user)
    assert not Agreement.objects.exists()


def test_the_signed_agreement_is_a_pdf_kept_in_private_storage(world, today, settings, tmp_path):
    # given
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"

    # when
    agreement = make(world, today, signed_document=SimpleUploadedFile("perjanjian.pdf", PDF, "application/pdf"))

    # then
    assert agreement.signed_document.storage is private_storage
    assert agreement.signed_document.read() == PDF
    assert str(tmp_path / "private") in agreement.signed_document.path
    with pytest.raises(ValueError):
        agreement.signed_document.url  # noqa: B018 - no public address


@pytest.mark.parametrize(
    "content",
    [b"GIF89a not a pdf %%EOF", b"%PDF-1.4 cut short", b""],
)
def test_a_signed_agreement_that_is_not_a_whole_pdf_is_refused(world, today, content):
    with pytest.raises(ValidationError) as error:
        make(world, today, signed_document=SimpleUploadedFile("x.pdf", content, "application/pdf"))
    assert error.value.message_dict["signed_document"] == ["Upload the signed agreement as a PDF file."]
    assert not Agreement.objects.exists()


def test_percent_commission_is_rounded_down(world, agreement):
    # 3 × Rp75.000 at 20 % = Rp45.000; 1 × Rp99.999 at 12.5 % = Rp12.499 (12.499,875 rounded down)
    assert commission_for(agreement, world["whip"], 75_000, 3) == 45_000
    agreement.commission_bp = 1250
    assert commission_for(agreement, world["whip"], 99_999, 1) == 12_499


def test_per_product_commission_and_agreed_prices(world, today):
    # given
    agreement = make(
        world,
        today,
        commission_percent_bp=None,
        commission_per_product={world["whip"]: 10_000},
        agreed_prices={world["whip"]: 80_000},
    )

    # then
    assert (agreement.commission_mode, agreement.price_mode) == ("PER_PRODUCT", "AGREED")
    assert unit_price(agreement, world["whip"]) == 80_000
    assert unit_price(agreement, world["bag"]) == 120_000  # no agreed price: the catalog's
    assert commission_for(agreement, world["whip"], 80_000, 4) == 40_000
    with pytest.raises(ValidationError) as error:
        commission_for(agreement, world["bag"], 120_000, 1)
    assert error.value.messages == ["The agreement sets no commission for SMP-RJT-001."]


def test_a_commission_above_the_agreed_price_is_refused(world, today):
    with pytest.raises(ValidationError) as error:
        make(
            world,
            today,
            commission_percent_bp=None,
            commission_per_product={world["whip"]: 90_000},
            agreed_prices={world["whip"]: 80_000},
        )
    assert "commission" in error.value.message_dict


def test_ending_an_agreement(world, agreement, today):
    # when it ends today
    agreement_end(actor=world["admin"], agreement=agreement, end_date=today)

    # then it is still in force today, and a new one may start tomorrow
    agreement.refresh_from_db()
    assert (agreement.end_date, agreement.status) == (today, Agreement.Status.ACTIVE)
    make(world, today + datetime.timedelta(days=1))
    assert AuditEvent.objects.filter(action="consignment.agreement_end").count() == 1

    # and ending it in the past makes it ENDED; not before it started
    agreement_end(actor=world["admin"], agreement=agreement, end_date=today - datetime.timedelta(days=1))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ENDED
    with pytest.raises(ValidationError):
        agreement_end(actor=world["admin"], agreement=agreement, end_date=agreement.start_date - datetime.timedelta(1))
