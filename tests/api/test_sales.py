"""Staff endpoints POST/GET /api/v1/sales, GET /api/v1/sales/{number} and POST /api/v1/sales/{number}/reverse."""

import datetime

import pytest
from django.utils import timezone

from binakarya.accounts.services import api_token_create
from binakarya.documents.models import NumberSequence
from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.inventory.services import location_create
from binakarya.ledger.models import JournalEntry, JournalLine
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import premi_payout, split_rule_create
from binakarya.organizations.models import Organization, Role
from binakarya.sales.models import Sale, SaleReturn
from binakarya.sales.services import SaleLineInput, sale_record
from tests.api.helpers import bearer
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    VariantFactory,
    make_lot,
)

SALES = "/api/v1/sales"
UNAUTHENTICATED = {"detail": "Authentication required: send 'Authorization: Bearer <token>' or log in."}
SHOWROOM = "rutan-sumenep-ruang-pamer"
SKU = "SMP-BTK-001"


def make_shop(organization, category) -> dict:
    """The tests/sales `shop`, in a given facility: three makers with a share of 1 each, a 10-unit lot
    costing Rp1.500.000 at the showroom, and a 50% premi / 35% capital margin rule (the rest is PNBP).

    Selling 2 at Rp450.000 gives a margin of 900.000 - 300.000 = 600.000: premi 300.000 (100.000 each),
    capital 210.000 plus the 300.000 material cost recovered, and PNBP 90.000.
    """
    group = GroupFactory(organization=organization, name="Kelompok Batik Tulis", slug="kelompok-batik-tulis")
    producer = ProducerFactory(group=group, name="Kelompok Batik Tulis", slug="batik-sumenep")
    members = [
        GroupMembershipFactory(group=group, maker__full_name=name, maker__registration_number=f"AI.0{i}/2025").maker
        for i, name in enumerate(["Siti Aminah", "Budi Santoso", "Rina Lestari"], start=1)
    ]
    variant = VariantFactory(
        product__producer=producer,
        product__category=category,
        product__name="Kain Batik Tulis Motif Parang",
        sku=SKU,
        price_idr=450_000,
    )
    showroom = location_create(actor=None, organization=organization, name="Ruang Pamer", kind="SHOWROOM")
    lot = make_lot(variant=variant, group=group, location=showroom, quantity=10, cost=1_500_000)
    rule = split_rule_create(
        actor=None,
        organization=organization,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
    )
    return {
        "org": organization,
        "group": group,
        "members": members,
        "variant": variant,
        "showroom": showroom,
        "lot": lot,
        "rule": rule,
    }


@pytest.fixture
def shop(facility_a, batik_category):
    return make_shop(facility_a, batik_category)


@pytest.fixture
def showroom_b(facility_b):
    return location_create(actor=None, organization=facility_b, name="Galeri Lapas", kind="SHOWROOM")


@pytest.fixture
def token_b(facility_b) -> str:
    """An admin of facility B: every permission there, none in A."""
    admin = MembershipFactory(organization=facility_b, role=Role.FACILITY_ADMIN).user
    return api_token_create(user=admin)[1]


def token_for(organization, role) -> str:
    return api_token_create(user=MembershipFactory(organization=organization, role=role).user)[1]


def sell(shop, quantity=2, price=450_000, **kw):
    return sale_record(
        actor=None,
        location=kw.pop("location", shop["showroom"]),
        channel=kw.pop("channel", "POS"),
        lines=[SaleLineInput(SKU, quantity, price)],
        **kw,
    )


def post(client, token, url, data=None):
    return client.post(
        url,
        data if data is not None else {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token),
    )


def get(client, token, url, params=None):
    return client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="en", **bearer(token))


def body(**changes) -> dict:
    data = {"location": SHOWROOM, "channel": "POS", "lines": [{"sku": SKU, "quantity": 2, "unit_price_idr": 450_000}]}
    return data | changes


def counts() -> tuple[int, ...]:
    return (
        Sale.objects.count(),
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        StockMovement.objects.count(),
        sum(NumberSequence.objects.filter(series="PJ").values_list("last_value", flat=True)),
    )


def number(organization, n: int = 1, year: int | None = None) -> str:
    """Sale numbers count per year of the sale."""
    return f"PJ-{organization.code}-{year or timezone.localdate().year}-{n:05d}"


