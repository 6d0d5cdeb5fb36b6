"""Issue 10, the money pages in their first hour: the Keuangan page shows its sections, the release worklist
puts overdue releases first, refused forms show their first error in view, payouts are confirmed before they
are posted, account names are readable (and English under /en/), and the books print and export without a
maker's name.

The shop is the one of test_sales_pages: selling 2 at Rp450.000 gives Rp100.000 premi to each of three makers.
"""

import datetime
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from binakarya.ledger.models import Payout
from binakarya.ledger.selectors import maker_premi_owed, natural_key
from binakarya.organizations.models import Organization, Role
from tests.backoffice.helpers import text
from tests.backoffice.test_sales_pages import make_shop, sell, user_with
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def sold(shop):
    return sell(shop, 2)


@pytest.fixture
def client_finance(client, facility_a):
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER, "keuangan"))
    return client


# The Keuangan page ------------------------------------------------------------------------------


def test_the_money_page_shows_its_sections_to_a_finance_officer(client_finance, shop):
    # when
    response = client_finance.get(reverse("backoffice:money"))

    # then the page's own sections are drawn, not hidden by the navigation's
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="premi"' in body
    assert 'id="rules"' in body
    assert 'id="books"' in body
    assert reverse("backoffice:trial_balance") in body
    assert reverse("backoffice:release_worklist") in body


def test_the_navigation_still_offers_the_sections_the_user_may_open(client_finance, shop):
    response = client_finance.get(reverse("backoffice:money"))

    body = response.content.decode()
    assert f'href="{reverse("backoffice:sales")}"' in body
    assert f'href="{reverse("backoffice:money")}"' in body


# The release worklist ---------------------------------------------------------------------------


def _release(maker, days: int) -> None:
    maker.expected_release_date = timezone.localdate() + datetime.timedelta(days=days)
    maker.save(update_fields=["expected_release_date"])


def test_overdue_releases_of_makers_still_owed_premi_come_first_flagged(client_finance, shop, sold):
    # given Ahmad leaves in 10 days, Budi's date passed 5 days ago (still active, owed Rp100.000)
    ahmad, budi, _citra = shop["members"]
    _release(ahmad, 10)
    _release(budi, -5)

    # when
    response = client_finance.get(reverse("backoffice:release_worklist"))

    # then
    rows = response.context["rows"]
    assert [(row["maker"], row["owed_idr"], row["overdue"]) for row in rows] == [
        (budi, 100_000, True),
        (ahmad, 100_000, False),
    ]
    assert response.context["owed_idr"] == 200_000
    body = response.content.decode()
    assert body.count('data-testid="overdue"') == 1
    assert body.index("Budi") < body.index("Ahmad")
    assert text("Overdue") in body


def test_overdue_makers_owed_nothing_or_no_longer_active_are_left_out(client_finance, shop):
    # given nothing sold (nobody is owed anything); Ahmad's date passed, Budi was released
    ahmad, budi, citra = shop["members"]
    _release(ahmad, -3)
    _release(budi, -3)
    budi.status = "RELEASED"
    budi.save(update_fields=["status"])
    _release(citra, 3)

    # when
    response = client_finance.get(reverse("backoffice:release_worklist"))

    # then only the one still to leave is listed (owed nothing, but still to be seen before they go)
    assert [(row["maker"], row["overdue"]) for row in response.context["rows"]] == [(citra, False)]


def test_the_money_page_counts_overdue_makers_among_those_to_pay(client_finance, shop, sold):
    ahmad, _budi, _citra = shop["members"]
    _release(ahmad, -40)

    response = client_finance.get(reverse("backoffice:money"))

    assert (response.context["leaving_count"], response.context["leaving_owed"]) == (1, 100_000)
    assert response.context["overdue_count"] == 1
    assert 'data-testid="overdue-count"><strong class="tag tag-warn">1</strong>' in response.content.decode()


# Account names ----------------------------------------------------------------------------------


