"""Staff endpoints POST /api/v1/transfers, GET /api/v1/transfers/{number}, POST …/receive, and the surat jalan PDF."""

import datetime

import pytest
from django.utils import timezone

from binakarya.accounts.services import api_token_create
from binakarya.documents.models import Document, NumberSequence
from binakarya.inventory.models import Location, StockBalance, StockMovement, Transfer, TransferLine
from binakarya.inventory.services import location_create
from binakarya.production.services import ContributionInput, lot_record
from tests.api.helpers import bearer
from tests.factories import GroupMembershipFactory, ProductFactory

TRANSFERS = "/api/v1/transfers"


@pytest.fixture
def store_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Gudang Batik", kind="STORE")


@pytest.fixture
def showroom_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Galeri Rutan", kind="SHOWROOM")


@pytest.fixture
def store_b(facility_b):
    return location_create(actor=None, organization=facility_b, name="Gudang Pecut", kind="STORE")


@pytest.fixture
def variant_a(batik_product):
    return batik_product.variants.get(price_idr=275_000)


@pytest.fixture
def record_lot(batik_producer):
    siti = GroupMembershipFactory(group=batik_producer.group, maker__full_name="Siti Aminah").maker

    def _record(variant, location, passed, finished):
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
def lots_a(record_lot, variant_a, store_a):
    """10 units made in March and 5 made in April, both in the store."""
    return (
        record_lot(variant_a, store_a, 10, datetime.date(2025, 3, 10)),
        record_lot(variant_a, store_a, 5, datetime.date(2025, 4, 10)),
    )


@pytest.fixture
def token_b(staff_b) -> str:
    return api_token_create(user=staff_b)[1]


def post(client, token, url, data=None):
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token))


def balance(lot, location) -> int:
    row = StockBalance.objects.filter(lot=lot, location=location).first()
    return row.quantity if row else 0


def transit(organization) -> Location:
    return Location.objects.get(organization=organization, kind="TRANSIT")


def number(organization, n: int = 1) -> str:
    return f"SJ-{organization.code}-{timezone.localdate().year}-{n:05d}"


def send(client, token, sku, quantity, store, showroom):
    return post(
        client,
        token,
        TRANSFERS,
        {"sku": sku, "quantity": quantity, "from_location": store.code, "to_location": showroom.code},
    )


# Sending ----------------------------------------------------------------------------------------


def test_send_takes_the_oldest_lots_first_and_issues_a_surat_jalan(
    client, token_a, facility_a, variant_a, lots_a, store_a, showroom_a
):
    # given
    march, april = lots_a

    # when
    response = post(
        client,
        token_a,
        TRANSFERS,
        {
            "sku": variant_a.sku.lower(),
            "quantity": 12,
            "from_location": store_a.code,
            "to_location": showroom_a.code,
            "note": "Untuk pameran",
        },
    )

    # then
    sj = number(facility_a)
    document = Document.objects.get()
    assert response.status_code == 201, response.content
    assert response.json() == {
        "number": sj,
        "status": "IN_TRANSIT",
        "from_location": "rutan-sumenep-gudang-batik",
        "to_location": "rutan-sumenep-galeri-rutan",
        "note": "Untuk pameran",
        "units": 12,
        "discrepancy": None,
        "received_at": None,
        "verify_code": document.verify_code,
        "verify_url": f"http://testserver/en/verifikasi/{document.verify_code}/",
        "document_url": f"http://testserver/api/v1/documents/{sj}/pdf",
        "lines": [
            {"sku": variant_a.sku, "lot": march.code, "quantity": 10, "quantity_received": None, "discrepancy": None},
            {"sku": variant_a.sku, "lot": april.code, "quantity": 2, "quantity_received": None, "discrepancy": None},
        ],
    }
    assert (document.kind, document.number) == ("SURAT_JALAN", sj)
    assert (balance(march, store_a), balance(april, store_a)) == (0, 3)
    assert (balance(march, transit(facility_a)), balance(april, transit(facility_a))) == (10, 2)
    assert (balance(march, showroom_a), balance(april, showroom_a)) == (0, 0)
    # units in transit are not for sale
    variant_a.refresh_from_db()
    assert variant_a.stock_quantity == 3


