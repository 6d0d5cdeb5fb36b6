"""Ledger endpoints: makers' statements and payouts, trial balance, split rules, capital, PNBP, public impact."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binakarya.accounts.services import api_token_create
from binakarya.documents.models import Document
from binakarya.ledger.models import CapitalMovement, JournalEntry, Payout, PnbpDeposit, PnbpTarget, SplitRule
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import capital_grant, pnbp_target_set, premi_payout
from binakarya.organizations.models import Organization, Role
from tests.api.helpers import bearer
from tests.api.test_sales import make_shop, sell
from tests.factories import MembershipFactory, OrganizationFactory, ProducerOrgFactory

UNAUTHENTICATED = {"detail": "Authentication required: send 'Authorization: Bearer <token>' or log in."}
NOT_FOUND = {"detail": "Not found"}
TRIAL_BALANCE = "/api/v1/ledger/trial-balance"
SPLIT_RULES = "/api/v1/split-rules"
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def shop(facility_a, batik_category):
    return make_shop(facility_a, batik_category)


@pytest.fixture
def token_b(facility_b) -> str:
    """An admin of facility B: every permission there, none in A."""
    return token_for(facility_b, Role.FACILITY_ADMIN)


@pytest.fixture
def siti(shop):
    return shop["members"][0]


@pytest.fixture
def kanwil_jatim(db):
    return OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim", province="Jawa Timur"
    )


def token_for(organization, role) -> str:
    return api_token_create(user=MembershipFactory(organization=organization, role=role).user)[1]


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


def statement_url(maker) -> str:
    return f"/api/v1/makers/{maker.pk}/statement"


def payouts_url(maker) -> str:
    return f"/api/v1/makers/{maker.pk}/payouts"


# Authentication ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/makers/1/statement"),
        ("post", "/api/v1/makers/1/payouts"),
        ("get", TRIAL_BALANCE),
        ("get", SPLIT_RULES),
        ("post", SPLIT_RULES),
        ("post", f"{SPLIT_RULES}/preview"),
        ("post", "/api/v1/capital/grants"),
        ("post", "/api/v1/capital/purchases"),
        ("get", "/api/v1/capital/funds"),
        ("post", "/api/v1/pnbp/deposits"),
        ("get", "/api/v1/pnbp"),
    ],
)
def test_every_ledger_endpoint_needs_authentication(client, db, method, url):
    # when
    response = getattr(client, method)(url, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


# Statements -------------------------------------------------------------------------------------


def test_a_makers_statement_lists_each_sale_and_payout_with_a_running_balance(client, token_a, shop, siti):
    # given a sale of 2 (100.000 premi each) and a payout of 40.000
    sale = sell(shop, quantity=2, occurred_at=datetime.datetime(2025, 8, 1, 10, tzinfo=JAKARTA))
    payout = premi_payout(actor=None, maker=siti, amount_idr=40_000, method="SAVINGS")

    # when
    response = get(client, token_a, statement_url(siti))

    # then
    assert response.status_code == 200
    paid_at = response.json()["entries"][1].pop("occurred_at")
    assert paid_at.startswith(payout.paid_at.astimezone(datetime.UTC).isoformat()[:19])
    assert response.json() == {
        "maker": siti.pk,
        "name": "Siti Aminah",
        "balance_idr": 60_000,
        "entries": [
            {
                "date": "2025-08-01",
                "occurred_at": "2025-08-01T03:00:00Z",
                "kind": "SALE",
                "sale": sale.number,
                "product": "Kain Batik Tulis Motif Parang",
                "lot": shop["lot"].code,
                "share": 1,
                "amount_idr": 100_000,
                "balance_idr": 100_000,
            },
            {
                "date": timezone.localdate(payout.paid_at).isoformat(),
                "kind": "PAYOUT",
                "sale": None,
                "product": "SAVINGS",
                "lot": None,
                "share": None,
                "amount_idr": -40_000,
                "balance_idr": 60_000,
            },
        ],
    }


def test_a_return_shows_on_the_statement(client, token_a, shop, siti):
    # given
    from binakarya.sales.services import sale_reverse

    sale = sell(shop, quantity=2)
    sale_reverse(actor=None, sale=sale, lines={sale.lines.get().pk: 1})

    # when
    entries = get(client, token_a, statement_url(siti)).json()["entries"]

    # then
    assert [(e["kind"], e["sale"], e["amount_idr"], e["balance_idr"]) for e in entries] == [
        ("SALE", sale.number, 100_000, 100_000),
        ("REVERSAL", sale.number, -50_000, 50_000),
    ]


def test_only_the_makers_own_organization_reads_the_statement(client, shop, siti, token_b, kanwil_jatim):
    # given
    sell(shop)
    regional = token_for(kanwil_jatim, Role.REGIONAL_VIEWER)
    auditor = token_for(shop["org"], Role.AUDITOR)
    partner = token_for(shop["org"], Role.OUTLET_PARTNER)

    # when
    responses = [get(client, token, statement_url(siti)) for token in (token_b, regional, partner, auditor)]

    # then: others get the answer an unknown maker gets
    assert [r.status_code for r in responses] == [404, 404, 404, 200]
    assert [r.json() for r in responses[:3]] == [NOT_FOUND] * 3
    assert b"Siti" not in b"".join(r.content for r in responses[:3])


def test_unknown_maker_is_404(client, token_a, shop):
    # when
    response = get(client, token_a, "/api/v1/makers/999999/statement")

    # then
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_statement_query_count_does_not_grow_with_entries(client, django_assert_num_queries, staff_a, shop, siti):
    # given ten sales and a payout
    for _ in range(10):
        sell(shop, quantity=1)
    premi_payout(actor=None, maker=siti, amount_idr=1000, method="SAVINGS")
    client.force_login(staff_a)

    # when / then: session, user, memberships, the maker, the premi lines (with entry, lot, sale, product)
    with django_assert_num_queries(5):
        response = client.get(statement_url(siti))
    assert len(response.json()["entries"]) == 11
    assert response.json()["balance_idr"] == 10 * 50_000 - 1000


# Payouts ----------------------------------------------------------------------------------------


def test_a_payout_answers_the_balance_after_and_its_slip(client, token_a, shop, siti):
    # given
    sell(shop, quantity=2)

    # when
    response = post(
        client, token_a, payouts_url(siti), {"amount_idr": 40_000, "method": "savings", "reference": "BRI 0123"}
    )

    # then
    assert response.status_code == 201
    data = response.json()
    slip = Document.objects.get(kind=Document.Kind.PAYOUT_SLIP)
    assert data | {"paid_at": None} == {
        "maker": siti.pk,
        "amount_idr": 40_000,
        "method": "SAVINGS",
        "paid_at": None,
        "balance_idr": 60_000,
        "slip": {
            "number": f"PRM-{shop['org'].code}-{timezone.localdate().year}-00001",
            "verify_code": slip.verify_code,
            "verify_url": data["slip"]["verify_url"],
        },
    }
    assert data["slip"]["verify_url"].startswith("http://testserver/")
    assert data["slip"]["verify_url"].endswith(f"/verifikasi/{slip.verify_code}/")
    assert maker_premi_owed(maker=siti) == 60_000
    assert Payout.objects.get().reference == "BRI 0123"


def test_a_payout_retried_with_what_was_owed_pays_once(client, token_a, shop, siti):
    # given Siti is owed Rp100.000
    sell(shop, quantity=2)
    payout = {"amount_idr": 40_000, "method": "SAVINGS", "expected_owed_idr": 100_000}

    # when the same payout is sent twice (a retry after a timeout)
    first = post(client, token_a, payouts_url(siti), payout)
    second = post(client, token_a, payouts_url(siti), payout)

    # then it is paid once; the retry is refused and says what is owed now
    assert first.status_code == 201
    assert second.status_code == 400
    assert "Rp60.000" in str(second.json())
    assert Payout.objects.filter(maker=siti).count() == 1


def test_a_family_payout_names_the_recipient(client, token_a, shop, siti):
    # given
    sell(shop, quantity=2)

    # when
    refused = post(client, token_a, payouts_url(siti), {"amount_idr": 10_000, "method": "FAMILY", "recipient": "Siti"})
    paid = post(
        client,
        token_a,
        payouts_url(siti),
        {"amount_idr": 10_000, "method": "FAMILY", "recipient": "Ibu Marni", "relationship": "ibu"},
    )

    # then
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"recipient": ["Record the family member's name and relationship."]}
    assert paid.status_code == 201
    assert Payout.objects.get().recipient_name == "Ibu Marni"


def nothing_paid() -> bool:
    return not (
        Payout.objects.exists()
        or JournalEntry.objects.filter(kind=JournalEntry.Kind.PAYOUT).exists()
        or Document.objects.filter(kind=Document.Kind.PAYOUT_SLIP).exists()
    )


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"amount_idr": 100_001, "method": "SAVINGS"}, "Siti Aminah is owed Rp100.000; Rp100.001 cannot be paid out."),
        (
            {"amount_idr": 25_001, "method": "EMONEY"},
            "Only 25% of the premi may be spent inside: Rp25.000 is left for Siti Aminah.",
        ),
    ],
)
def test_paying_more_than_the_balance_is_409_and_saves_nothing(client, token_a, shop, siti, data, detail):
    # given 100.000 owed
    sell(shop, quantity=2)

    # when
    response = post(client, token_a, payouts_url(siti), data)

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": detail}
    assert nothing_paid()
    assert maker_premi_owed(maker=siti) == 100_000


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"amount_idr": 0, "method": "SAVINGS"}, {"amount_idr": ["Enter an amount of more than Rp0."]}),
        ({"amount_idr": 1000, "method": "CASH"}, {"method": ["Choose how the premi is paid."]}),
        (
            {"amount_idr": 1000, "method": "RELEASE"},
            {"method": ["Payment on release is made once the maker has been released."]},
        ),
    ],
)
def test_bad_payouts_are_400(client, token_a, shop, siti, data, errors):
    # given
    sell(shop, quantity=2)

    # when
    response = post(client, token_a, payouts_url(siti), data)

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert nothing_paid()


def test_another_facility_cannot_pay_our_makers(client, shop, siti, token_b, kanwil_jatim):
    # given
    sell(shop, quantity=2)
    data = {"amount_idr": 1000, "method": "SAVINGS"}

    # when
    from_b = post(client, token_b, payouts_url(siti), data)
    from_kanwil = post(client, token_for(kanwil_jatim, Role.REGIONAL_VIEWER), payouts_url(siti), data)
    from_instructor = post(client, token_for(shop["org"], Role.INSTRUCTOR), payouts_url(siti), data)

    # then: outsiders do not learn the maker exists; the instructor sees makers but does not keep the books
    assert (from_b.status_code, from_b.json()) == (404, NOT_FOUND)
    assert (from_kanwil.status_code, from_kanwil.json()) == (404, NOT_FOUND)
    assert from_instructor.status_code == 403
    assert from_instructor.json() == {"detail": "You may not change the accounts of Rutan Kelas IIB Sumenep."}
    assert nothing_paid()


# Trial balance ----------------------------------------------------------------------------------


def expected_trial_balance(shop) -> dict:
    """After selling 2 at Rp450.000: cash 900.000 against fund 510.000, premi 3 × 100.000, PNBP 90.000.

    Each account also has a label in the request's language (English here), a maker by code, never by name;
    premi accounts in the natural order of their makers' numbers.
    """
    premi = [
        {
            "name": f"Premi terutang · #{m.pk}",
            "label": f"Premi payable · Maker #{m.pk}",
            "kind": "PREMI_PAYABLE",
            "maker_id": m.pk,
            "debit_idr": 0,
            "credit_idr": 100_000,
        }
        for m in sorted(shop["members"], key=lambda m: m.pk)
    ]
    return {
        "organization": "rutan-sumenep",
        "debit_idr": 900_000,
        "credit_idr": 900_000,
        "balanced": True,
        "accounts": [
            {
                "name": "Dana modal · Kelompok Batik Tulis",
                "label": "Capital fund · Kelompok Batik Tulis",
                "kind": "CAPITAL_FUND",
                "maker_id": None,
                "debit_idr": 0,
                "credit_idr": 510_000,
            },
            {"name": "Kas", "label": "Cash", "kind": "CASH", "maker_id": None, "debit_idr": 900_000, "credit_idr": 0},
            {
                "name": "PNBP terutang",
                "label": "PNBP payable",
                "kind": "PNBP_PAYABLE",
                "maker_id": None,
                "debit_idr": 0,
                "credit_idr": 90_000,
            },
            *premi,
        ],
    }


def test_trial_balance_of_a_sale(client, token_a, shop):
    # given
    sell(shop, quantity=2)

    # when
    named = get(client, token_a, TRIAL_BALANCE, {"organization": "rutan-sumenep"})
    only_one = get(client, token_a, TRIAL_BALANCE)

    # then
    assert named.status_code == 200
    assert named.json() == expected_trial_balance(shop)
    assert only_one.json() == named.json()


def test_auditors_finance_officers_and_the_regional_viewer_read_the_trial_balance(client, shop, kanwil_jatim):
    # given
    sell(shop, quantity=2)
    tokens = [
        token_for(shop["org"], Role.AUDITOR),
        token_for(shop["org"], Role.FINANCE_OFFICER),
        token_for(kanwil_jatim, Role.REGIONAL_VIEWER),
    ]

    # when
    responses = [get(client, token, TRIAL_BALANCE, {"organization": "rutan-sumenep"}) for token in tokens]

    # then
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(r.json() == expected_trial_balance(shop) for r in responses)
    assert all(b"Siti" not in r.content for r in responses)


def test_outsiders_do_not_read_the_trial_balance(client, shop, token_b):
    # given
    sell(shop, quantity=2)
    jateng = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Kanwil Jawa Tengah", slug="kanwil-jateng", province="Jawa Tengah"
    )
    tokens = [
        token_b,
        token_for(jateng, Role.REGIONAL_VIEWER),
        token_for(shop["org"], Role.INSTRUCTOR),
        token_for(shop["org"], Role.OUTLET_PARTNER),
    ]

    # when
    responses = [get(client, token, TRIAL_BALANCE, {"organization": "rutan-sumenep"}) for token in tokens]
    unknown = get(client, tokens[0], TRIAL_BALANCE, {"organization": "tidak-ada"})

    # then: the same answer as an organization that does not exist
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(r.json() == NOT_FOUND for r in responses)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)


def test_a_viewer_of_several_organizations_must_name_one(client, shop, facility_b):
    # given
    ditjenpas = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Ditjenpas", slug="ditjenpas")

    # when
    response = get(client, token_for(ditjenpas, Role.NATIONAL_VIEWER), TRIAL_BALANCE)

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"organization": ["Say which organization: give its slug in “organization”."]}


def test_trial_balance_query_count_does_not_grow_with_accounts(client, django_assert_num_queries, staff_a, shop):
    # given
    sell(shop, quantity=2)
    client.force_login(staff_a)

    # when / then: session, user, memberships, the organization, one grouped sum
    with django_assert_num_queries(5):
        response = client.get(TRIAL_BALANCE, {"organization": "rutan-sumenep"})
    assert len(response.json()["accounts"]) == 6


# Split rules ------------------------------------------------------------------------------------


def rule_body(**changes) -> dict:
    data = {
        "organization": "rutan-sumenep",
        "category": "batik-tulis",
        "effective_from": "2025-06-01",
        "basis": "revenue",
        "premi_mode": "PERCENT",
        "premi_percent": 12.5,
        "capital_percent": 33.33,
        "restitution_percent": 5,
        "legal_reference": "SE Dirjenpas 2010",
    }
    return data | changes


def test_a_rule_is_entered_in_percent_and_stored_in_basis_points(client, token_a, shop):
    # when
    response = post(client, token_a, SPLIT_RULES, rule_body())

    # then
    assert response.status_code == 201
    rule = SplitRule.objects.exclude(pk=shop["rule"].pk).get()
    assert (rule.premi_bp, rule.capital_bp, rule.restitution_bp, rule.victim_fund_bp) == (1250, 3333, 500, 0)
    assert response.json() == {
        "id": rule.pk,
        "organization": "rutan-sumenep",
        "category": "batik-tulis",
        "effective_from": "2025-06-01",
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_percent": 12.5,
        "premi_per_unit_idr": 0,
        "capital_percent": 33.33,
        "recover_material_cost": True,
        "restitution_percent": 5.0,
        "victim_fund_percent": 0.0,
        "legal_reference": "SE Dirjenpas 2010",
        "in_force": True,
    }
    # the next sale of batik tulis uses it: 15% of... 12.5% of the 450.000 revenue
    assert sell(shop, quantity=1).premi_idr == 56_250


def test_rules_are_listed_with_the_ones_in_force(client, token_a, token_b, shop):
    # given a batik override and a general rule for the future
    post(client, token_a, SPLIT_RULES, rule_body())
    post(client, token_a, SPLIT_RULES, rule_body(category=None, effective_from="2099-01-01", restitution_percent=0))

    # when
    ours = get(client, token_a, SPLIT_RULES)
    theirs = get(client, token_b, SPLIT_RULES)

    # then: by category (the general rule first), newest first
    items = ours.json()["items"]
    assert ours.json()["count"] == 3
    assert [(i["category"], i["effective_from"], i["in_force"]) for i in items] == [
        (None, "2099-01-01", False),
        (None, "2024-01-01", True),
        ("batik-tulis", "2025-06-01", True),
    ]
    assert items[1] == {
        "id": shop["rule"].pk,
        "organization": "rutan-sumenep",
        "category": None,
        "effective_from": "2024-01-01",
        "basis": "MARGIN",
        "premi_mode": "PERCENT",
        "premi_percent": 50.0,
        "premi_per_unit_idr": 0,
        "capital_percent": 35.0,
        "recover_material_cost": True,
        "restitution_percent": 0.0,
        "victim_fund_percent": 0.0,
        "legal_reference": "SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
        "in_force": True,
    }
    assert theirs.json() == {"count": 0, "items": []}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"premi_percent": 70, "capital_percent": 40},
            {"__all__": ["Premi and capital together exceed 100% of the basis."]},
        ),
        ({"restitution_percent": 3}, {"__all__": ["Each deduction, when on, is between 5% and 20% of the premi."]}),
        (
            {"restitution_percent": 20, "victim_fund_percent": 20, "premi_mode": "PER_UNIT"},
            {"__all__": ["A premi per unit must be more than Rp0."]},
        ),
        ({"legal_reference": " "}, {"legal_reference": ["Quote the regulation or decree this split follows."]}),
        ({"basis": "PROFIT"}, {"basis": ["Choose revenue or margin."]}),
        ({"category": "tidak-ada"}, {"category": ["Unknown category “tidak-ada”."]}),
    ],
)
def test_refused_rules_are_400_with_the_services_messages(client, token_a, shop, changes, errors):
    # when
    response = post(client, token_a, SPLIT_RULES, rule_body(**changes))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert SplitRule.objects.count() == 1


@pytest.mark.parametrize("value", [12.345, 100.01, -1, "lima"])
def test_a_percentage_with_more_than_two_decimals_or_outside_0_to_100_is_422(client, token_a, shop, value):
    # when
    response = post(client, token_a, SPLIT_RULES, rule_body(premi_percent=value))

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["premi_percent"]
    assert SplitRule.objects.count() == 1


def test_only_the_book_keepers_enter_rules(client, shop, token_b, kanwil_jatim):
    # when
    from_b = post(client, token_b, SPLIT_RULES, rule_body())
    from_kanwil = post(client, token_for(kanwil_jatim, Role.REGIONAL_VIEWER), SPLIT_RULES, rule_body())
    from_officer = post(client, token_for(shop["org"], Role.PRODUCTION_OFFICER), SPLIT_RULES, rule_body())

    # then
    assert from_b.status_code == 400
    assert from_b.json()["errors"] == {"organization": ["Unknown organization “rutan-sumenep”."]}
    assert from_kanwil.status_code == 403
    assert from_officer.status_code == 403
    assert from_officer.json() == {"detail": "You may not change the accounts of Rutan Kelas IIB Sumenep."}
    assert SplitRule.objects.count() == 1


def preview_body(**changes) -> dict:
    data = {
        "basis": "MARGIN",
        "premi_mode": "PERCENT",
        "premi_percent": 50,
        "capital_percent": 35,
        "legal_reference": "SK Kepala Rutan",
        "example": {"quantity": 2, "unit_price_idr": 450_000, "unit_cost_idr": 150_000, "shares": [1, 1, 1]},
    }
    return data | changes


def test_preview_computes_the_split_without_saving(client, token_a, shop):
    # when
    response = post(client, token_a, f"{SPLIT_RULES}/preview", preview_body())

    # then
    assert response.status_code == 200
    each = {"share": 1, "premi_idr": 100_000, "deductions": {}, "net_premi_idr": 100_000}
    assert response.json() == {
        "gross_idr": 900_000,
        "commission_idr": 0,
        "material_idr": 300_000,
        "premi_idr": 300_000,
        "capital_idr": 210_000,
        "remainder_idr": 90_000,
        "contributors": [each, each, each],
    }
    assert SplitRule.objects.count() == 1
    assert not JournalEntry.objects.exists()


def test_preview_with_deductions_commission_and_unequal_shares(client, token_a, shop):
    # when
    response = post(
        client,
        token_a,
        f"{SPLIT_RULES}/preview",
        preview_body(
            restitution_percent=10,
            victim_fund_percent=5,
            example={
                "quantity": 2,
                "unit_price_idr": 450_000,
                "unit_cost_idr": 150_000,
                "commission_idr": 90_000,
                "shares": [2, 1],
            },
        ),
    )

    # then: margin 510.000, premi 255.000 split 170.000 / 85.000, less 10% and 5%
    assert response.status_code == 200
    assert response.json()["contributors"] == [
        {
            "share": 2,
            "premi_idr": 170_000,
            "deductions": {"RESTITUTION": 17_000, "VICTIM_FUND": 8_500},
            "net_premi_idr": 144_500,
        },
        {
            "share": 1,
            "premi_idr": 85_000,
            "deductions": {"RESTITUTION": 8_500, "VICTIM_FUND": 4_250},
            "net_premi_idr": 72_250,
        },
    ]
    assert response.json()["remainder_idr"] == 900_000 - 90_000 - 300_000 - 255_000 - 178_500


@pytest.mark.parametrize(
    ("changes", "status", "errors"),
    [
        (
            {"premi_percent": 80},
            400,
            {"__all__": ["Premi and capital together exceed 100% of the basis."]},
        ),
        (
            {"example": {"quantity": 1, "unit_price_idr": 1000, "commission_idr": 1001, "shares": [1]}},
            400,
            {"example.commission_idr": ["The commission must be between Rp0 and the sale's total."]},
        ),
        ({"example": {"quantity": 1, "unit_price_idr": 1000, "shares": [1, 0]}}, 422, None),
        ({"example": {"quantity": 1, "unit_price_idr": 1000, "shares": []}}, 422, None),
    ],
)
def test_a_bad_preview_is_refused(client, token_a, shop, changes, status, errors):
    # when
    response = post(client, token_a, f"{SPLIT_RULES}/preview", preview_body(**changes))

    # then
    assert response.status_code == status
    if errors is not None:
        assert response.json()["errors"] == errors


# Capital funds ----------------------------------------------------------------------------------


@pytest.fixture
def disperindag(db):
    return OrganizationFactory(kind=Organization.Kind.AGENCY, name="Disperindag Sumenep", slug="disperindag-sumenep")


def test_grant_purchase_and_a_sale_fill_and_spend_the_fund(client, token_a, shop, disperindag):
    # when
    grant = post(
        client,
        token_a,
        "/api/v1/capital/grants",
        {"group": "kelompok-batik-tulis", "amount_idr": 3_000_000, "agency": "disperindag-sumenep", "memo": "APBD"},
    )
    purchase = post(
        client,
        token_a,
        "/api/v1/capital/purchases",
        {"group": "kelompok-batik-tulis", "amount_idr": 500_000, "memo": "Kain primisima"},
    )
    sell(shop, quantity=1)  # recovers 150.000 material + 35% of the 300.000 margin = 255.000
    funds = get(client, token_a, "/api/v1/capital/funds", {"organization": "rutan-sumenep"})

    # then
    assert grant.status_code == 201
    assert grant.json() | {"occurred_at": None} == {
        "kind": "GRANT",
        "organization": "rutan-sumenep",
        "group": "kelompok-batik-tulis",
        "agency": "disperindag-sumenep",
        "amount_idr": 3_000_000,
        "memo": "APBD",
        "occurred_at": None,
        "balance_idr": 3_000_000,
    }
    assert purchase.status_code == 201
    assert (purchase.json()["kind"], purchase.json()["balance_idr"]) == ("MATERIAL_PURCHASE", 2_500_000)
    assert funds.status_code == 200
    assert funds.json() == {
        "organization": "rutan-sumenep",
        "funds": [
            {
                "group": "kelompok-batik-tulis",
                "name": "Kelompok Batik Tulis",
                "balance_idr": 2_755_000,
                "material_per_piece_idr": 150_000,
                "product": "Kain Batik Tulis Motif Parang",
                "pieces": 18,
            }
        ],
    }


def test_spending_more_than_the_fund_holds_is_409(client, token_a, shop, disperindag):
    # given
    capital_grant(actor=None, organization=shop["org"], group=shop["group"], amount_idr=2_500_000, agency=disperindag)

    # when
    response = post(
        client, token_a, "/api/v1/capital/purchases", {"group": "kelompok-batik-tulis", "amount_idr": 2_500_001}
    )

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": "The capital fund holds Rp2.500.000; Rp2.500.001 cannot be spent."}
    assert CapitalMovement.objects.count() == 1


def test_bad_grants_are_400(client, token_a, shop, facility_b):
    # when
    response = post(
        client,
        token_a,
        "/api/v1/capital/grants",
        {"group": "tidak-ada", "amount_idr": 1000, "agency": "lapas-banyuwangi"},
    )
    zero = post(client, token_a, "/api/v1/capital/grants", {"amount_idr": 0})

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "group": ["Unknown group “tidak-ada”. See GET /api/v1/groups."],
        "agency": ["Unknown agency “lapas-banyuwangi”."],
    }
    assert zero.json()["errors"] == {"amount_idr": ["Enter an amount of more than Rp0."]}
    assert not CapitalMovement.objects.exists()


def test_another_facility_cannot_touch_our_funds(client, shop, token_b, disperindag):
    # when
    grant = post(
        client,
        token_b,
        "/api/v1/capital/grants",
        {"organization": "rutan-sumenep", "group": "kelompok-batik-tulis", "amount_idr": 1000},
    )
    into_our_group = post(client, token_b, "/api/v1/capital/grants", {"group": "kelompok-batik-tulis", "amount_idr": 1})
    funds = get(client, token_b, "/api/v1/capital/funds", {"organization": "rutan-sumenep"})

    # then
    assert grant.json()["errors"] == {"organization": ["Unknown organization “rutan-sumenep”."]}
    assert into_our_group.json()["errors"] == {
        "group": ["Unknown group “kelompok-batik-tulis”. See GET /api/v1/groups."]
    }
    assert (funds.status_code, funds.json()) == (404, NOT_FOUND)
    assert not CapitalMovement.objects.exists()


# PNBP -------------------------------------------------------------------------------------------


def test_a_pnbp_deposit_against_what_sales_accrued(client, token_a, shop):
    # given: PNBP accrues 15% of the 600.000 margin
    sell(shop, quantity=2)
    year = timezone.localdate().year
    data = {
        "amount_idr": 90_000,
        "billing_code": "820250123456789",
        "ntpn": "A1B2C3D4E5F6G7H8",
        "deposited_date": f"{year}-01-15",
    }

    # when
    deposit = post(client, token_a, "/api/v1/pnbp/deposits", data)
    again = post(client, token_a, "/api/v1/pnbp/deposits", data)
    summary = get(client, token_a, "/api/v1/pnbp", {"organization": "rutan-sumenep", "year": year})

    # then
    assert deposit.status_code == 201
    assert deposit.json() == {
        "organization": "rutan-sumenep",
        "amount_idr": 90_000,
        "billing_code": "820250123456789",
        "ntpn": "A1B2C3D4E5F6G7H8",
        "deposited_date": f"{year}-01-15",
    }
    assert again.status_code == 400
    assert again.json()["errors"] == {"ntpn": ["This NTPN has already been recorded."]}
    assert summary.json() == {
        "organization": "rutan-sumenep",
        "year": year,
        "target_idr": 0,
        "deposited_idr": 90_000,
        "accrued_idr": 90_000,
    }
    assert PnbpDeposit.objects.count() == 1


def put(client, token, url, data):
    return client.put(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token))


def test_a_pnbp_target_is_set_and_replaced_then_compared_with_the_actual(client, token_a, shop):
    # given
    year = timezone.localdate().year
    url = f"/api/v1/pnbp/targets/{year}"

    # when
    first = put(client, token_a, url, {"organization": "rutan-sumenep", "target_idr": 5_000_000})
    second = put(client, token_a, url, {"organization": "rutan-sumenep", "target_idr": 7_500_000})
    summary = get(client, token_a, "/api/v1/pnbp", {"organization": "rutan-sumenep", "year": year})

    # then
    assert (first.status_code, first.json()) == (
        200,
        {"organization": "rutan-sumenep", "year": year, "target_idr": 5_000_000},
    )
    assert second.json()["target_idr"] == 7_500_000
    assert summary.json()["target_idr"] == 7_500_000


@pytest.mark.parametrize(
    ("year", "target", "errors"),
    [
        (1999, 1_000, {"year": ["Choose a year from 2000 to five years from now."]}),
        (2999, 1_000, {"year": ["Choose a year from 2000 to five years from now."]}),
    ],
)
def test_a_pnbp_target_for_an_absurd_year_is_refused(client, token_a, shop, year, target, errors):
    # when
    response = put(client, token_a, f"/api/v1/pnbp/targets/{year}", {"target_idr": target})

    # then
    assert (response.status_code, response.json()["errors"]) == (400, errors)
    assert not PnbpTarget.objects.exists()


def test_a_negative_pnbp_target_is_refused_by_the_schema(client, token_a, shop):
    # when
    response = put(client, token_a, f"/api/v1/pnbp/targets/{timezone.localdate().year}", {"target_idr": -1})

    # then
    assert response.status_code == 422
    assert not PnbpTarget.objects.exists()


def test_another_facility_cannot_set_our_pnbp_target(client, shop, token_b):
    # when
    response = put(
        client,
        token_b,
        f"/api/v1/pnbp/targets/{timezone.localdate().year}",
        {"organization": "rutan-sumenep", "target_idr": 1},
    )

    # then
    assert response.status_code == 400
    assert not PnbpTarget.objects.exists()


def test_pnbp_target_service_refuses_a_producer_and_a_negative_target(db):
    # given
    producer = ProducerOrgFactory(name="Batik Sekar Kopi", slug="batik-sekar-kopi")

    # when
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        pnbp_target_set(actor=None, organization=producer, year=timezone.localdate().year, target_idr=-5)

    # then
    assert refused.value.message_dict == {
        "organization": ["Only a correctional facility deposits PNBP."],
        "target_idr": ["Enter a target from Rp0 to Rp1.000.000.000.000."],
    }
    assert not PnbpTarget.objects.exists()


def test_pnbp_is_for_facilities_only(client, db):
    # given an UMKM producer's operator
    producer = ProducerOrgFactory(name="Batik Sekar Kopi", slug="batik-sekar-kopi")
    token = token_for(producer, Role.PRODUCER_OPERATOR)
    data = {"amount_idr": 1000, "billing_code": "8201", "ntpn": "NTPN1", "deposited_date": "2025-01-15"}

    # when
    deposit = post(client, token, "/api/v1/pnbp/deposits", data | {"organization": "batik-sekar-kopi"})
    summary = get(client, token, "/api/v1/pnbp", {"organization": "batik-sekar-kopi"})

    # then
    assert deposit.json()["errors"] == {"organization": ["Unknown organization “batik-sekar-kopi”."]}
    assert summary.status_code == 404
    assert not PnbpDeposit.objects.exists()


def test_another_facility_cannot_read_or_deposit_our_pnbp(client, shop, token_b, kanwil_jatim):
    # when
    summary = get(client, token_b, "/api/v1/pnbp", {"organization": "rutan-sumenep"})
    regional = get(
        client, token_for(kanwil_jatim, Role.REGIONAL_VIEWER), "/api/v1/pnbp", {"organization": "rutan-sumenep"}
    )
    deposit = post(
        client,
        token_b,
        "/api/v1/pnbp/deposits",
        {
            "organization": "rutan-sumenep",
            "amount_idr": 1,
            "billing_code": "1",
            "ntpn": "1",
            "deposited_date": "2025-01-01",
        },
    )

    # then
    assert (summary.status_code, summary.json()) == (404, NOT_FOUND)
    assert regional.status_code == 200
    assert deposit.status_code == 400
    assert not PnbpDeposit.objects.exists()


# Public impact ----------------------------------------------------------------------------------


def test_public_impact_needs_no_authentication_and_gives_aggregates(client, shop, siti):
    # given
    sell(shop, quantity=3)
    premi_payout(actor=None, maker=siti, amount_idr=50_000, method="SAVINGS")
    year = timezone.localdate().year

    # when
    response = client.get(f"/api/v1/impact/rutan-sumenep?year={year}", HTTP_ACCEPT_LANGUAGE="en")
    default_year = client.get("/api/v1/impact/rutan-sumenep")
    last_year = client.get(f"/api/v1/impact/rutan-sumenep?year={year - 1}")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "organization": "rutan-sumenep",
        "name": "Rutan Kelas IIB Sumenep",
        "year": year,
        "premi_earned_idr": 450_000,
        "premi_paid_idr": 50_000,
        "makers_earning": 3,
        "items_sold": 3,
        "pnbp_deposited_idr": 0,
        "programs": {
            "agreements_in_force": 0,
            "training_hours": 0,
            "makers_certified": 0,
            "released_makers_selling": 0,
        },
    }
    assert default_year.json() == response.json()
    assert last_year.json()["items_sold"] == 0


@pytest.mark.parametrize("slug", ["disperindag-sumenep", "gerai-dekranasda", "tidak-ada"])
def test_impact_is_only_for_facilities_and_producers(client, shop, disperindag, slug):
    # given
    OrganizationFactory(kind=Organization.Kind.OUTLET, name="Gerai Dekranasda", slug="gerai-dekranasda")

    # when
    response = client.get(f"/api/v1/impact/{slug}", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("language", ["id", "en"])
def test_public_impact_never_names_a_maker(client, shop, siti, language):
    # given sales, a family payout naming the recipient, and a statement a staff member could read
    sell(shop, quantity=3)
    premi_payout(
        actor=None,
        maker=siti,
        amount_idr=50_000,
        method="FAMILY",
        recipient_name="Ibu Marni",
        recipient_relationship="ibu",
    )

    # when
    response = client.get("/api/v1/impact/rutan-sumenep", HTTP_ACCEPT_LANGUAGE=language)

    # then: aggregates only, under a fixed set of keys
    assert response.status_code == 200
    assert set(response.json()) == {
        "organization",
        "name",
        "year",
        "premi_earned_idr",
        "premi_paid_idr",
        "makers_earning",
        "items_sold",
        "pnbp_deposited_idr",
        "programs",
    }
    content = response.content.decode()
    for maker in shop["members"]:
        for secret in (maker.full_name, maker.full_name.split()[0], maker.registration_number, f"#{maker.pk}"):
            assert secret not in content
    assert "Marni" not in content
    assert shop["lot"].code not in content
