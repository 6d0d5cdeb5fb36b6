"""What an agreement sold: the sales of the cashier sessions run at its activities (an exhibition's bazaar)
and the agency purchases (deals) linked to it, with totals; other organizations' sessions and deals refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binakarya.deals.services import QuotationLineInput, quotation_accept, quotation_issue
from binakarya.organizations.models import Organization
from binakarya.pos.services import PosLineInput, pos_sale_record, pos_session_open
from binakarya.programs import selectors
from binakarya.programs.models import ActivityPosSession, AgreementDeal
from binakarya.programs.services import (
    activity_create,
    activity_pos_session_link,
    activity_pos_session_unlink,
    agreement_create,
    agreement_deal_link,
    agreement_deal_unlink,
)
from tests.deals.world import deals_world
from tests.factories import OrganizationFactory
from tests.pos.world import bazaar_world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _agreement(organization, number="DEMO/HBP/1"):
    today = timezone.localdate()
    agency = OrganizationFactory(kind=Organization.Kind.AGENCY, slug=f"agency-{number.replace('/', '-').lower()}")
    return agreement_create(
        actor=None,
        organization=organization,
        kind="PKS",
        number=number,
        title="Promosi hasil karya",
        partners=[agency],
        signed_date=today,
        start_date=today,
        end_date=None,
    )


def test_the_exhibition_sales_count_for_its_agreement(db):
    b = bazaar_world()
    today = timezone.localdate()
    agreement = _agreement(b["facility"])
    exhibition = activity_create(
        actor=b["admin"],
        organization=b["facility"],
        kind="EXHIBITION",
        title="Bazar Hari Bakti Pemasyarakatan",
        place="Alun-alun Sumenep",
        start_date=today,
        end_date=today,
        hours=6,
        agreement=agreement,
    )
    session = pos_session_open(actor=b["cashier"], location=b["event"], opening_cash_idr=100_000)
    pos_sale_record(
        actor=b["cashier"],
        session=session,
        lines=[PosLineInput("SMP-PCT-001", 2)],
        payment_method="CASH",
        cash_received_idr=150_000,
    )
    pos_sale_record(actor=b["cashier"], session=session, lines=[PosLineInput("SMP-BTK-001", 1)], payment_method="QRIS")

    assert [s.number for s in selectors.pos_session_candidates(user=b["admin"], activity=exhibition)] == [
        session.number
    ]
    activity_pos_session_link(actor=b["admin"], activity=exhibition, session=session)

    rows = selectors.activity_pos_sessions(activity=exhibition)
    assert [(r["sale_count"], r["total_idr"]) for r in rows] == [(2, 600_000)]
    outcomes = selectors.agreement_outcomes(user=b["admin"], agreement=agreement)
    assert outcomes["event_sale_count"] == 2
    assert outcomes["event_sales_total_idr"] == 600_000 == outcomes["sales_total_idr"]
    assert list(selectors.pos_session_candidates(user=b["admin"], activity=exhibition)) == []

    # one activity per session
    other_event = activity_create(
        actor=b["admin"],
        organization=b["facility"],
        kind="PROMOTION",
        title="Promosi",
        place="Pasar",
        start_date=today,
        end_date=today,
        hours=1,
    )
    with pytest.raises(ValidationError) as exc:
        activity_pos_session_link(actor=b["admin"], activity=other_event, session=session)
    assert exc.value.message_dict["session"] == [
        f"Cashier session {session.number} is already linked to “Bazar Hari Bakti Pemasyarakatan”."
    ]
    activity_pos_session_unlink(actor=b["admin"], activity=exhibition, session=session)
    assert not ActivityPosSession.objects.exists()


def test_deals_linked_to_the_agreement_and_their_total(db):
    today = timezone.localdate()
    d = deals_world(today)
    quotation = quotation_issue(
        actor=d["admin"],
        organization=d["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 2, 150_000)],
        today=today,
    )
    deal = quotation_accept(actor=d["admin"], quotation=quotation, po_number="027/1/DLH", po_date=today)
    agreement = _agreement(d["facility"])
    elsewhere = _agreement(d["other"], number="DEMO/SMP/9")

    assert list(selectors.deal_candidates(user=d["admin"], agreement=agreement)) == [deal]
    with pytest.raises(ValidationError) as exc:
        agreement_deal_link(actor=None, agreement=elsewhere, deal=deal)
    assert exc.value.message_dict["deal"] == ["Choose a deal of this organization."]

    agreement_deal_link(actor=d["admin"], agreement=agreement, deal=deal)
    outcomes = selectors.agreement_outcomes(user=d["admin"], agreement=agreement)
    assert outcomes["deals"] == [deal]
    assert outcomes["deal_count"] == 1 and outcomes["deals_total_idr"] == deal.total_idr == outcomes["sales_total_idr"]
    assert selectors.agreement_outcomes(user=d["other_admin"], agreement=elsewhere)["deals"] == []

    with pytest.raises(ValidationError):
        agreement_deal_link(actor=d["admin"], agreement=agreement, deal=deal)
    agreement_deal_unlink(actor=d["admin"], agreement=agreement, deal=deal)
    assert not AgreementDeal.objects.exists()