# Authentication ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", SALES),
        ("get", SALES),
        ("get", f"{SALES}/PJ-X-2026-00001"),
        ("post", f"{SALES}/PJ-X-2026-00001/reverse"),
    ],
)
def test_every_sales_endpoint_needs_authentication(client, db, method, url):
    # when
    response = getattr(client, method)(url, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


# Recording a sale -------------------------------------------------------------------------------


def test_a_sale_answers_its_totals_premi_and_lots(client, token_a, shop):
    # given
    before = counts()

    # when
    response = post(client, token_a, SALES, body(occurred_at="2025-08-01T10:00:00"))

    # then: the margin 600.000 pays 50% premi, 100.000 to each of the three makers
    assert response.status_code == 201
    assert response.json() == {
        "number": number(shop["org"], year=2025),
        "organization": "rutan-sumenep",
        "location": SHOWROOM,
        "channel": "POS",
        "buyer": None,
        "buyer_name": "",
        "occurred_at": "2025-08-01T03:00:00Z",  # 10:00 in Jakarta
        "total_idr": 900_000,
        "commission_idr": 0,
        "premi_idr": 300_000,
        "status": "POSTED",
        "lines": [
            {
                "sku": SKU,
                "product": "Kain Batik Tulis Motif Parang",
                "lot": shop["lot"].code,
                "quantity": 2,
                "returned_quantity": 0,
                "unit_price_idr": 450_000,
                "total_idr": 900_000,
                "price_reason": "",
            }
        ],
    }
    assert [maker_premi_owed(maker=m) for m in shop["members"]] == [100_000, 100_000, 100_000]
    assert StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity == 8
    assert counts()[0] == before[0] + 1
    assert Sale.objects.get().created_by.username == "staf-sumenep"


def test_a_consignment_sale_with_commission_and_a_buyer(client, token_a, shop):
    # given an agency buying through the outlet's sell-through report
    OrganizationFactory(kind=Organization.Kind.AGENCY, name="DLH PKP Purbalingga", slug="dlh-purbalingga")

    # when
    response = post(
        client,
        token_a,
        SALES,
        body(channel="institutional", commission_idr=90_000, buyer="dlh-purbalingga", buyer_name="Bpk. Slamet"),
    )

    # then: margin 900.000 - 90.000 - 300.000 = 510.000; premi 255.000 (85.000 each)
    assert response.status_code == 201
    data = response.json()
    assert (data["channel"], data["buyer"], data["buyer_name"]) == ("INSTITUTIONAL", "dlh-purbalingga", "Bpk. Slamet")
    assert (data["total_idr"], data["commission_idr"], data["premi_idr"]) == (900_000, 90_000, 255_000)
    assert [maker_premi_owed(maker=m) for m in shop["members"]] == [85_000, 85_000, 85_000]


def test_units_come_from_the_oldest_lot_first(client, token_a, shop):
    # given a newer lot of 5
    newer = make_lot(
        variant=shop["variant"],
        group=shop["group"],
        location=shop["showroom"],
        quantity=5,
        cost=500_000,
        finished=datetime.date(2025, 9, 1),
    )

    # when
    response = post(
        client, token_a, SALES, body(lines=[{"sku": "smp-btk-001", "quantity": 12, "unit_price_idr": 450_000}])
    )

    # then
    assert response.status_code == 201
    assert [(line["lot"], line["quantity"]) for line in response.json()["lines"]] == [
        (shop["lot"].code, 10),
        (newer.code, 2),
    ]
    # 10 × (450.000 - 150.000) × 50% + 2 × (450.000 - 100.000) × 50% = 1.500.000 + 350.000
    assert response.json()["premi_idr"] == 1_850_000


@pytest.mark.parametrize(
    ("lines", "detail"),
    [
        (
            [{"sku": SKU, "quantity": 11, "unit_price_idr": 450_000}],
            "Ruang Pamer holds only 10 of SMP-BTK-001; 11 were asked for.",
        ),
        # Two lines of one SKU: refused against what the location holds for both together.
        (
            [
                {"sku": SKU, "quantity": 6, "unit_price_idr": 450_000},
                {"sku": SKU, "quantity": 5, "unit_price_idr": 400_000},
            ],
            "Ruang Pamer holds only 10 of SMP-BTK-001; 11 were asked for.",
        ),
    ],
)
def test_selling_more_than_the_location_holds_is_409_and_saves_nothing(client, token_a, shop, lines, detail):
    # given
    before = counts()

    # when
    response = post(client, token_a, SALES, body(lines=lines))

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": detail}
    assert counts() == before
    assert StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity == 10


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"sku": "TIDAK-ADA", "quantity": 1, "unit_price_idr": 1000}], {"lines": ["Unknown SKU: TIDAK-ADA."]}),
        (
            [{"sku": SKU, "quantity": 1, "unit_price_idr": 0}],
            {"lines": ["The price of SMP-BTK-001 must be more than Rp0."]},
        ),
        (
            [{"sku": SKU, "quantity": 1, "unit_price_idr": -5}],
            {"lines": ["The price of SMP-BTK-001 must be more than Rp0."]},
        ),
        (
            [{"sku": SKU, "quantity": 0, "unit_price_idr": 450_000}],
            {"lines": ["The quantity of SMP-BTK-001 must be at least 1."]},
        ),
        ([], {"lines": ["Add at least one item sold."]}),
    ],
)
def test_bad_lines_are_400_and_save_nothing(client, token_a, shop, lines, errors):
    # given
    before = counts()

    # when
    response = post(client, token_a, SALES, body(lines=lines))

    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "The data is not valid.", "errors": errors}
    assert counts() == before


