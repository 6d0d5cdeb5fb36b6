"""GET /api/v1/dashboards and /api/v1/dashboards/panels: the selectors' scopes and panels as JSON."""

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.makers.models import Maker
from tests.ledger.books import BAG, WHIP

pytestmark = pytest.mark.django_db


def get(client, user, url: str):
    token = api_token_create(user=user, name="test")[1]
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_scopes_a_regional_viewer_may_open(client, land):
    # when
    response = get(client, land["regional"], "/api/v1/dashboards")

    # then
    assert response.status_code == 200
    assert response.json() == {"items": [{"scope": "province:Jawa Timur", "label": "Jawa Timur"}]}


def test_a_facilitys_panels_as_json(client, land):
    # when
    response = get(client, land["admin"], f"/api/v1/dashboards/panels?year={land['today'].year}")

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["scope"], body["kind"], body["title"], body["year"]) == (
        "org:rutan-sumenep",
        "organization",
        "Rutan Kelas IIB Sumenep",
        land["today"].year,
    )
    panels = {p["key"]: p for p in body["panels"]}
    channel = panels["sales-channel"]
    assert channel["columns"] == [{"title": "Channel", "rupiah": False}, {"title": "Net sales", "rupiah": True}]
    assert channel["rows"] == [["Point of sale", 2 * WHIP + BAG], ["Outlet sell-through report", 3 * WHIP]]
    assert (channel["chart"], channel["series"], channel["note"]) == ("bars", [], "")
    assert panels["pnbp"]["rows"][0][2:] == [20_000, 5_000_000, 0]


def test_a_national_viewer_drills_into_a_province(client, land):
    # when
    nation = get(client, land["national"], "/api/v1/dashboards/panels").json()
    province = get(client, land["national"], "/api/v1/dashboards/panels?scope=province:Jawa%20Tengah").json()

    # then
    assert [(u["label"], u["link_scope"]) for u in nation["units"]][0] == ("Jawa Tengah", "province:Jawa Tengah")
    assert province["units"] == [
        {"key": "rutan-purbalingga", "label": "Rutan Kelas IIB Purbalingga", "link_scope": "org:rutan-purbalingga"}
    ]


def test_scopes_outside_the_users_are_refused_and_unknown_ones_not_found(client, land):
    # when / then
    refused = get(client, land["admin"], "/api/v1/dashboards/panels?scope=nation")
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "Only a national viewer sees the nation's dashboard.",
    )
    assert get(client, land["admin"], "/api/v1/dashboards/panels?scope=org:nowhere").status_code == 404
    assert get(client, land["admin"], "/api/v1/dashboards/panels?year=1800").status_code == 422
    assert client.get("/api/v1/dashboards").status_code == 401


def test_no_answer_names_a_maker(client, land):
    # given every maker's name and registration number
    secrets = [s for pair in Maker.objects.values_list("full_name", "registration_number") for s in pair if s]

    # when each viewer's default dashboard is read
    texts = [
        get(client, user, "/api/v1/dashboards/panels").content.decode()
        for user in (land["admin"], land["regional"], land["national"], land["agency_viewer"], land["operator"])
    ]

    # then
    assert all('"panels"' in t for t in texts)
    assert [s for s in secrets for t in texts if s in t] == []
