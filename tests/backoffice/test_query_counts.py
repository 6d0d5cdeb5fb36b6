"""The query counts of the main staff pages, pinned, as Ani (facility admin of Rutan Sumenep) loads them.

Each page is loaded with two rows and with six (products, makers, lots, sales, a sale's lines…) and takes the
same number of queries both times: no page runs a query per row. The shop is the one of test_sales_pages: a
group of three makers, a product with a 10-unit lot in the showroom, a store, and the 50/35/15 margin rule.

Every request starts with the session, the user and the user's memberships (organization, role, province),
which the access checks and the scoping helper cache on ``request.user``. Pages that ask ``user.has_perm``
read the memberships a second time: ``request.user`` is a lazy object, the cache is set on it, and
``has_perm`` runs on the user inside it (``organizations/scoping.py: _memberships``).

A required select of a model (a location, a group) costs two queries: Django reads its first choice to decide
whether to mark it ``required``, then every choice to draw it.

The counts are the same on SQLite and PostgreSQL (both checked): loading a page opens no transaction or
savepoint and writes nothing, not even the session.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binakarya.catalog.services import photo_add
from binakarya.inventory.services import stock_adjust, transfer_send
from binakarya.ledger.services import capital_grant, pnbp_deposit_record, premi_payout, split_rule_create
from binakarya.organizations.models import Organization
from binakarya.production.services import lot_tags_issue
from binakarya.sales.services import SaleLineInput, sale_record, sale_reverse
from tests.backoffice.helpers import png_bytes, upload
from tests.backoffice.test_sales_pages import LEGAL_REFERENCE, make_shop, sell
from tests.factories import (
    CategoryFactory,
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

ROWS = [2, 6]


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def disperindag(db):
    return OrganizationFactory(kind=Organization.Kind.AGENCY, name="Disperindag Kabupaten Sumenep", slug="disperindag")


def add_photo(product) -> None:
    photo_add(actor=None, product=product, upload=upload("foto.png", png_bytes(size=(40, 40)), "image/png"))


def new_variants(shop: dict, count: int, *, location_key: str = "store", quantity: int = 5) -> list:
    """``count`` products of the shop's group, each with one variant and a lot of ``quantity`` units at the
    shop's ``location_key``."""
    variants = []
    for i in range(count):
        product = ProductFactory(producer=shop["variant"].product.producer, name=f"Selendang Batik {i}", variants=[])
        variant = VariantFactory(product=product, sku=f"SMP-SLD-{i:03d}", price_idr=200_000)
        make_lot(variant=variant, group=shop["group"], location=shop[location_key], quantity=quantity, cost=500_000)
        variants.append(variant)
    return variants