def test_several_mistakes_are_reported_together(client, token_a, shop):
    # when
    response = post(
        client,
        token_a,
        SALES,
        body(
            channel="PASAR",
            commission_idr=1_000_000,
            lines=[
                {"sku": "TIDAK-ADA", "quantity": 1, "unit_price_idr": 1000},
                {"sku": SKU, "quantity": 1, "unit_price_idr": 0},
            ],
        ),
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "channel": ["Choose the channel the sale came through."],
        "lines": ["Unknown SKU: TIDAK-ADA.", "The price of SMP-BTK-001 must be more than Rp0."],
        "commission_idr": ["The commission must be between Rp0 and the sale's total."],
    }
    assert not Sale.objects.exists()


def test_unknown_location_and_buyer_are_400(client, token_a, shop, facility_b):
    # when: a facility is a tenant, not a buyer, and looks unknown
    response = post(client, token_a, SALES, body(location="tidak-ada", buyer="lapas-banyuwangi"))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "location": ["Unknown location “tidak-ada”. See GET /api/v1/locations."],
        "buyer": ["Unknown buyer “lapas-banyuwangi”: name an agency or an outlet."],
    }
    assert not Sale.objects.exists()


def test_a_sale_needs_a_rule_in_force_on_its_date(client, token_a, shop):
    # given
    before = counts()

    # when
    response = post(client, token_a, SALES, body(occurred_at="2023-05-01T09:00:00+07:00"))

    # then
    assert response.status_code == 400
    message = "Rutan Kelas IIB Sumenep has no split rule in force on 2023-05-01. Enter one before recording sales."
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines": [{"sku": SKU, "quantity": "dua", "unit_price_idr": 1}]}, "lines.0.quantity"),
        ({"occurred_at": "kemarin"}, "occurred_at"),
        ({"location": None}, "location"),
    ],
)
def test_malformed_body_is_422(client, token_a, shop, changes, field):
    # when
    response = post(client, token_a, SALES, body(**changes))

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not Sale.objects.exists()


# Scoping ----------------------------------------------------------------------------------------


def test_another_facility_cannot_sell_from_our_location(client, token_b, shop):
    # given
    before = counts()

    # when
    response = post(client, token_b, SALES, body())

    # then: A's location looks unknown to B
    assert response.status_code == 400
    assert response.json()["errors"] == {"location": [f"Unknown location “{SHOWROOM}”. See GET /api/v1/locations."]}
    assert counts() == before


def test_another_facility_cannot_sell_our_sku_from_its_location(client, token_b, shop, showroom_b):
    # when
    response = post(client, token_b, SALES, body(location=showroom_b.code))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"lines": ["Unknown SKU: SMP-BTK-001."]}
    assert not Sale.objects.exists()


