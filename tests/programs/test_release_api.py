"""The after-release endpoints: GET /releases (facility staff), POST livelihood and outcomes, GET the
aggregated outcomes; other organizations get 404 or 403, viewers only counts."""

import pytest

from binakarya.programs.models import Livelihood, OutcomeCheck
from binakarya.programs.services import add_months
from tests.programs.factories_livelihood import ReleaseFactory
from tests.programs.test_api import headers

PASSWORD = "kain-batik-Tanjung-77"


@pytest.fixture
def release(world, today):
    return ReleaseFactory(organization=world["facility"], released_on=add_months(today, -7), premi_paid_idr=900_000)


def livelihood_body(today, **overrides):
    data = {
        "consent_date": today.isoformat(),
        "business_name": "Anyaman Pandan Sari",
        "regency": "Sumenep",
        "province": "Jawa Timur",
        "agency": "disperindag-sumenep",
        "operator_username": "pandan.sari",
        "operator_password": PASSWORD,
    }
    data.update(overrides)
    return data


def post(client, user, url, data):
    return client.post(url, data, content_type="application/json", **headers(user))


def test_the_admin_lists_starts_a_livelihood_and_records_an_outcome(client, world, release, today):
    # given
    listed = client.get("/api/v1/releases", **headers(world["admin"])).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["maker"], item["due"], item["livelihood"]) == (release.pk, release.maker_id, [6], None)
    assert release.maker.full_name not in str(listed)

    # when
    started = post(client, world["admin"], f"/api/v1/releases/{release.pk}/livelihood", livelihood_body(today))
    answered = post(
        client,
        world["admin"],
        f"/api/v1/releases/{release.pk}/outcomes",
        {"months": 6, "checked_on": today.isoformat(), "producing": True, "income_band": "FROM_1M"},
    )

    # then
    assert started.status_code == 201, started.content
    assert started.json() == {
        "release": release.pk,
        "producer": "anyaman-pandan-sari",
        "producer_name": "Anyaman Pandan Sari",
        "consent_date": today.isoformat(),
        "starting_capital_idr": 900_000,
    }
    assert Livelihood.objects.get().producer.parent.slug == "disperindag-sumenep"
    assert answered.status_code == 201
    assert answered.json() == {"release": release.pk, "months": 6, "checked_on": today.isoformat()}
    item = client.get("/api/v1/releases", **headers(world["admin"])).json()["items"][0]
    assert (item["answered"], item["due"]) == ([6], [])
    assert "producing" not in str(item) and "FROM_1M" not in str(item)


def test_field_errors_come_back_with_nothing_saved(client, world, release, today):
    response = post(
        client,
        world["admin"],
        f"/api/v1/releases/{release.pk}/livelihood",
        livelihood_body(today, business_name="Kerajinan Napi Sumenep", agency="nowhere"),
    )
    assert response.status_code == 400
    assert "agency" in str(response.json())
    assert not Livelihood.objects.exists()
    response = post(
        client,
        world["admin"],
        f"/api/v1/releases/{release.pk}/livelihood",
        livelihood_body(today, business_name="Napi"),
    )
    assert response.status_code == 400
    assert "business_name" in str(response.json())
    assert not Livelihood.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "regional", "national", "operator", "partner"])
def test_others_cannot_read_or_write_a_release(client, world, release, today, who):
    user = world[who]
    listed = client.get("/api/v1/releases", **headers(user))
    assert listed.status_code == 403 or listed.json()["count"] == 0
    url = f"/api/v1/releases/{release.pk}/livelihood"
    assert post(client, user, url, livelihood_body(today)).status_code in {403, 404}
    outcome = {"months": 6, "checked_on": today.isoformat(), "producing": True, "income_band": "NONE"}
    assert post(client, user, f"/api/v1/releases/{release.pk}/outcomes", outcome).status_code in {403, 404}
    assert not Livelihood.objects.exists() and not OutcomeCheck.objects.exists()


def test_another_facilitys_admin_gets_a_404(client, world, release, today):
    response = post(client, world["other_admin"], f"/api/v1/releases/{release.pk}/livelihood", livelihood_body(today))
    assert response.status_code == 404


def test_the_aggregated_outcomes_by_scope(client, world, release, today):
    national = client.get("/api/v1/programs/outcomes?scope=nation", **headers(world["national"]))
    assert national.status_code == 200
    answer = national.json()
    assert (answer["scope"], answer["consented"]) == ("nation", "\u2014")  # one facility: withheld
    assert answer["withheld"].startswith("Not shown")
    assert {row["key"] for row in answer["rows"]} >= {"due", "answered", "producing", "selling", "income-none"}
    regional = client.get("/api/v1/programs/outcomes?scope=province:Jawa Timur", **headers(world["regional"]))
    assert regional.status_code == 200
    assert client.get("/api/v1/programs/outcomes?scope=nation", **headers(world["admin"])).status_code == 403
    assert client.get("/api/v1/programs/outcomes?scope=org:nowhere", **headers(world["admin"])).status_code == 404
    viewer = client.get("/api/v1/programs/outcomes?scope=org:rutan-sumenep", **headers(world["regional"]))
    assert viewer.status_code == 403
    own = client.get("/api/v1/programs/outcomes?scope=org:rutan-sumenep", **headers(world["admin"]))
    assert own.status_code == 200 and own.json()["title"] == "Rutan Kelas IIB Sumenep"
