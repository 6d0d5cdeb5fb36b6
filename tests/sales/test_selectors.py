"""The read selectors the back office and the API share: the same arguments give the same rows to both."""

import datetime

import pytest
from django.utils import timezone

from binakarya.ledger.selectors import (
    book_organization_for,
    book_organizations_for,
    split_rule_is_in_force,
    split_rule_rows_for,
)
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Organization, Role
from binakarya.sales.selectors import sale_buyer_for, sales_for, sales_totals
from binakarya.sales.services import SaleLineInput, sale_record
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def sell(shop, *, at: datetime.datetime, channel: str = "POS"):
    return sale_record(
        actor=None,
        location=shop["showroom"],
        channel=channel,
        lines=[SaleLineInput("SMP-BTK-001", 1, 450_000)],
        occurred_at=at,
    )


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def staff(organization, role=Role.FINANCE_OFFICER):
    return MembershipFactory(organization=organization, role=role).user


def test_sales_for_takes_whole_days_in_the_sites_time_zone(shop):
    # given sales just before and after midnight in Jakarta
    late = sell(shop, at=local(2025, 3, 31, 23, 59))
    early = sell(shop, at=local(2025, 4, 1, 0, 1), channel="WHATSAPP")
    user = staff(shop["org"])

    # when / then
    march = sales_for(user=user, date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31))
    assert [s.number for s in march] == [late.number]
    april = sales_for(user=user, date_from=datetime.date(2025, 4, 1))
    assert [s.number for s in april] == [early.number]
    assert [s.number for s in sales_for(user=user)] == [early.number, late.number]
    assert [s.number for s in sales_for(user=user, channel="WHATSAPP")] == [early.number]
    assert [s.number for s in sales_for(user=user, location_code=shop["showroom"].code)] == [early.number, late.number]
    assert list(sales_for(user=user, location_code="elsewhere")) == []
    everything = sales_for(user=user, date_from=datetime.date.min, date_to=datetime.date.max)
    assert len(everything) == 2


def test_sales_totals_are_those_of_the_sales_given(shop):
    sell(shop, at=local(2025, 3, 10, 10))
    user = staff(shop["org"])

    none = {"count": 0, "gross": None, "premi": None}
    assert sales_totals(sales=sales_for(user=user)) == {"count": 1, "gross": 450_000, "premi": 150_000}
    assert sales_totals(sales=sales_for(user=user, channel="OUTLET")) == none
    assert sales_totals(sales=sales_for(user=staff(OrganizationFactory()))) == none


def test_a_buyer_is_an_active_agency_or_outlet():
    agency = OrganizationFactory(kind=Organization.Kind.AGENCY)
    closed = OrganizationFactory(kind=Organization.Kind.OUTLET, is_active=False)
    facility = OrganizationFactory(kind=Organization.Kind.FACILITY)

    assert sale_buyer_for(slug=agency.slug) == agency
    for other in (closed, facility):
        with pytest.raises(Organization.DoesNotExist):
            sale_buyer_for(slug=other.slug)


def test_book_organizations_are_those_the_user_sees_with_the_roles(shop):
    organization = shop["org"]
    other = OrganizationFactory(kind=Organization.Kind.FACILITY)
    auditor = staff(organization, Role.AUDITOR)

    assert list(book_organizations_for(user=auditor, roles={Role.AUDITOR})) == [organization]
    assert list(book_organizations_for(user=auditor, roles={Role.FINANCE_OFFICER})) == []
    assert book_organization_for(user=auditor, slug=organization.slug) == organization
    with pytest.raises(Organization.DoesNotExist):
        book_organization_for(user=auditor, slug=other.slug)
    organization.is_active = False
    organization.save()
    assert list(book_organizations_for(user=auditor)) == []
    assert list(book_organizations_for(user=auditor, active_only=False)) == [organization]


def test_split_rule_rows_say_which_version_is_in_force(shop):
    today = timezone.localdate()
    newer = split_rule_create(
        actor=None,
        organization=shop["org"],
        effective_from=today - datetime.timedelta(days=1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=1250,
        capital_bp=3500,
        legal_reference="SK",
    )
    future = split_rule_create(
        actor=None,
        organization=shop["org"],
        effective_from=today + datetime.timedelta(days=30),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK",
    )

    rows = split_rule_rows_for(user=staff(shop["org"]))

    assert [(row.rule, row.in_force) for row in rows] == [(future, False), (newer, True), (shop["rule"], False)]
    assert str(rows[1].premi_percent) == "12.5"
    assert [split_rule_is_in_force(rule=r) for r in (future, newer, shop["rule"])] == [False, True, False]
    assert split_rule_rows_for(user=staff(shop["org"]), organization_slug="elsewhere") == []
