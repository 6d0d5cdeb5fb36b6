"""The activities endpoints: an activity posted with its participants, attendance for the whole group in one
call (one wrong row saves none), scoped reads (maker ids only for the organization's own staff), and an
agreement's grants and deals linked, its outcomes in GET /api/v1/agreements/{id}."""

import datetime

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.ledger.services import capital_grant
from binakarya.programs.models import Activity, AgreementGrant, Attendance
from binakarya.programs.services import activity_attendance_record
from tests.programs.activities_world import NAMES, activity_world, workshop


@pytest.fixture
def w(world, make, today):
    return activity_world(world, make, today)


def headers(user):
    token = api_token_create(user=user, name="test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def body(w, today, **overrides):
    siti, budi, joko = w["makers"]
    data = {
        "kind": "DESIGN",
        "title": "Lokakarya desain Kemendag",
        "agreement_id": w["agreement"].pk,
        "partner": "disperindag-sumenep",
        "group": w["group"].slug,
        "place": "Aula Rutan Sumenep",
        "start_date": (today - datetime.timedelta(days=1)).isoformat(),
        "end_date": today.isoformat(),
        "hours": 8,
        "instructors": "Tim desain",
        "participants": [
            {"maker_id": siti.pk, "present": True},
            {"maker_id": budi.pk, "present": False},
            {"maker_id": joko.pk, "present": True, "hours": 5},
        ],
    }
    data.update(overrides)
    return data


def test_the_admin_posts_an_activity_with_its_participants(client, w, today):
    response = client.post("/api/v1/activities", body(w, today), content_type="application/json", **headers(w["admin"]))

    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["organization"], answer["agreement_id"], answer["partner"]) == (
        "rutan-sumenep",
        w["agreement"].pk,
        "disperindag-sumenep",
    )
    assert (answer["participant_count"], answer["participant_hours"]) == (2, 13)
    siti, budi, joko = w["makers"]
    assert sorted((p["maker_id"], p["present"], p["hours"]) for p in answer["participants"]) == sorted(
        [(siti.pk, True, 8), (budi.pk, False, 0), (joko.pk, True, 5)]
    )
    assert not any(name.split()[0] in response.content.decode() for name in NAMES)


def test_one_wrong_participant_saves_neither_the_activity_nor_anyone(client, w, today):
    data = body(w, today)
    data["participants"].append({"maker_id": w["stranger"].pk, "present": True})
    response = client.post("/api/v1/activities", data, content_type="application/json", **headers(w["admin"]))

    assert response.status_code == 400
    assert response.json()["errors"]["participants"] == [f"Unknown maker #{w['stranger'].pk}."]
    assert "Orang" not in response.content.decode()
    assert not Activity.objects.exists() and not Attendance.objects.exists()

    data = body(w, today, hours=4)  # Joko's 5 hours are more than the activity's
    response = client.post("/api/v1/activities", data, content_type="application/json", **headers(w["admin"]))
    assert response.status_code == 400
    assert response.json()["errors"]["participants"] == ["Joko Samaran: at most 4 hours, the activity's hours."]
    assert not Activity.objects.exists()


def test_field_errors_are_named(client, w, today):
    data = body(w, today, hours=0, partner="kemendag-pen", group="no-such-group", participants=[])
    response = client.post("/api/v1/activities", data, content_type="application/json", **headers(w["admin"]))
    assert response.status_code == 400
    assert response.json()["errors"] == {"group": ["Unknown group “no-such-group”."]}
    data = body(w, today, hours=0, partner="kemendag-pen", participants=[])
    errors = client.post("/api/v1/activities", data, content_type="application/json", **headers(w["admin"])).json()[
        "errors"
    ]
    assert errors["hours"] == ["Enter the hours of practice: more than 0."]
    assert errors["partner"] == [
        "Kemendag Ditjen PEN is not a partner of agreement DEMO/001/2026: choose one of its partners."
    ]