def test_another_facility_cannot_see_or_reverse_our_sales(client, token_b, shop):
    # given
    sale = sell(shop)

    # when
    detail = get(client, token_b, f"{SALES}/{sale.number}")
    listing = get(client, token_b, SALES)
    reverse = post(client, token_b, f"{SALES}/{sale.number}/reverse")

    # then
    assert (detail.status_code, detail.json()) == (404, {"detail": "Not found"})
    assert listing.json() == {"count": 0, "page": 1, "page_size": 24, "items": []}
    assert (reverse.status_code, reverse.json()) == (404, {"detail": "Not found"})
    assert Sale.objects.get().status == "POSTED"


def test_a_regional_viewer_reads_sales_but_records_nothing(client, shop):
    # given a viewer at the Kanwil of the facility's province
    sale = sell(shop)
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim")
    token = token_for(kanwil, Role.REGIONAL_VIEWER)

    # when
    detail = get(client, token, f"{SALES}/{sale.number}")
    create = post(client, token, SALES, body())
    reverse = post(client, token, f"{SALES}/{sale.number}/reverse")

    # then
    assert detail.status_code == 200
    assert create.status_code == 403
    assert create.json() == {"detail": "You may not record sales for Rutan Kelas IIB Sumenep."}
    assert reverse.status_code == 403
    assert reverse.json() == {"detail": "You may not record returns for Rutan Kelas IIB Sumenep."}
    assert Sale.objects.count() == 1 and not SaleReturn.objects.exists()


def test_an_instructor_may_not_record_sales(client, shop):
    # when
    response = post(client, token_for(shop["org"], Role.INSTRUCTOR), SALES, body())

    # then
    assert response.status_code == 403
    assert not Sale.objects.exists()


def test_an_outlet_partner_sees_only_the_sales_at_its_outlet(client, token_a, shop):
    # given a consignment at the outlet, sold there, and a sale at the showroom
    gerai = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda", slug="gerai-dekranasda")
    outlet = location_create(actor=None, organization=shop["org"], name="Gerai Dekranasda", kind="OUTLET", outlet=gerai)
    make_lot(variant=shop["variant"], group=shop["group"], location=outlet, quantity=4, cost=600_000)
    at_outlet = sell(shop, quantity=1, location=outlet, channel="OUTLET", commission_idr=45_000)
    at_showroom = sell(shop, quantity=1)
    token = token_for(gerai, Role.OUTLET_PARTNER)

    # when
    listing = get(client, token, SALES)
    mine = get(client, token, f"{SALES}/{at_outlet.number}")
    theirs = get(client, token, f"{SALES}/{at_showroom.number}")
    create = post(client, token, SALES, body(location=outlet.code))

    # then
    assert [item["number"] for item in listing.json()["items"]] == [at_outlet.number]
    assert mine.status_code == 200
    assert theirs.status_code == 404
    assert create.status_code == 400  # the outlet's location is the facility's, not the partner's
    assert Sale.objects.count() == 2


# Reading sales ----------------------------------------------------------------------------------


def test_sale_list_filters_and_pages(client, token_a, shop):
    # given three sales, oldest first
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    first = sell(shop, quantity=1, occurred_at=datetime.datetime(2025, 8, 1, 10, tzinfo=jakarta))
    second = sell(shop, quantity=1, channel="WHATSAPP", occurred_at=datetime.datetime(2025, 8, 2, 10, tzinfo=jakarta))
    third = sell(shop, quantity=1, occurred_at=datetime.datetime(2025, 8, 3, 10, tzinfo=jakarta))

    # when
    everything = get(client, token_a, SALES)
    page_two = get(client, token_a, SALES, {"page": 2, "page_size": 2})
    whatsapp = get(client, token_a, SALES, {"channel": "whatsapp"})
    elsewhere = get(client, token_a, SALES, {"location": "tidak-ada"})
    too_far = get(client, token_a, SALES, {"page": 9})

    # then: newest first
    assert [item["number"] for item in everything.json()["items"]] == [third.number, second.number, first.number]
    assert everything.json()["items"][1] == {
        "number": second.number,
        "organization": "rutan-sumenep",
        "location": SHOWROOM,
        "channel": "WHATSAPP",
        "buyer": None,
        "buyer_name": "",
        "occurred_at": "2025-08-02T03:00:00Z",
        "total_idr": 450_000,
        "commission_idr": 0,
        "premi_idr": 150_000,
        "status": "POSTED",
    }
    assert page_two.json() | {"items": [i["number"] for i in page_two.json()["items"]]} == {
        "count": 3,
        "page": 2,
        "page_size": 2,
        "items": [first.number],
    }
    assert [item["number"] for item in whatsapp.json()["items"]] == [second.number]
    assert elsewhere.json()["count"] == 0
    assert too_far.json() | {"items": []} == {"count": 3, "page": 9, "page_size": 24, "items": []}


