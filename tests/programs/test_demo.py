"""The demo's agreements: Rutan Sumenep's MoU with Polres and Disperindag Sumenep, and the Kemendag–Kemenkumham
MoU, with their obligations; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from binakarya.programs.models import Agreement, Obligation
from binakarya.programs.selectors import agreements_ending, obligations_overdue
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_agreements_load_once_and_show_their_alerts():
    # when
    call_command("load_demo", "--no-photos", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--no-photos", stdout=out)

    # then
    assert "0 new agreements with partner agencies" in out.getvalue()
    sumenep = Agreement.objects.get(organization__slug="rutan-sumenep", number="DEMO/RTN-SMP/MOU/001")
    assert sorted(sumenep.partners.values_list("slug", flat=True)) == ["disperindag-sumenep", "polres-sumenep"]
    kemendag = Agreement.objects.get(partners__slug="kemendag-pen", organization__slug="lapas-dirgantara")
    assert kemendag.end_date is None
    assert all(a.number.startswith("DEMO/") for a in Agreement.objects.all())
    assert Obligation.objects.count() == 5

    # and Rutan Sumenep's admin sees the renewal alert and the overdue report
    admin = UserFactory(username="cek.admin")
    MembershipFactory(user=admin, organization=sumenep.organization, role="FACILITY_ADMIN")
    assert list(agreements_ending(user=admin)) == [sumenep]
    assert [o.description for o in obligations_overdue(user=admin)] == [
        "Laporan pelaksanaan kerja sama semester pertama"
    ]