def test_an_instructor_takes_attendance_but_may_not_post_an_activity(client, w, today):
    refused = client.post(
        "/api/v1/activities", body(w, today), content_type="application/json", **headers(w["instructor"])
    )
    assert refused.status_code == 403
    activity = workshop(w, today)
    siti, budi, joko = w["makers"]

    response = client.post(
        f"/api/v1/activities/{activity.pk}/attendance",
        {"participants": [{"maker_id": m.pk, "present": m != budi} for m in (siti, budi, joko)]},
        content_type="application/json",
        **headers(w["instructor"]),
    )

    assert response.status_code == 200, response.content
    assert (response.json()["participant_count"], response.json()["participant_hours"]) == (2, 16)


def test_attendance_of_another_facility_is_404_and_viewers_are_refused(client, w, today):
    activity = workshop(w, today)
    payload = {"participants": [{"maker_id": w["makers"][0].pk, "present": True}]}
    other = client.post(
        f"/api/v1/activities/{activity.pk}/attendance",
        payload,
        content_type="application/json",
        **headers(w["other_admin"]),
    )
    assert other.status_code == 404
    viewer = client.post(
        f"/api/v1/activities/{activity.pk}/attendance",
        payload,
        content_type="application/json",
        **headers(w["regional"]),
    )
    assert viewer.status_code == 403
    assert not Attendance.objects.exists()


def test_reads_are_scoped_and_viewers_get_no_maker_ids(client, w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])

    own = client.get(f"/api/v1/activities/{activity.pk}", **headers(w["instructor"])).json()
    assert len(own["participants"]) == 3
    viewer = client.get(f"/api/v1/activities/{activity.pk}", **headers(w["regional"])).json()
    assert viewer["participants"] == [] and viewer["participant_hours"] == 24
    assert client.get(f"/api/v1/activities/{activity.pk}", **headers(w["other_admin"])).status_code == 404
    assert client.get("/api/v1/activities", **headers(w["other_admin"])).json()["items"] == []
    assert client.get("/api/v1/activities", **headers(w["partner"])).json()["items"] == []
    listed = client.get(f"/api/v1/activities?agreement={w['agreement'].pk}", **headers(w["national"])).json()
    assert [a["id"] for a in listed["items"]] == [activity.pk]


def test_a_grant_is_linked_and_the_agreement_answers_its_outcomes(client, w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
    grant = capital_grant(actor=None, organization=w["facility"], group=None, amount_idr=3_000_000, agency=None)
    url = f"/api/v1/agreements/{w['agreement'].pk}/grants"

    assert (
        client.post(
            url, {"movement_id": grant.pk}, content_type="application/json", **headers(w["instructor"])
        ).status_code
        == 403
    )
    response = client.post(url, {"movement_id": grant.pk}, content_type="application/json", **headers(w["admin"]))
    assert response.status_code == 201, response.content
    assert response.json()["grants_total_idr"] == 3_000_000
    again = client.post(url, {"movement_id": grant.pk}, content_type="application/json", **headers(w["admin"]))
    assert again.status_code == 400
    assert again.json()["errors"]["movement"] == ["This grant is already linked to an agreement."]
    assert AgreementGrant.objects.count() == 1

    answer = client.get(f"/api/v1/agreements/{w['agreement'].pk}", **headers(w["regional"])).json()
    outcomes = answer["outcomes"]
    assert (outcomes["activity_count"], outcomes["participant_hours"], outcomes["grants_total_idr"]) == (
        1,
        24,
        3_000_000,
    )
    assert outcomes["sales_total_idr"] == 0 and outcomes["deals"] == []


def test_an_unknown_deal_or_a_grant_of_another_facility_is_refused(client, w, today):
    foreign = capital_grant(actor=None, organization=w["other"], group=None, amount_idr=1_000, agency=None)
    response = client.post(
        f"/api/v1/agreements/{w['agreement'].pk}/grants",
        {"movement_id": foreign.pk},
        content_type="application/json",
        **headers(w["admin"]),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["movement_id"] == ["Choose a grant of this organization."]
    response = client.post(
        f"/api/v1/agreements/{w['agreement'].pk}/deals",
        {"deal": "NOPE-1"},
        content_type="application/json",
        **headers(w["admin"]),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["deal"] == ["Choose a deal of this organization."]
    assert not AgreementGrant.objects.exists()