def test_sale_detail(client, token_a, shop):
    # given
    sale = sell(shop, quantity=3)

    # when
    response = get(client, token_a, f"{SALES}/{sale.number.lower()}")

    # then
    assert response.status_code == 200
    data = response.json()
    assert (data["number"], data["total_idr"], data["premi_idr"]) == (sale.number, 1_350_000, 450_000)
    assert data["lines"] == [
        {
            "sku": SKU,
            "product": "Kain Batik Tulis Motif Parang",
            "lot": shop["lot"].code,
            "quantity": 3,
            "returned_quantity": 0,
            "unit_price_idr": 450_000,
            "total_idr": 1_350_000,
            "price_reason": "",
        }
    ]


def test_unknown_sale_is_404(client, token_a, shop):
    # when
    response = get(client, token_a, f"{SALES}/PJ-X-2026-99999")

    # then
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_sale_detail_and_list_query_counts_do_not_grow_with_lines(client, django_assert_num_queries, staff_a, shop):
    # given a sale of two lots and two more sales
    make_lot(variant=shop["variant"], group=shop["group"], location=shop["showroom"], quantity=5, cost=500_000)
    sale = sell(shop, quantity=12)
    sell(shop, quantity=1)
    sell(shop, quantity=1)
    client.force_login(staff_a)

    # when / then: session, user, memberships, the sale, its lines (with variant, product and lot)
    with django_assert_num_queries(5):
        assert len(client.get(f"{SALES}/{sale.number}").json()["lines"]) == 2
    # session, user, memberships, the count, the page
    with django_assert_num_queries(5):
        assert client.get(SALES).json()["count"] == 3


# Returns ----------------------------------------------------------------------------------------


def test_reversing_a_whole_sale_gives_everything_back(client, token_a, shop):
    # given
    sale = sell(shop, quantity=2)

    # when
    response = post(client, token_a, f"{SALES}/{sale.number}/reverse", {"reason": "Dibatalkan pembeli"})

    # then
    assert response.status_code == 200
    data = response.json()
    assert data | {"occurred_at": None} == {
        "number": sale.number,
        "status": "REVERSED",
        "reason": "Dibatalkan pembeli",
        "occurred_at": None,
        "lines": [{"sku": SKU, "lot": shop["lot"].code, "quantity": 2, "unit_price_idr": 450_000}],
    }
    assert [maker_premi_owed(maker=m) for m in shop["members"]] == [0, 0, 0]
    assert StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity == 10
    assert get(client, token_a, f"{SALES}/{sale.number}").json()["lines"][0]["returned_quantity"] == 2


def test_reversing_without_a_body_is_the_whole_sale(client, token_a, shop):
    # given
    sale = sell(shop, quantity=2)

    # when
    response = client.post(f"{SALES}/{sale.number}/reverse", content_type="application/json", **bearer(token_a))

    # then
    assert (response.status_code, response.json()["status"]) == (200, "REVERSED")


@pytest.fixture
def two_lot_sale(shop):
    """12 units sold: 10 of the older lot, 2 of a newer one (Rp100.000 material a unit)."""
    newer = make_lot(
        variant=shop["variant"],
        group=shop["group"],
        location=shop["showroom"],
        quantity=5,
        cost=500_000,
        finished=datetime.date(2025, 9, 1),
    )
    return sell(shop, quantity=12), shop["lot"], newer


