"""The stock pages: balances with filters, totals, low stock, aging, stock opname and locations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binakarya.inventory.models import Location, StockBalance, StockCount, StockCountLine, StockMovement
from binakarya.inventory.services import location_create, stock_count_post, transfer_receive, transfer_send
from binakarya.organizations.models import Organization, Role
from binakarya.production.services import lot_tags_issue
from tests.backoffice.helpers import text
from tests.factories import MembershipFactory, OrganizationFactory, ProductFactory, VariantFactory, make_lot

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2025, 6, 1)


@pytest.fixture
def stocked(facility_a, group_a, producer_a, membership_a, batik):
    """Rutan Sumenep: a batik with two lots (10 in the store; 3 in the showroom) and a pecut with 2 in the store."""
    batik_cloth = ProductFactory(producer=producer_a, category=batik, name="Kain Batik Sekar Jagad", variants=[])
    cloth = VariantFactory(product=batik_cloth, sku="SMP-BTK-001", price_idr=450_000)
    scarf = VariantFactory(
        product=ProductFactory(producer=producer_a, category=batik, name="Selendang Batik", variants=[]),
        sku="SMP-BTK-002",
        price_idr=150_000,
    )
    store = location_create(actor=None, organization=facility_a, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility_a, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    old = make_lot(variant=cloth, group=group_a, location=showroom, quantity=3, finished=JUNE)
    new = make_lot(variant=cloth, group=group_a, location=store, quantity=10, finished=datetime.date(2025, 8, 1))
    scarves = make_lot(variant=scarf, group=group_a, location=store, quantity=2, finished=datetime.date(2025, 7, 1))
    return {
        "cloth": cloth,
        "scarf": scarf,
        "store": store,
        "showroom": showroom,
        "old": old,
        "new": new,
        "scarves": scarves,
    }


@pytest.fixture
def stocked_b(facility_b, group_b, producer_b, membership_b, pecut):
    variant = VariantFactory(
        product=ProductFactory(producer=producer_b, category=pecut, name="Pecut Bondowoso", variants=[]),
        sku="BDW-PCT-001",
    )
    store = location_create(actor=None, organization=facility_b, name="Gudang Bondowoso", kind=Location.Kind.STORE)
    lot = make_lot(variant=variant, group=group_b, location=store, quantity=1, finished=JUNE)
    return {"variant": variant, "store": store, "lot": lot}


def rows(response) -> list[tuple[str, str, str, int]]:
    return [(b.variant.sku, b.lot.code, b.location.name, b.quantity) for b in response.context["page"].object_list]


def test_the_stock_page_lists_balances_totals_and_low_stock(client_a, stocked, stocked_b):
    # when
    response = client_a.get(reverse("backoffice:stock"))

    # then
    assert response.status_code == 200
    assert rows(response) == [
        ("SMP-BTK-001", stocked["new"].code, "Gudang", 10),
        ("SMP-BTK-001", stocked["old"].code, "Ruang Pamer", 3),
        ("SMP-BTK-002", stocked["scarves"].code, "Gudang", 2),
    ]
    assert response.context["units"] == 15
    assert [(t["location_name"], t["units"]) for t in response.context["totals"]] == [
        ("Gudang", 12),
        ("Ruang Pamer", 3),
    ]
    assert [(v.sku, v.stock_quantity) for v in response.context["low_stock"]] == [("SMP-BTK-002", 2)]
    body = response.content.decode()
    for secret in ("BDW-PCT-001", "Gudang Bondowoso", stocked_b["lot"].code, "Pecut Bondowoso"):
        assert secret not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sku": "smp-btk-002"}, ["scarves"]),
        ({"produk": "sekar"}, ["new", "old"]),
        ({"lokasi": "LOCATION:showroom"}, ["old"]),
        ({"lot": "LOT:new"}, ["new"]),
        ({"sku": "SMP-BTK-001", "lokasi": "LOCATION:store"}, ["new"]),
    ],
    ids=["sku", "product text", "location", "lot", "sku and location"],
)
def test_the_stock_filters(client_a, stocked, params, expected):
    # given
    query = {}
    for key, value in params.items():
        if value.startswith("LOCATION:"):
            value = stocked[value.split(":")[1]].code
        elif value.startswith("LOT:"):
            value = stocked[value.split(":")[1]].code.lower()
        query[key] = value

    # when
    response = client_a.get(reverse("backoffice:stock"), query)

    # then
    assert [code for _sku, code, _loc, _q in rows(response)] == [stocked[name].code for name in expected]


def test_filtering_by_another_facilitys_location_shows_nothing(client_a, stocked, stocked_b):
    # when
    response = client_a.get(reverse("backoffice:stock"), {"lokasi": stocked_b["store"].code})

    # then
    assert list(response.context["page"].object_list) == []
    assert response.context["form"].errors == {
        "lokasi": [
            text("Select a valid choice. %(value)s is not one of the available choices.", value=stocked_b["store"].code)
        ]
    }


def test_stock_aging_counts_days_since_production_and_at_the_location(client_a, stocked):
    # given the three-unit lot moves on to the store today
    transfer = transfer_send(
        actor=None, from_location=stocked["showroom"], to_location=stocked["store"], lines=[(stocked["cloth"], 3)]
    )
    transfer_receive(actor=None, transfer=transfer)
    today = timezone.localdate()

    # when
    response = client_a.get(reverse("backoffice:stock_aging"))

    # then
    assert [
        (r.balance.lot.code, r.balance.location.name, r.balance.quantity, r.days_since_production, r.days_at_location)
        for r in response.context["page"].object_list
    ] == [
        (stocked["old"].code, "Gudang", 3, (today - JUNE).days, 0),
        (stocked["scarves"].code, "Gudang", 2, (today - datetime.date(2025, 7, 1)).days, 0),
        (stocked["new"].code, "Gudang", 10, (today - datetime.date(2025, 8, 1)).days, 0),
    ]


# Stock opname -------------------------------------------------------------------------------------


def test_the_count_page_lists_every_lot_with_its_book_quantity(client_a, stocked):
    # when
    response = client_a.get(reverse("backoffice:stock_count", args=[stocked["store"].code]))

    # then
    assert [(b.lot.code, b.quantity, field.name) for b, field in response.context["form"].count_rows()] == [
        (stocked["new"].code, 10, f"lot_{stocked['new'].pk}"),
        (stocked["scarves"].code, 2, f"lot_{stocked['scarves'].pk}"),
    ]


def test_a_stock_count_posts_the_variance(client_a, stocked, staff_a):
    # given 9 batik cloths on the shelf where the book says 10; the scarves were not counted
    url = reverse("backoffice:stock_count", args=[stocked["store"].code])

    # when
    response = client_a.post(url, {f"lot_{stocked['new'].pk}": "9", f"lot_{stocked['scarves'].pk}": "", "note": "Juni"})

    # then
    count = StockCount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:stock_count_detail", args=[count.pk])
    assert (count.location, count.counted_by, count.note) == (stocked["store"], staff_a, "Juni")
    assert list(StockCountLine.objects.values_list("lot", "book_quantity", "counted_quantity")) == [
        (stocked["new"].pk, 10, 9)
    ]
    assert list(StockMovement.objects.filter(kind="COUNTED").values_list("lot", "quantity")) == [
        (stocked["new"].pk, -1)
    ]
    assert StockBalance.objects.get(lot=stocked["new"]).quantity == 9
    assert StockBalance.objects.get(lot=stocked["scarves"]).quantity == 2

    detail = client_a.get(response["Location"])
    assert detail.context["variance"] == -1
    assert [line.variance for line in detail.context["changed"]] == [-1]
    assert '<dd data-testid="variance">-1</dd>' in detail.content.decode()


def test_a_count_with_nothing_typed_saves_nothing(client_a, stocked):
    # given
    before = (StockCount.objects.count(), StockMovement.objects.count())

    # when
    response = client_a.post(reverse("backoffice:stock_count", args=[stocked["store"].code]), {})

    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [text("Enter at least one counted quantity.")]
    assert (StockCount.objects.count(), StockMovement.objects.count()) == before


def test_an_auditor_sees_the_count_page_but_may_not_post(client, facility_a, stocked):
    # given
    client.force_login(MembershipFactory(organization=facility_a, role=Role.AUDITOR).user)
    url = reverse("backoffice:stock_count", args=[stocked["store"].code])

    # when
    page = client.get(url)
    post = client.post(url, {f"lot_{stocked['new'].pk}": "0"})

    # then
    assert (page.status_code, page.context["can_manage"]) == (200, False)
    assert post.status_code == 403
    assert StockCount.objects.count() == 0
    assert StockBalance.objects.get(lot=stocked["new"]).quantity == 10


# Locations ----------------------------------------------------------------------------------------


def test_the_locations_page_lists_locations_with_their_units(client_a, stocked, stocked_b):
    # when
    response = client_a.get(reverse("backoffice:locations"))

    # then
    assert [(loc.name, loc.kind, loc.units) for loc in response.context["locations"]] == [
        ("Ruang Pamer", "SHOWROOM", 3),
        ("Gudang", "STORE", 12),
    ]
    assert "Gudang Bondowoso" not in response.content.decode()


def test_a_consignment_outlet_location_is_added(client_a, facility_a):
    # given
    gerai = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda Sumenep")

    # when
    response = client_a.post(
        reverse("backoffice:locations"),
        {"organization": facility_a.pk, "name": "Gerai Dekranasda", "kind": "OUTLET", "outlet": gerai.pk},
    )

    # then
    location = Location.objects.get()
    assert response.status_code == 302
    assert (location.organization, location.name, location.kind, location.outlet) == (
        facility_a,
        "Gerai Dekranasda",
        "OUTLET",
        gerai,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "Gerai", "kind": "OUTLET"},
            "outlet",
            "An outlet location must name the outlet that holds the stock.",
        ),
        ({"name": "Gudang", "kind": "STORE", "outlet": "OUTLET"}, "outlet", "Only an outlet location names an outlet."),
        ({"name": "  ", "kind": "STORE"}, "name", "This field is required."),
    ],
    ids=["outlet without its outlet", "store with an outlet", "no name"],
)
def test_a_refused_location_saves_nothing(client_a, facility_a, data, field, message):
    # given
    gerai = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda Sumenep")
    if data.get("outlet") == "OUTLET":
        data = data | {"outlet": gerai.pk}

    # when
    response = client_a.post(reverse("backoffice:locations"), data | {"organization": facility_a.pk})

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [text(message)]}
    assert Location.objects.count() == 0


def test_a_location_is_added_only_to_ones_own_organization(client_a, facility_b):
    # when
    response = client_a.post(
        reverse("backoffice:locations"), {"organization": facility_b.pk, "name": "Gudang", "kind": "STORE"}
    )

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organization"]
    assert Location.objects.count() == 0


# Another facility ---------------------------------------------------------------------------------


def test_another_facilitys_stock_rows_are_not_found(client, staff_b, stocked, stocked_b):
    # given
    client.force_login(staff_b)
    count_before = (StockCount.objects.count(), StockMovement.objects.count())

    # when
    stock = client.get(reverse("backoffice:stock"))
    aging = client.get(reverse("backoffice:stock_aging"))
    locations = client.get(reverse("backoffice:locations"))
    count_page = client.get(reverse("backoffice:stock_count", args=[stocked["store"].code]))
    count_post = client.post(
        reverse("backoffice:stock_count", args=[stocked["store"].code]), {f"lot_{stocked['new'].pk}": "0"}
    )
    by_lot = client.get(reverse("backoffice:stock"), {"lot": stocked["new"].code})

    # then
    assert rows(stock) == [("BDW-PCT-001", stocked_b["lot"].code, "Gudang Bondowoso", 1)]
    assert [r.balance.lot_id for r in aging.context["page"].object_list] == [stocked_b["lot"].pk]
    assert [loc.name for loc in locations.context["locations"]] == ["Gudang Bondowoso"]
    assert (count_page.status_code, count_post.status_code) == (404, 404)
    assert list(by_lot.context["page"].object_list) == []
    body = stock.content.decode() + aging.content.decode() + locations.content.decode()
    for secret in ("SMP-BTK-001", "Kain Batik Sekar Jagad", stocked["new"].code, stocked["showroom"].code):
        assert secret not in body
    assert (StockCount.objects.count(), StockMovement.objects.count()) == count_before


def test_another_facilitys_count_result_is_not_found(client, staff_b, client_a, stocked):
    # given
    client_a.post(reverse("backoffice:stock_count", args=[stocked["store"].code]), {f"lot_{stocked['new'].pk}": "10"})
    count = StockCount.objects.get()
    client.force_login(staff_b)

    # when
    response = client.get(reverse("backoffice:stock_count_detail", args=[count.pk]))

    # then
    assert response.status_code == 404


def test_an_outlet_partner_does_not_get_the_stock_pages(client, stocked):
    # given
    gerai = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda Sumenep")
    client.force_login(MembershipFactory(organization=gerai, role=Role.OUTLET_PARTNER).user)

    # when
    responses = [client.get(reverse(name)) for name in ("backoffice:stock", "backoffice:lots", "backoffice:transfers")]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_production_and_stock_page_renders_with_the_staff_menu(client_a, stocked, language):
    # given a transfer, a tag sheet and a stock count
    transfer = transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(stocked["scarf"], 1)]
    )
    sheet = lot_tags_issue(actor=None, lot=stocked["new"], count=2)
    count = stock_count_post(actor=None, location=stocked["store"], counted={stocked["new"].pk: 10})
    with translation.override(language):
        urls = [
            reverse("backoffice:lots"),
            reverse("backoffice:lots") + "?q=sekar",
            reverse("backoffice:lot_create"),
            reverse("backoffice:lot_detail", args=[stocked["new"].code]),
            reverse("backoffice:stock"),
            reverse("backoffice:stock") + f"?lokasi={stocked['store'].code}&sku=SMP-BTK-001",
            reverse("backoffice:stock_aging"),
            reverse("backoffice:stock_count", args=[stocked["store"].code]),
            reverse("backoffice:stock_count_detail", args=[count.pk]),
            reverse("backoffice:locations"),
            reverse("backoffice:transfers"),
            reverse("backoffice:transfer_create"),
            reverse("backoffice:transfer_detail", args=[transfer.number]),
        ]
        menu = [reverse(name) for name in ("backoffice:lots", "backoffice:stock", "backoffice:transfers")]

    # when
    responses = [client_a.get(url) for url in urls]

    # then
    assert [(url, r.status_code) for url, r in zip(urls, responses, strict=True)] == [(url, 200) for url in urls]
    for response in responses:
        body = response.content.decode()
        assert f'<html lang="{language}">' in body
        assert "css/staff.css" in body
        for href in menu:
            assert f'href="{href}"' in body
    assert sheet.number in responses[3].content.decode()


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("backoffice:lots", [], "get"),
        ("backoffice:lot_create", [], "get"),
        ("backoffice:lot_detail", ["ABCDEFG"], "get"),
        ("backoffice:lot_tags", ["ABCDEFG"], "post"),
        ("backoffice:lot_tags_pdf", ["ABCDEFG", 1], "get"),
        ("backoffice:lot_adjust", ["ABCDEFG"], "post"),
        ("backoffice:movement_reverse", ["ABCDEFG", 1], "post"),
        ("backoffice:stock", [], "get"),
        ("backoffice:stock_aging", [], "get"),
        ("backoffice:stock_count", ["gudang"], "get"),
        ("backoffice:stock_count_detail", [1], "get"),
        ("backoffice:locations", [], "get"),
        ("backoffice:transfers", [], "get"),
        ("backoffice:transfer_create", [], "get"),
        ("backoffice:transfer_detail", ["SJ-SMP-2026-00001"], "get"),
        ("backoffice:transfer_receive", ["SJ-SMP-2026-00001"], "post"),
        ("backoffice:transfer_pdf", ["SJ-SMP-2026-00001"], "get"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_login(client, name, args, method):
    # given
    url = reverse(name, args=args)

    # when
    response = getattr(client, method)(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