def test_send_several_skus_with_lines(
    client, token_a, facility_a, batik_product, variant_a, record_lot, lots_a, store_a, showroom_a
):
    # given a lot of the other batik variant
    other = batik_product.variants.get(price_idr=350_000)
    big = record_lot(other, store_a, 3, datetime.date(2025, 5, 1))
    march, _ = lots_a

    # when
    response = post(
        client,
        token_a,
        TRANSFERS,
        {
            "from_location": store_a.code,
            "to_location": showroom_a.code,
            "lines": [{"sku": variant_a.sku, "quantity": 4}, {"sku": other.sku, "quantity": 3}],
        },
    )

    # then
    assert response.status_code == 201, response.content
    assert sorted((line["sku"], line["lot"], line["quantity"]) for line in response.json()["lines"]) == sorted(
        [(variant_a.sku, march.code, 4), (other.sku, big.code, 3)]
    )
    assert response.json()["units"] == 7


def test_sending_more_than_the_store_holds_is_409_and_saves_nothing(
    client, token_a, variant_a, lots_a, store_a, showroom_a
):
    # given
    movements = StockMovement.objects.count()
    balances = list(StockBalance.objects.order_by("pk").values_list("lot", "location", "quantity"))

    # when
    response = send(client, token_a, variant_a.sku, 16, store_a, showroom_a)

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"Gudang Batik holds only 15 of {variant_a.sku}; 16 were asked for."}
    assert not Transfer.objects.exists()
    assert not TransferLine.objects.exists()
    assert not Document.objects.exists()
    assert StockMovement.objects.count() == movements
    assert list(StockBalance.objects.order_by("pk").values_list("lot", "location", "quantity")) == balances
    assert not Location.objects.filter(kind="TRANSIT").exists()
    assert not NumberSequence.objects.filter(series="SJ").exists()


def test_409_follows_the_request_language(client, token_a, variant_a, lots_a, store_a, showroom_a):
    # when
    response = client.post(
        TRANSFERS,
        {"sku": variant_a.sku, "quantity": 99, "from_location": store_a.code, "to_location": showroom_a.code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
        **bearer(token_a),
    )

    # then
    assert response.status_code == 409
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"sku": "X", "quantity": 1, "lines": [{"sku": "X", "quantity": 1}]},
            {"lines": ["Send either sku and quantity, or lines, not both."], "lines.0.sku": ["Unknown SKU X."]},
        ),
        ({}, {"sku": ["Name the SKU to send, or send lines."], "quantity": ["Say how many units to send."]}),
        ({"lines": []}, {"lines": ["Add at least one product to transfer."]}),
    ],
)
def test_send_needs_either_a_sku_or_lines(client, token_a, lots_a, store_a, showroom_a, data, errors):
    # when
    response = post(client, token_a, TRANSFERS, {"from_location": store_a.code, "to_location": showroom_a.code} | data)

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert not Transfer.objects.exists()


def test_send_to_the_same_location_or_zero_units_is_400(client, token_a, variant_a, lots_a, store_a, showroom_a):
    # when
    same = send(client, token_a, variant_a.sku, 1, store_a, store_a)
    zero = send(client, token_a, variant_a.sku, 0, store_a, showroom_a)

    # then
    assert (same.status_code, same.json()["errors"]) == (
        400,
        {"to_location": ["Choose a destination other than the source."]},
    )
    assert (zero.status_code, zero.json()["errors"]) == (400, {"quantity": ["Transfer at least one unit."]})
    assert not Transfer.objects.exists()


