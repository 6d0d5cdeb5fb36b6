"""The outlet partner's portal (``mitra/``): home, shelf, confirming receipt, recording sales by picking or by
a hang tag's code, the sell-through report by shelf counts, statements with their PDF; and what the partner
never gets: another outlet's rows (404), a maker (name or registration number), the staff-only pages (403)."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from binakarya.consignment.models import ConsignmentSale
from binakarya.consignment.selectors import outlet_stock_for
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    consignment_statement_issue,
    outlet_sale_record,
    placement_receive,
    placement_send,
)
from binakarya.makers.models import Maker
from binakarya.organizations.models import Role
from binakarya.sales.models import SaleLine
from tests.consignment.settle import a_month_of_sales, shelf_agreement
from tests.consignment.test_api import auth
from tests.consignment.world import MAKER_NAMES
from tests.factories import MembershipFactory, make_lot

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hotel(world, today):
    """The hotel's agreement: 10 whips and 6 bags on its shelf, a month of sales, a statement issued."""
    agreement = shelf_agreement(world, today)
    start, end = a_month_of_sales(world, agreement, today)
    consignment_statement_issue(actor=world["admin"], agreement=agreement, date_from=start, date_to=end)
    return agreement


@pytest.fixture
def gerai(world, today):
    """The other outlet's agreement, with goods on its shelf, a placement waiting and a statement."""
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["gerai"],
        commission_percent_bp=1500,
        settlement_period="WEEKLY",
        payment_days=7,
        start_date=today - datetime.timedelta(days=60),
    )
    extra = make_lot(variant=world["whip"], group=world["group"], location=world["store"], quantity=4)
    placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 4)],
    )
    agreement.extra_lot = extra
    issued = consignment_statement_issue(
        actor=world["admin"],
        agreement=agreement,
        date_from=today - datetime.timedelta(days=14),
        date_to=today - datetime.timedelta(days=8),
    )
    agreement.placement = agreement.placements.get()
    agreement.statement = issued
    return agreement


@pytest.fixture
def partner(client, world):
    client.force_login(world["partner"])
    return client


def no_maker_in(text):
    makers = [*MAKER_NAMES, *(maker.registration_number for maker in _makers())]
    for name in makers:
        for part in name.split() if " " in name else [name]:
            assert part not in text, part


def _makers():
    return list(Maker.objects.all())


def shelf_units(world, agreement):
    return {row.lot: row.quantity for row in outlet_stock_for(user=world["partner"], agreement=agreement)}


def partner_urls(agreement, placement_pk=1, statement_pk=1):
    return [
        reverse("backoffice:partner_sale", args=[agreement.pk]),
        reverse("backoffice:partner_count", args=[agreement.pk]),
        reverse("backoffice:partner_receive", args=[agreement.pk, placement_pk]),
        reverse("backoffice:partner_statement_pdf", args=[agreement.pk, statement_pk]),
    ]


PAGES = ["partner_home", "partner_shelf", "partner_statements"]


# The menu ---------------------------------------------------------------------------------------------


def test_a_partner_only_user_is_sent_from_the_staff_overview_to_their_home(partner, hotel):
    response = partner.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:partner_home")


def test_the_partners_menu_is_their_portal_and_nothing_else(partner, hotel):
    html = partner.get(reverse("backoffice:partner_home"), **EN).content.decode()
    menu = re.search(r'<nav class="staff-menu-list".*?</nav>', html, re.S).group(0)
    tabbar = re.search(r'<nav class="staff-tabbar".*?</nav>', html, re.S).group(0)
    for name in ["partner_home", "partner_shelf", "partner_sales", "partner_statements"]:
        assert f'href="{reverse(f"backoffice:{name}")}"' in menu
    assert f'href="{reverse("accounts:password_change")}"' in menu
    assert reverse("accounts:logout") in menu
    for name in ["pos_sessions", "sales", "stock", "lots", "makers", "money", "orders", "dashboard"]:
        assert f'href="{reverse(f"backoffice:{name}")}"' not in menu + tabbar, name
    for name in ["partner_home", "partner_sales", "partner_shelf", "partner_statements"]:
        assert f'href="{reverse(f"backoffice:{name}")}"' in tabbar


def test_staff_who_are_also_partners_keep_their_menu_and_get_the_portal_link(client, world, hotel):
    MembershipFactory(user=world["admin"], organization=world["hotel"], role=Role.OUTLET_PARTNER)
    client.force_login(world["admin"])
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    html = client.get(reverse("backoffice:partner_home")).content.decode()
    assert f'href="{reverse("backoffice:dashboard")}"' in html
    assert f'href="{reverse("backoffice:stock")}"' in html


