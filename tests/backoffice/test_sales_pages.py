"""Recording sales from the staff pages, the list and a sale's page, and returns; who sees and records what.

The shop: Kelompok Batik Tulis of Rutan Sumenep (facility A), three makers with one share each, a 10-unit lot
costing Rp1.500.000 (Rp150.000 a unit) in the showroom, and the 50/35/15 margin rule. Selling 2 at Rp450.000:
gross 900.000, margin 600.000, premi 300.000 (100.000 a maker), capital 210.000 + material 300.000, PNBP 90.000.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binakarya.documents.models import Document, NumberSequence
from binakarya.inventory.models import Location, StockBalance, StockMovement
from binakarya.inventory.services import location_create
from binakarya.ledger.models import JournalEntry, JournalLine, Payout
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import premi_payout, split_rule_create
from binakarya.organizations.models import Organization, Role
from binakarya.sales.models import Sale, SaleLine, SaleReturn
from binakarya.sales.services import SaleLineInput, sale_record
from tests.backoffice.helpers import text
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

MAKER_NAMES = ["Ahmad Rahasia", "Budi Tersembunyi", "Citra Samaran"]
LEGAL_REFERENCE = "SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja"
LINES = "baris"


def make_shop(facility: Organization, *, sku: str = "SMP-BTK-001", names: list[str] = MAKER_NAMES) -> dict:
    """A group of three makers (one share each), a 10-unit lot costing Rp1.500.000 in the showroom, the 50/35/15 rule."""
    group = GroupFactory(organization=facility, name=f"Kelompok Batik Tulis {facility.code}")
    producer = ProducerFactory(group=group)
    members = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name in names
    ]
    product = ProductFactory(producer=producer, name="Kain Batik Sekar Jagad", variants=[])
    variant = VariantFactory(product=product, sku=sku, price_idr=450_000)
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    lot = make_lot(variant=variant, group=group, location=showroom, quantity=10, cost=1_500_000, makers=members)
    rule = split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference=LEGAL_REFERENCE,
    )
    return {
        "org": facility,
        "group": group,
        "members": members,
        "variant": variant,
        "store": store,
        "showroom": showroom,
        "lot": lot,
        "rule": rule,
    }


def sell(shop: dict, quantity: int = 2, price: int = 450_000, **kwargs) -> Sale:
    return sale_record(
        actor=None,
        location=kwargs.pop("location", shop["showroom"]),
        channel=kwargs.pop("channel", "POS"),
        lines=[SaleLineInput(shop["variant"].sku, quantity, price)],
        **kwargs,
    )


def user_with(organization: Organization, role: str, username: str | None = None):
    kwargs = {"username": username} if username else {}
    return MembershipFactory(user=UserFactory(**kwargs), organization=organization, role=role).user


def sale_data(shop: dict, *lines, location=None, **fields) -> dict:
    """A posted sale form: ``lines`` are (variant or None, quantity, unit price or "")."""
    data = {
        "location": (location or shop["showroom"]).pk,
        "channel": fields.pop("channel", "POS"),
        "buyer": fields.pop("buyer", ""),
        "buyer_name": fields.pop("buyer_name", ""),
        "commission_idr": fields.pop("commission_idr", ""),
        "sold_on": fields.pop("sold_on", ""),
        f"{LINES}-TOTAL_FORMS": str(len(lines)),
        f"{LINES}-INITIAL_FORMS": "0",
        f"{LINES}-MIN_NUM_FORMS": "0",
        f"{LINES}-MAX_NUM_FORMS": "30",
        **fields,
    }
    for i, (variant, quantity, price) in enumerate(lines):
        data[f"{LINES}-{i}-variant"] = variant.pk if variant else ""
        data[f"{LINES}-{i}-quantity"] = str(quantity)
        data[f"{LINES}-{i}-unit_price_idr"] = str(price)
    return data


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Sale,
            SaleLine,
            SaleReturn,
            JournalEntry,
            JournalLine,
            StockMovement,
            Document,
            Payout,
        )
    ) + (sum(NumberSequence.objects.values_list("last_value", flat=True)),)


def owed(shop: dict) -> list[int]:
    return [maker_premi_owed(maker=m) for m in shop["members"]]


def on_hand(shop: dict) -> int:
    return StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def shop_b(facility_b):
    return make_shop(facility_b, sku="BDW-PCT-001", names=["Dedi Rahasia", "Eko Rahasia", "Fajar Rahasia"])


@pytest.fixture
def finance(facility_a):
    return user_with(facility_a, Role.FINANCE_OFFICER, "keuangan")


@pytest.fixture
def client_finance(client, finance):
    client.force_login(finance)
    return client


# Recording a sale -------------------------------------------------------------------------------


def test_the_form_sells_from_the_showroom_and_says_what_it_holds(client_finance, shop):
    # when
    response = client_finance.get(reverse("backoffice:sale_create"))

    # then
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form.initial["location"] == shop["showroom"].pk
    assert form.initial["channel"] == "POS"
    choices = list(formset.forms[0].fields["variant"].widget.choices)
    assert choices[1] == (shop["variant"].pk, "SMP-BTK-001 · Kain Batik Sekar Jagad · Rp450.000 — Ruang Pamer 10")
    assert len(choices) == 2


def test_the_store_holds_nothing_so_no_product_is_offered_there(client_finance, shop):
    # when
    response = client_finance.get(reverse("backoffice:sale_create"), {"location": shop["store"].pk})

    # then
    assert list(response.context["formset"].forms[0].fields["variant"].widget.choices) == [("", "—")]
    assert text("%(location)s holds nothing to sell. Send stock there first (Transfers).", location="Gudang") in (
        response.content.decode()
    )


def test_a_finance_officer_records_a_sale_and_each_maker_earns_their_premi(client_finance, shop, finance):
    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 2, 450_000), buyer_name="Bu Sari")
    )

    # then
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:sale_detail", args=[sale.number])
    assert (sale.gross_idr, sale.commission_idr, sale.premi_idr) == (900_000, 0, 300_000)
    assert (sale.channel, sale.location, sale.buyer_name, sale.created_by) == (
        "POS",
        shop["showroom"],
        "Bu Sari",
        finance,
    )
    assert owed(shop) == [100_000, 100_000, 100_000]
    assert on_hand(shop) == 8
    assert list(sale.lines.values_list("lot", "quantity", "unit_price_idr", "split_rule")) == [
        (shop["lot"].pk, 2, 450_000, shop["rule"].pk)
    ]


def test_a_price_left_empty_is_the_products_price(client_finance, shop):
    # when
    client_finance.post(reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 3, "")))

    # then
    sale = Sale.objects.get()
    assert (sale.gross_idr, sale.premi_idr) == (1_350_000, 450_000)
    assert owed(shop) == [150_000, 150_000, 150_000]


def test_an_outlet_sell_through_report_with_commission_and_a_past_date(client_finance, shop, facility_a):
    # given five units consigned to the Dekranasda gallery
    gallery = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Galeri Dekranasda Sumenep", slug="galeri")
    outlet = location_create(
        actor=None, organization=facility_a, name="Gerai Dekranasda", kind=Location.Kind.OUTLET, outlet=gallery
    )
    make_lot(variant=shop["variant"], group=shop["group"], location=outlet, quantity=5, cost=750_000)
    sold_on = timezone.localdate() - datetime.timedelta(days=3)

    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"),
        sale_data(
            shop,
            (shop["variant"], 2, 450_000),
            location=outlet,
            channel="OUTLET",
            buyer=gallery.pk,
            commission_idr=90_000,
            sold_on=sold_on.isoformat(),
        ),
    )

    # then margin 900.000 - 90.000 - 300.000 = 510.000; premi 255.000 (85.000 each)
    assert response.status_code == 302
    sale = Sale.objects.get()
    assert (sale.commission_idr, sale.premi_idr, sale.buyer, sale.channel) == (90_000, 255_000, gallery, "OUTLET")
    assert timezone.localdate(sale.occurred_at) == sold_on
    assert owed(shop) == [85_000, 85_000, 85_000]


def test_more_than_the_location_holds_is_refused_next_to_the_line_and_nothing_is_saved(client_finance, shop):
    # given
    before = counts()

    # when six and six of the same SKU: twelve asked for, ten held
    response = client_finance.post(
        reverse("backoffice:sale_create"),
        sale_data(shop, (shop["variant"], 6, 450_000), (shop["variant"], 6, 450_000)),
    )

    # then
    assert response.status_code == 200
    first, second = response.context["formset"].forms[:2]
    message = text(
        "%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.",
        location="Ruang Pamer",
        available=10,
        sku="SMP-BTK-001",
        wanted=12,
    )
    assert first.errors == {"quantity": [message]}
    assert second.errors == {}
    assert counts() == before
    assert on_hand(shop) == 10


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ((2, 0), "unit_price_idr", "The price of %(sku)s must be more than Rp0."),
        ((0, 450_000), "quantity", "The quantity of %(sku)s must be at least 1."),
    ],
)
def test_a_bad_line_is_refused_next_to_its_field(client_finance, shop, line, field, message):
    # given
    before = counts()

    # when
    response = client_finance.post(reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], *line)))

    # then
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {field: [text(message, sku="SMP-BTK-001")]}
    assert counts() == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"commission_idr": 900_001}, "commission_idr", "The commission must be between Rp0 and the sale's total."),
        ({"sold_on": "2999-01-01"}, "sold_on", "A sale cannot be recorded in the future."),
    ],
)
def test_sale_record_errors_are_shown_by_field(client_finance, shop, fields, field, message):
    # given
    before = counts()

    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 2, 450_000), **fields)
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [text(message)]}
    assert counts() == before


def test_a_sale_without_lines_is_refused(client_finance, shop):
    # given
    before = counts()

    # when
    response = client_finance.post(reverse("backoffice:sale_create"), sale_data(shop, (None, "", "")))

    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [text("Add at least one item sold.")]
    assert counts() == before


def test_a_sale_needs_a_split_rule_in_force(client_finance, shop):
    # given
    before = counts()

    # when sold in 2023, before the rule's date
    response = client_finance.post(
        reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 1, 450_000), sold_on="2023-06-01")
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        text(
            "%(org)s has no split rule in force on %(date)s. Enter one before recording sales.",
            org=shop["org"].name,
            date="2023-06-01",
        )
    ]
    assert counts() == before


def test_picking_a_product_fills_its_price_and_saves_nothing(client_finance, shop):
    # given a line whose product was just picked, as htmx sends it
    data = sale_data(shop, (shop["variant"], 1, ""), _refresh="1")
    before = counts()

    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"), data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=f"{LINES}-0-variant"
    )

    # then only the form comes back, with the product's price
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "backoffice/includes/sale_form.html"
    line = response.context["formset"].forms[0]
    assert line.initial == {"variant": str(shop["variant"].pk), "quantity": "1", "unit_price_idr": 450_000}
    assert not response.context["form"].errors
    assert "<h1>" not in response.content.decode()
    assert counts() == before


def test_choosing_an_outlet_location_chooses_the_outlets_channel(client_finance, shop, facility_a):
    # given
    gallery = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Galeri Dekranasda", slug="galeri")
    outlet = location_create(
        actor=None, organization=facility_a, name="Gerai Dekranasda", kind=Location.Kind.OUTLET, outlet=gallery
    )
    make_lot(variant=shop["variant"], group=shop["group"], location=outlet, quantity=4, cost=600_000)
    data = sale_data(shop, (None, "", ""), location=outlet, _refresh="1")

    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"), data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="location"
    )

    # then
    assert response.context["form"].initial["channel"] == "OUTLET"
    choices = list(response.context["formset"].forms[0].fields["variant"].widget.choices)
    assert choices[1][1].endswith("— Gerai Dekranasda 4")


def test_add_a_line_keeps_what_was_typed(client_finance, shop):
    # when (without JavaScript: a plain POST of the button)
    response = client_finance.post(
        reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 2, 400_000), _add_line="1")
    )

    # then
    forms = response.context["formset"].forms
    assert len(forms) == 2
    assert forms[0].initial["unit_price_idr"] == "400000"
    assert Sale.objects.count() == 0


# The list and a sale's page ---------------------------------------------------------------------


def test_the_list_filters_by_location_channel_and_date(client_finance, shop, facility_a):
    # given
    old = sell(shop, 1, occurred_at=timezone.make_aware(datetime.datetime(2025, 3, 1, 10)))
    recent = sell(shop, 2, channel="WHATSAPP")
    url = reverse("backoffice:sales")

    # when
    everything = client_finance.get(url)
    whatsapp = client_finance.get(url, {"kanal": "WHATSAPP"})
    march = client_finance.get(url, {"dari": "2025-03-01", "sampai": "2025-03-31"})
    store = client_finance.get(url, {"lokasi": shop["store"].code})

    # then
    assert [s.number for s in everything.context["page"].object_list] == [recent.number, old.number]
    assert everything.context["totals"] == {"count": 2, "gross": 1_350_000, "premi": 450_000}
    assert [s.number for s in whatsapp.context["page"].object_list] == [recent.number]
    assert [s.number for s in march.context["page"].object_list] == [old.number]
    assert list(store.context["page"].object_list) == []


def test_a_sales_page_shows_lots_premi_and_where_the_money_went(client_finance, shop):
    # given
    sale = sell(shop, 2)

    # when
    response = client_finance.get(reverse("backoffice:sale_detail", args=[sale.number]))

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert shop["lot"].code in body
    assert 'data-testid="premi"><strong>Rp300.000</strong>' in body
    assert 'data-testid="total"><strong>Rp900.000</strong>' in body
    journal = {row["label"]: row["posted_idr"] for row in response.context["journal"]}
    premi = str(text("Premi payable"))
    assert journal == {
        str(text("Cash")): 900_000,
        f"{text('Capital fund')} · {shop['group'].name}": -510_000,
        f"{premi} · Ahmad Rahasia": -100_000,
        f"{premi} · Budi Tersembunyi": -100_000,
        f"{premi} · Citra Samaran": -100_000,
        str(text("PNBP payable")): -90_000,
    }
    assert sum(journal.values()) == 0
    assert response.context["return_form"] is not None


def test_a_lowercase_number_goes_to_the_sale(client_finance, shop):
    sale = sell(shop, 1)

    response = client_finance.get(reverse("backoffice:sale_detail", args=[sale.number.lower()]))

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:sale_detail", args=[sale.number])


# Returns ----------------------------------------------------------------------------------------


def test_returning_one_unit_then_the_rest_gives_back_the_same_premi(client_finance, shop):
    # given
    sale = sell(shop, 2)
    line = sale.lines.get()
    url = reverse("backoffice:sale_return", args=[sale.number])

    # when one unit comes back
    response = client_finance.post(url, {f"line_{line.pk}": "1", "reason": "rusak"})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:sale_detail", args=[sale.number]) + "#returns"
    sale.refresh_from_db()
    assert sale.status == Sale.Status.PARTLY_REVERSED
    assert owed(shop) == [50_000, 50_000, 50_000]
    assert on_hand(shop) == 9
    assert SaleReturn.objects.get().reason == "rusak"

    # when the rest of the sale is returned
    response = client_finance.post(url, {"_all": "1", "reason": "dibatalkan"})

    # then
    sale.refresh_from_db()
    assert sale.status == Sale.Status.REVERSED
    assert owed(shop) == [0, 0, 0]
    assert on_hand(shop) == 10
    page = client_finance.get(reverse("backoffice:sale_detail", args=[sale.number]))
    assert page.context["return_form"] is None
    assert [row["net_idr"] for row in page.context["journal"]] == [0] * 6


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3", "At most %(left)s of lot %(lot)s can still be returned."),
        ("", "Type how many units come back, or return the whole sale."),
    ],
)
def test_a_bad_return_is_refused_and_nothing_is_saved(client_finance, shop, typed, message):
    # given
    sale = sell(shop, 2)
    line = sale.lines.get()
    before = counts()

    # when
    response = client_finance.post(reverse("backoffice:sale_return", args=[sale.number]), {f"line_{line.pk}": typed})

    # then
    assert response.status_code == 200
    assert response.context["return_form"].non_field_errors() == [text(message, left=2, lot=shop["lot"].code)]
    assert counts() == before
    assert Sale.objects.get().status == Sale.Status.POSTED


def test_a_return_of_premi_already_paid_out_is_refused(client_finance, shop):
    # given the first maker has been paid all of their premi
    sale = sell(shop, 2)
    premi_payout(actor=None, maker=shop["members"][0], amount_idr=100_000, method="SAVINGS")
    before = counts()

    # when
    response = client_finance.post(reverse("backoffice:sale_return", args=[sale.number]), {"_all": "1"})

    # then
    assert response.status_code == 200
    assert response.context["return_form"].non_field_errors() == [
        text(
            "%(name)s has already been paid premi from this sale; settle it before recording the return.",
            name="Ahmad Rahasia",
        )
    ]
    assert counts() == before


# Who sees and records what ----------------------------------------------------------------------


def test_another_facilitys_sales_are_never_seen(client, shop, shop_b, staff_b):
    # given
    sale_a = sell(shop, 2)
    sale_b = sell(shop_b, 1)
    client.force_login(staff_b)
    before = counts()

    # when
    listing = client.get(reverse("backoffice:sales"))
    detail = client.get(reverse("backoffice:sale_detail", args=[sale_a.number]))
    returned = client.post(reverse("backoffice:sale_return", args=[sale_a.number]), {"_all": "1"})
    form = client.get(reverse("backoffice:sale_create"))

    # then
    assert [s.number for s in listing.context["page"].object_list] == [sale_b.number]
    assert sale_a.number not in listing.content.decode()
    assert (detail.status_code, returned.status_code) == (404, 404)
    offered = {loc.pk for loc in form.context["form"].fields["location"].queryset}
    assert offered == {shop_b["store"].pk, shop_b["showroom"].pk}
    assert counts() == before


def test_another_facilitys_location_or_product_cannot_be_sold(client, shop, shop_b, staff_b):
    # given
    client.force_login(staff_b)
    before = counts()

    # when B posts A's showroom, and B's showroom with A's product
    at_a = client.post(reverse("backoffice:sale_create"), sale_data(shop, (shop_b["variant"], 1, 1000)))
    a_product = client.post(
        reverse("backoffice:sale_create"), sale_data(shop_b, (shop["variant"], 1, 1000), location=shop_b["showroom"])
    )

    # then
    assert at_a.status_code == 200 and "location" in at_a.context["form"].errors
    assert a_product.status_code == 200 and "variant" in a_product.context["formset"].forms[0].errors
    assert counts() == before
    assert on_hand(shop) == 10


def test_an_auditor_sees_sales_but_records_none(client, shop, facility_a):
    # given
    sale = sell(shop, 2)
    client.force_login(user_with(facility_a, Role.AUDITOR))
    before = counts()

    # when
    detail = client.get(reverse("backoffice:sale_detail", args=[sale.number]))
    form = client.get(reverse("backoffice:sale_create"))
    record = client.post(reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 1, 450_000)))
    returned = client.post(reverse("backoffice:sale_return", args=[sale.number]), {"_all": "1"})

    # then
    assert detail.status_code == 200
    assert detail.context["return_form"] is None
    assert detail.context["journal"] is not None
    assert (form.status_code, record.status_code, returned.status_code) == (403, 403, 403)
    assert counts() == before


def test_an_outlet_partner_sees_only_their_outlets_sales_without_the_books(client, shop, facility_a):
    # given a sale at the gallery's consignment location, and one at the showroom
    gallery = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Galeri Dekranasda", slug="galeri")
    outlet = location_create(
        actor=None, organization=facility_a, name="Gerai Dekranasda", kind=Location.Kind.OUTLET, outlet=gallery
    )
    make_lot(variant=shop["variant"], group=shop["group"], location=outlet, quantity=3, cost=450_000)
    at_outlet = sell(shop, 1, location=outlet, channel="OUTLET")
    at_showroom = sell(shop, 1)
    client.force_login(user_with(gallery, Role.OUTLET_PARTNER))

    # when
    listing = client.get(reverse("backoffice:sales"))
    detail = client.get(reverse("backoffice:sale_detail", args=[at_outlet.number]))
    other = client.get(reverse("backoffice:sale_detail", args=[at_showroom.number]))
    form = client.get(reverse("backoffice:sale_create"))

    # then
    assert [s.number for s in listing.context["page"].object_list] == [at_outlet.number]
    assert detail.status_code == 200
    assert detail.context["journal"] is None
    assert "Ahmad Rahasia" not in detail.content.decode()
    assert (other.status_code, form.status_code) == (404, 403)


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("backoffice:sales", [], "get"),
        ("backoffice:sale_create", [], "get"),
        ("backoffice:sale_create", [], "post"),
        ("backoffice:sale_detail", ["PJ-SMP-2025-00001"], "get"),
        ("backoffice:sale_return", ["PJ-SMP-2025-00001"], "post"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args, method):
    url = reverse(name, args=args)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_sales_pages_render_in_both_languages(client_finance, shop, language):
    # given
    sale = sell(shop, 2)
    sale_record(actor=None, location=shop["showroom"], channel="POS", lines=[SaleLineInput("SMP-BTK-001", 1, 450_000)])
    client_finance.post(reverse("backoffice:sale_return", args=[sale.number]), {"_all": "1"})
    with translation.override(language):
        urls = [
            reverse("backoffice:dashboard"),
            reverse("backoffice:sales"),
            reverse("backoffice:sales") + "?kanal=POS&dari=2025-01-01",
            reverse("backoffice:sale_create"),
            reverse("backoffice:sale_detail", args=[sale.number]),
        ]

    # when
    responses = [client_finance.get(url) for url in urls]

    # then
    assert [r.status_code for r in responses] == [200] * len(urls)
    for response in responses:
        body = response.content.decode()
        assert f'<html lang="{language}">' in body
        assert reverse("backoffice:sales") in body  # the staff menu links to the sales