def test_another_facility_cannot_move_our_stock(client, token_b, variant_a, lots_a, store_a, showroom_a, store_b):
    # when: B names A's SKU and A's locations
    response = send(client, token_b, variant_a.sku, 1, store_a, showroom_a)
    into_b = send(client, token_b, variant_a.sku, 1, store_a, store_b)

    # then: they look like they do not exist
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "sku": [f"Unknown SKU {variant_a.sku}."],
        "from_location": ["Unknown location “rutan-sumenep-gudang-batik”. See GET /api/v1/locations."],
        "to_location": ["Unknown location “rutan-sumenep-galeri-rutan”. See GET /api/v1/locations."],
    }
    assert into_b.status_code == 400
    assert not Transfer.objects.exists()
    assert (balance(lots_a[0], store_a), balance(lots_a[1], store_a)) == (10, 5)


def test_cannot_send_to_another_facilitys_location(client, token_a, variant_a, lots_a, store_a, store_b):
    # when
    response = send(client, token_a, variant_a.sku, 1, store_a, store_b)

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "to_location": ["Unknown location “lapas-banyuwangi-gudang-pecut”. See GET /api/v1/locations."]
    }


def test_sku_of_another_group_in_the_same_facility_can_be_sent(
    client, token_a, facility_a, record_lot, store_a, showroom_a, pecut_category
):
    # given a product with no stock at all in the store
    empty = ProductFactory(producer__group__organization=facility_a, category=pecut_category).variants.get()

    # when
    response = send(client, token_a, empty.sku, 1, store_a, showroom_a)

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"Gudang Batik holds only 0 of {empty.sku}; 1 were asked for."}


# Receiving --------------------------------------------------------------------------------------


@pytest.fixture
def sent(client, token_a, variant_a, lots_a, store_a, showroom_a):
    """12 units on their way to the showroom: 10 of the March lot, 2 of the April lot."""
    response = send(client, token_a, variant_a.sku, 12, store_a, showroom_a)
    assert response.status_code == 201
    return response.json()["number"]


def test_receive_everything(client, token_a, facility_a, sent, lots_a, showroom_a, variant_a):
    # given
    march, april = lots_a

    # when
    response = post(client, token_a, f"{TRANSFERS}/{sent}/receive")

    # then
    transfer = Transfer.objects.get()
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["status"], body["discrepancy"], body["units"]) == (sent, "RECEIVED", 0, 12)
    assert body["received_at"] is not None
    assert body["lines"] == [
        {"sku": variant_a.sku, "lot": march.code, "quantity": 10, "quantity_received": 10, "discrepancy": 0},
        {"sku": variant_a.sku, "lot": april.code, "quantity": 2, "quantity_received": 2, "discrepancy": 0},
    ]
    assert transfer.received_by is not None
    assert (balance(march, showroom_a), balance(april, showroom_a)) == (10, 2)
    assert (balance(march, transit(facility_a)), balance(april, transit(facility_a))) == (0, 0)
    variant_a.refresh_from_db()
    assert variant_a.stock_quantity == 15


def test_receive_with_a_shortfall_records_the_discrepancy(
    client, token_a, facility_a, sent, lots_a, store_a, showroom_a
):
    # given
    march, april = lots_a

    # when
    response = post(
        client,
        token_a,
        f"{TRANSFERS}/{sent}/receive",
        {"lines": [{"lot": march.code, "quantity_received": 7}, {"lot": april.code.lower(), "quantity_received": 2}]},
    )

    # then
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["discrepancy"]) == ("DISCREPANCY", 3)
    assert [(line["quantity_received"], line["discrepancy"]) for line in response.json()["lines"]] == [(7, 3), (2, 0)]
    assert (balance(march, store_a), balance(march, transit(facility_a)), balance(march, showroom_a)) == (0, 0, 7)
    adjusted = StockMovement.objects.get(kind="ADJUSTED")
    assert (adjusted.lot, adjusted.location.kind, adjusted.quantity) == (march, "TRANSIT", -3)
    assert adjusted.reason == f"Discrepancy on {sent}: 3 sent but not received"


