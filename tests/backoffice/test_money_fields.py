"""Amounts typed the Indonesian way on every kind of staff form: ``15.000`` saves Rp15.000, never Rp15.

One field (``backoffice.fields.RupiahField``) reads every rupiah amount of the back office; percentages are
typed ``12,5`` and shown the reader's way.
"""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from binakarya.backoffice.fields import MAX_PRICE_IDR, PercentField, RupiahField, number_field, rupiah_field
from binakarya.catalog.models import Variant
from binakarya.ledger.models import CapitalMovement, Payout, PnbpDeposit, PnbpTarget, SplitRule
from binakarya.organizations.models import Organization, Role
from binakarya.production.models import Lot
from binakarya.sales.models import Sale
from tests.backoffice.helpers import html, text
from tests.backoffice.test_ledger_pages import rule_data
from tests.backoffice.test_lots import lot_post
from tests.backoffice.test_lots import workshop as workshop  # noqa: F401 (a fixture)
from tests.backoffice.test_products import product_post
from tests.backoffice.test_sales_pages import make_shop, sale_data, sell, user_with
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class PriceForm(forms.Form):
    price_idr = rupiah_field(label="Harga", required=True)
    fee_idr = rupiah_field(label="Biaya")


# The field ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["15.000", "15000", "Rp15.000", "Rp 15.000", "  Rp 15.000 ", " 15.000 ", "Rp15.000,-"]
)
def test_the_field_reads_what_people_type(typed):
    # when
    form = PriceForm({"price_idr": typed})

    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"price_idr": 15_000, "fee_idr": None}


@pytest.mark.parametrize(
    ("typed", "message", "params"),
    [
        ("15.000,50", "Type whole rupiah, without cents: 15.000, not “%(value)s”.", {"value": "15.000,50"}),
        ("15,000", "Group thousands with dots, not commas: 15.000, not “%(value)s”.", {"value": "15,000"}),
        (
            "15.00",
            "“%(value)s” is unclear: dots group the digits in threes, e.g. 15.000 or 1.250.000.",
            {"value": "15.00"},
        ),
        ("1.5", "“%(value)s” is unclear: dots group the digits in threes, e.g. 15.000 or 1.250.000.", {"value": "1.5"}),
        (
            "15.0000",
            "“%(value)s” is unclear: dots group the digits in threes, e.g. 15.000 or 1.250.000.",
            {"value": "15.0000"},
        ),
        (
            "lima belas ribu",
            "Type an amount in rupiah, e.g. 15.000 or Rp15.000 (not “%(value)s”).",
            {"value": "lima belas ribu"},
        ),
        ("-15.000", "The amount cannot be negative.", {}),
        ("Rp10.000.000.001", "The amount may be at most %(limit)s.", {"limit": "Rp10.000.000.000"}),
        ("9" * 40, "The amount may be at most %(limit)s.", {"limit": "Rp10.000.000.000"}),
    ],
)
def test_cents_and_ambiguous_amounts_are_refused_in_the_users_language(typed, message, params):
    # when
    form = PriceForm({"price_idr": typed})

    # then
    assert not form.is_valid()
    assert form.errors == {"price_idr": [text(message, **params)]}


def test_the_messages_are_translated():
    # when
    with translation.override("id"):
        form = PriceForm({"price_idr": "15.000,50"})
        errors = form.errors["price_idr"]

    # then
    assert errors == ["Ketik rupiah utuh, tanpa sen: 15.000, bukan “15.000,50”."]


def test_an_empty_amount_or_only_rp_is_no_amount():
    # when
    form = PriceForm({"price_idr": "Rp", "fee_idr": "Rp "})

    # then
    assert not form.is_valid()
    assert list(form.errors) == ["price_idr"]
    assert form.cleaned_data == {"fee_idr": None}


def test_the_input_is_a_numeric_text_input_showing_rp():
    # when
    html_out = str(PriceForm(initial={"price_idr": 15_000})["price_idr"])

    # then
    assert 'type="text"' in html_out
    assert 'inputmode="numeric"' in html_out
    assert "data-rupiah" in html_out
    assert 'value="Rp15.000"' in html_out
    assert "min=" not in html_out and "max=" not in html_out and 'type="number"' not in html_out


