"""The money pages: makers' statements, payouts and slips, who leaves soon, split rules and their preview,
capital funds, PNBP and the trial balance; refusals save nothing, and each facility sees only its own books.

The shop is the one of test_sales_pages: selling 2 at Rp450.000 from the 10-unit lot costing Rp1.500.000 gives
Rp100.000 premi to each of three makers, 510.000 to the capital fund and 90.000 PNBP.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binakarya.documents.models import Document
from binakarya.ledger.models import CapitalMovement, JournalEntry, Payout, PnbpDeposit, PnbpTarget, SplitRule
from binakarya.ledger.selectors import capital_fund_balance, maker_premi_owed
from binakarya.ledger.services import pnbp_target_set
from binakarya.organizations.models import Organization, Role
from tests.backoffice.helpers import text
from tests.backoffice.test_sales_pages import LEGAL_REFERENCE, make_shop, sell, user_with
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def shop_b(facility_b):
    return make_shop(facility_b, sku="BDW-PCT-001", names=["Dedi Rahasia", "Eko Rahasia", "Fajar Rahasia"])


@pytest.fixture
def sold(shop):
    """Two units sold at the showroom: Rp100.000 premi for each maker."""
    return sell(shop, 2)


@pytest.fixture
def ahmad(shop):
    return shop["members"][0]


@pytest.fixture
def finance(facility_a):
    return user_with(facility_a, Role.FINANCE_OFFICER, "keuangan")


@pytest.fixture
def client_finance(client, finance):
    client.force_login(finance)
    return client


@pytest.fixture
def auditor(facility_a):
    return user_with(facility_a, Role.AUDITOR, "auditor")


@pytest.fixture
def disperindag(db):
    return OrganizationFactory(kind=Organization.Kind.AGENCY, name="Disperindag Kabupaten Sumenep", slug="disperindag")


def ledger_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (JournalEntry, Payout, Document, SplitRule, CapitalMovement, PnbpDeposit, PnbpTarget)
    )


def rule_data(organization, **changes) -> dict:
    data = {
        "organization": organization.pk,
        "category": "",
        "effective_from": "2025-07-01",
        "basis": "MARGIN",
        "premi_mode": "PERCENT",
        "premi_percent": "50",
        "premi_per_unit_idr": "",
        "capital_percent": "35",
        "recover_material_cost": "on",
        "restitution_percent": "",
        "victim_fund_percent": "",
        "legal_reference": "SK Kepala Rutan Nomor W15.PAS.PAS19-PK.01.04/2025",
        "contoh-quantity": "2",
        "contoh-unit_price_idr": "450000",
        "contoh-unit_cost_idr": "150000",
        "contoh-commission_idr": "0",
        "contoh-shares": "1, 1, 1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# A maker's statement, payouts and slips ---------------------------------------------------------


def test_a_makers_statement_shows_each_sale_with_its_lot_share_and_balance(client_finance, shop, sold, ahmad):
    # when
    response = client_finance.get(reverse("backoffice:statement", args=[ahmad.pk]))

    # then
    assert response.status_code == 200
    assert response.context["balance_idr"] == 100_000
    [line] = response.context["lines"]
    assert (line.kind, line.sale, line.lot, line.share, line.amount_idr, line.balance_idr) == (
        "SALE",
        sold.number,
        shop["lot"].code,
        1,
        100_000,
        100_000,
    )
    body = response.content.decode()
    assert 'data-testid="balance"><strong>Rp100.000</strong>' in body
    assert reverse("backoffice:sale_detail", args=[sold.number]) in body
    assert response.context["payout_form"] is not None


def test_the_statement_is_linked_from_the_makers_pages(client_finance, shop, ahmad):
    url = reverse("backoffice:statement", args=[ahmad.pk])

    assert url in client_finance.get(reverse("backoffice:makers")).content.decode()
    assert url in client_finance.get(reverse("backoffice:maker_edit", args=[ahmad.pk])).content.decode()


def test_printing_a_statement_issues_a_document_and_answers_its_pdf(client_finance, sold, ahmad):
    # when
    response = client_finance.post(reverse("backoffice:statement_pdf", args=[ahmad.pk]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = Document.objects.get(kind="PREMI_STATEMENT")
    assert response["Content-Disposition"] == f'attachment; filename="premi-{document.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert document.public_figures == {"total_idr": 100_000}


def test_paying_part_of_the_premi_gives_a_slip_with_its_verification_code(client_finance, sold, ahmad):
    # when
    response = client_finance.post(
        reverse("backoffice:payout_create", args=[ahmad.pk]),
        {"amount_idr": "60000", "method": "SAVINGS", "reference": "BRI 0123-01-000456-50-1", "confirm": "1"},
    )

    # then
    payout = Payout.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:payout_detail", args=[ahmad.pk, payout.pk])
    assert (payout.maker, payout.amount_idr, payout.method, payout.reference) == (
        ahmad,
        60_000,
        "SAVINGS",
        "BRI 0123-01-000456-50-1",
    )
    assert maker_premi_owed(maker=ahmad) == 40_000
    page = client_finance.get(response["Location"])
    body = page.content.decode()
    assert payout.document.verify_code in body
    assert 'data-testid="balance">Rp40.000' in body
    slip = client_finance.get(reverse("backoffice:payout_pdf", args=[ahmad.pk, payout.pk]))
    assert slip["Content-Type"] == "application/pdf"
    assert slip["Content-Disposition"] == f'attachment; filename="slip-{payout.document.number}.pdf"'
    assert slip.content.startswith(b"%PDF-")
    statement = client_finance.get(reverse("backoffice:statement", args=[ahmad.pk]))
    assert [line.amount_idr for line in statement.context["lines"]] == [100_000, -60_000]
    assert statement.context["paid_idr"] == 60_000


def test_a_family_payout_names_the_recipient(client_finance, sold, ahmad):
    # when
    client_finance.post(
        reverse("backoffice:payout_create", args=[ahmad.pk]),
        {
            "amount_idr": "100000",
            "method": "FAMILY",
            "recipient_name": "Siti Aminah",
            "recipient_relationship": "istri",
            "confirm": "1",
        },
    )

    # then
    payout = Payout.objects.get()
    assert (payout.recipient_name, payout.recipient_relationship, payout.amount_idr) == (
        "Siti Aminah",
        "istri",
        100_000,
    )
    assert maker_premi_owed(maker=ahmad) == 0


@pytest.mark.parametrize(
    ("data", "field", "message", "params"),
    [
        (
            {"amount_idr": "100001", "method": "SAVINGS"},
            "amount_idr",
            "%(name)s is owed %(owed)s; %(amount)s cannot be paid out.",
            {"name": "Ahmad Rahasia", "owed": "Rp100.000", "amount": "Rp100.001"},
        ),
        (
            {"amount_idr": "30000", "method": "EMONEY"},
            "amount_idr",
            "Only %(pct)s%% of the premi may be spent inside: %(left)s is left for %(name)s.",
            {"pct": "25", "left": "Rp25.000", "name": "Ahmad Rahasia"},
        ),
        (
            {"amount_idr": "10000", "method": "FAMILY", "recipient_name": "Siti"},
            "recipient_name",
            "Record the family member's name and relationship.",
            {},
        ),
        (
            {"amount_idr": "10000", "method": "RELEASE"},
            "method",
            "Payment on release is made once the maker has been released.",
            {},
        ),
        ({"amount_idr": "0", "method": "SAVINGS"}, "amount_idr", "Enter an amount of more than Rp0.", {}),
    ],
)
def test_refused_payouts_say_why_next_to_the_field_and_save_nothing(
    client_finance, sold, ahmad, data, field, message, params
):
    # given
    before = ledger_counts()

    # when
    response = client_finance.post(reverse("backoffice:payout_create", args=[ahmad.pk]), data)

    # then
    assert response.status_code == 200
    assert response.context["payout_form"].errors == {field: [text(message, **params)]}
    assert ledger_counts() == before
    assert maker_premi_owed(maker=ahmad) == 100_000


def test_an_auditor_reads_a_statement_but_pays_nothing(client, auditor, sold, ahmad):
    # given
    client.force_login(auditor)
    before = ledger_counts()

    # when
    page = client.get(reverse("backoffice:statement", args=[ahmad.pk]))
    paid = client.post(
        reverse("backoffice:payout_create", args=[ahmad.pk]), {"amount_idr": "1000", "method": "SAVINGS"}
    )

    # then
    assert page.status_code == 200
    assert page.context["payout_form"] is None
    assert paid.status_code == 403
    assert ledger_counts() == before


def test_another_facility_never_sees_our_makers_premi(client, shop, shop_b, sold, ahmad, staff_b, facility_a):
    # given a payout of ours
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))
    client.post(
        reverse("backoffice:payout_create", args=[ahmad.pk]),
        {"amount_idr": "1000", "method": "SAVINGS", "confirm": "1"},
    )
    payout = Payout.objects.get()
    client.force_login(staff_b)
    before = ledger_counts()

    # when
    responses = [
        client.get(reverse("backoffice:statement", args=[ahmad.pk])),
        client.post(reverse("backoffice:statement_pdf", args=[ahmad.pk])),
        client.post(reverse("backoffice:payout_create", args=[ahmad.pk]), {"amount_idr": "1", "method": "SAVINGS"}),
        client.get(reverse("backoffice:payout_detail", args=[ahmad.pk, payout.pk])),
        client.get(reverse("backoffice:payout_pdf", args=[ahmad.pk, payout.pk])),
        client.get(reverse("backoffice:payout_detail", args=[shop_b["members"][0].pk, payout.pk])),
    ]
    worklist = client.get(reverse("backoffice:release_worklist"))

    # then
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert ledger_counts() == before
    assert "Ahmad Rahasia" not in worklist.content.decode()


def test_a_regional_viewer_does_not_see_makers_premi(client, sold, ahmad, facility_a):
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", province="Jawa Timur")
    client.force_login(user_with(kanwil, Role.REGIONAL_VIEWER))

    statement = client.get(reverse("backoffice:statement", args=[ahmad.pk]))
    worklist = client.get(reverse("backoffice:release_worklist"))

    assert (statement.status_code, worklist.status_code) == (404, 403)


def test_the_release_worklist_shows_who_leaves_within_30_days_and_what_each_is_owed(client_finance, shop, sold):
    # given Ahmad leaves in 10 days, Budi in 45
    ahmad, budi, _citra = shop["members"]
    today = timezone.localdate()
    ahmad.expected_release_date = today + datetime.timedelta(days=10)
    ahmad.save(update_fields=["expected_release_date"])
    budi.expected_release_date = today + datetime.timedelta(days=45)
    budi.save(update_fields=["expected_release_date"])

    # when
    response = client_finance.get(reverse("backoffice:release_worklist"))

    # then
    assert [(row["maker"], row["owed_idr"], row["days"]) for row in response.context["rows"]] == [(ahmad, 100_000, 10)]
    pay = reverse("backoffice:statement", args=[ahmad.pk]) + "?bayar=1#pay"
    assert pay in response.content.decode()
    assert client_finance.get(pay).context["open_payout"] is True


# Split rules ------------------------------------------------------------------------------------


def test_rules_are_listed_with_the_one_in_force_and_their_legal_reference(client_finance, shop, shop_b):
    # given a future version
    client_finance.post(reverse("backoffice:rule_create"), rule_data(shop["org"], effective_from="2999-01-01"))

    # when
    response = client_finance.get(reverse("backoffice:rules"))

    # then
    rules = response.context["rules"]
    assert [(r.effective_from.year, r.in_force) for r in rules] == [(2999, False), (2024, True)]
    assert LEGAL_REFERENCE in response.content.decode()
    assert all(r.organization == shop["org"] for r in rules)


def test_a_rule_is_entered_in_percent_and_stored_in_basis_points(client_finance, shop, batik):
    # when
    response = client_finance.post(
        reverse("backoffice:rule_create"),
        rule_data(
            shop["org"], category=batik.pk, premi_percent="12.5", capital_percent="60", recover_material_cost=None
        ),
    )

    # then
    rule = SplitRule.objects.exclude(pk=shop["rule"].pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:rules") + f"#rule-{rule.pk}"
    assert (rule.premi_bp, rule.capital_bp, rule.recover_material_cost, rule.category) == (1250, 6000, False, batik)
    assert rule.effective_from == datetime.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"premi_percent": "60", "capital_percent": "50"},
            None,
            "Premi and capital together exceed 100% of the basis.",
        ),
        ({"restitution_percent": "3"}, None, "Each deduction, when on, is between 5% and 20% of the premi."),
        ({"premi_mode": "PER_UNIT", "premi_per_unit_idr": "0"}, None, "A premi per unit must be more than Rp0."),
        ({"legal_reference": " "}, "legal_reference", "Quote the regulation or decree this split follows."),
    ],
)
def test_refused_rules_show_the_services_messages_and_save_nothing(client_finance, shop, changes, field, message):
    # given
    before = ledger_counts()

    # when
    response = client_finance.post(reverse("backoffice:rule_create"), rule_data(shop["org"], **changes))

    # then
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.non_field_errors() if field is None else form.errors[field]
    assert list(errors) == [text(message)]
    assert ledger_counts() == before


def test_the_preview_button_computes_the_example_and_saves_no_rule(client_finance, shop):
    # given
    before = ledger_counts()

    # when
    response = client_finance.post(reverse("backoffice:rule_create"), rule_data(shop["org"], _preview="1"))

    # then 2 × 450.000, material 300.000, margin 600.000: premi 300.000, capital 210.000, PNBP 90.000
    assert response.status_code == 200
    preview = response.context["preview"]
    split = preview["split"]
    assert (split.gross_idr, split.material_idr, split.premi_idr, split.capital_idr, split.remainder_idr) == (
        900_000,
        300_000,
        300_000,
        210_000,
        90_000,
    )
    assert [c["net_idr"] for c in preview["contributors"]] == [100_000, 100_000, 100_000]
    assert 'data-testid="preview-premi"><strong>Rp300.000</strong>' in response.content.decode()
    assert ledger_counts() == before


def test_the_live_preview_answers_the_section_alone_and_saves_no_rule(client_finance, shop):
    # given deductions of 10% restitution and unequal shares
    before = ledger_counts()
    data = rule_data(shop["org"], restitution_percent="10", legal_reference="", **{"contoh-shares": "2 1"})

    # when
    response = client_finance.post(reverse("backoffice:rule_preview"), data, HTTP_HX_REQUEST="true")

    # then premi 300.000 split 200.000 / 100.000, less 10% each
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "backoffice/includes/rule_preview.html"
    preview = response.context["preview"]
    assert preview["problems"] == []
    assert [(c["premi_idr"], c["deductions_idr"], c["net_idr"]) for c in preview["contributors"]] == [
        (200_000, 20_000, 180_000),
        (100_000, 10_000, 90_000),
    ]
    assert "<h1>" not in response.content.decode()
    assert ledger_counts() == before


def test_the_live_preview_shows_why_a_rule_would_be_refused(client_finance, shop):
    response = client_finance.post(
        reverse("backoffice:rule_preview"), rule_data(shop["org"], premi_percent="60", capital_percent="50")
    )

    assert response.context["preview"]["problems"] == [text("Premi and capital together exceed 100% of the basis.")]
    assert response.context["preview"]["split"] is None
    assert SplitRule.objects.count() == 1


def test_only_the_book_keepers_enter_or_preview_rules(client, shop, auditor, staff_b):
    # given
    before = ledger_counts()
    responses = []
    for user in (auditor, staff_b):
        client.force_login(user)
        responses.append(client.get(reverse("backoffice:rule_create")).status_code)
        responses.append(client.post(reverse("backoffice:rule_create"), rule_data(shop["org"])).status_code)
        responses.append(client.post(reverse("backoffice:rule_preview"), rule_data(shop["org"])).status_code)

    # then the auditor may not; B's admin may, but not for A: A is not a choice
    assert responses[:3] == [403, 403, 403]
    assert responses[3:] == [200, 200, 200]
    assert ledger_counts() == before
    client.force_login(auditor)
    assert client.get(reverse("backoffice:rules")).status_code == 200


# Capital funds ----------------------------------------------------------------------------------


def test_the_capital_fund_after_a_sale_a_grant_and_a_purchase(client_finance, shop, sold, disperindag):
    # given the sale brought back 300.000 of material and 210.000 of capital share
    group = shop["group"]
    url = reverse("backoffice:capital")
    page = client_finance.get(url)
    assert [(f["name"], f["balance_idr"], f["pieces"]) for f in page.context["funds"]] == [(group.name, 510_000, 3)]

    # when Disperindag grants 3.000.000, and 600.000 of materials are bought
    granted = client_finance.post(
        reverse("backoffice:capital_grant"),
        {"organisasi": shop["org"].slug, "group": group.pk, "agency": disperindag.pk, "amount_idr": "3000000"},
    )
    bought = client_finance.post(
        reverse("backoffice:capital_purchase"),
        {"organisasi": shop["org"].slug, "group": group.pk, "amount_idr": "600000", "memo": "kain mori 20 m"},
    )

    # then 2.910.000 left: the materials of 19 more pieces at 150.000
    assert granted.status_code == bought.status_code == 302
    assert granted["Location"] == f"{url}?organisasi={shop['org'].slug}"
    assert capital_fund_balance(organization=shop["org"], group=group) == 2_910_000
    page = client_finance.get(url)
    assert [(f["balance_idr"], f["pieces"]) for f in page.context["funds"]] == [(2_910_000, 19)]
    grant = CapitalMovement.objects.get(kind="GRANT")
    assert (grant.agency, grant.amount_idr, grant.group) == (disperindag, 3_000_000, group)
    assert "Disperindag Kabupaten Sumenep" in page.content.decode()


def test_spending_more_than_the_fund_holds_is_refused_next_to_the_amount(client_finance, shop, sold):
    # given
    before = ledger_counts()

    # when
    response = client_finance.post(
        reverse("backoffice:capital_purchase"),
        {"organisasi": shop["org"].slug, "group": shop["group"].pk, "amount_idr": "510001"},
    )

    # then
    assert response.status_code == 200
    assert response.context["purchase_form"].errors == {
        "amount_idr": [
            text(
                "The capital fund holds %(available)s; %(amount)s cannot be spent.",
                available="Rp510.000",
                amount="Rp510.001",
            )
        ]
    }
    assert ledger_counts() == before


def test_another_facilitys_funds_are_not_found(client, shop, shop_b, sold, staff_b, disperindag):
    # given
    client.force_login(staff_b)
    before = ledger_counts()

    # when
    page = client.get(reverse("backoffice:capital"), {"organisasi": shop["org"].slug})
    own = client.get(reverse("backoffice:capital"))
    grant = client.post(
        reverse("backoffice:capital_grant"),
        {"organisasi": shop["org"].slug, "agency": disperindag.pk, "amount_idr": "1000"},
    )
    into_a_group_of_a = client.post(
        reverse("backoffice:capital_grant"),
        {"organisasi": shop_b["org"].slug, "group": shop["group"].pk, "amount_idr": "1000"},
    )

    # then
    assert (page.status_code, grant.status_code) == (404, 404)
    assert own.context["organization"] == shop_b["org"]
    assert shop["group"].name not in own.content.decode()
    assert into_a_group_of_a.status_code == 200 and "group" in into_a_group_of_a.context["grant_form"].errors
    assert ledger_counts() == before


# PNBP -------------------------------------------------------------------------------------------


def test_pnbp_target_deposit_and_what_sales_accrued(client_finance, shop, sold):
    # given
    year = timezone.localdate().year
    url = reverse("backoffice:pnbp")

    # when
    target = client_finance.post(
        reverse("backoffice:pnbp_target"), {"organisasi": shop["org"].slug, "year": year, "target_idr": "1000000"}
    )
    deposit = client_finance.post(
        reverse("backoffice:pnbp_deposit"),
        {
            "organisasi": shop["org"].slug,
            "billing_code": "820250612345678",
            "ntpn": "a1b2c3d4e5f6g7h8",
            "deposited_date": timezone.localdate().isoformat(),
            "amount_idr": "50000",
        },
    )

    # then
    assert target.status_code == deposit.status_code == 302
    assert deposit["Location"] == f"{url}?organisasi={shop['org'].slug}&tahun={year}"
    page = client_finance.get(url)
    assert page.context["figures"] == {
        "year": year,
        "target_idr": 1_000_000,
        "deposited_idr": 50_000,
        "accrued_idr": 90_000,
    }
    assert page.context["percent_of_target"] == 5
    assert [d.ntpn for d in page.context["deposits"]] == ["A1B2C3D4E5F6G7H8"]


@pytest.mark.parametrize(
    ("changes", "field", "message", "params"),
    [
        (
            {"amount_idr": "90000"},
            "amount_idr",
            "Only %(owed)s of PNBP is owed; a deposit of %(amount)s is more than that.",
            {"owed": "Rp89.999", "amount": "Rp90.000"},
        ),
        ({"ntpn": "NTPN-SUDAH-ADA"}, "ntpn", "This NTPN has already been recorded.", {}),
        ({"billing_code": ""}, "billing_code", "Enter the billing code.", {}),
    ],
)
def test_refused_deposits_say_why_and_save_nothing(client_finance, shop, sold, changes, field, message, params):
    # given a deposit of Rp1 with that NTPN already: 89.999 of the 90.000 accrued is still owed
    client_finance.post(
        reverse("backoffice:pnbp_deposit"),
        {
            "organisasi": shop["org"].slug,
            "billing_code": "820250600000001",
            "ntpn": "NTPN-SUDAH-ADA",
            "deposited_date": timezone.localdate().isoformat(),
            "amount_idr": "1",
        },
    )
    before = ledger_counts()
    data = {
        "organisasi": shop["org"].slug,
        "billing_code": "820250600000002",
        "ntpn": "NTPN-BARU",
        "deposited_date": timezone.localdate().isoformat(),
        "amount_idr": "1000",
    }
    data.update(changes)

    # when
    response = client_finance.post(reverse("backoffice:pnbp_deposit"), data)

    # then
    assert response.status_code == 200
    assert response.context["deposit_form"].errors == {field: [text(message, **params)]}
    assert ledger_counts() == before


def test_an_umkm_has_no_pnbp_page(client, db):
    from tests.factories import ProducerOrgFactory

    umkm = ProducerOrgFactory(name="Batik Tamanan")
    client.force_login(user_with(umkm, Role.PRODUCER_OPERATOR))

    assert client.get(reverse("backoffice:pnbp")).status_code == 403
    assert reverse("backoffice:pnbp") not in client.get(reverse("backoffice:dashboard")).content.decode()


# Trial balance ----------------------------------------------------------------------------------


def test_the_trial_balance_of_a_sale_balances(client_finance, shop, sold):
    # when
    response = client_finance.get(reverse("backoffice:trial_balance"))

    # then
    balance = response.context["balance"]
    assert (balance.debit_idr, balance.credit_idr, balance.balanced) == (900_000, 900_000, True)
    assert sorted((row.kind, row.debit_idr, row.credit_idr) for row in balance.rows) == [
        ("CAPITAL_FUND", 0, 510_000),
        ("CASH", 900_000, 0),
        ("PNBP_PAYABLE", 0, 90_000),
        ("PREMI_PAYABLE", 0, 100_000),
        ("PREMI_PAYABLE", 0, 100_000),
        ("PREMI_PAYABLE", 0, 100_000),
    ]
    body = response.content.decode()
    assert 'data-testid="debit-total"><strong>Rp900.000</strong>' in body
    # the facility's own staff read premi accounts by the maker's name (oversight reads a code)
    assert f"{text('Premi payable')} · Ahmad Rahasia" in body


def test_auditors_read_the_books_but_post_nothing(client, shop, sold, auditor, disperindag):
    # given
    client.force_login(auditor)
    before = ledger_counts()
    slug = shop["org"].slug
    today = timezone.localdate().isoformat()

    # when
    reads = [
        client.get(reverse(name))
        for name in ("backoffice:money", "backoffice:trial_balance", "backoffice:pnbp", "backoffice:capital")
    ]
    posts = [
        client.post(reverse("backoffice:capital_grant"), {"organisasi": slug, "amount_idr": "1000"}),
        client.post(reverse("backoffice:capital_purchase"), {"organisasi": slug, "amount_idr": "1000"}),
        client.post(reverse("backoffice:pnbp_target"), {"organisasi": slug, "year": "2025", "target_idr": "1"}),
        client.post(
            reverse("backoffice:pnbp_deposit"),
            {"organisasi": slug, "billing_code": "1", "ntpn": "X", "deposited_date": today, "amount_idr": "1"},
        ),
        client.post(reverse("backoffice:rule_create"), rule_data(shop["org"])),
    ]

    # then
    assert [r.status_code for r in reads] == [200] * 4
    assert reads[2].context["deposit_form"] is None and reads[2].context["target_form"] is None
    assert reads[3].context["grant_form"] is None and reads[3].context["purchase_form"] is None
    assert [r.status_code for r in posts] == [403] * 5
    assert ledger_counts() == before


def test_another_facility_reads_none_of_our_books(client, shop, shop_b, sold, staff_b):
    # given
    client.force_login(staff_b)
    slug = shop["org"].slug

    # when
    responses = [
        client.get(reverse(name), {"organisasi": slug})
        for name in ("backoffice:trial_balance", "backoffice:pnbp", "backoffice:capital")
    ]
    own = client.get(reverse("backoffice:trial_balance"))
    posted = client.post(reverse("backoffice:pnbp_target"), {"organisasi": slug, "year": "2025", "target_idr": "1"})

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert own.context["organization"] == shop_b["org"]
    assert own.context["balance"].rows == []
    assert posted.status_code == 404
    assert PnbpTarget.objects.count() == 0


def test_a_regional_viewer_reads_the_books_of_the_province(client, shop, sold, facility_a):
    # given
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", province="Jawa Timur")
    pnbp_target_set(actor=None, organization=facility_a, year=timezone.localdate().year, target_idr=500_000)
    client.force_login(user_with(kanwil, Role.REGIONAL_VIEWER))

    # when
    books = client.get(reverse("backoffice:trial_balance"), {"organisasi": facility_a.slug})
    pnbp = client.get(reverse("backoffice:pnbp"), {"organisasi": facility_a.slug})
    posted = client.post(
        reverse("backoffice:pnbp_target"), {"organisasi": facility_a.slug, "year": "2025", "target_idr": "1"}
    )

    # then
    assert books.context["balance"].debit_idr == 900_000
    assert pnbp.context["figures"]["target_idr"] == 500_000
    assert posted.status_code == 403


# Every page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("backoffice:money", [], "get"),
        ("backoffice:rules", [], "get"),
        ("backoffice:rule_create", [], "get"),
        ("backoffice:rule_preview", [], "post"),
        ("backoffice:release_worklist", [], "get"),
        ("backoffice:statement", [1], "get"),
        ("backoffice:statement_pdf", [1], "post"),
        ("backoffice:payout_create", [1], "post"),
        ("backoffice:payout_detail", [1, 1], "get"),
        ("backoffice:payout_pdf", [1, 1], "get"),
        ("backoffice:capital", [], "get"),
        ("backoffice:capital_grant", [], "post"),
        ("backoffice:capital_purchase", [], "post"),
        ("backoffice:pnbp", [], "get"),
        ("backoffice:pnbp_target", [], "post"),
        ("backoffice:pnbp_deposit", [], "post"),
        ("backoffice:trial_balance", [], "get"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args, method):
    url = reverse(name, args=args)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_money_pages_render_in_both_languages(client_finance, shop, sold, ahmad, disperindag, language):
    # given a payout
    client_finance.post(
        reverse("backoffice:payout_create", args=[ahmad.pk]),
        {"amount_idr": "1000", "method": "SAVINGS", "confirm": "1"},
    )
    payout = Payout.objects.get()
    with translation.override(language):
        urls = [
            reverse("backoffice:dashboard"),
            reverse("backoffice:money"),
            reverse("backoffice:rules"),
            reverse("backoffice:rule_create"),
            reverse("backoffice:release_worklist"),
            reverse("backoffice:statement", args=[ahmad.pk]),
            reverse("backoffice:payout_detail", args=[ahmad.pk, payout.pk]),
            reverse("backoffice:capital"),
            reverse("backoffice:pnbp") + "?tahun=2024",
            reverse("backoffice:trial_balance"),
        ]

    # when
    responses = [client_finance.get(url) for url in urls]

    # then
    assert [(url, r.status_code) for url, r in zip(urls, responses, strict=True)] == [(url, 200) for url in urls]
    for response in responses:
        body = response.content.decode()
        assert f'<html lang="{language}">' in body
        assert reverse("backoffice:money") in body
