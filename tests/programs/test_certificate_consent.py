"""Consent to be named on a skills certificate's public verification page can be withdrawn (review fix, issue
15): the service, the skill page's button and the API; the page no longer shows the name, the other figures stay."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Role
from binakarya.programs.services import certificate_name_consent_withdraw
from tests.factories import MembershipFactory, UserFactory
from tests.programs.test_api import headers
from tests.programs.test_certificates import issue

FIGURES = {
    "facility": "Rutan Kelas IIB Sumenep",
    "crafts": "Batik tulis, tas anyaman pandan",
    "hours": 26,
    "period_start": "2025-04-01",
    "period_end": "2025-09-01",
    "partner": "Disperindag Kabupaten Sumenep",
}


def verify_page(client, certificate):
    url = reverse("storefront:verify", args=[certificate.document.verify_code])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_withdrawing_consent_removes_the_name_from_the_verification_page_only(client, world, siti):
    # given a certificate whose page names the person
    certificate = issue(world, siti, name_consent=True)
    assert "Siti Rahayu" in verify_page(client, certificate)

    # when
    certificate_name_consent_withdraw(actor=world["admin"], certificate=certificate)

    # then the name is gone, every other figure stays
    certificate.refresh_from_db()
    certificate.document.refresh_from_db()
    assert certificate.name_consent is False
    assert certificate.document.public_figures == FIGURES
    page = verify_page(client, certificate)
    assert "Genuine." in page and "Batik tulis, tas anyaman pandan" in page and "Disperindag Kabupaten Sumenep" in page
    assert "Siti" not in page and "Rahayu" not in page
    assert 'data-testid="certificate-name"' not in page
    event = AuditEvent.objects.get(action="programs.certificate_name_consent_withdraw")
    assert (event.object_id, event.actor, event.organization) == (
        str(certificate.pk),
        world["admin"],
        world["facility"],
    )
    assert event.data["number"] == certificate.document.number


def test_withdrawing_twice_or_without_consent_is_refused(world, siti):
    certificate = issue(world, siti)
    with pytest.raises(ValidationError) as excinfo:
        certificate_name_consent_withdraw(actor=world["admin"], certificate=certificate)
    assert excinfo.value.message_dict == {
        "name_consent": ["The person is not named on the public verification page of this certificate."]
    }
    assert not AuditEvent.objects.filter(action="programs.certificate_name_consent_withdraw").exists()


@pytest.mark.parametrize("who", ["instructor", "other_admin", "operator", "regional", "national"])
def test_only_the_certificates_organization_admin_withdraws(world, siti, who):
    certificate = issue(world, siti, name_consent=True)
    with pytest.raises(PermissionDenied):
        certificate_name_consent_withdraw(actor=world[who], certificate=certificate)
    certificate.document.refresh_from_db()
    assert certificate.document.public_figures["name"] == "Siti Rahayu"


def test_the_skill_page_has_the_button_and_it_withdraws(client, world, siti):
    certificate = issue(world, siti, name_consent=True)
    client.force_login(world["admin"])
    page = client.get(reverse("backoffice:program_skills", args=[siti["maker"].pk])).content.decode()
    assert 'data-testid="withdraw-name-consent"' in page
    url = reverse("backoffice:program_certificate_name_consent_withdraw", args=[certificate.pk])
    assert client.get(url).status_code == 405

    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.redirect_chain[-1][0].endswith(f"/perajin/{siti['maker'].pk}/keterampilan/")
    page = response.content.decode()
    assert 'data-testid="withdraw-name-consent"' not in page
    assert f"The name no longer appears on the public verification page of {certificate.document.number}." in page
    assert "Siti" not in verify_page(client, certificate)


def test_the_skill_page_button_is_404_for_another_facility_and_403_for_an_instructor(client, world, siti):
    certificate = issue(world, siti, name_consent=True)
    url = reverse("backoffice:program_certificate_name_consent_withdraw", args=[certificate.pk])
    client.force_login(world["other_admin"])
    assert client.post(url).status_code == 404
    client.force_login(world["instructor"])
    assert client.post(url).status_code == 403
    assert "Siti Rahayu" in verify_page(client, certificate)


def test_the_api_withdraws_consent(client, world, siti):
    certificate = issue(world, siti, name_consent=True)
    url = f"/api/v1/certificates/{certificate.pk}/withdraw-name-consent"

    assert client.post(url, **headers(world["other_admin"])).status_code == 404
    assert client.post(url, **headers(world["instructor"])).status_code == 403
    response = client.post(url, **headers(world["admin"]))

    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["name_consent"]) == (certificate.pk, False)
    assert "Siti" not in verify_page(client, certificate)
    again = client.post(url, **headers(world["admin"]))
    assert again.status_code == 400 and "name_consent" in again.json()["errors"]


def test_a_producer_operator_withdraws_for_an_artisan_of_their_umkm(world, siti):
    # the issuer roles are the certificate's organization's: the facility admin here; a producer operator of
    # another organization may not
    operator = UserFactory(username="operator.lain")
    MembershipFactory(user=operator, organization=world["producer"], role=Role.PRODUCER_OPERATOR)
    certificate = issue(world, siti, name_consent=True)
    with pytest.raises(PermissionDenied):
        certificate_name_consent_withdraw(actor=operator, certificate=certificate)
