"""The demo's activities: Kemendag's design workshop at Rutan Sumenep under the PKS that carries out the
Kemendag–Kemenkumham MoU, with its group's attendance, and the Hari Bakti Pemasyarakatan bazaar under the
Disperindag MoU; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from binakarya.programs.models import Activity, Attendance, Certificate
from binakarya.programs.selectors import agreement_outcomes
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_activities_load_once_with_their_attendance():
    call_command("load_demo", "--no-photos", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--no-photos", stdout=out)

    assert "0 new program activities" in out.getvalue()
    workshop = Activity.objects.get(kind="DESIGN", organization__slug="rutan-sumenep")
    assert workshop.partner.slug == "kemendag-pen" and workshop.agreement.number == "DEMO/RTN-SMP/PKS/002"
    rows = list(Attendance.objects.filter(activity=workshop))
    assert len(rows) >= 3
    assert sum(1 for a in rows if not a.present) == 1 and any(a.present and a.hours == 8 for a in rows)
    exhibition = Activity.objects.get(kind="EXHIBITION", organization__slug="rutan-sumenep")
    assert exhibition.agreement.number == "DEMO/RTN-SMP/MOU/001"

    admin = UserFactory(username="cek.kegiatan")
    MembershipFactory(user=admin, organization=workshop.organization, role="FACILITY_ADMIN")
    outcomes = agreement_outcomes(user=admin, agreement=workshop.agreement)
    assert outcomes["activity_count"] == 1
    assert outcomes["participant_hours"] == sum(a.hours for a in rows)


def test_the_demo_certifies_one_workshop_participant_without_naming_them_in_public(client):
    call_command("load_demo", "--no-photos", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--no-photos", stdout=out)

    assert "0 new skills certificates" in out.getvalue()
    certificate = Certificate.objects.get()
    workshop = Activity.objects.get(kind="DESIGN", organization__slug="rutan-sumenep")
    assert Attendance.objects.get(activity=workshop, maker=certificate.maker).hours == workshop.hours == 12
    assert (certificate.hours, certificate.partner.slug, certificate.name_consent) == (12, "kemendag-pen", False)
    page = client.get(f"/verifikasi/{certificate.document.verify_code}/").content.decode()
    assert "Batik tulis motif pesisir" in page
    assert certificate.maker.full_name not in page and certificate.maker.registration_number not in page
