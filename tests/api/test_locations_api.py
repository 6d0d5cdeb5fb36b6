"""POST /api/v1/locations: staff create a location, an event (bazaar) included, for their own organization only."""

import json

from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization
from tests.api.helpers import bearer
from tests.factories import OrganizationFactory

LOCATIONS = "/api/v1/locations"


def post(client, token, body):
    return client.post(LOCATIONS, data=json.dumps(body), content_type="application/json", **bearer(token))


def test_staff_create_a_bazaar_location(client, token_a, facility_a):
    response = post(
        client, token_a, {"organization": facility_a.slug, "name": "Bazar Hari Bakti Pemasyarakatan", "kind": "EVENT"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["organization"], body["outlet"]) == ("EVENT", facility_a.slug, None)
    location = Location.objects.get(code=body["code"])
    assert (location.organization, location.kind) == (facility_a, "EVENT")
    listed = client.get(LOCATIONS, **bearer(token_a)).json()["items"]
    assert body["code"] in [item["code"] for item in listed]


def test_another_organization_is_refused_without_saying_it_exists(client, token_a, facility_b):
    response = post(client, token_a, {"organization": facility_b.slug, "name": "Bazar", "kind": "EVENT"})
    assert response.status_code == 400
    assert "organization" in response.json()["errors"]
    assert not Location.objects.filter(organization=facility_b).exists()


def test_an_outlet_location_names_its_outlet_and_bad_input_saves_nothing(client, token_a, facility_a):
    outlet = OrganizationFactory(name="Galeri Dekranasda", slug="galeri-dekranasda", kind=Organization.Kind.OUTLET)
    ok = post(
        client,
        token_a,
        {"organization": facility_a.slug, "name": "Rak Galeri", "kind": "OUTLET", "outlet": outlet.slug},
    )
    assert ok.status_code == 201 and ok.json()["outlet"] == outlet.slug
    assert post(client, token_a, {"organization": facility_a.slug, "name": "Rak", "kind": "OUTLET"}).status_code == 400
    assert post(client, token_a, {"organization": facility_a.slug, "name": "X", "kind": "TRANSIT"}).status_code == 422
    assert post(client, token_a, {"organization": facility_a.slug, "name": "", "kind": "EVENT"}).status_code == 422
    assert Location.objects.filter(organization=facility_a).count() == 1
