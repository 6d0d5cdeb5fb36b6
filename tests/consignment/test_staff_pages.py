"""The seller staff's consignment pages (issue 12, piece 3): the list and what needs attention, making an
agreement with its signed PDF, one agreement, ending it, placing goods with the tanda terima titipan, a sale
at the outlet, statements (one per period, partial returns netted) and payments.

Every page: the happy path, bad input shown in the form (nothing saved), another organization's staff and
the outlet's partner get nothing, and no maker's name on any page or PDF.
"""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from binakarya.consignment.models import (
    Agreement,
    ConsignmentPayment,
    ConsignmentSale,
    ConsignmentStatement,
    Placement,
)
from binakarya.consignment.periods import previous_period
from binakarya.consignment.selectors import consignment_statement, statement_of
from binakarya.consignment.services import (
    agreement_create,
    agreement_end,
    consignment_payment_record,
    consignment_statement_issue,
)
from binakarya.organizations.models import Organization, Role
from binakarya.sales.services import sale_reverse
from tests.backoffice.helpers import text
from tests.consignment.settle import a_month_of_sales, sell, shelf_agreement
from tests.consignment.world import MAKER_NAMES
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def shelf(world, today):
    return shelf_agreement(world, today)


def login(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    """The page's address in the default language (Indonesian), whose messages ``text`` gives."""
    with translation.override("id"):
        return reverse(f"backoffice:{name}", args=args)


def no_maker(content: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in content, part


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Who opens the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "consignment_detail",
        "consignment_document",
        "consignment_end",
        "consignment_place",
        "consignment_sale",
        "consignment_statement",
        "consignment_payment",
    ],
)
def test_another_organization_and_the_outlet_partner_get_a_404_on_every_agreement_page(client, world, shelf, name):
    for user in (world["stranger"], world["partner"], world["other_partner"]):
        login(client, user)
        status = client.get(url(name, shelf.pk)).status_code
        assert status in (403, 404), (user, status)


def test_the_outlet_partner_cannot_open_the_staff_list_or_create_and_has_no_staff_menu_entry(client, world, shelf):
    login(client, world["partner"])
    assert client.get(url("consignment_list")).status_code == 403
    assert client.get(url("consignment_create")).status_code == 403
    assert url("consignment_list") not in client.get(url("dashboard")).content.decode()


def test_another_organization_cannot_post_to_an_agreement(client, world, shelf, today):
    login(client, world["stranger"])
    response = client.post(url("consignment_payment", shelf.pk), {"amount_idr": "1.000", "paid_date": today})
    assert response.status_code == 404
    response = client.post(url("consignment_end", shelf.pk), {"end_date": today, "confirm": "on"})
    assert response.status_code == 404
    assert not ConsignmentPayment.objects.exists()
    assert Agreement.objects.get(pk=shelf.pk).end_date is None


# The list and what needs attention --------------------------------------------------------------


def test_the_list_shows_outlet_status_commission_settlement_and_what_the_outlet_owes(client, world, shelf, today):
    # given a whip sold (Rp75.000, 20 % commission: the hotel owes Rp60.000)
    sell(world, shelf, today, whips=1)

    # when
    content = page(login(client, world["admin"]).get(url("consignment_list")))

    # then
    assert "Hotel Bintang Sumenep" in content
    assert "20%" in content
    assert "Rp60.000" in content
    assert url("consignment_list") in content  # the menu entry
    no_maker(content)