def test_receive_twice_is_400(client, token_a, sent):
    # given
    post(client, token_a, f"{TRANSFERS}/{sent}/receive")
    movements = StockMovement.objects.count()

    # when
    again = post(client, token_a, f"{TRANSFERS}/{sent}/receive")

    # then
    assert again.status_code == 400
    assert again.json() == {
        "detail": f"Transfer {sent} has already been received.",
        "errors": {"__all__": [f"Transfer {sent} has already been received."]},
    }
    assert StockMovement.objects.count() == movements


def test_receive_with_wrong_lines_is_400_and_changes_nothing(client, token_a, sent, lots_a, variant_a):
    # given
    march, april = lots_a

    # when
    unknown = post(
        client, token_a, f"{TRANSFERS}/{sent}/receive", {"lines": [{"lot": "ZZZZZZZ", "quantity_received": 1}]}
    )
    too_many = post(
        client,
        token_a,
        f"{TRANSFERS}/{sent}/receive",
        {"lines": [{"lot": march.code, "quantity_received": 11}, {"lot": april.code, "quantity_received": 2}]},
    )
    missing = post(
        client, token_a, f"{TRANSFERS}/{sent}/receive", {"lines": [{"lot": march.code, "quantity_received": 10}]}
    )

    # then
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {"lines.0.lot": [f"Lot ZZZZZZZ is not on {sent}."]},
    )
    assert (too_many.status_code, too_many.json()["errors"]) == (
        400,
        {"__all__": [f"For {variant_a.sku} (lot {march.code}) enter a number from 0 to 10."]},
    )
    assert (missing.status_code, missing.json()["errors"]) == (
        400,
        {"__all__": [f"For {variant_a.sku} (lot {april.code}) enter a number from 0 to 2."]},
    )
    assert Transfer.objects.get().status == "IN_TRANSIT"


def test_another_facility_cannot_see_or_receive_our_transfer(client, token_b, sent, lots_a, showroom_a):
    # when
    detail = client.get(f"{TRANSFERS}/{sent}", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b))
    receive = post(client, token_b, f"{TRANSFERS}/{sent}/receive")
    pdf = client.get(f"/api/v1/documents/{sent}/pdf", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_b))

    # then
    assert (detail.status_code, detail.json()) == (404, {"detail": "Not found"})
    assert (receive.status_code, receive.json()) == (404, {"detail": "Not found"})
    assert (pdf.status_code, pdf.json()) == (404, {"detail": "Not found"})
    assert Transfer.objects.get().status == "IN_TRANSIT"
    assert balance(lots_a[0], showroom_a) == 0


def test_transfer_detail(client, token_a, sent, lots_a, variant_a):
    # when
    response = client.get(f"{TRANSFERS}/{sent}", **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response.json()["number"] == sent
    assert response.json()["status"] == "IN_TRANSIT"
    assert [(line["lot"], line["quantity"]) for line in response.json()["lines"]] == [
        (lots_a[0].code, 10),
        (lots_a[1].code, 2),
    ]
    assert response.json()["verify_url"] == f"http://testserver/verifikasi/{Document.objects.get().verify_code}/"


def test_surat_jalan_pdf(client, token_a, sent):
    # given
    url = client.get(f"{TRANSFERS}/{sent}", **bearer(token_a)).json()["document_url"]

    # when
    response = client.get(url, **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_transfer_detail_query_count_does_not_grow_with_lines(
    client, django_assert_num_queries, staff_a, token_a, variant_a, record_lot, lots_a, store_a, showroom_a
):
    # given a transfer drawing on 6 lots, and a session
    for day in range(1, 5):
        record_lot(variant_a, store_a, 1, datetime.date(2025, 5, day))
    number_ = send(client, token_a, variant_a.sku, 19, store_a, showroom_a).json()["number"]
    client.force_login(staff_a)

    # when / then: session, user, memberships, transfer (with locations and document), lines, lots, variants,
    # products
    with django_assert_num_queries(8):
        response = client.get(f"{TRANSFERS}/{number_}")
    assert len(response.json()["lines"]) == 6