# The pages ---------------------------------------------------------------------------------------------


def test_home_shows_what_the_outlet_owes_the_due_date_and_the_shelf(partner, world, hotel, today):
    response = partner.get(reverse("backoffice:partner_home"), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rutan Kelas IIB Sumenep" in html
    # Gross Rp345.000 − 20 % = Rp276.000 owed, nothing paid; the statement's due date is shown.
    assert "Rp276.000" in html
    issued = hotel.statements.get()
    assert issued.due_date.strftime("%Y") in html
    # 10 + 6 placed, 4 sold: 12 units of 2 products.
    assert "12 units" in html and "2 kinds of products" in html
    no_maker_in(html)


def test_the_shelf_lists_the_outlets_goods_with_price_and_days(partner, world, hotel, gerai):
    html = partner.get(reverse("backoffice:partner_shelf"), **EN).content.decode()
    assert "Pecut Sapi" in html and "Tas Rajut" in html and "Rp75.000" in html
    assert world["whip_lot"].code in html
    assert "days on the shelf" in html or "day on the shelf" in html
    assert gerai.extra_lot.code not in html  # the other outlet's goods (in transit to it)
    assert "<table" not in html
    no_maker_in(html)


def test_the_partner_confirms_a_placement_with_a_difference(partner, world, hotel):
    more = make_lot(variant=world["bag"], group=world["group"], location=world["store"], quantity=3)
    placement = placement_send(
        actor=world["admin"], agreement=hotel, from_location=world["store"], lines=[PlacementLineInput(world["bag"], 3)]
    )
    home = partner.get(reverse("backoffice:partner_home")).content.decode()
    url = reverse("backoffice:partner_receive", args=[hotel.pk, placement.pk])
    assert url in home
    page = partner.get(url, **EN)
    assert page.status_code == 200 and "Tas Rajut" in page.content.decode()
    no_maker_in(page.content.decode())
    line = placement.transfer.lines.get()
    assert f'value="{line.quantity_sent}"' in page.content.decode()
    # More than was sent is refused.
    refused = partner.post(url, {f"line_{line.pk}": "4"}, **EN)
    assert refused.status_code == 200
    assert shelf_units(world, hotel).get(more.code) is None
    response = partner.post(url, {f"line_{line.pk}": "2"}, **EN)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.received_by == world["partner"]
    assert placement.transfer.status == "DISCREPANCY"
    assert shelf_units(world, hotel)[more.code] == 2
    # Confirmed: the page shows what arrived, without a form.
    assert '<form method="post" action="' + url not in partner.get(url).content.decode()


def test_recording_a_sale_by_picking_from_the_shelf(partner, world, hotel, today):
    url = reverse("backoffice:partner_sale", args=[hotel.pk])
    page = partner.get(url, **EN).content.decode()
    assert "Pecut Sapi" in page and "<table" not in page
    lot = world["whip_lot"].code
    before = shelf_units(world, hotel)[lot]
    response = partner.post(url, {"form": "pick", "pick-sold_date": today.isoformat(), f"pick-lot_{lot}": "2"})
    assert response.status_code == 302
    assert shelf_units(world, hotel)[lot] == before - 2
    recorded = ConsignmentSale.objects.latest("pk")
    assert recorded.recorded_by == world["partner"] and recorded.sold_date == today
    assert list(recorded.sale.lines.values_list("lot__code", "quantity")) == [(lot, 2)]


def test_selling_more_than_the_shelf_is_refused_in_the_users_language_and_nothing_saved(partner, world, hotel, today):
    url = reverse("backoffice:partner_sale", args=[hotel.pk])
    lot = world["whip_lot"].code
    count = ConsignmentSale.objects.count()
    indonesian = url.removeprefix("/en")  # the default language has no prefix
    response = partner.post(indonesian, {"form": "pick", "pick-sold_date": today.isoformat(), f"pick-lot_{lot}": "99"})
    assert response.status_code == 200
    assert "Lebih dari yang ada di rak" in response.content.decode()
    english = partner.post(url, {"form": "pick", "pick-sold_date": today.isoformat(), f"pick-lot_{lot}": "99"}, **EN)
    assert "More than on the shelf" in english.content.decode()
    nothing = partner.post(url, {"form": "pick", "pick-sold_date": today.isoformat()}, **EN)
    assert "at least one item" in nothing.content.decode()
    future = (today + datetime.timedelta(days=1)).isoformat()
    later = partner.post(url, {"form": "pick", "pick-sold_date": future, f"pick-lot_{lot}": "1"}, **EN)
    assert later.status_code == 200 and "future" in later.content.decode()
    assert ConsignmentSale.objects.count() == count


def test_recording_a_sale_by_the_tags_code(partner, world, hotel, today):
    url = reverse("backoffice:partner_sale", args=[hotel.pk])
    lot = world["bag_lot"].code
    before = shelf_units(world, hotel)[lot]
    scanned = f"http://testserver/lacak/{lot}/"
    response = partner.post(url, {"form": "scan", "scan-code": scanned, "scan-quantity": "1", "scan-sold_date": today})
    assert response.status_code == 302
    assert shelf_units(world, hotel)[lot] == before - 1
    assert ConsignmentSale.objects.latest("pk").sale.lines.get().lot.code == lot


def test_a_tag_not_on_this_shelf_is_refused(partner, world, hotel, gerai, today):
    url = reverse("backoffice:partner_sale", args=[hotel.pk])
    count = ConsignmentSale.objects.count()
    for code in [gerai.extra_lot.code, "ZZZZ9999", ""]:
        response = partner.post(
            url, {"form": "scan", "scan-code": code, "scan-quantity": "1", "scan-sold_date": today}, **EN
        )
        assert response.status_code == 200
        assert 'data-testid="error-summary"' in response.content.decode()
    assert "not on your shelf" in response.content.decode() or "required" in response.content.decode()
    assert ConsignmentSale.objects.count() == count


def test_the_sell_through_report_records_what_is_missing_from_the_shelf(partner, world, hotel, today):
    url = reverse("backoffice:partner_count", args=[hotel.pk])
    assert partner.get(url).status_code == 200
    # On the shelf: 7 whips, 5 bags (the month's sales).
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    counts = {"sold_date": yesterday, "count_SMP-PCT-001": "4", "count_SMP-RJT-001": "5"}
    check = partner.post(url, {"step": "check", **counts}, **EN)
    assert check.status_code == 200
    html = check.content.decode()
    assert "3 sold" in html and "Rp225.000" in html and ConsignmentSale.objects.count() == 3
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    hidden.pop("csrfmiddlewaretoken", None)
    assert hidden["expect_SMP-PCT-001"] == "7"
    done = partner.post(url, hidden)
    assert done.status_code == 302
    recorded = ConsignmentSale.objects.latest("pk")
    assert recorded.sold_date == today - datetime.timedelta(days=1)
    assert sum(recorded.sale.lines.values_list("quantity", flat=True)) == 3
    # Confirming the same counts again: the shelf changed meanwhile, nothing more is recorded.
    again = partner.post(url, hidden, **EN)
    assert again.status_code == 200 and "shelf changed" in again.content.decode()
    assert ConsignmentSale.objects.count() == 4


def test_a_count_above_the_shelf_is_a_clear_error(partner, world, hotel, today):
    url = reverse("backoffice:partner_count", args=[hotel.pk])
    counts = {"step": "check", "sold_date": today.isoformat(), "count_SMP-PCT-001": "8", "count_SMP-RJT-001": ""}
    response = partner.post(url, counts, **EN)
    html = response.content.decode()
    assert "More than we placed" in html and "0 if none" in html
    indonesian = partner.post(url.removeprefix("/en"), counts).content.decode()
    assert "Lebih dari yang kami titipkan" in indonesian
    same = partner.post(url, {**counts, "count_SMP-PCT-001": "7", "count_SMP-RJT-001": "5"}, **EN)
    assert "Nothing to record" in same.content.decode()
    assert ConsignmentSale.objects.count() == 3


def test_statements_show_the_running_period_and_the_issued_ones_with_their_pdf(partner, world, hotel, today):
    html = partner.get(reverse("backoffice:partner_statements"), **EN).content.decode()
    issued = hotel.statements.get()
    assert issued.document.number in html
    assert "Rp276.000" in html  # the issued balance, as staff see it
    no_maker_in(html)
    pdf = partner.get(reverse("backoffice:partner_statement_pdf", args=[hotel.pk, issued.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.streaming
    assert pdf["Content-Disposition"].startswith("attachment")
    content = b"".join(pdf.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    assert issued.document.number in text.decode()
    no_maker_in(text.decode())


# Isolation ---------------------------------------------------------------------------------------------


def test_another_outlets_rows_are_404_on_every_address(partner, world, hotel, gerai):
    for url in partner_urls(gerai, gerai.placement.pk, gerai.statement.pk):
        assert partner.get(url).status_code == 404, url
        assert partner.post(url, {}).status_code in (404, 405), url
    # The other outlet's placement and statement under the partner's own agreement: 404 too.
    for url in partner_urls(hotel, gerai.placement.pk, gerai.statement.pk)[2:]:
        assert partner.get(url).status_code == 404, url
    for name in PAGES:
        html = partner.get(reverse(f"backoffice:{name}")).content.decode()
        assert "Gerai Dekranasda" not in html
        assert f'data-agreement="{gerai.pk}"' not in html


def test_a_user_who_is_no_partner_gets_403(client, world, hotel):
    for user in [world["admin"], world["stranger"]]:
        client.force_login(user)
        for name in PAGES + ["partner_sales"]:
            assert client.get(reverse(f"backoffice:{name}")).status_code == 403
        for url in partner_urls(hotel, hotel.placements.get().pk, hotel.statements.get().pk):
            assert client.get(url).status_code == 403, url


def test_the_other_outlets_partner_sees_nothing_of_this_one(client, world, hotel, gerai):
    client.force_login(world["other_partner"])
    for url in partner_urls(hotel, hotel.placements.get().pk, hotel.statements.get().pk):
        assert client.get(url).status_code == 404, url
    html = client.get(reverse("backoffice:partner_home")).content.decode()
    assert f'data-agreement="{gerai.pk}"' in html and f'data-agreement="{hotel.pk}"' not in html


STAFF_ONLY = ["stock", "lots", "makers", "groups", "money", "pos_sessions", "orders", "transfers", "staff"]


@pytest.mark.parametrize("name", STAFF_ONLY)
def test_the_partner_cannot_open_staff_only_pages(partner, hotel, name):
    assert partner.get(reverse(f"backoffice:{name}")).status_code == 403


@pytest.mark.parametrize(
    "path", ["/api/v1/stock?sku=SMP-PCT-001", "/api/v1/makers", "/api/v1/staff", "/api/v1/lots/{lot}"]
)
def test_the_partner_gets_nothing_from_the_staff_api(client, world, hotel, path):
    """Refused, or a list with nothing in it: a partner's token reads only the consignment endpoints."""
    response = client.get(path.format(lot=world["whip_lot"].code), **auth(world["partner"]))
    assert response.status_code in (200, 403, 404), response.content
    if response.status_code == 200:
        body = response.json()
        assert not body.get("items") and not body.get("count"), body
    no_maker_in(response.content.decode())


def test_every_partner_page_is_made_for_a_phone(partner, world, hotel):
    placement = hotel.placements.get()
    for url in [
        *(reverse(f"backoffice:{name}") for name in PAGES),
        reverse("backoffice:partner_sale", args=[hotel.pk]),
        reverse("backoffice:partner_count", args=[hotel.pk]),
        reverse("backoffice:partner_receive", args=[hotel.pk, placement.pk]),
    ]:
        response = partner.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<table" not in html, url  # lists of rows, no wide tables
        assert 'name="viewport"' in html
        no_maker_in(html)


# The service: a sale line pinned to a lot ----------------------------------------------------------------


def test_an_outlet_sale_line_may_name_its_lot(world, today):
    agreement = shelf_agreement(world, today)
    second = make_lot(variant=world["whip"], group=world["group"], location=world["store"], quantity=2)
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 2)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    recorded = outlet_sale_record(
        actor=world["partner"],
        agreement=agreement,
        sold_date=today,
        lines=[OutletSaleLine("SMP-PCT-001", 1, lot_code=second.code)],
    )
    assert list(SaleLine.objects.filter(sale=recorded.sale).values_list("lot__code", flat=True)) == [second.code]
    # Without a lot: oldest first.
    fifo = outlet_sale_record(
        actor=world["partner"], agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 1)]
    )
    assert list(SaleLine.objects.filter(sale=fifo.sale).values_list("lot__code", flat=True)) == [world["whip_lot"].code]


def test_a_lot_of_another_product_or_unknown_is_refused(world, today):
    agreement = shelf_agreement(world, today)
    for code in [world["bag_lot"].code, "ZZZZ9999"]:
        with pytest.raises(ValidationError):
            outlet_sale_record(
                actor=world["partner"],
                agreement=agreement,
                sold_date=today,
                lines=[OutletSaleLine("SMP-PCT-001", 1, lot_code=code)],
            )
    assert not ConsignmentSale.objects.filter(agreement=agreement).exists()