def test_a_refused_amount_is_shown_again_as_typed_and_a_read_one_as_rp():
    # when
    form = PriceForm({"price_idr": "15.000,50", "fee_idr": "2500"})

    # then
    assert 'value="15.000,50"' in str(form["price_idr"])
    assert 'value="Rp2.500"' in str(form["fee_idr"])


def test_the_upper_bound_is_the_columns():
    # given
    field = RupiahField()

    # when / then
    assert field.clean(str(MAX_PRICE_IDR)) == MAX_PRICE_IDR


@pytest.mark.parametrize("typed", ["12,5", "12.5", "12,5%", " 12,50 % "])
def test_a_percentage_is_typed_with_a_comma_or_a_point(typed):
    # when / then
    assert PercentField().clean(typed) == Decimal("12.5")


@pytest.mark.parametrize(("language", "shown"), [("id", "12,5"), ("en", "12.5")])
def test_a_percentage_is_shown_the_readers_way_without_browser_checks(language, shown):
    # given
    class RuleForm(forms.Form):
        premi_percent = PercentField()

    # when
    with translation.override(language):
        rendered = str(RuleForm(initial={"premi_percent": Decimal("12.50")})["premi_percent"])

    # then
    assert f'value="{shown}"' in rendered
    assert 'inputmode="decimal"' in rendered and 'type="text"' in rendered
    assert "step=" not in rendered and "max=" not in rendered


class CountForm(forms.Form):
    quantity = number_field(label="Jumlah", required=True, min_value=1)


@pytest.mark.parametrize(("typed", "expected"), [("2", 2), ("1.000", 1_000), (" 2.000 ", 2_000), ("1000", 1_000)])
def test_a_whole_number_with_dots_grouping_thousands_is_read_whole(typed, expected):
    # when
    form = CountForm({"quantity": typed})

    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == expected


@pytest.mark.parametrize("typed", ["2,5", "2.5", "1.00", "Rp5", "dua"])
def test_a_whole_number_is_never_cut(typed):
    # when
    form = CountForm({"quantity": typed})

    # then
    assert form.errors == {"quantity": [text("Type a whole number, e.g. 12 or 1.000 (not “%(value)s”).", value=typed)]}


def test_a_whole_number_is_a_numeric_text_input():
    # when
    rendered = str(CountForm()["quantity"])

    # then
    assert 'type="text"' in rendered and 'inputmode="numeric"' in rendered and "min=" not in rendered


# Every kind of staff form -------------------------------------------------------------------------


def test_a_product_priced_15_000_costs_rp15_000(client_a, producer_a, batik):
    # when
    response = client_a.post(reverse("backoffice:product_create"), product_post(producer_a, batik, price_idr="15.000"))

    # then
    assert response.status_code == 302
    assert Variant.objects.get().price_idr == 15_000


def test_a_product_priced_with_cents_is_refused_and_nothing_is_saved(client_a, producer_a, batik):
    # when
    response = client_a.post(
        reverse("backoffice:product_create"), product_post(producer_a, batik, price_idr="15.000,50")
    )

    # then
    assert response.status_code == 200
    assert Variant.objects.count() == 0
    assert (
        html("Type whole rupiah, without cents: 15.000, not “%(value)s”.", value="15.000,50")
        in response.content.decode()
    )


def test_a_variants_price_typed_rp_125_000_is_rp125_000(client_a, product_a):
    # given
    variant = product_a.variants.get()

    # when
    response = client_a.post(
        reverse("backoffice:variant_edit", args=[product_a.pk, variant.pk]),
        {"sku": variant.sku, "name": "", "price_idr": "Rp 125.000", "weight_grams": "300", "is_active": "on"},
    )

    # then
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price_idr == 125_000
    page = client_a.get(reverse("backoffice:variant_edit", args=[product_a.pk, variant.pk]))
    assert 'value="Rp125.000"' in page.content.decode()