def test_natural_order_puts_maker_2_before_maker_10():
    assert sorted(["#10", "#2", "#1", "#11", "budi", "Ani"], key=natural_key) == [
        "#1",
        "#2",
        "#10",
        "#11",
        "Ani",
        "budi",
    ]


def test_the_trial_balance_names_each_makers_premi_account_by_name_in_natural_order(client, facility_a):
    # given makers whose numbers do not follow their names
    shop = make_shop(facility_a, names=["Yusuf 10", "Andi", "Yusuf 2"])
    sell(shop, 2)
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))

    # when
    response = client.get(reverse("backoffice:trial_balance"))

    # then
    premi = text("Premi payable")
    labels = [label for label, row in response.context["rows"] if row.kind == "PREMI_PAYABLE"]
    assert labels == [f"{premi} · Andi", f"{premi} · Yusuf 2", f"{premi} · Yusuf 10"]
    body = response.content.decode()
    assert f"{premi} · Andi" in body
    assert "Premi terutang · #" not in body


def test_oversight_reads_premi_accounts_by_maker_code_never_by_name(client, shop, sold, facility_a):
    # given
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", province="Jawa Timur")
    client.force_login(user_with(kanwil, Role.REGIONAL_VIEWER))

    # when
    response = client.get(reverse("backoffice:trial_balance"), {"organisasi": facility_a.slug})

    # then
    body = response.content.decode()
    for maker in shop["members"]:
        assert maker.full_name not in body
        assert text("Maker #%(id)s", id=maker.pk) in body


def test_account_names_are_english_under_en(client_finance, shop, sold):
    # when
    with translation.override("en"):
        url = reverse("backoffice:trial_balance")
    response = client_finance.get(url)

    # then
    body = response.content.decode()
    assert url.startswith("/en/")
    for english in ("Cash", "PNBP payable", "Capital fund · ", "Premi payable · Ahmad Rahasia"):
        assert english in body
    for indonesian in ("Dana modal", "Kas<", "PNBP terutang", "Premi terutang"):
        assert indonesian not in body


# Errors in view, and a payout confirmed before it is paid ---------------------------------------


class _TwoFields(forms.Form):
    name = forms.CharField()
    amount_idr = forms.IntegerField()
    note = forms.CharField(required=False)


def test_only_the_first_field_with_an_error_gets_autofocus():
    # given a form refused on its two first fields
    form = _TwoFields({"name": "", "amount_idr": "x"})

    # when
    html = {name: str(form[name]) for name in ("name", "amount_idr", "note")}

    # then
    assert "autofocus" in html["name"]
    assert 'aria-invalid="true"' in html["name"] and 'aria-describedby="id_name_error"' in html["name"]
    assert "autofocus" not in html["amount_idr"] and 'aria-invalid="true"' in html["amount_idr"]
    assert "autofocus" not in html["note"] and "aria-invalid" not in html["note"]
    assert "autofocus" not in str(_TwoFields()["name"])


def _pay(client, maker, **data):
    return client.post(reverse("backoffice:payout_create", args=[maker.pk]), data)


def test_a_refused_payout_opens_its_panel_focuses_the_amount_and_sums_up_at_the_top(client_finance, shop, sold):
    # given
    ahmad = shop["members"][0]

    # when more than is owed
    response = _pay(client_finance, ahmad, amount_idr="150000", method="SAVINGS")

    # then
    body = response.content.decode()
    message = text(
        "%(name)s is owed %(owed)s; %(amount)s cannot be paid out.",
        name=ahmad.full_name,
        owed="Rp100.000",
        amount="Rp150.000",
    )
    assert '<details class="panel" id="pay" open>' in body
    amount = re.search(r"<input[^>]*name=\"amount_idr\"[^>]*>", body).group(0)
    assert "autofocus" in amount
    assert 'aria-invalid="true"' in amount
    assert 'aria-describedby="id_amount_idr_error"' in amount
    assert body.count(" autofocus") == 1
    summary = body[body.index('data-testid="error-summary"') :]
    assert summary.index('href="#id_amount_idr"') < summary.index('name="amount_idr"')
    assert escape(message) in summary[: summary.index("</div>")]
    assert '<ul class="errorlist" id="id_amount_idr_error">' in body