def test_a_sku_without_a_lot_is_returned_newest_lot_first(client, token_a, shop, two_lot_sale):
    # given
    sale, older, newer = two_lot_sale

    # when
    response = post(client, token_a, f"{SALES}/{sale.number}/reverse", {"lines": [{"sku": SKU, "quantity": 3}]})

    # then: both units of the newer lot, then one of the older
    assert response.status_code == 200
    assert response.json()["status"] == "PARTLY_REVERSED"
    assert response.json()["lines"] == [
        {"sku": SKU, "lot": older.code, "quantity": 1, "unit_price_idr": 450_000},
        {"sku": SKU, "lot": newer.code, "quantity": 2, "unit_price_idr": 450_000},
    ]
    assert StockBalance.objects.get(lot=newer, location=shop["showroom"]).quantity == 5
    assert StockBalance.objects.get(lot=older, location=shop["showroom"]).quantity == 1
    # premi given back: 1 × 150.000 (older) + 2 × 175.000 (newer) = 500.000 of the 1.850.000
    assert sum(maker_premi_owed(maker=m) for m in shop["members"]) == 1_350_000


def test_a_lot_can_be_named(client, token_a, shop, two_lot_sale):
    # given
    sale, older, _newer = two_lot_sale

    # when: codes are read forgivingly
    response = post(
        client,
        token_a,
        f"{SALES}/{sale.number}/reverse",
        {"lines": [{"sku": SKU, "lot": older.code.lower(), "quantity": 4}], "reason": "Cacat warna"},
    )

    # then
    assert response.status_code == 200
    assert response.json()["lines"] == [{"sku": SKU, "lot": older.code, "quantity": 4, "unit_price_idr": 450_000}]
    assert StockBalance.objects.get(lot=older, location=shop["showroom"]).quantity == 4


def test_returns_add_up_to_the_sale(client, token_a, shop, two_lot_sale):
    # given
    sale, _older, _newer = two_lot_sale
    url = f"{SALES}/{sale.number}/reverse"

    # when
    first = post(client, token_a, url, {"lines": [{"sku": SKU, "quantity": 5}, {"sku": SKU, "quantity": 5}]})
    second = post(client, token_a, url, {"lines": [{"sku": SKU, "quantity": 2}]})
    third = post(client, token_a, url)

    # then
    assert [r.status_code for r in (first, second, third)] == [200, 200, 400]
    assert second.json()["status"] == "REVERSED"
    assert third.json()["errors"] == {"__all__": [f"Sale {sale.number} has nothing left to return."]}
    assert [maker_premi_owed(maker=m) for m in shop["members"]] == [0, 0, 0]


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"sku": "TIDAK-ADA", "quantity": 1}], {"lines.0.sku": ["TIDAK-ADA is not on sale {number}."]}),
        (
            [{"sku": SKU, "lot": "ZZZZZZZ", "quantity": 1}],
            {"lines.0.lot": ["Lot ZZZZZZZ of SMP-BTK-001 is not on sale {number}."]},
        ),
        (
            [{"sku": SKU, "quantity": 13}],
            {"lines.0.quantity": ["At most 12 of SMP-BTK-001 can still be returned from sale {number}."]},
        ),
        (
            [{"sku": SKU, "quantity": 10}, {"sku": SKU, "quantity": 3}],
            {"lines.1.quantity": ["At most 2 of SMP-BTK-001 can still be returned from sale {number}."]},
        ),
        ([{"sku": SKU, "quantity": 0}], {"lines.0.quantity": ["Return at least one unit."]}),
        ([], {"lines": ["List what is returned, or leave lines out to return the whole sale."]}),
    ],
)
def test_bad_return_lines_are_400_and_change_nothing(client, token_a, shop, two_lot_sale, lines, errors):
    # given
    sale, _older, _newer = two_lot_sale
    entries = JournalEntry.objects.count()

    # when
    response = post(client, token_a, f"{SALES}/{sale.number}/reverse", {"lines": lines})

    # then
    assert response.status_code == 400
    expected = {field: [m.format(number=sale.number) for m in messages] for field, messages in errors.items()}
    assert response.json()["errors"] == expected
    assert not SaleReturn.objects.exists()
    assert JournalEntry.objects.count() == entries


def test_a_return_may_not_take_back_premi_already_paid(client, token_a, shop):
    # given
    sale = sell(shop, quantity=2)
    siti = shop["members"][0]
    premi_payout(actor=None, maker=siti, amount_idr=100_000, method="SAVINGS")

    # when
    response = post(client, token_a, f"{SALES}/{sale.number}/reverse")

    # then: a conflict with money already paid out, like paying out more than is owed
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Siti Aminah has already been paid premi from this sale; settle it before recording the return."
    }
    assert Sale.objects.get().status == "POSTED"
