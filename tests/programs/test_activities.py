"""Activities and attendance (services and selectors): who records them, the checks, attendance for a whole
group in one call (nothing half-saved), the roster from the group, and what an agreement produced."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binakarya.core.models import AuditEvent
from binakarya.ledger.services import capital_grant
from binakarya.organizations.models import Role
from binakarya.programs import selectors
from binakarya.programs.models import Activity, ActivityProduct, AgreementGrant, Attendance
from binakarya.programs.services import (
    AttendanceRow,
    activity_attendance_record,
    activity_product_add,
    activity_product_remove,
    activity_update,
    agreement_grant_link,
    agreement_grant_unlink,
)
from tests.factories import GroupFactory, MembershipFactory, ProducerFactory, ProductFactory, UserFactory
from tests.programs.activities_world import activity_world, workshop


@pytest.fixture
def w(world, make, today):
    return activity_world(world, make, today)


def messages_of(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


# Recording activities ---------------------------------------------------------------------------------------


def test_the_admin_records_a_design_workshop_under_the_agreement(w, today):
    activity = workshop(w, today)

    assert activity.agreement == w["agreement"] and activity.partner == w["disperindag"]
    assert activity.created_by == w["admin"]
    assert AuditEvent.objects.filter(action="programs.activity_create", object_id=str(activity.pk)).count() == 1


def test_an_instructor_may_not_record_an_activity(w, today):
    with pytest.raises(PermissionDenied):
        workshop(w, today, actor=w["instructor"])
    assert not Activity.objects.exists()


def test_the_other_facility_may_not_record_for_sumenep(w, today):
    with pytest.raises(PermissionDenied):
        workshop(w, today, actor=w["other_admin"])


def test_a_production_officer_records_activities(w, today):
    officer = UserFactory(username="produksi.smp")
    MembershipFactory(user=officer, organization=w["facility"], role=Role.PRODUCTION_OFFICER)
    assert workshop(w, today, actor=officer).pk


def test_every_wrong_field_is_named_and_nothing_is_saved(w, today, make):
    other_agreement = make(actor=w["other_admin"], organization=w["other"], number="DEMO/PBG/1")
    with pytest.raises(ValidationError) as exc:
        workshop(
            w,
            today,
            kind="PICNIC",
            title=" ",
            place="",
            end_date=today - datetime.timedelta(days=5),
            hours=0,
            agreement=other_agreement,
            partner=w["outlet"],
            group=None,
        )
    errors = messages_of(exc)
    assert errors["kind"] == ["Choose the kind of activity."]
    assert errors["title"] == ["Type the activity's title."]
    assert errors["place"] == ["Type where the activity takes place."]
    assert errors["end_date"] == ["The end date may not be before the start date."]
    assert errors["hours"] == ["Enter the hours of practice: more than 0."]
    assert errors["agreement"] == ["Choose an agreement of this organization."]
    assert errors["partner"] == ["Hotel Bintang is not an active agency."]
    assert not Activity.objects.exists()


def test_the_partner_must_be_a_partner_of_the_agreement(w, today):
    with pytest.raises(ValidationError) as exc:
        workshop(w, today, partner=w["kemendag"])
    assert messages_of(exc)["partner"] == [
        "Kemendag Ditjen PEN is not a partner of agreement DEMO/001/2026: choose one of its partners."
    ]
    # without an agreement any agency may be the partner
    assert workshop(w, today, agreement=None, partner=w["kemendag"]).partner == w["kemendag"]


def test_a_group_of_another_organization_is_refused(w, today):
    with pytest.raises(ValidationError) as exc:
        workshop(w, today, group=GroupFactory(organization=w["other"]))
    assert messages_of(exc)["group"] == ["Choose a group of this organization."]


def test_hours_may_not_drop_below_hours_credited(w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(w["makers"][0], True, None)])
    arguments = {
        "actor": w["admin"],
        "activity": activity,
        "kind": "DESIGN",
        "title": "Lokakarya desain batik",
        "place": "Aula",
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "group": w["group"],
    }
    with pytest.raises(ValidationError) as exc:
        activity_update(**arguments, hours=4)
    assert "change their attendance first" in messages_of(exc)["hours"][0]
    assert activity_update(**arguments, hours=10).hours == 10


# Attendance ---------------------------------------------------------------------------------------------------


def test_the_instructor_takes_attendance_for_the_whole_group_in_one_call(w, today):
    activity = workshop(w, today)
    siti, budi, joko = w["makers"]

    activity_attendance_record(
        actor=w["instructor"],
        activity=activity,
        rows=[(siti, True, None), (budi, False, None), AttendanceRow(joko, True, 5)],
    )

    rows = {a.maker: (a.present, a.hours) for a in Attendance.objects.all()}
    assert rows == {siti: (True, 8), budi: (False, 0), joko: (True, 5)}
    assert all(a.recorded_by == w["instructor"] for a in Attendance.objects.all())
    assert AuditEvent.objects.filter(action="programs.attendance_record").count() == 1


def test_recording_again_replaces_each_makers_row(w, today):
    activity = workshop(w, today)
    siti, budi, _ = w["makers"]
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(siti, True, None), (budi, True, None)])
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(budi, False, None)])

    assert Attendance.objects.count() == 2
    assert Attendance.objects.get(maker=budi).hours == 0
    assert Attendance.objects.get(maker=siti).hours == 8


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (lambda w: (w["makers"][1], True, 9), "Budi Tersembunyi: at most 8 hours, the activity's hours."),
        (lambda w: (w["makers"][1], True, -1), "Budi Tersembunyi: type the hours as a whole number of 0 or more."),
        (lambda w: (w["makers"][1], False, 3), "Budi Tersembunyi is absent: an absent participant has no hours."),
        (lambda w: (w["released"], True, None), "Pulang Bebasiana is not an active maker of this organization."),
        (lambda w: (w["makers"][0], False, None), "Siti Rahasiawati is listed twice."),
    ],
)
def test_one_wrong_row_saves_none(w, today, row, message):
    activity = workshop(w, today)
    with pytest.raises(ValidationError) as exc:
        activity_attendance_record(
            actor=w["instructor"], activity=activity, rows=[(w["makers"][0], True, None), row(w)]
        )
    assert messages_of(exc)["participants"] == [message]
    assert not Attendance.objects.exists()


def test_a_maker_of_another_facility_is_refused_without_naming_them(w, today):
    activity = workshop(w, today)
    with pytest.raises(ValidationError) as exc:
        activity_attendance_record(actor=w["admin"], activity=activity, rows=[(w["stranger"], True, None)])
    (message,) = messages_of(exc)["participants"]
    assert message == f"#{w['stranger'].pk} is not an active maker of this organization."
    assert "Orang" not in message


def test_attendance_waits_for_the_activity_to_start(w, today):
    activity = workshop(
        w, today, start_date=today + datetime.timedelta(days=3), end_date=today + datetime.timedelta(days=4)
    )
    with pytest.raises(ValidationError) as exc:
        activity_attendance_record(actor=w["admin"], activity=activity, rows=[(w["makers"][0], True, None)])
    assert messages_of(exc)["participants"] == ["Attendance is taken once the activity has started."]


def test_who_may_take_attendance(w, today):
    activity = workshop(w, today)
    for user in (w["other_admin"], w["regional"], w["national"], w["partner"]):
        with pytest.raises(PermissionDenied):
            activity_attendance_record(actor=user, activity=activity, rows=[(w["makers"][0], True, None)])
    assert not Attendance.objects.exists()


# Selectors: roster, scope, privacy ----------------------------------------------------------------------------


def test_the_roster_is_the_groups_active_members_on_the_day_plus_anyone_recorded(w, today):
    activity = workshop(w, today)
    extra = w["left"]  # left the group before the workshop, but came anyway
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(extra, True, 4)])

    roster = selectors.activity_roster(user=w["instructor"], activity=activity)

    names = [row.maker.full_name for row in roster]
    assert names == ["Budi Tersembunyi", "Joko Samaran", "Pindah Kelompokan", "Siti Rahasiawati"]
    by_name = {row.maker.full_name: row for row in roster}
    assert by_name["Pindah Kelompokan"].recorded and by_name["Pindah Kelompokan"].hours == 4
    assert by_name["Siti Rahasiawati"].present and by_name["Siti Rahasiawati"].hours == 8
    assert not by_name["Siti Rahasiawati"].recorded


def test_viewers_see_the_activity_and_its_totals_but_no_names(w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
    for user in (w["regional"], w["national"]):
        seen = selectors.activity_get(user=user, pk=activity.pk)
        assert seen.participant_count == 3 and seen.participant_hours == 24
        assert selectors.activity_roster(user=user, activity=seen) == []
        assert list(selectors.attendance_of(user=user, activity=seen)) == []
        assert not selectors.sees_participants(user=user, activity=seen)


def test_other_organizations_and_outlet_partners_do_not_see_the_activity(w, today):
    activity = workshop(w, today)
    for user in (w["other_admin"], w["partner"], w["regional_central"]):
        with pytest.raises(Activity.DoesNotExist):
            selectors.activity_get(user=user, pk=activity.pk)


# Outcomes ----------------------------------------------------------------------------------------------------


def test_a_product_designed_at_the_workshop(w, today):
    activity = workshop(w, today)
    product = ProductFactory(producer=ProducerFactory(group=w["group"]), name="Batik Motif Baru", variants=[])
    foreign = ProductFactory(name="Produk Lain", variants=[])

    activity_product_add(actor=w["admin"], activity=activity, product=product)
    with pytest.raises(ValidationError) as exc:
        activity_product_add(actor=w["admin"], activity=activity, product=product)
    assert messages_of(exc)["product"] == ["This product is already an outcome of the activity."]
    with pytest.raises(ValidationError):
        activity_product_add(actor=w["admin"], activity=activity, product=foreign)
    with pytest.raises(PermissionDenied):
        activity_product_add(actor=w["instructor"], activity=activity, product=product)

    assert [r.product for r in selectors.activity_products(activity=activity)] == [product]
    activity_product_remove(actor=w["admin"], activity=activity, product=product)
    assert not ActivityProduct.objects.exists()


def test_the_agreement_shows_its_activities_hours_and_grants(w, today):
    activity = workshop(w, today)
    workshop(w, today, title="Pelatihan kemasan", kind="PACKAGING", hours=4)
    workshop(w, today, title="Tanpa kerja sama", agreement=None)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
    grant = capital_grant(
        actor=None, organization=w["facility"], group=None, amount_idr=5_000_000, agency=w["disperindag"], memo="Alat"
    )
    capital_grant(actor=None, organization=w["facility"], group=None, amount_idr=1_000_000, agency=None)

    assert len(selectors.grant_candidates(user=w["admin"], agreement=w["agreement"])) == 2
    agreement_grant_link(actor=w["admin"], agreement=w["agreement"], movement=grant)

    outcomes = selectors.agreement_outcomes(user=w["regional"], agreement=w["agreement"])
    assert outcomes["activity_count"] == 2
    assert outcomes["participant_hours"] == 24 and outcomes["participant_count"] == 3
    assert outcomes["grants"] == [grant] and outcomes["grants_total_idr"] == 5_000_000
    assert outcomes["event_sales_total_idr"] == 0 and outcomes["deals_total_idr"] == 0
    assert len(selectors.grant_candidates(user=w["admin"], agreement=w["agreement"])) == 1

    with pytest.raises(ValidationError) as exc:
        agreement_grant_link(actor=w["admin"], agreement=w["agreement"], movement=grant)
    assert messages_of(exc)["movement"] == ["This grant is already linked to an agreement."]
    agreement_grant_unlink(actor=w["admin"], agreement=w["agreement"], movement=grant)
    assert not AgreementGrant.objects.exists()
    assert AuditEvent.objects.filter(action__in=["programs.grant_link", "programs.grant_unlink"]).count() == 2


def test_grants_of_another_organization_or_not_grants_are_refused(w, today, make):
    other_grant = capital_grant(actor=None, organization=w["other"], group=None, amount_idr=1_000, agency=None)
    with pytest.raises(ValidationError) as exc:
        agreement_grant_link(actor=w["admin"], agreement=w["agreement"], movement=other_grant)
    assert messages_of(exc)["movement"] == ["Choose a grant of this organization."]
    mine = capital_grant(actor=None, organization=w["facility"], group=None, amount_idr=1_000, agency=None)
    with pytest.raises(PermissionDenied):
        agreement_grant_link(actor=w["instructor"], agreement=w["agreement"], movement=mine)
    assert not AgreementGrant.objects.exists()