def test_a_lots_material_cost_typed_1_000_000_is_rp1_000_000(client, facility_a, workshop):  # noqa: F811
    # given
    client.force_login(user_with(facility_a, Role.INSTRUCTOR))

    # when
    response = client.post(reverse("backoffice:lot_create"), lot_post(workshop, material_cost_idr="1.000.000"))

    # then
    assert response.status_code == 302
    assert Lot.objects.get().material_cost_idr == 1_000_000


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def client_finance(client, facility_a):
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER, "keuangan"))
    return client


def test_a_sale_priced_450_000_with_a_commission_of_rp_45_000(client_finance, shop):
    # when
    response = client_finance.post(
        reverse("backoffice:sale_create"),
        sale_data(shop, (shop["variant"], 2, "450.000"), channel="POS", commission_idr="Rp 45.000"),
    )

    # then
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert (sale.gross_idr, sale.commission_idr) == (900_000, 45_000)
    assert sale.lines.get().unit_price_idr == 450_000


def test_a_payout_of_rp60_000(client_finance, shop):
    # given
    sell(shop, 2)
    ahmad = shop["members"][0]

    url = reverse("backoffice:payout_create", args=[ahmad.pk])
    typed = {"amount_idr": "Rp60.000", "method": "SAVINGS", "reference": "BRI 0123"}

    # when the amount is typed the Indonesian way, then confirmed
    shown = client_finance.post(url, typed)
    response = client_finance.post(url, {**typed, "confirm": "1"})

    # then the confirmation showed Rp60.000 and Rp60.000 was paid
    assert shown.status_code == 200
    assert "Rp60.000" in shown.content.decode()
    assert response.status_code == 302
    assert Payout.objects.get().amount_idr == 60_000


def test_a_grant_of_3_000_000(client_finance, shop):
    # given
    agency = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Disperindag", slug="disperindag")

    # when
    response = client_finance.post(
        reverse("backoffice:capital_grant"),
        {"organisasi": shop["org"].slug, "group": shop["group"].pk, "agency": agency.pk, "amount_idr": "3.000.000"},
    )

    # then
    assert response.status_code == 302
    assert CapitalMovement.objects.get(kind="GRANT").amount_idr == 3_000_000


def test_a_pnbp_target_and_deposit_typed_with_dots(client_finance, shop):
    # given a sale that accrued Rp90.000 of PNBP
    sell(shop, 2)
    year = timezone.localdate().year

    # when
    target = client_finance.post(
        reverse("backoffice:pnbp_target"), {"organisasi": shop["org"].slug, "year": year, "target_idr": "1.000.000"}
    )
    deposit = client_finance.post(
        reverse("backoffice:pnbp_deposit"),
        {
            "organisasi": shop["org"].slug,
            "billing_code": "820250612345678",
            "ntpn": "A1B2C3D4E5F6G7H8",
            "deposited_date": timezone.localdate().isoformat(),
            "amount_idr": "Rp 50.000",
        },
    )

    # then
    assert target.status_code == deposit.status_code == 302
    assert PnbpTarget.objects.get().target_idr == 1_000_000
    assert PnbpDeposit.objects.get().amount_idr == 50_000


def test_a_rule_typed_12_5_percent_and_rp_30_000_per_unit(client_finance, shop, batik):
    # when
    response = client_finance.post(
        reverse("backoffice:rule_create"),
        rule_data(
            shop["org"],
            category=batik.pk,
            capital_percent="12,5",
            premi_mode="PER_UNIT",
            premi_percent="",
            premi_per_unit_idr="Rp 30.000",
            **{"contoh-unit_price_idr": "450.000", "contoh-unit_cost_idr": "Rp150.000"},
        ),
    )

    # then
    assert response.status_code == 302
    rule = SplitRule.objects.exclude(pk=shop["rule"].pk).get()
    assert (rule.premi_mode, rule.premi_per_unit_idr, rule.capital_bp) == ("PER_UNIT", 30_000, 1250)
