"""Staff endpoints GET /api/v1/stock, GET /api/v1/locations, POST /api/v1/stock/adjustments and /stock/counts."""

import datetime

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.inventory.models import StockBalance, StockCount, StockMovement
from binakarya.inventory.services import location_create
from binakarya.organizations.models import Organization, Role
from binakarya.production.services import ContributionInput, lot_record
from tests.api.helpers import bearer
from tests.factories import GroupMembershipFactory, MembershipFactory, OrganizationFactory

STOCK = "/api/v1/stock"
LOCATIONS = "/api/v1/locations"
ADJUSTMENTS = "/api/v1/stock/adjustments"
COUNTS = "/api/v1/stock/counts"


@pytest.fixture
def store_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Gudang Batik", kind="STORE")


@pytest.fixture
def showroom_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Galeri Rutan", kind="SHOWROOM")


@pytest.fixture
def outlet_a(facility_a):
    gerai = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda Sumenep", slug="gerai-dekranasda")
    return location_create(actor=None, organization=facility_a, name="Gerai Dekranasda", kind="OUTLET", outlet=gerai)


@pytest.fixture
def store_b(facility_b):
    return location_create(actor=None, organization=facility_b, name="Gudang Pecut", kind="STORE")


@pytest.fixture
def variant_a(batik_product):
    return batik_product.variants.get(price_idr=275_000)


@pytest.fixture
def record_lot(batik_producer):
    """Record a lot of the batik variant made by one member of the batik group."""
    siti = GroupMembershipFactory(group=batik_producer.group, maker__full_name="Siti Aminah").maker

    def _record(variant, location, passed, finished=datetime.date(2025, 3, 10)):
        return lot_record(
            actor=None,
            variant=variant,
            group=batik_producer.group,
            location=location,
            quantity_produced=passed,
            quantity_passed=passed,
            material_cost_idr=100_000,
            contributions=[ContributionInput(maker_id=siti.pk, share=1)],
            started_date=finished,
            finished_date=finished,
        )

    return _record


@pytest.fixture
def lots_a(record_lot, variant_a, store_a, showroom_a):
    """An older lot of 10 in the store, a newer one of 4 in the store and 6 in the showroom."""
    old = record_lot(variant_a, store_a, 10, datetime.date(2025, 3, 10))
    new = record_lot(variant_a, store_a, 4, datetime.date(2025, 4, 20))
    showroom = record_lot(variant_a, showroom_a, 6, datetime.date(2025, 4, 1))
    return old, new, showroom


@pytest.fixture
def lot_b(pecut_producer, pecut_product, store_b):
    joko = GroupMembershipFactory(group=pecut_producer.group, maker__full_name="Joko Rahasia").maker
    return lot_record(
        actor=None,
        variant=pecut_product.variants.get(),
        group=pecut_producer.group,
        location=store_b,
        quantity_produced=5,
        quantity_passed=5,
        material_cost_idr=50_000,
        contributions=[ContributionInput(maker_id=joko.pk, share=1)],
        started_date=datetime.date(2025, 3, 1),
        finished_date=datetime.date(2025, 3, 1),
    )


@pytest.fixture
def token_b(staff_b) -> str:
    return api_token_create(user=staff_b)[1]


def post(client, token, url, data):
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token))


def balance(lot, location) -> int:
    row = StockBalance.objects.filter(lot=lot, location=location).first()
    return row.quantity if row else 0


