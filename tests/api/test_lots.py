"""Staff endpoints POST /api/v1/lots, GET /api/v1/lots/{code}, POST /api/v1/lots/{code}/tags, and the PDF."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from binakarya.accounts.services import api_token_create
from binakarya.documents.models import Document
from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.inventory.services import location_create
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization, Role
from binakarya.production.models import Contribution, Lot
from binakarya.production.services import ContributionInput, lot_record
from tests.api.helpers import bearer
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    UmkmProducerFactory,
)

LOTS = "/api/v1/lots"
UNAUTHENTICATED = {"detail": "Authentication required: send 'Authorization: Bearer <token>' or log in."}
STARTED = datetime.date(2025, 3, 1)
FINISHED = datetime.date(2025, 3, 10)


@pytest.fixture
def batik_group(batik_producer):
    return batik_producer.group


@pytest.fixture
def makers(batik_group):
    """Siti and Budi, both in the batik group since 1 February 2025."""
    siti = GroupMembershipFactory(group=batik_group, maker__full_name="Siti Aminah").maker
    budi = GroupMembershipFactory(group=batik_group, maker__full_name="Budi Santoso").maker
    return siti, budi


@pytest.fixture
def store_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Gudang Batik", kind="STORE")


@pytest.fixture
def store_b(facility_b):
    return location_create(actor=None, organization=facility_b, name="Gudang Pecut", kind="STORE")


@pytest.fixture
def sku(batik_product) -> str:
    return batik_product.variants.get(price_idr=275_000).sku


@pytest.fixture
def token_b(staff_b) -> str:
    return api_token_create(user=staff_b)[1]


@pytest.fixture
def lot_a(batik_product, batik_group, store_a, makers):
    siti, budi = makers
    return lot_record(
        actor=None,
        variant=batik_product.variants.get(price_idr=275_000),
        group=batik_group,
        location=store_a,
        quantity_produced=12,
        quantity_passed=10,
        material_cost_idr=1_250_005,
        contributions=[ContributionInput(maker_id=siti.pk, share=7), ContributionInput(maker_id=budi.pk, share=5)],
        started_date=STARTED,
        finished_date=FINISHED,
    )


def body(sku: str, makers, **changes) -> dict:
    siti, budi = makers
    data = {
        "sku": sku,
        "quantity": 12,
        "quantity_passed": 10,
        "material_cost_idr": 1_250_005,
        "group": "kelompok-batik-tulis",
        "location": "rutan-sumenep-gudang-batik",
        "contributions": [{"maker": siti.pk, "share": 7}, {"maker": budi.pk, "share": 5}],
        "started_date": "2025-03-01",
        "finished_date": "2025-03-10",
        "share_basis": "UNITS",
        "notes": "Pewarna alam, motif parang.",
    }
    return data | changes


def post(client: Client, token: str, data: dict, **extra):
    return client.post(LOTS, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token), **extra)


def nothing_saved() -> bool:
    return not (Lot.objects.exists() or Contribution.objects.exists() or StockMovement.objects.exists())


# Recording a lot --------------------------------------------------------------------------------


def test_record_lot_returns_the_lot_with_its_unit_cost(client, token_a, sku, makers, store_a, batik_product):
    # given
    siti, budi = makers

    # when
    response = post(client, token_a, body(sku, makers))

    # then: 1.250.005 / 10 = 125.000,5 -> rounded half up
    assert response.status_code == 201, response.content
    lot = Lot.objects.get()
    assert response.json() == {
        "code": lot.code,
        "sku": sku,
        "product": "Kain Batik Tulis Motif Parang",
        "organization": "rutan-sumenep",
        "group": "kelompok-batik-tulis",
        "quantity": 12,
        "quantity_passed": 10,
        "material_cost_idr": 1_250_005,
        "unit_cost_idr": 125_001,
        "share_basis": "UNITS",
        "started_date": "2025-03-01",
        "finished_date": "2025-03-10",
        "notes": "Pewarna alam, motif parang.",
        "trace_url": f"http://testserver/en/lacak/{lot.code}/",
        "stock": [{"location": "rutan-sumenep-gudang-batik", "location_name": "Gudang Batik", "quantity": 10}],
        "contributions": [
            {"maker": budi.pk, "name": "Budi Santoso", "share": 5},
            {"maker": siti.pk, "name": "Siti Aminah", "share": 7},
        ],
        "location": "rutan-sumenep-gudang-batik",
    }
    assert len(lot.code) == 7
    assert sorted(Contribution.objects.values_list("maker__full_name", "share")) == [
        ("Budi Santoso", 5),
        ("Siti Aminah", 7),
    ]
    assert list(StockBalance.objects.values_list("location__code", "quantity")) == [("rutan-sumenep-gudang-batik", 10)]
    assert list(StockMovement.objects.values_list("kind", "quantity")) == [("PRODUCED", 10)]
    assert batik_product.variants.get(sku=sku).stock_quantity == 10


def test_trace_url_is_indonesian_by_default(client, token_a, sku, makers, store_a):
    # when
    response = client.post(LOTS, body(sku, makers), content_type="application/json", **bearer(token_a))

    # then
    code = response.json()["code"]
    assert response.json()["trace_url"] == f"http://testserver/lacak/{code}/"


def test_dates_default_to_today_and_sku_is_read_in_any_case(client, token_a, sku, makers, store_a):
    # given
    data = body(sku.lower(), makers)
    del data["started_date"], data["finished_date"], data["notes"], data["share_basis"]

    # when
    response = post(client, token_a, data)

    # then
    today = timezone.localdate().isoformat()
    assert response.status_code == 201, response.content
    assert (response.json()["sku"], response.json()["started_date"], response.json()["finished_date"]) == (
        sku,
        today,
        today,
    )


@pytest.mark.parametrize(
    ("cost", "passed", "unit"),
    [(1_000_000, 10, 100_000), (100, 3, 33), (101, 2, 51), (5, 2, 3), (0, 4, 0), (1, 3, 0)],
)
def test_unit_cost_is_rounded_half_up(client, token_a, sku, makers, store_a, cost, passed, unit):
    # when
    response = post(client, token_a, body(sku, makers, material_cost_idr=cost, quantity=passed, quantity_passed=passed))

    # then
    assert response.status_code == 201, response.content
    assert response.json()["unit_cost_idr"] == unit


def test_umkm_lot_has_no_group(client, batik_category, db):
    # given an UMKM producer with its operator, its artisan and its store
    producer = UmkmProducerFactory(name="Batik Raung", slug="batik-raung")
    product = ProductFactory(producer=producer, category=batik_category, name="Batik Raung Kopi", variants=[150_000])
    operator = MembershipFactory(organization=producer.organization, role=Role.PRODUCER_OPERATOR).user
    artisan = MakerFactory(organization=producer.organization, kind=Maker.Kind.ARTISAN, full_name="Pak Wiryo")
    store = location_create(actor=None, organization=producer.organization, name="Rumah Produksi", kind="STORE")
    token = api_token_create(user=operator)[1]
    data = {
        "sku": product.variants.get().sku,
        "quantity": 20,
        "quantity_passed": 20,
        "material_cost_idr": 600_000,
        "location": store.code,
        "contributions": [{"maker": artisan.pk, "share": 8}],
        "share_basis": "HOURS",
    }

    # when
    response = post(client, token, data)

    # then
    assert response.status_code == 201, response.content
    assert (response.json()["group"], response.json()["unit_cost_idr"], response.json()["share_basis"]) == (
        None,
        30_000,
        "HOURS",
    )
    assert response.json()["contributions"] == [{"maker": artisan.pk, "name": "Pak Wiryo", "share": 8}]


def test_session_authenticates_a_write(client, staff_a, sku, makers, store_a):
    # given
    client.force_login(staff_a)

    # when
    response = client.post(LOTS, body(sku, makers), content_type="application/json")

    # then
    assert response.status_code == 201
    assert Lot.objects.get().recorded_by == staff_a


def test_session_write_without_csrf_token_is_refused(staff_a, sku, makers, store_a):
    # given a browser-like client that enforces CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)

    # when
    response = client.post(LOTS, body(sku, makers), content_type="application/json")

    # then
    assert response.status_code == 403
    assert nothing_saved()


# Validation: 400 with per-field errors, nothing saved -------------------------------------------


def test_maker_of_another_facility_is_refused_without_naming_them(client, token_a, sku, makers, store_a, facility_b):
    # given
    siti, _ = makers
    outsider = GroupMembershipFactory(
        group=GroupFactory(organization=facility_b), maker__full_name="Joko Rahasia"
    ).maker

    # when
    response = post(
        client,
        token_a,
        body(sku, makers, contributions=[{"maker": siti.pk, "share": 1}, {"maker": outsider.pk, "share": 1}]),
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The data is not valid.",
        "errors": {"contributions": [f"Maker #{outsider.pk} is not one of your makers."]},
    }
    assert b"Joko" not in response.content
    assert nothing_saved()


def test_maker_who_was_not_a_member_on_the_production_dates_is_refused(
    client, token_a, sku, makers, store_a, batik_group
):
    # given Rina joined the group after the lot was finished
    rina = GroupMembershipFactory(
        group=batik_group, maker__full_name="Rina Lestari", joined_date=datetime.date(2025, 4, 1)
    ).maker

    # when
    response = post(client, token_a, body(sku, makers, contributions=[{"maker": rina.pk, "share": 3}]))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "contributions": ["Rina Lestari was not a member of Kelompok Batik Tulis on the production dates."]
    }
    assert nothing_saved()


def test_maker_who_left_before_production_is_refused(client, token_a, sku, makers, store_a, batik_group):
    # given
    gone = GroupMembershipFactory(
        group=batik_group, maker__full_name="Dewi Pergi", left_date=datetime.date(2025, 2, 28)
    ).maker

    # when
    response = post(client, token_a, body(sku, makers, contributions=[{"maker": gone.pk, "share": 3}]))

    # then
    assert response.json()["errors"] == {
        "contributions": ["Dewi Pergi was not a member of Kelompok Batik Tulis on the production dates."]
    }


@pytest.mark.parametrize("share", [0, -2])
def test_share_must_be_positive(client, token_a, sku, makers, store_a, share):
    # given
    siti, budi = makers

    # when
    response = post(
        client,
        token_a,
        body(sku, makers, contributions=[{"maker": siti.pk, "share": share}, {"maker": budi.pk, "share": 5}]),
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"contributions": ["Every share must be more than zero."]}
    assert nothing_saved()


def test_sku_of_another_facility_is_unknown(client, token_a, makers, store_a, pecut_product):
    # given
    pecut_sku = pecut_product.variants.get().sku

    # when
    response = post(client, token_a, body(pecut_sku, makers))

    # then: the same answer as for a SKU that does not exist
    assert response.status_code == 400
    assert response.json()["errors"] == {"sku": [f"Unknown SKU {pecut_sku}."]}
    assert post(client, token_a, body("TIDAK-ADA", makers)).json()["errors"] == {"sku": ["Unknown SKU TIDAK-ADA."]}
    assert nothing_saved()


def test_sku_of_another_group_of_the_same_facility_is_refused(client, token_a, makers, store_a, pecut_category):
    # given a product of the facility's sapu group
    sapu = ProducerFactory(
        group=GroupFactory(organization=store_a.organization, name="Kelompok Sapu Glagah"), name="Sapu Glagah"
    )
    other_sku = ProductFactory(producer=sapu, category=pecut_category).variants.get().sku

    # when
    response = post(client, token_a, body(other_sku, makers))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "sku": [f"SKU {other_sku} is made by Sapu Glagah, not by Kelompok Batik Tulis."]
    }
    assert nothing_saved()


def test_group_and_location_of_another_facility_are_unknown(client, token_a, sku, makers, store_b, pecut_producer):
    # when
    response = post(client, token_a, body(sku, makers, group="kelompok-pecut", location=store_b.code))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "group": ["Unknown group “kelompok-pecut”. See GET /api/v1/groups."],
        "location": ["Unknown location “lapas-banyuwangi-gudang-pecut”. See GET /api/v1/locations."],
    }
    assert nothing_saved()


def test_facility_lot_needs_a_group(client, token_a, sku, makers, store_a):
    # when
    response = post(client, token_a, body(sku, makers, group=None))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"group": ["Choose the group that made this lot."]}


def test_several_mistakes_are_reported_together(client, token_a, sku, makers, store_a):
    # when
    response = post(
        client,
        token_a,
        body(
            sku,
            makers,
            quantity=5,
            quantity_passed=6,
            material_cost_idr=-1,
            started_date="2025-03-10",
            finished_date="2025-03-01",
            contributions=[],
        ),
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "quantity_passed": ["More units cannot pass quality control than were produced."],
        "material_cost_idr": ["Enter the material cost in whole rupiah, from Rp0."],
        "finished_date": ["Production cannot finish before it started."],
        "contributions": ["Name at least one maker who made this lot."],
    }
    assert nothing_saved()


def test_lot_finished_in_the_future_is_refused(client, token_a, sku, makers, store_a):
    # given
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    # when
    response = post(client, token_a, body(sku, makers, started_date=tomorrow, finished_date=tomorrow))

    # then
    assert response.json()["errors"] == {"finished_date": ["Production cannot finish in the future."]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": "banyak"}, "quantity"),
        ({"material_cost_idr": 10**16}, "material_cost_idr"),
        ({"share_basis": "DAYS"}, "share_basis"),
        ({"finished_date": "10/03/2025"}, "finished_date"),
    ],
)
def test_malformed_body_is_422(client, token_a, sku, makers, store_a, changes, field):
    # when
    response = post(client, token_a, body(sku, makers, **changes))

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert nothing_saved()


# Permissions ------------------------------------------------------------------------------------


def test_anonymous_gets_401(client, sku, makers, store_a, lot_a):
    # when
    create = client.post(LOTS, body(sku, makers), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    detail = client.get(f"{LOTS}/{lot_a.code}", HTTP_ACCEPT_LANGUAGE="en")
    tags = client.post(f"{LOTS}/{lot_a.code}/tags", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert [r.status_code for r in (create, detail, tags)] == [401, 401, 401]
    assert create.json() == UNAUTHENTICATED
    assert Lot.objects.count() == 1


def test_regional_viewer_may_read_but_not_record(client, sku, makers, store_a, lot_a):
    # given a viewer at the Kanwil of the facility's province
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim")
    token = api_token_create(user=MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user)[1]

    # when
    create = post(client, token, body(sku, makers))
    detail = client.get(f"{LOTS}/{lot_a.code}", **bearer(token))
    tags = client.post(
        f"{LOTS}/{lot_a.code}/tags", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token)
    )

    # then: no makers' names for oversight
    assert create.status_code == 403
    assert create.json() == {"detail": "You may not record production for Rutan Kelas IIB Sumenep."}
    assert detail.status_code == 200
    assert detail.json()["contributions"] is None
    assert b"Siti" not in detail.content
    assert tags.status_code == 403
    assert Lot.objects.count() == 1
    assert not Document.objects.exists()


def test_outlet_partner_sees_the_lot_but_not_its_makers(client, facility_a, lot_a):
    # given
    partner = MembershipFactory(organization=facility_a, role=Role.OUTLET_PARTNER).user
    token = api_token_create(user=partner)[1]

    # when
    response = client.get(f"{LOTS}/{lot_a.code}", **bearer(token))

    # then
    assert response.status_code == 200
    assert response.json()["contributions"] is None


# Reading a lot ----------------------------------------------------------------------------------


def test_lot_detail_for_own_staff(client, token_a, lot_a, makers, sku):
    # given
    siti, budi = makers

    # when
    response = client.get(f"{LOTS}/{lot_a.code}", **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response.json() == {
        "code": lot_a.code,
        "sku": sku,
        "product": "Kain Batik Tulis Motif Parang",
        "organization": "rutan-sumenep",
        "group": "kelompok-batik-tulis",
        "quantity": 12,
        "quantity_passed": 10,
        "material_cost_idr": 1_250_005,
        "unit_cost_idr": 125_001,
        "share_basis": "UNITS",
        "started_date": "2025-03-01",
        "finished_date": "2025-03-10",
        "notes": "",
        "trace_url": f"http://testserver/lacak/{lot_a.code}/",
        "stock": [{"location": "rutan-sumenep-gudang-batik", "location_name": "Gudang Batik", "quantity": 10}],
        "contributions": [
            {"maker": budi.pk, "name": "Budi Santoso", "share": 5},
            {"maker": siti.pk, "name": "Siti Aminah", "share": 7},
        ],
    }


def test_lot_code_is_read_forgivingly(client, token_a, lot_a):
    # given the code as someone might type it from a tag
    typed = "-".join([lot_a.code[:3].lower(), lot_a.code[3:].lower()])

    # when
    response = client.get(f"{LOTS}/{typed}", **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response.json()["code"] == lot_a.code


def test_another_facilitys_lot_is_404(client, token_b, lot_a):
    # when
    detail = client.get(f"{LOTS}/{lot_a.code}", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b))
    tags = client.post(
        f"{LOTS}/{lot_a.code}/tags", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b)
    )
    unknown = client.get(f"{LOTS}/ZZZZZZZ", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b))

    # then: exactly like a lot that does not exist
    assert (detail.status_code, detail.json()) == (404, {"detail": "Not found"})
    assert (tags.status_code, tags.json()) == (404, {"detail": "Not found"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found"})
    assert not Document.objects.exists()


def test_lot_detail_query_count_is_fixed(client, django_assert_num_queries, staff_a, lot_a):
    # given
    client.force_login(staff_a)

    # when / then: session, user, memberships, lot, contributions, stock
    with django_assert_num_queries(6):
        response = client.get(f"{LOTS}/{lot_a.code}")
    assert len(response.json()["contributions"]) == 2


# Hang tags and the PDF --------------------------------------------------------------------------


def test_tags_default_to_one_per_unit_passed(client, token_a, lot_a, facility_a):
    # when
    response = client.post(f"{LOTS}/{lot_a.code}/tags", content_type="application/json", **bearer(token_a))

    # then
    year = timezone.localdate().year
    number = f"TAG-{facility_a.code}-{year}-00001"
    document = Document.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "number": number,
        "kind": "TAG_SHEET",
        "verify_code": document.verify_code,
        "verify_url": f"http://testserver/verifikasi/{document.verify_code}/",
        "document_url": f"http://testserver/api/v1/documents/{number}/pdf",
    }
    assert document.public_figures["tags"] == 10
    assert document.public_figures["lot"] == lot_a.code


def test_tags_with_a_count(client, token_a, lot_a):
    # when
    first = client.post(f"{LOTS}/{lot_a.code}/tags", {"count": 3}, content_type="application/json", **bearer(token_a))
    second = client.post(f"{LOTS}/{lot_a.code}/tags", {}, content_type="application/json", **bearer(token_a))

    # then
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["number"].endswith("-00001")
    assert second.json()["number"].endswith("-00002")
    assert [d.public_figures["tags"] for d in Document.objects.order_by("pk")] == [3, 10]


@pytest.mark.parametrize("count", [0, 601])
def test_tag_count_out_of_range_is_400(client, token_a, lot_a, count):
    # when
    response = client.post(
        f"{LOTS}/{lot_a.code}/tags",
        {"count": count},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token_a),
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The data is not valid.",
        "errors": {"count": ["Print between 1 and 600 tags."]},
    }
    assert not Document.objects.exists()


def test_tag_sheet_pdf(client, token_a, lot_a):
    # given
    url = client.post(
        f"{LOTS}/{lot_a.code}/tags", {"count": 2}, content_type="application/json", **bearer(token_a)
    ).json()["document_url"]

    # when
    response = client.get(url, **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{url.split("/")[-2]}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_pdf_of_another_facility_is_404(client, token_a, token_b, lot_a):
    # given
    url = client.post(f"{LOTS}/{lot_a.code}/tags", content_type="application/json", **bearer(token_a)).json()[
        "document_url"
    ]

    # when
    foreign = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b))
    unknown = client.get("/api/v1/documents/TAG-XXX-2025-00001/pdf", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))
    anonymous = client.get(url)

    # then
    assert (foreign.status_code, foreign.json()) == (404, {"detail": "Not found"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found"})
    assert anonymous.status_code == 401