def test_a_form_refused_without_a_field_error_focuses_its_summary():
    # given a form whose only error is the form's own
    form = _TwoFields({"name": "Ani", "amount_idr": "1"})
    form.is_valid()
    form.add_error(None, "Tidak seimbang.")

    # when
    html = render_to_string("backoffice/includes/form_errors.html", {"form": form})

    # then
    assert 'data-testid="error-summary"' in html and "autofocus" in html
    assert "Tidak seimbang." in html


def test_paying_out_asks_for_confirmation_with_amount_method_and_recipient_first(client_finance, shop, sold):
    # given
    ahmad = shop["members"][0]

    # when the form is sent
    response = _pay(
        client_finance,
        ahmad,
        amount_idr="60000",
        method="FAMILY",
        recipient_name="Siti Aminah",
        recipient_relationship="istri",
    )

    # then nothing is paid yet: the confirmation shows what would be
    assert response.status_code == 200
    assert Payout.objects.count() == 0
    assert maker_premi_owed(maker=ahmad) == 100_000
    body = response.content.decode()
    assert 'data-testid="confirm-amount"><strong class="big-amount">Rp60.000</strong>' in body
    assert f'data-testid="confirm-method">{text("To family")}</dd>' in body
    assert "Siti Aminah (istri)" in body
    assert 'data-testid="confirm-after">Rp40.000' in body
    assert 'name="confirm"' in body

    # when confirmed
    confirmed = _pay(
        client_finance,
        ahmad,
        amount_idr="60000",
        method="FAMILY",
        recipient_name="Siti Aminah",
        recipient_relationship="istri",
        confirm="1",
    )

    # then it is paid, and the next screen prints the slip
    payout = Payout.objects.get()
    assert (payout.amount_idr, payout.method, payout.recipient_name) == (60_000, "FAMILY", "Siti Aminah")
    assert confirmed.status_code == 302
    slip_page = client_finance.get(confirmed["Location"])
    assert reverse("backoffice:payout_pdf", args=[ahmad.pk, payout.pk]) in slip_page.content.decode()


def test_a_payout_refused_at_confirmation_pays_nothing_and_changing_it_keeps_the_values(client_finance, shop, sold):
    ahmad = shop["members"][0]

    refused = _pay(client_finance, ahmad, amount_idr="100001", method="SAVINGS", confirm="1")
    changed = _pay(client_finance, ahmad, amount_idr="60000", method="SAVINGS", _change="1")

    assert refused.status_code == 200 and refused.context["payout_form"].errors
    assert Payout.objects.count() == 0
    assert changed.context["open_payout"] is True
    assert 'value="Rp60.000"' in changed.content.decode()  # kept, shown the Indonesian way


def test_a_confirmation_sent_twice_pays_once(client_finance, shop, sold):
    # given the payout shown for confirmation, with what Ahmad is owed then (Rp100.000)
    ahmad = shop["members"][0]
    shown = _pay(client_finance, ahmad, amount_idr="40000", method="SAVINGS")
    assert 'name="expected_owed_idr" value="100000"' in shown.content.decode()
    confirmation = {"amount_idr": "40000", "method": "SAVINGS", "expected_owed_idr": "100000", "confirm": "1"}

    # when "confirm" is sent twice (a double tap, a retry after a slow network)
    first = _pay(client_finance, ahmad, **confirmation)
    second = _pay(client_finance, ahmad, **confirmation)

    # then Rp40.000 is paid once (paying it twice would have been allowed: Rp100.000 was owed), and the
    # second is refused at the amount with what is owed now
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Rp60.000" in str(second.context["payout_form"].errors["amount_idr"])
    assert list(Payout.objects.values_list("amount_idr", flat=True)) == [40_000]
    assert maker_premi_owed(maker=ahmad) == 60_000