# Authentication ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"{STOCK}?sku=X"),
        ("get", LOCATIONS),
        ("post", ADJUSTMENTS),
        ("post", COUNTS),
        ("post", "/api/v1/transfers"),
        ("get", "/api/v1/transfers/SJ-X-2025-00001"),
        ("post", "/api/v1/transfers/SJ-X-2025-00001/receive"),
        ("get", "/api/v1/documents/SJ-X-2025-00001/pdf"),
    ],
)
def test_every_stock_endpoint_needs_authentication(client, db, method, url):
    # when
    response = getattr(client, method)(url, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required: send 'Authorization: Bearer <token>' or log in."}


# Locations --------------------------------------------------------------------------------------


def test_locations_of_own_facility(client, token_a, store_a, showroom_a, outlet_a, store_b):
    # when
    response = client.get(LOCATIONS, **bearer(token_a))

    # then: by organization, kind, name
    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "items": [
            {
                "code": "rutan-sumenep-gerai-dekranasda",
                "name": "Gerai Dekranasda",
                "kind": "OUTLET",
                "organization": "rutan-sumenep",
                "outlet": "gerai-dekranasda",
            },
            {
                "code": "rutan-sumenep-galeri-rutan",
                "name": "Galeri Rutan",
                "kind": "SHOWROOM",
                "organization": "rutan-sumenep",
                "outlet": None,
            },
            {
                "code": "rutan-sumenep-gudang-batik",
                "name": "Gudang Batik",
                "kind": "STORE",
                "organization": "rutan-sumenep",
                "outlet": None,
            },
        ],
    }


def test_another_facility_sees_only_its_own_locations(client, token_b, store_a, showroom_a, store_b):
    # when
    response = client.get(LOCATIONS, **bearer(token_b))

    # then
    assert [item["code"] for item in response.json()["items"]] == ["lapas-banyuwangi-gudang-pecut"]
    assert b"rutan-sumenep" not in response.content


def test_inactive_locations_are_not_listed(client, token_a, store_a, showroom_a):
    # given
    showroom_a.is_active = False
    showroom_a.save()

    # when
    response = client.get(LOCATIONS, **bearer(token_a))

    # then
    assert [item["code"] for item in response.json()["items"]] == ["rutan-sumenep-gudang-batik"]


# Stock of a SKU ---------------------------------------------------------------------------------


def test_stock_of_a_sku_by_location_and_lot(client, token_a, variant_a, lots_a):
    # given
    old, new, showroom = lots_a

    # when
    response = client.get(STOCK, {"sku": variant_a.sku}, **bearer(token_a))

    # then: locations by code, lots oldest first
    assert response.status_code == 200
    assert response.json() == {
        "sku": variant_a.sku,
        "total": 20,
        "items": [
            {
                "location": "rutan-sumenep-galeri-rutan",
                "location_name": "Galeri Rutan",
                "lot": showroom.code,
                "quantity": 6,
            },
            {
                "location": "rutan-sumenep-gudang-batik",
                "location_name": "Gudang Batik",
                "lot": old.code,
                "quantity": 10,
            },
            {"location": "rutan-sumenep-gudang-batik", "location_name": "Gudang Batik", "lot": new.code, "quantity": 4},
        ],
    }


def test_sku_is_read_in_any_case(client, token_a, variant_a, lots_a):
    # when
    response = client.get(STOCK, {"sku": f"  {variant_a.sku.lower()} "}, **bearer(token_a))

    # then
    assert (response.json()["sku"], response.json()["total"]) == (variant_a.sku, 20)


