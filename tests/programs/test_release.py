"""The release checklist (programs.services.release_complete): the whole premi paid, the certificate issued, the
maker released, one Release row; a second release refused; a refused payout leaves nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.ledger.models import Payout, PayoutPolicy
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.makers.models import Maker
from binakarya.programs.models import Certificate, Release
from binakarya.programs.services import certificate_issue, release_complete
from tests.programs.skills import OWED_IDR

CERTIFICATE = {
    "crafts": "Batik tulis",
    "hours": 20,
    "period_start": datetime.date(2025, 4, 1),
    "period_end": datetime.date(2025, 9, 1),
}


def release(world, siti, **overrides):
    arguments = {
        "actor": world["admin"],
        "maker": siti["maker"],
        "released_on": timezone.localdate(),
        "certificate": dict(CERTIFICATE, partner=world["disperindag"]),
        "outcomes_consent": True,
        "note": "Bebas murni",
    }
    arguments.update(overrides)
    return release_complete(**arguments)


def assert_nothing_saved(maker):
    maker.refresh_from_db()
    assert maker.status == Maker.Status.ACTIVE
    assert maker_premi_owed(maker=maker) == OWED_IDR
    assert not Release.objects.exists()
    assert not Payout.objects.exists()
    assert not Certificate.objects.exists()
    assert not Document.objects.filter(kind__in=["SKILLS_CERT", "PAYOUT_SLIP"]).exists()
    assert not AuditEvent.objects.filter(action__in=["programs.release_complete", "maker.update"]).exists()


def test_the_checklist_pays_the_whole_balance_issues_the_certificate_and_releases(world, siti):
    # when
    done = release(world, siti, expected_owed_idr=OWED_IDR)

    # then the premi is paid out in full, on release
    maker = Maker.objects.get(pk=siti["maker"].pk)
    assert maker.status == Maker.Status.RELEASED
    assert maker_premi_owed(maker=maker) == 0
    payout = Payout.objects.get()
    assert (payout.maker, payout.amount_idr, payout.method) == (maker, OWED_IDR, "RELEASE")
    assert (done.payout, done.premi_paid_idr) == (payout, OWED_IDR)
    # the certificate is issued
    assert done.certificate.crafts == "Batik tulis" and done.certificate.partner == world["disperindag"]
    assert done.certificate.document.public_figures["hours"] == 20
    # and the Release row records it all
    assert (done.maker, done.released_on, done.outcomes_consent, done.note) == (
        maker,
        timezone.localdate(),
        True,
        "Bebas murni",
    )
    assert done.completed_by == world["admin"]
    event = AuditEvent.objects.get(action="programs.release_complete")
    assert event.data["premi_paid"] == OWED_IDR and event.data["certificate"] == done.certificate.document.number


def test_a_second_release_is_refused(world, siti):
    release(world, siti)

    with pytest.raises(ValidationError) as caught:
        release(world, siti)

    assert caught.value.message_dict["maker"][0].startswith("The release of Siti Rahayu was already completed on ")
    assert Release.objects.count() == 1 and Payout.objects.count() == 1 and Certificate.objects.count() == 1


def test_a_payout_the_policy_refuses_rolls_everything_back(world, siti):
    # given a facility that does not pay on release
    PayoutPolicy.objects.create(organization=world["facility"], allow_on_release=False)

    # when
    with pytest.raises(ValidationError) as caught:
        release(world, siti)

    # then the maker is still active, still owed, and nothing was issued
    assert caught.value.message_dict["method"] == ["Rutan Kelas IIB Sumenep does not pay premi this way."]
    assert_nothing_saved(siti["maker"])


def test_a_family_payout_without_the_recipient_rolls_everything_back(world, siti):
    with pytest.raises(ValidationError) as caught:
        release(world, siti, payout_method="FAMILY")
    assert caught.value.message_dict["recipient"] == ["Record the family member's name and relationship."]
    assert_nothing_saved(siti["maker"])


def test_a_balance_changed_since_the_checklist_was_opened_saves_nothing(world, siti):
    with pytest.raises(ValidationError) as caught:
        release(world, siti, expected_owed_idr=OWED_IDR - 1)
    assert caught.value.message_dict["payout_method"] == [
        "What Siti Rahayu is owed has changed since this checklist was opened (now Rp150.000). Nothing was saved; "
        "open the checklist again."
    ]
    assert_nothing_saved(siti["maker"])


def test_the_family_receives_it_when_the_policy_allows(world, siti):
    done = release(world, siti, payout_method="FAMILY", recipient_name="Aminah", recipient_relationship="ibu")
    assert (done.payout.method, done.payout.recipient_name) == ("FAMILY", "Aminah")


def test_the_e_money_card_is_not_a_release_payout_and_certificate_errors_come_first(world, siti):
    with pytest.raises(ValidationError) as caught:
        release(world, siti, payout_method="EMONEY", certificate=dict(CERTIFICATE, hours=500))
    errors = caught.value.message_dict
    assert errors["payout_method"] == ["At release premi is paid on release, to a savings account or to family."]
    assert errors["hours"][0].startswith("Only 26 hours of practice are recorded")
    assert_nothing_saved(siti["maker"])


def test_a_release_date_in_the_future_is_refused(world, siti):
    with pytest.raises(ValidationError) as caught:
        release(world, siti, released_on=timezone.localdate() + datetime.timedelta(days=1))
    assert caught.value.message_dict["released_on"] == ["The release date cannot be in the future."]
    assert_nothing_saved(siti["maker"])


def test_a_certificate_already_issued_is_attached_and_nothing_owed_means_no_payout(world, siti):
    # given Budi, owed nothing, with a certificate issued before
    budi = siti["budi"]
    assert maker_premi_owed(maker=budi) == 0
    issued = certificate_issue(actor=world["admin"], maker=budi, **dict(CERTIFICATE, hours=12))

    done = release(world, siti, maker=budi, certificate=issued)

    assert done.certificate == issued and done.payout is None and done.premi_paid_idr == 0
    assert Certificate.objects.count() == 1


def test_someone_elses_certificate_is_refused(world, siti):
    issued = certificate_issue(actor=world["admin"], maker=siti["maker"], **CERTIFICATE)
    with pytest.raises(ValidationError) as caught:
        release(world, siti, maker=siti["budi"], certificate=issued)
    assert caught.value.message_dict["certificate"] == ["This certificate was issued to someone else."]


@pytest.mark.parametrize("who", ["instructor", "other_admin", "operator", "regional", "national"])
def test_only_the_facility_admin_completes_the_checklist(world, siti, who):
    with pytest.raises(PermissionDenied):
        release(world, siti, actor=world[who])
    assert_nothing_saved(siti["maker"])


def test_the_finance_officer_may_not_complete_it_either(world, siti):
    from binakarya.organizations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    finance = UserFactory(username="keuangan.smp")
    MembershipFactory(user=finance, organization=world["facility"], role=Role.FINANCE_OFFICER)
    with pytest.raises(PermissionDenied):
        release(world, siti, actor=finance)
