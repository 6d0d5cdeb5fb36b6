"""Review fixes of the activities: attendance saved again once a recorded maker is released or transferred (their
row kept as recorded, shown read-only), constant query counts for lists of activities, no 500 on odd input, event
sales net of returns, and the activity row locked alone (not its organization)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from binakarya.makers.models import Maker
from binakarya.pos.services import PosLineInput, pos_sale_record, pos_session_open
from binakarya.programs import selectors
from binakarya.programs.models import Attendance
from binakarya.programs.services import (
    activity_attendance_record,
    activity_create,
    activity_pos_session_link,
    activity_product_add,
    activity_update,
)
from binakarya.sales.models import Sale
from binakarya.sales.services import sale_reverse
from tests.factories import ProducerFactory, ProductFactory
from tests.pos.world import bazaar_world
from tests.programs.activities_world import activity_world, workshop
from tests.programs.test_activities_api import headers
from tests.programs.test_activities_sales import _agreement


@pytest.fixture
def w(world, make, today):
    return activity_world(world, make, today)


def en(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _released_after_attending(w, today, status=Maker.Status.RELEASED):
    """The workshop with the three makers recorded (Joko 5 hours), then Siti no longer active."""
    activity = workshop(w, today)
    siti, budi, joko = w["makers"]
    activity_attendance_record(
        actor=w["admin"], activity=activity, rows=[(siti, True, None), (budi, True, None), (joko, True, 5)]
    )
    Maker.objects.filter(pk=siti.pk).update(status=status)
    siti.refresh_from_db()
    return activity


# 1. Attendance after a release or transfer ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [Maker.Status.RELEASED, Maker.Status.TRANSFERRED])
def test_the_page_saves_again_with_a_released_participant_kept_read_only(client, w, today, status):
    activity = _released_after_attending(w, today, status)
    siti, budi, joko = w["makers"]
    en(client, w["instructor"])
    url = reverse("backoffice:program_activity_attendance", args=[activity.pk])

    page = client.get(url).content.decode()
    assert page.count('data-testid="roster-kept"') == 1 and "Siti Rahasiawati" in page
    assert f'id="present-{siti.pk}"' not in page and f'name="hours-{siti.pk}"' not in page
    assert "Present, 8 hours" in page and "no longer active: kept as recorded" in page
    assert page.count('type="checkbox" name="present"') == 2

    # what the browser posts: the active rows only (Budi now absent)
    response = client.post(url, {"present": [joko.pk], f"hours-{joko.pk}": "5"})

    assert response.status_code == 302, response.content.decode()
    rows = {a.maker_id: (a.present, a.hours) for a in Attendance.objects.all()}
    assert rows == {siti.pk: (True, 8), budi.pk: (False, 0), joko.pk: (True, 5)}


def test_a_posted_row_of_a_released_maker_is_not_changed_by_the_page(client, w, today):
    activity = _released_after_attending(w, today)
    siti, budi, joko = w["makers"]
    en(client, w["instructor"])
    response = client.post(
        reverse("backoffice:program_activity_attendance", args=[activity.pk]),
        {"present": [budi.pk, joko.pk], f"hours-{siti.pk}": "1"},  # a forged row for Siti: ignored
    )
    assert response.status_code == 302
    assert Attendance.objects.get(maker=siti).hours == 8


def test_when_everyone_recorded_has_left_the_page_only_shows_them(client, w, today):
    activity = workshop(w, today, group=None)
    siti = w["makers"][0]
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(siti, False, None)])
    Maker.objects.filter(organization=w["facility"]).update(status=Maker.Status.RELEASED)
    en(client, w["instructor"])
    page = client.get(reverse("backoffice:program_activity_attendance", args=[activity.pk])).content.decode()
    assert page.count('data-testid="roster-kept"') == 1 and "Absent · no longer active" in page
    assert "Save the attendance" not in page and 'name="present"' not in page


def test_the_service_keeps_a_released_makers_row_and_refuses_a_change(w, today):
    activity = _released_after_attending(w, today)
    siti, budi, joko = w["makers"]

    # posting back the whole list as read is accepted, and leaves Siti's row as it is
    activity_attendance_record(
        actor=w["instructor"], activity=activity, rows=[(siti, True, 8), (budi, False, None), (joko, True, 5)]
    )
    assert {a.maker_id: (a.present, a.hours) for a in Attendance.objects.all()} == {
        siti.pk: (True, 8),
        budi.pk: (False, 0),
        joko.pk: (True, 5),
    }
    recorded_at = Attendance.objects.get(maker=siti).recorded_at

    with pytest.raises(ValidationError) as exc:
        activity_attendance_record(actor=w["instructor"], activity=activity, rows=[(siti, True, 3), (budi, True, None)])
    assert exc.value.message_dict["participants"] == [
        "Siti Rahasiawati is no longer an active maker: their recorded attendance stays as it is."
    ]
    assert Attendance.objects.get(maker=budi).present is False  # nothing half-saved
    assert Attendance.objects.get(maker=siti).recorded_at == recorded_at


def test_a_released_maker_with_no_row_is_still_refused(w, today):
    activity = workshop(w, today)
    with pytest.raises(ValidationError) as exc:
        activity_attendance_record(actor=w["admin"], activity=activity, rows=[(w["released"], True, None)])
    assert exc.value.message_dict["participants"] == ["Pulang Bebasiana is not an active maker of this organization."]
    assert not Attendance.objects.exists()


def test_the_api_takes_back_the_list_it_answered_after_a_release(client, w, today):
    activity = _released_after_attending(w, today)
    siti, budi, joko = w["makers"]
    url = f"/api/v1/activities/{activity.pk}"
    read = client.get(url, **headers(w["instructor"])).json()["participants"]
    assert {p["maker_id"] for p in read} == {siti.pk, budi.pk, joko.pk}

    response = client.post(
        f"{url}/attendance", {"participants": read}, content_type="application/json", **headers(w["instructor"])
    )
    assert response.status_code == 200, response.content

    changed = [{**p, "hours": 2} if p["maker_id"] == siti.pk else p for p in read]
    response = client.post(
        f"{url}/attendance", {"participants": changed}, content_type="application/json", **headers(w["instructor"])
    )
    assert response.status_code == 400
    assert "Siti Rahasiawati is no longer an active maker" in response.content.decode()
    assert Attendance.objects.get(maker=siti).hours == 8


# 2. Constant query counts -------------------------------------------------------------------------------------


def _busy_workshops(w, today, count, first=0):
    """``count`` workshops, each with attendance and a product designed there."""
    producer = ProducerFactory(organization=w["facility"])
    for i in range(first, first + count):
        activity = workshop(w, today, title=f"Lokakarya {i}")
        activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
        product = ProductFactory(producer=producer, slug=f"produk-{i}")
        activity_product_add(actor=w["admin"], activity=activity, product=product)


def _count(fetch):
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries), response


def test_the_api_list_costs_the_same_queries_for_one_or_five_activities(client, w, today):
    auth = headers(w["admin"])
    _busy_workshops(w, today, 1)
    client.get("/api/v1/activities", **auth)  # the token's first use is written down once
    one, response = _count(lambda: client.get("/api/v1/activities", **auth))
    assert response.json()["count"] == 1
    item = response.json()["items"][0]
    assert len(item["participants"]) == 3 and item["products"] == ["produk-0"]

    _busy_workshops(w, today, 4, first=1)
    five, response = _count(lambda: client.get("/api/v1/activities", **auth))
    assert response.json()["count"] == 5
    assert all(len(i["participants"]) == 3 and len(i["products"]) == 1 for i in response.json()["items"])
    assert five == one


def test_the_api_list_still_names_nobody_to_viewers(client, w, today):
    _busy_workshops(w, today, 2)
    items = client.get("/api/v1/activities", **headers(w["regional"])).json()["items"]
    assert len(items) == 2
    assert all(i["participants"] == [] and i["participant_count"] == 3 for i in items)


def test_the_list_page_costs_the_same_queries_for_one_or_five_activities(client, w, today):
    en(client, w["admin"])
    url = reverse("backoffice:program_activities")
    _busy_workshops(w, today, 1)
    client.get(url)  # warm the session and the language
    one, _response = _count(lambda: client.get(url))
    _busy_workshops(w, today, 4, first=1)
    five, response = _count(lambda: client.get(url))
    assert response.content.decode().count("data-activity=") == 5
    assert five == one


# 3. Odd input on the pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("²", "Joko Samaran: type the hours as a whole number of 0 or more."),
        ("٣", "Joko Samaran: type the hours as a whole number of 0 or more."),
        ("9" * 40, "Joko Samaran: at most 8 hours, the activity&#x27;s hours."),
    ],
)
def test_odd_hours_on_the_phone_are_a_message_not_a_500(client, w, today, typed, message):
    activity = workshop(w, today)
    siti, budi, joko = w["makers"]
    en(client, w["instructor"])
    response = client.post(
        reverse("backoffice:program_activity_attendance", args=[activity.pk]),
        {"present": [siti.pk, budi.pk, joko.pk], f"hours-{joko.pk}": typed},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("wanted", ["²", "1²", "9" * 40, "-1", "abc"])
def test_an_odd_agreement_filter_is_a_404_on_the_list_and_ignored_on_the_form(client, w, wanted):
    en(client, w["admin"])
    assert client.get(reverse("backoffice:program_activities"), {"kerja_sama": wanted}).status_code == 404
    page = client.get(reverse("backoffice:program_activity_create"), {"kerja_sama": wanted})
    assert page.status_code == 200


# 4. Event sales net of returns --------------------------------------------------------------------------------


def test_event_sales_leave_out_what_was_returned(client, db):
    b = bazaar_world()
    today = timezone.localdate()
    agreement = _agreement(b["facility"], number="DEMO/HBP/2")
    exhibition = activity_create(
        actor=b["admin"],
        organization=b["facility"],
        kind="EXHIBITION",
        title="Bazar Hari Bakti Pemasyarakatan",
        place="Alun-alun Sumenep",
        start_date=today,
        end_date=today,
        hours=6,
        agreement=agreement,
    )
    session = pos_session_open(actor=b["cashier"], location=b["event"], opening_cash_idr=100_000)
    whips = pos_sale_record(
        actor=b["cashier"],
        session=session,
        lines=[PosLineInput("SMP-PCT-001", 2)],
        payment_method="CASH",
        cash_received_idr=150_000,
    )
    batik = pos_sale_record(
        actor=b["cashier"], session=session, lines=[PosLineInput("SMP-BTK-001", 1)], payment_method="QRIS"
    )
    activity_pos_session_link(actor=b["admin"], activity=exhibition, session=session)
    assert [(r["sale_count"], r["total_idr"]) for r in selectors.activity_pos_sessions(activity=exhibition)] == [
        (2, 600_000)
    ]

    # the batik cloth comes back whole; one of the two whips comes back
    sale_reverse(actor=b["admin"], sale=batik.sale, reason="Cacat")
    whip_line = whips.sale.lines.get()
    sale_reverse(actor=b["admin"], sale=whips.sale, lines={whip_line.pk: 1}, reason="Patah")
    assert Sale.objects.get(pk=batik.sale_id).status == Sale.Status.REVERSED

    assert [(r["sale_count"], r["total_idr"]) for r in selectors.activity_pos_sessions(activity=exhibition)] == [
        (1, 75_000)
    ]
    outcomes = selectors.agreement_outcomes(user=b["admin"], agreement=agreement)
    assert (outcomes["event_sale_count"], outcomes["event_sales_total_idr"], outcomes["sales_total_idr"]) == (
        1,
        75_000,
        75_000,
    )
    listed = selectors.activity_get(user=b["admin"], pk=exhibition.pk)
    assert (listed.event_sale_count, listed.event_sales_idr) == (1, 75_000)
    answer = client.get(f"/api/v1/activities/{exhibition.pk}", **headers(b["admin"])).json()
    assert answer["event_sales_total_idr"] == 75_000
    en(client, b["admin"])
    page = client.get(reverse("backoffice:program_activity", args=[exhibition.pk])).content.decode()
    assert 'data-testid="event-sales-total">Rp75.000<' in page


# 5. Locks -----------------------------------------------------------------------------------------------------


def test_activity_update_locks_the_activity_row_alone(w, today, monkeypatch):
    activity = workshop(w, today)
    calls = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        calls.append((self.model.__name__, kwargs.get("of", ())))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    activity_update(
        actor=w["admin"],
        activity=activity,
        kind="DESIGN",
        title="Lokakarya desain batik tulis",
        place="Aula",
        start_date=activity.start_date,
        end_date=activity.end_date,
        hours=8,
        agreement=w["agreement"],
        partner=w["disperindag"],
        group=w["group"],
    )
    assert ("Activity", ("self",)) in calls
    assert ("Activity", ()) not in calls
    if connection.vendor == "postgresql":  # the SQL itself: FOR UPDATE OF the activity's table only
        with CaptureQueriesContext(connection) as queries:
            activity_update(
                actor=w["admin"],
                activity=activity,
                kind="DESIGN",
                title="Lokakarya",
                place="Aula",
                start_date=activity.start_date,
                end_date=activity.end_date,
                hours=8,
            )
        locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
        assert locking and all('FOR UPDATE OF "programs_activity"' in sql for sql in locking)