def test_unknown_sku_is_an_empty_answer(client, token_a, lots_a):
    # when
    response = client.get(STOCK, {"sku": "tidak-ada"}, **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response.json() == {"sku": "TIDAK-ADA", "total": 0, "items": []}


def test_another_facilitys_sku_looks_unknown(client, token_a, token_b, variant_a, lots_a, lot_b):
    # when
    a_asks_b = client.get(STOCK, {"sku": lot_b.variant.sku}, **bearer(token_a))
    b_asks_a = client.get(STOCK, {"sku": variant_a.sku}, **bearer(token_b))

    # then
    assert a_asks_b.json() == {"sku": lot_b.variant.sku, "total": 0, "items": []}
    assert b_asks_a.json() == {"sku": variant_a.sku, "total": 0, "items": []}


def test_sku_is_required(client, token_a, db):
    # when
    response = client.get(STOCK, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["sku"]


def test_stock_takes_four_queries_whatever_the_number_of_lots(
    client, django_assert_num_queries, staff_a, variant_a, lots_a, record_lot, showroom_a
):
    # given 10 more lots, and a session
    for day in range(1, 11):
        record_lot(variant_a, showroom_a, 1, datetime.date(2025, 5, day))
    client.force_login(staff_a)

    # when / then: session, user, memberships, balances (with location and lot)
    with django_assert_num_queries(4):
        response = client.get(STOCK, {"sku": variant_a.sku})
    assert response.json()["total"] == 30
    assert len(response.json()["items"]) == 13


# Adjustments ------------------------------------------------------------------------------------


def test_adjustment_adds_and_removes_units(client, token_a, lots_a, store_a):
    # given
    old, _, _ = lots_a

    # when
    found = post(
        client,
        token_a,
        ADJUSTMENTS,
        {"lot": old.code, "location": store_a.code, "quantity": 2, "reason": "Ditemukan di rak"},
    )
    lost = post(
        client,
        token_a,
        ADJUSTMENTS,
        {"lot": old.code.lower(), "location": store_a.code, "quantity": -5, "reason": "Rusak kena air"},
    )

    # then
    assert found.status_code == 201
    assert found.json() == {
        "lot": old.code,
        "sku": old.variant.sku,
        "location": "rutan-sumenep-gudang-batik",
        "kind": "ADJUSTED",
        "quantity": 2,
        "reason": "Ditemukan di rak",
        "balance": 12,
    }
    assert (lost.status_code, lost.json()["quantity"], lost.json()["balance"]) == (201, -5, 7)
    assert balance(old, store_a) == 7
    assert old.variant.__class__.objects.get(pk=old.variant_id).stock_quantity == 17


def test_removing_more_than_there_is_is_409_and_saves_nothing(client, token_a, lots_a, store_a):
    # given
    old, _, _ = lots_a
    movements = StockMovement.objects.count()

    # when
    response = post(
        client, token_a, ADJUSTMENTS, {"lot": old.code, "location": store_a.code, "quantity": -11, "reason": "Hilang"}
    )

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"Gudang Batik holds only 10 of lot {old.code}; 11 cannot be removed."}
    assert StockMovement.objects.count() == movements
    assert balance(old, store_a) == 10


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"reason": "  "}, {"reason": ["Say why the stock is adjusted."]}),
        ({"quantity": 0}, {"quantity": ["An adjustment changes stock by at least one unit."]}),
    ],
)
def test_adjustment_needs_a_reason_and_a_quantity(client, token_a, lots_a, store_a, changes, errors):
    # given
    old, _, _ = lots_a
    data = {"lot": old.code, "location": store_a.code, "quantity": 1, "reason": "Ditemukan"} | changes

    # when
    response = post(client, token_a, ADJUSTMENTS, data)

    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "The data is not valid.", "errors": errors}


def test_another_facilitys_lot_and_location_are_unknown(client, token_a, lots_a, lot_b, store_b):
    # when
    response = post(
        client, token_a, ADJUSTMENTS, {"lot": lot_b.code, "location": store_b.code, "quantity": -1, "reason": "x"}
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lot": [f"Unknown lot “{lot_b.code}”."],
        "location": ["Unknown location “lapas-banyuwangi-gudang-pecut”. See GET /api/v1/locations."],
    }
    assert balance(lot_b, store_b) == 5


def test_oversight_viewer_may_not_adjust(client, lots_a, store_a):
    # given
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim")
    token = api_token_create(user=MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user)[1]
    old, _, _ = lots_a

    # when
    response = post(
        client, token, ADJUSTMENTS, {"lot": old.code, "location": store_a.code, "quantity": 1, "reason": "x"}
    )
    stock = client.get(STOCK, {"sku": old.variant.sku}, **bearer(token))

    # then: they read stock, they do not change it
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not change the stock of Rutan Kelas IIB Sumenep."}
    assert stock.json()["total"] == 20