def test_the_list_and_the_dashboard_show_agreements_ending_soon_and_overdue_settlements(client, world, today):
    # given an agreement ending in 10 days, and one with a statement long overdue
    ending = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["gerai"],
        commission_percent_bp=1500,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=today - datetime.timedelta(days=100),
        end_date=today + datetime.timedelta(days=10),
    )
    overdue = shelf_agreement(world, today)
    start, end = previous_period(overdue, today)
    month_before = previous_period(overdue, start)
    sell(world, overdue, month_before[0], whips=1)
    consignment_statement_issue(
        actor=world["admin"], agreement=overdue, date_from=month_before[0], date_to=month_before[1]
    )
    late = month_before[1] + datetime.timedelta(days=overdue.payment_days) < today
    client = login(client, world["admin"])

    # when
    content = page(client.get(url("consignment_list")))
    dashboard = page(client.get(url("dashboard")))

    # then
    assert 'data-testid="ending"' in content and ending.end_date.strftime("%Y") in content
    assert 'data-testid="consignment-ending">1<' in dashboard
    if late:
        assert 'data-testid="overdue"' in content and "Rp60.000" in content
        assert 'data-testid="consignment-overdue">1<' in dashboard


def test_the_dashboard_has_no_consignment_block_for_staff_who_do_not_record_sales(client, world):
    instructor = UserFactory(username="instruktur-smp")
    MembershipFactory(user=instructor, organization=world["facility"], role=Role.INSTRUCTOR)
    login(client, instructor)
    assert 'id="consignment"' not in page(client.get(url("dashboard")))


def test_a_partner_is_sent_from_the_dashboard_to_their_portal(client, world):
    login(client, world["other_partner"])
    response = client.get(url("dashboard"))
    assert response.status_code == 302 and response["Location"] == url("partner_home")


# Making an agreement ------------------------------------------------------------------------------


def agreement_post(world, today, **changes):
    data = {
        "organization": world["facility"].pk,
        "outlet": world["hotel"].pk,
        "commission_mode": "PERCENT",
        "commission_percent": "12,5",
        "price_mode": "CATALOG",
        "terms": "",
        "settlement_period": "MONTHLY",
        "payment_days": "14",
        "review_months": "6",
        "start_date": today.isoformat(),
        "end_date": "",
        "shortage_borne_by": "OUTLET",
        "damage_borne_by": "SELLER",
    }
    data.update(changes)
    return data