def get(client, name: str, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response


# The home page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_dashboard(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given the shop's producer and `rows` more
    for _ in range(rows):
        ProducerFactory(group=GroupFactory(organization=facility_a))

    # when / then: session, user; the user's memberships with their organizations (who is where); the
    # memberships again as (organization, role, province), which the access checks cache; the products and
    # the unpublished ones counted; the producers (with organization); whether the user runs an UMKM
    # (may create a profile); the active makers and active groups counted; whether the user sees a
    # facility's PNBP; the orders that need something done; the consignment agreements ending within 30
    # days counted and the overdue statements (with what was paid after them, in the same query); this
    # month's sales totals; the partner agreements ending within 60 days and the overdue obligations counted
    with django_assert_num_queries(17):
        response = get(client_a, "backoffice:dashboard")

    # then
    assert len(response.context["producers"]) == rows + 1


# Catalog ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_product_list(client_a, shop, django_assert_num_queries, rows):
    # given the shop's product and `rows` more, each with a cover photo
    for i in range(rows):
        add_photo(ProductFactory(producer=shop["variant"].product.producer, name=f"Sarung Batik {i}"))

    # when / then: session, user, memberships; the products counted for the pager; the organizations whose
    # catalog the user manages counted (whether to name each row's); the page of products (with producer,
    # category and organization)
    with django_assert_num_queries(6):
        response = get(client_a, "backoffice:products")

    # then
    assert len(response.context["page"].object_list) == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_a_product_page(client_a, shop, django_assert_num_queries, rows):
    # given a product with `rows` variants and `rows` photos
    product = ProductFactory(producer=shop["variant"].product.producer, variants=[250_000] * rows)
    for _ in range(rows):
        add_photo(product)

    # when / then: session, user, memberships; the product (with producer, category and organization), its
    # variants and its photos (prefetched); the categories of the form's select
    with django_assert_num_queries(7):
        response = get(client_a, "backoffice:product_edit", product.pk)

    # then
    assert (len(response.context["variants"]), len(response.context["photos"])) == (rows, rows)


# Makers and groups ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_maker_list(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given the shop's three makers and `rows` more, each in a group of their own
    for _ in range(rows):
        GroupMembershipFactory(group=GroupFactory(organization=facility_a))

    # when / then: session, user, memberships; the makers counted for the pager; the organizations whose
    # makers the user sees counted (whether to name each row's); whether the user may register makers; the
    # page of makers (with organization) and their current memberships (with group, prefetched)
    with django_assert_num_queries(8):
        response = get(client_a, "backoffice:makers")

    # then
    assert len(response.context["page"].object_list) == rows + 3


@pytest.mark.parametrize("rows", ROWS)
def test_the_group_list(client_a, shop, facility_a, batik, django_assert_num_queries, rows):
    # given the shop's group and `rows` more, each with a craft and a member
    for _ in range(rows):
        group = GroupFactory(organization=facility_a)
        group.crafts.add(batik)
        GroupMembershipFactory(group=group)

    # when / then: session, user, memberships; the groups with their member counts (with organization) and
    # their crafts (prefetched); whether the user may create groups; the organizations whose makers the user
    # sees counted (whether to name each row's)
    with django_assert_num_queries(7):
        response = get(client_a, "backoffice:groups")

    # then
    assert len(response.context["groups"]) == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_a_group_page(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given the shop's group of three makers, and `rows` more members
    for _ in range(rows):
        GroupMembershipFactory(group=shop["group"], maker=MakerFactory(organization=facility_a))

    # when / then: session, user, memberships; the group (with organization) and its crafts; its memberships
    # (with makers); the memberships again, for has_perm; the group's producer profile; the facility's
    # active makers for the add-member select, and their current memberships (prefetched)
    with django_assert_num_queries(10):
        response = get(client_a, "backoffice:group_detail", shop["group"].pk)

    # then
    assert len(response.context["current"]) == rows + 3


# Production and stock ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_lot_list(client_a, shop, django_assert_num_queries, rows):
    # given the shop's lot and `rows` more in the store
    for _ in range(rows):
        make_lot(variant=shop["variant"], group=shop["group"], location=shop["store"], quantity=2)

    # when / then: session, user, memberships; the lots counted for the pager; the organizations whose
    # stock the user sees counted (whether to name each row's); the groups and the UMKM producers the user
    # records lots for (whether to offer "Record a lot"); the group filter: whether there is a group, then
    # the groups (with organization) and their crafts (prefetched); the page of lots (with variant,
    # product, group, organization and the units on hand)
    with django_assert_num_queries(11):
        response = get(client_a, "backoffice:lots")

    # then
    assert len(response.context["page"].object_list) == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_a_lot_page(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given a lot made by `rows` makers, adjusted `rows` times, with `rows` sheets of hang tags
    makers = [
        GroupMembershipFactory(group=shop["group"], maker=MakerFactory(organization=facility_a)).maker
        for _ in range(rows)
    ]
    lot = make_lot(variant=shop["variant"], group=shop["group"], location=shop["store"], makers=makers)
    for _ in range(rows):
        stock_adjust(actor=None, lot=lot, location=shop["store"], quantity=1, reason="Ditemukan saat opname")
        lot_tags_issue(actor=None, lot=lot, count=2)

    # when / then: session, user, memberships; the lot (with variant, product, group, organization); its
    # balances; its contributors (with makers); the memberships again, for has_perm; its movements; its tag
    # sheets; the adjustment form's location select (required: two)
    with django_assert_num_queries(11):
        response = get(client_a, "backoffice:lot_detail", lot.code)

    # then
    context = response.context
    assert (len(context["contributions"]), len(context["movements"]), len(context["tag_sheets"])) == (
        rows,
        rows + 1,
        rows,
    )


@pytest.mark.parametrize("rows", ROWS)
def test_the_stock_page(client_a, shop, django_assert_num_queries, rows):
    # given the shop's lot in the showroom and `rows` products with a lot in the store
    new_variants(shop, rows)

    # when / then: session, user, memberships; the locations and the organizations of the filters; the units
    # listed; the balances counted for the pager; the units by location and those reserved there for orders;
    # the low-stock variants (with product and organization) and their count; the page of balances (with
    # variant, product, lot, location and organization)
    with django_assert_num_queries(12):
        response = get(client_a, "backoffice:stock")

    # then
    assert len(response.context["page"].object_list) == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_the_transfer_list(client_a, shop, django_assert_num_queries, rows):
    # given `rows` transfers from the store to the showroom
    for variant in new_variants(shop, rows):
        transfer_send(actor=None, from_location=shop["store"], to_location=shop["showroom"], lines=[(variant, 1)])

    # when / then: session, user, memberships; the transfers counted for the pager; the page of transfers
    # (with their locations, surat jalan and units)
    with django_assert_num_queries(5):
        response = get(client_a, "backoffice:transfers")

    # then
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_a_transfer_page(client_a, shop, django_assert_num_queries, rows):
    # given a transfer of `rows` lines, still in transit
    variants = new_variants(shop, rows)
    transfer = transfer_send(
        actor=None, from_location=shop["store"], to_location=shop["showroom"], lines=[(v, 2) for v in variants]
    )

    # when / then: session, user, memberships; the transfer (with organization and who sent and received
    # it); its lines, their lots, variants and products (prefetched); the memberships again, for has_perm
    with django_assert_num_queries(9):
        response = get(client_a, "backoffice:transfer_detail", transfer.number)

    # then
    assert len(response.context["lines"]) == rows


# Sales ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_sale_list(client_a, shop, disperindag, django_assert_num_queries, rows):
    # given `rows` sales, half of them to an agency
    for i in range(rows):
        sell(shop, 1, buyer=disperindag if i % 2 else None, buyer_name="" if i % 2 else "Bu Sari")

    # when / then: session, user, memberships; the locations of the filter; the totals (count, gross, premi);
    # the sales counted for the pager; the organizations the user sees counted (whether to name each row's);
    # the page of sales (with organization, location and buyer)
    with django_assert_num_queries(8):
        response = get(client_a, "backoffice:sales")

    # then
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_a_sale_page(client_a, shop, django_assert_num_queries, rows):
    # given a sale of two units of `rows` products, one unit of each returned
    variants = new_variants(shop, rows, location_key="showroom")
    sale = sale_record(
        actor=None,
        location=shop["showroom"],
        channel="POS",
        lines=[SaleLineInput(v.sku, 2, 250_000) for v in variants],
    )
    sale_reverse(actor=None, sale=sale, lines={line.pk: 1 for line in sale.lines.all()}, reason="Cacat jahitan")

    # when / then: session, user, memberships; the sale (with organization, location, buyer) and its lines
    # (with variant, product and lot, prefetched); the memberships again, for has_perm; whether the user
    # sees its books; its returns, their lines and those lines' sale lines, variants and lots (prefetched);
    # its journal by account (with makers)
    with django_assert_num_queries(13):
        response = get(client_a, "backoffice:sale_detail", sale.number)

    # then
    assert len(response.context["lines"]) == rows
    assert len(response.context["returns"][0].lines.all()) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_sale_form(client_a, shop, django_assert_num_queries, rows):
    # given the shop's product and `rows` more in the showroom
    new_variants(shop, rows, location_key="showroom")

    # when / then: session, user, memberships; the locations the user sells from; the products held in the
    # showroom (with their units there); the location select (required: two); the buyer select (agencies
    # and outlets)
    with django_assert_num_queries(8):
        response = get(client_a, "backoffice:sale_create")

    # then
    choices = response.context["formset"].forms[0].fields["variant"].widget.choices
    assert len(choices) == rows + 2  # and the empty choice


# Money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_money_page(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given `rows` makers released within the month
    for _ in range(rows):
        MakerFactory(organization=facility_a, expected_release_date=timezone.localdate() + datetime.timedelta(days=9))

    # when / then: session, user, memberships; the makers leaving within 30 days (with organization); the
    # premi each is owed (one grouped query); whether the user sees a facility's PNBP
    with django_assert_num_queries(6):
        response = get(client_a, "backoffice:money")

    # then
    assert response.context["leaving_count"] == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_split_rules(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given the shop's rule and one for each of `rows` categories
    for i in range(rows):
        split_rule_create(
            actor=None,
            organization=facility_a,
            category=CategoryFactory(name=f"Anyaman {i}"),
            effective_from=datetime.date(2025, 1, 1),
            basis="MARGIN",
            premi_mode="PERCENT",
            premi_bp=4000,
            capital_bp=4000,
            legal_reference=LEGAL_REFERENCE,
        )

    # when / then: session, user, memberships; the rules (with organization and category); whether the user
    # keeps books (may enter a rule)
    with django_assert_num_queries(5):
        response = get(client_a, "backoffice:rules")

    # then
    assert len(response.context["rules"]) == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_a_makers_statement(client_a, shop, django_assert_num_queries, rows):
    # given `rows` sales and `rows` payouts to the first maker
    ahmad = shop["members"][0]
    for _ in range(rows):
        sell(shop, 1)
    for _ in range(rows):
        premi_payout(actor=None, maker=ahmad, amount_idr=10_000, method="SAVINGS")

    # when / then: session, user, memberships; the maker; the premi lines (with entry, lot, sale and product);
    # the maker's organization; the memberships again, for has_perm; the payout policy, twice (the share
    # spent inside, the payout methods); the premi earned; the payouts (with their slips)
    with django_assert_num_queries(11):
        response = get(client_a, "backoffice:statement", ahmad.pk)

    # then
    assert (len(response.context["lines"]), len(response.context["payouts"])) == (2 * rows, rows)


@pytest.mark.parametrize("rows", ROWS)
def test_the_capital_funds(client_a, shop, facility_a, disperindag, django_assert_num_queries, rows):
    # given a grant to each of `rows` groups
    for _ in range(rows):
        group = GroupFactory(organization=facility_a)
        capital_grant(actor=None, organization=facility_a, group=group, amount_idr=1_000_000, agency=disperindag)

    # when / then: session, user, memberships; the organizations whose books the user sees (the first); the
    # memberships again, for has_perm; the first active group (the forms' initial group); the funds'
    # balances; each group's latest lot (with variant and product); the organizations of the picker; the
    # latest movements (with group and agency); the grant form's group and agency selects, the purchase
    # form's group select
    with django_assert_num_queries(13):
        response = get(client_a, "backoffice:capital")

    # then
    assert (len(response.context["funds"]), len(response.context["movements"])) == (rows, rows)


@pytest.mark.parametrize("rows", ROWS)
def test_the_pnbp_page(client_a, shop, facility_a, django_assert_num_queries, rows):
    # given a sale (Rp90.000 PNBP) and `rows` deposits of it this year
    sell(shop, 2)
    for i in range(rows):
        pnbp_deposit_record(
            actor=None,
            organization=facility_a,
            amount_idr=10_000,
            billing_code=f"8200000000{i:02d}",
            ntpn=f"0A1B2C3D4E5F{i:04d}",
            deposited_date=timezone.localdate(),
        )

    # when / then: session, user, memberships; the organizations whose PNBP the user sees (the first); the
    # memberships again, for has_perm; the year's deposits summed, its target, the PNBP earned; the
    # organizations of the picker; the year's deposits
    with django_assert_num_queries(10):
        response = get(client_a, "backoffice:pnbp")

    # then
    assert len(response.context["deposits"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_trial_balance(client_a, shop, facility_a, disperindag, django_assert_num_queries, rows):
    # given a sale, and a grant to each of `rows` groups: a capital fund account each
    sell(shop, 2)
    for _ in range(rows):
        group = GroupFactory(organization=facility_a)
        capital_grant(actor=None, organization=facility_a, group=group, amount_idr=1_000_000, agency=disperindag)

    # when / then: session, user, memberships; the organizations whose books the user sees (the first); every
    # account's balance (one grouped query); the organizations of the picker
    with django_assert_num_queries(6):
        response = get(client_a, "backoffice:trial_balance")

    # then: bank, cash, PNBP payable, the three makers' premi, the shop's group's fund and the new groups' funds
    assert len(response.context["balance"].rows) == rows + 7