# Counts (stock opname) --------------------------------------------------------------------------


def test_count_posts_the_variances(client, token_a, lots_a, store_a):
    # given
    old, new, _ = lots_a

    # when
    response = post(
        client,
        token_a,
        COUNTS,
        {
            "location": store_a.code,
            "lines": [{"lot": new.code, "counted": 4}, {"lot": old.code, "counted": 8}],
            "note": "Opname Juni",
        },
    )

    # then
    count = StockCount.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": count.pk,
        "location": "rutan-sumenep-gudang-batik",
        "note": "Opname Juni",
        "variance": -2,
        "lines": [
            {"lot": old.code, "sku": old.variant.sku, "book": 10, "counted": 8, "variance": -2},
            {"lot": new.code, "sku": new.variant.sku, "book": 4, "counted": 4, "variance": 0},
        ],
    }
    assert (balance(old, store_a), balance(new, store_a)) == (8, 4)
    assert list(StockMovement.objects.filter(kind="COUNTED").values_list("lot", "quantity")) == [(old.pk, -2)]


def test_count_can_find_units_the_books_did_not_have(client, token_a, lots_a, showroom_a):
    # given the old lot has no units in the showroom on the books
    old, _, _ = lots_a

    # when
    response = post(client, token_a, COUNTS, {"location": showroom_a.code, "lines": [{"lot": old.code, "counted": 1}]})

    # then
    assert response.status_code == 201
    assert response.json()["lines"] == [
        {"lot": old.code, "sku": old.variant.sku, "book": 0, "counted": 1, "variance": 1}
    ]
    assert balance(old, showroom_a) == 1


def test_count_with_unknown_or_repeated_lots_is_400(client, token_a, lots_a, lot_b, store_a):
    # given
    old, _, _ = lots_a

    # when
    response = post(
        client,
        token_a,
        COUNTS,
        {
            "location": store_a.code,
            "lines": [
                {"lot": old.code, "counted": 1},
                {"lot": lot_b.code, "counted": 1},
                {"lot": old.code, "counted": 2},
            ],
        },
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lines.1.lot": [f"Unknown lot “{lot_b.code}”."],
        "lines.2.lot": [f"Lot {old.code} is listed twice."],
    }
    assert not StockCount.objects.exists()


def test_count_without_lines_or_with_a_negative_count_is_400(client, token_a, lots_a, store_a):
    # given
    old, _, _ = lots_a

    # when
    empty = post(client, token_a, COUNTS, {"location": store_a.code, "lines": []})
    negative = post(client, token_a, COUNTS, {"location": store_a.code, "lines": [{"lot": old.code, "counted": -1}]})

    # then
    assert (empty.status_code, empty.json()["detail"]) == (400, "Enter at least one counted quantity.")
    assert (negative.status_code, negative.json()["detail"]) == (400, "A counted quantity cannot be negative.")
    assert not StockCount.objects.exists()


def test_count_at_another_facilitys_location_is_400(client, token_b, lots_a, store_a):
    # given
    old, _, _ = lots_a

    # when
    response = post(client, token_b, COUNTS, {"location": store_a.code, "lines": [{"lot": old.code, "counted": 0}]})

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "location": ["Unknown location “rutan-sumenep-gudang-batik”. See GET /api/v1/locations."],
        "lines.0.lot": [f"Unknown lot “{old.code}”."],
    }
    assert balance(old, store_a) == 10


def test_locations_take_four_queries(client, django_assert_num_queries, staff_a, store_a, showroom_a, outlet_a):
    # given
    client.force_login(staff_a)

    # when / then: session, user, memberships, locations (with organization and outlet)
    with django_assert_num_queries(4):
        response = client.get(LOCATIONS)
    assert response.json()["count"] == 3