def test_staff_make_an_agreement_with_a_typed_percent_and_the_signed_pdf_then_download_it(client, world, today):
    # given
    client = login(client, world["admin"])
    data = agreement_post(world, today, signed_document=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))

    # when
    response = client.post(url("consignment_create"), data)

    # then
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("consignment_detail", agreement.pk)
    assert agreement.commission_bp == 1250
    assert agreement.damage_borne_by == "SELLER"
    download = client.get(url("consignment_document", agreement.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # the partner of the hotel, a party to the agreement, still does not get the staff's download
    assert login(client, world["partner"]).get(url("consignment_document", agreement.pk)).status_code in (403, 404)


def test_a_per_product_agreement_reads_its_terms_lines(client, world, today):
    client = login(client, world["admin"])
    data = agreement_post(
        world,
        today,
        commission_mode="PER_PRODUCT",
        commission_percent="",
        price_mode="AGREED",
        terms="SMP-PCT-001; 80.000; 12.000\nsmp-rjt-001; ; 20.000",
    )

    response = client.post(url("consignment_create"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.commission_mode == "PER_PRODUCT" and agreement.price_mode == "AGREED"
    terms = {t.variant.sku: (t.agreed_price_idr, t.commission_idr) for t in agreement.terms.all()}
    assert terms == {"SMP-PCT-001": (80_000, 12_000), "SMP-RJT-001": (None, 20_000)}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"commission_percent": "abc"}, "commission_percent", None),
        ({"commission_percent": "150"}, "commission_percent", None),
        ({"payment_days": "120"}, "payment_days", "Allow from 1 to 90 days for payment."),
        ({"terms": "SMP-PCT-001; 8,5"}, "terms", None),
        ({"terms": "LAIN-001; 80.000;", "price_mode": "AGREED"}, "terms", None),
        ({"end_date": "2000-01-01"}, "end_date", "The end date cannot be before the start date."),
    ],
)
def test_bad_agreement_input_is_shown_in_the_form_and_nothing_is_saved(client, world, today, changes, field, message):
    client = login(client, world["admin"])

    response = client.post(url("consignment_create"), agreement_post(world, today, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    if message:
        assert escape(text(message)) in response.content.decode()
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_signed_agreement_that_is_not_a_pdf_is_refused_and_nothing_is_saved(client, world, today):
    client = login(client, world["admin"])
    data = agreement_post(world, today, signed_document=SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf"))

    response = client.post(url("consignment_create"), data)

    assert response.status_code == 200
    assert escape(text("Upload the signed agreement as a PDF file.")) in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_second_agreement_for_the_same_dates_is_refused_in_the_form(client, world, today, agreement):
    response = login(client, world["admin"]).post(url("consignment_create"), agreement_post(world, today))
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert Agreement.objects.count() == 1


# One agreement and ending it ----------------------------------------------------------------------


def test_the_detail_shows_terms_shelf_placements_sales_statements_payments_and_no_maker(client, world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    consignment_payment_record(
        actor=world["admin"], agreement=shelf, amount_idr=100_000, paid_date=today, reference="TRF-9"
    )

    # when
    content = page(login(client, world["admin"]).get(url("consignment_detail", shelf.pk)))

    # then
    assert "Hotel Bintang Sumenep" in content
    assert world["whip_lot"].code in content  # the shelf
    assert Placement.objects.get().transfer.number in content
    assert ConsignmentSale.objects.first().sale.number in content
    assert ConsignmentStatement.objects.get().document.number in content
    assert "TRF-9" in content and "Rp100.000" in content
    assert "Rp176.000" in content  # owed now: 276.000 − 100.000
    no_maker(content)


def test_ending_an_agreement_needs_a_confirmation_and_an_earlier_day(client, world, agreement, today):
    client = login(client, world["admin"])
    # without the tick
    response = client.post(url("consignment_end", agreement.pk), {"end_date": today.isoformat()})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    # before the start
    response = client.post(url("consignment_end", agreement.pk), {"end_date": "2000-01-01", "confirm": "on"})
    assert escape(text("The end date cannot be before the start date.")) in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).end_date is None

    # yesterday: ended
    yesterday = today - datetime.timedelta(days=1)
    response = client.post(url("consignment_end", agreement.pk), {"end_date": yesterday.isoformat(), "confirm": "on"})

    assert response.status_code == 302
    ended = Agreement.objects.get(pk=agreement.pk)
    assert ended.end_date == yesterday and ended.status == "ENDED"
    # never later
    response = client.post(url("consignment_end", agreement.pk), {"end_date": today.isoformat(), "confirm": "on"})
    assert escape(text("An agreement can be ended earlier, not extended.")) in response.content.decode()


# Placing goods and the tanda terima titipan ------------------------------------------------------


def lines(*rows):
    data = {"baris-TOTAL_FORMS": str(len(rows)), "baris-INITIAL_FORMS": "0"}
    for i, (sku, quantity, price) in enumerate(rows):
        data[f"baris-{i}-sku"] = sku
        data[f"baris-{i}-quantity"] = str(quantity)
        data[f"baris-{i}-unit_price_idr"] = price
    return data


def test_placing_goods_sends_them_and_the_tanda_terima_pdf_lists_lots_prices_and_no_maker(client, world, agreement):
    client = login(client, world["admin"])
    form = page(client.get(url("consignment_place", agreement.pk)))
    assert "SMP-PCT-001" in form and "Gudang 10" in form  # on hand per SKU

    # when
    data = {"from_location": world["store"].pk, "note": ""} | lines(
        ("SMP-PCT-001", 4, "80.000"), ("SMP-RJT-001", 2, "")
    )
    response = client.post(url("consignment_place", agreement.pk), data)

    # then
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("consignment_placement", agreement.pk, placement.pk)
    prices = {line.variant.sku: (line.quantity, line.unit_price_idr) for line in placement.lines.all()}
    assert prices == {"SMP-PCT-001": (4, 80_000), "SMP-RJT-001": (2, 120_000)}
    detail = page(client.get(response["Location"]))
    assert "Rp560.000" in detail  # 4 × 80.000 + 2 × 120.000
    no_maker(detail)
    pdf = client.get(url("consignment_placement_pdf", agreement.pk, placement.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = pdf_text(pdf.content)
    assert "TANDA TERIMA TITIPAN" in content
    assert "Rutan Kelas IIB Sumenep" in content and "Hotel Bintang Sumenep" in content
    assert world["whip_lot"].code in content and "Rp80.000" in content and "Rp560.000" in content
    assert placement.transfer.document.verify_code in content
    no_maker(content)
    # another organization's staff and the partner do not get the staff's page or PDF
    for user in (world["stranger"], world["partner"]):
        login(client, user)
        assert client.get(url("consignment_placement_pdf", agreement.pk, placement.pk)).status_code in (403, 404)
        assert client.get(url("consignment_placement", agreement.pk, placement.pk)).status_code in (403, 404)


def test_placing_more_than_the_store_holds_is_shown_next_to_the_line_and_nothing_moves(client, world, agreement):
    data = {"from_location": world["store"].pk} | lines(("SMP-PCT-001", 11, ""))

    response = login(client, world["admin"]).post(url("consignment_place", agreement.pk), data)

    assert response.status_code == 200
    assert "SMP-PCT-001" in str(response.context["formset"].forms[0].errors["quantity"])
    assert not Placement.objects.exists()


def test_placing_with_no_line_or_a_bad_quantity_is_refused(client, world, agreement):
    client = login(client, world["admin"])
    response = client.post(url("consignment_place", agreement.pk), {"from_location": world["store"].pk} | lines())
    assert escape(text("Add at least one product to place.")) in response.content.decode()
    response = client.post(
        url("consignment_place", agreement.pk), {"from_location": world["store"].pk} | lines(("SMP-PCT-001", "dua", ""))
    )
    assert response.status_code == 200 and response.context["formset"].forms[0].errors
    assert not Placement.objects.exists()


def test_add_a_line_redraws_the_form_with_one_more_line(client, world, agreement):
    data = {"from_location": world["store"].pk, "_add_line": "1"} | lines(("SMP-PCT-001", 2, ""))
    response = login(client, world["admin"]).post(url("consignment_place", agreement.pk), data)
    assert response.status_code == 200 and len(response.context["formset"].forms) == 2
    assert not Placement.objects.exists()


# A sale at the outlet -----------------------------------------------------------------------------


def test_staff_record_a_sale_at_the_outlet(client, world, shelf, today):
    data = {"sold_date": today.isoformat()} | lines(("SMP-PCT-001", 2, ""))

    response = login(client, world["admin"]).post(url("consignment_sale", shelf.pk), data)

    assert response.status_code == 302
    recorded = ConsignmentSale.objects.get()
    assert recorded.recorded_by == world["admin"]
    assert (recorded.sale.gross_idr, recorded.sale.commission_idr) == (150_000, 30_000)


def test_selling_more_than_the_outlet_holds_names_the_sku_in_the_form(client, world, shelf, today):
    data = {"sold_date": today.isoformat()} | lines(("SMP-PCT-001", 11, ""))

    response = login(client, world["admin"]).post(url("consignment_sale", shelf.pk), data)

    assert response.status_code == 200
    assert "SMP-PCT-001" in str(response.context["formset"].forms[0].errors["quantity"])
    assert not ConsignmentSale.objects.exists()


def test_a_sale_in_the_future_is_refused(client, world, shelf, today):
    data = {"sold_date": (today + datetime.timedelta(days=2)).isoformat()} | lines(("SMP-PCT-001", 1, ""))
    response = login(client, world["admin"]).post(url("consignment_sale", shelf.pk), data)
    assert escape(text("A sale cannot be recorded in the future.")) in response.content.decode()
    assert not ConsignmentSale.objects.exists()


# Statements ---------------------------------------------------------------------------------------


def test_the_statement_page_defaults_to_the_previous_period_and_issues_it_once(client, world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    client = login(client, world["admin"])

    # when
    content = page(client.get(url("consignment_statement", shelf.pk)))

    # then
    assert response_period(content, start, end)
    assert "Rp345.000" in content and "Rp69.000" in content and "Rp276.000" in content
    no_maker(content)

    # when issued
    response = client.post(
        url("consignment_statement_issue", shelf.pk), {"date_from": start.isoformat(), "date_to": end.isoformat()}
    )

    # then
    issued = ConsignmentStatement.objects.get()
    assert response.status_code == 302
    shown = page(client.get(response["Location"]))
    assert 'data-testid="issued"' in shown and issued.document.number in shown
    pdf = client.get(url("consignment_statement_pdf", shelf.pk, issued.pk))
    assert pdf.status_code == 200
    pdf_content = pdf_text(pdf.content)
    assert issued.document.verify_code in pdf_content and "Rp276.000" in pdf_content
    no_maker(pdf_content)

    # when issued again: refused, naming the statement already issued
    again = client.post(
        url("consignment_statement_issue", shelf.pk),
        {"date_from": start.isoformat(), "date_to": end.isoformat()},
        follow=True,
    )
    assert issued.document.number in again.content.decode()
    assert ConsignmentStatement.objects.count() == 1


def response_period(content, start, end):
    return f'value="{start.isoformat()}"' in content and f'value="{end.isoformat()}"' in content


def test_another_organization_cannot_issue_or_download_a_statement(client, world, shelf, today):
    start, end = a_month_of_sales(world, shelf, today)
    issued = consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    for user in (world["stranger"], world["partner"]):
        login(client, user)
        assert client.get(url("consignment_statement_pdf", shelf.pk, issued.pk)).status_code in (403, 404)
        response = client.post(
            url("consignment_statement_issue", shelf.pk),
            {
                "date_from": (start - datetime.timedelta(days=31)).isoformat(),
                "date_to": (start - datetime.timedelta(days=1)).isoformat(),
            },
        )
        assert response.status_code in (403, 404)
    assert ConsignmentStatement.objects.count() == 1


def test_one_statement_per_period_the_service_names_the_existing_one_and_the_database_refuses_a_second(
    world, shelf, today
):
    start, end = a_month_of_sales(world, shelf, today)
    issued = consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)

    with pytest.raises(ValidationError) as refused:
        consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    assert issued.document.number in str(refused.value)
    assert list(refused.value.error_dict) == ["date_from"]

    # a different period is fine; the same period written past the service is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsignmentStatement.objects.create(
            organization=shelf.organization,
            agreement=shelf,
            document=consignment_statement_issue(
                actor=world["admin"], agreement=shelf, date_from=start, date_to=start
            ).document,
            date_from=start,
            date_to=end,
            due_date=end,
            gross_idr=0,
            commission_idr=0,
            net_idr=0,
            previous_balance_idr=0,
            paid_idr=0,
            balance_idr=0,
        )


def test_a_partial_return_is_netted_in_the_statement_and_the_next_previous_balance(world, shelf, today):
    # given 3 whips sold on the first day of the last whole month, 1 of them returned later
    start, end = previous_period(shelf, today)
    recorded = sell(world, shelf, start, whips=3)
    sale = recorded.sale
    line = sale.lines.get()
    sale_reverse(actor=world["admin"], sale=sale, lines={line.pk: 1}, reason="retur dari hotel")

    # when
    statement = consignment_statement(user=world["admin"], agreement=shelf, date_from=start, date_to=end)

    # then 2 whips: gross 150.000, commission 30.000 (20 %), net 120.000
    assert [(row.units, row.gross_idr, row.commission_idr, row.net_idr) for row in statement.lines] == [
        (2, 150_000, 30_000, 120_000)
    ]
    assert (statement.gross_idr, statement.commission_idr, statement.net_idr) == (150_000, 30_000, 120_000)
    assert statement.balance_idr == 120_000
    following = statement_of(shelf, end + datetime.timedelta(days=1), today)
    assert following.previous_balance_idr == 120_000
    # and the ledger agrees: the outlet owes the same
    from binakarya.ledger.selectors import outlet_owed

    assert outlet_owed(organization=shelf.organization, outlet=shelf.outlet) == 120_000


def test_a_partial_return_with_an_uneven_commission_matches_the_ledger(world, shelf, today):
    # given 3 bags at a price whose commission does not split evenly: Rp100.001 each, 20 %
    start, _end = previous_period(shelf, today)
    from binakarya.consignment.services import OutletSaleLine, outlet_sale_record

    recorded = outlet_sale_record(
        actor=world["admin"], agreement=shelf, sold_date=start, lines=[OutletSaleLine("SMP-RJT-001", 3, 100_001)]
    )
    line = recorded.sale.lines.get()
    sale_reverse(actor=world["admin"], sale=recorded.sale, lines={line.pk: 1})
    from binakarya.ledger.selectors import outlet_owed

    # when
    statement = statement_of(shelf, start, today)

    # then
    assert statement.balance_idr == outlet_owed(organization=shelf.organization, outlet=shelf.outlet)


# Payments -----------------------------------------------------------------------------------------


def test_recording_a_payment_and_one_above_what_is_owed(client, world, shelf, today):
    sell(world, shelf, today, whips=1)  # the hotel owes Rp60.000
    client = login(client, world["admin"])
    assert "Rp60.000" in page(client.get(url("consignment_payment", shelf.pk)))

    # above what is owed: the amounts in rupiah, nothing saved
    response = client.post(
        url("consignment_payment", shelf.pk), {"amount_idr": "Rp70.000", "paid_date": today.isoformat()}
    )
    assert response.status_code == 200
    assert "Rp70.000" in str(response.context["form"].errors["amount_idr"])
    assert not ConsignmentPayment.objects.exists()
    # bad amount
    response = client.post(url("consignment_payment", shelf.pk), {"amount_idr": "60,5", "paid_date": today.isoformat()})
    assert "amount_idr" in response.context["form"].errors

    # the right amount
    response = client.post(
        url("consignment_payment", shelf.pk),
        {"amount_idr": "60.000", "paid_date": today.isoformat(), "reference": "TRF-1"},
    )
    assert response.status_code == 302
    assert ConsignmentPayment.objects.get().amount_idr == 60_000


def test_ended_agreements_offer_no_placing(client, world, agreement, today):
    agreement_end(actor=world["admin"], agreement=agreement, end_date=today - datetime.timedelta(days=1))
    client = login(client, world["admin"])
    content = page(client.get(url("consignment_detail", agreement.pk)))
    assert url("consignment_place", agreement.pk) not in content
    data = {"from_location": world["store"].pk} | lines(("SMP-PCT-001", 1, ""))
    response = client.post(url("consignment_place", agreement.pk), data)
    assert escape(text("The agreement is no longer in force.")) in response.content.decode()
    assert not Placement.objects.exists()


# Query counts: no query per row -------------------------------------------------------------------


def _queries(client, address):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _ending_agreement(world, today, outlet):
    return agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=outlet,
        commission_percent_bp=1500,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=5),
    )


def test_the_list_and_the_detail_take_the_same_queries_with_more_rows(client, world, today):
    # given an agreement with a sale, a statement and a payment, and one ending soon
    shelf = shelf_agreement(world, today)
    start, end = a_month_of_sales(world, shelf, today)
    consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=1_000, paid_date=today)
    _ending_agreement(world, today, world["gerai"])
    client = login(client, world["admin"])
    few = (_queries(client, url("consignment_list")), _queries(client, url("consignment_detail", shelf.pk)))

    # when there are more agreements, sales, payments
    _ending_agreement(world, today, OrganizationFactory(kind=Organization.Kind.OUTLET, name="Toko Oleh-oleh"))
    sell(world, shelf, today, whips=1, bags=1)
    consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=2_000, paid_date=today)
    many = (_queries(client, url("consignment_list")), _queries(client, url("consignment_detail", shelf.pk)))

    # then
    assert few == many
