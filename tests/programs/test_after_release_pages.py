"""The after-release pages (bebas/): the facility's releases with what is due, starting a livelihood, recording
an outcome check; the overview's starting capital card. Facility staff only; another facility's release is 404."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from binakarya.organizations.models import Role
from binakarya.programs.models import Livelihood, OutcomeCheck
from binakarya.programs.services import add_months, livelihood_start
from tests.factories import MembershipFactory, UserFactory
from tests.programs.factories_livelihood import ReleaseFactory

PASSWORD = "kain-batik-Tanjung-77"


@pytest.fixture
def release(world, today):
    return ReleaseFactory(organization=world["facility"], released_on=add_months(today, -7), premi_paid_idr=1_250_000)


def livelihood_data(today, **overrides):
    data = {
        "consent_date": today.isoformat(),
        "business_name": "Batik Canting Sari",
        "description": "Batik tulis motif pesisir.",
        "regency": "Sumenep",
        "province": "Jawa Timur",
        "phone": "0813 5555 2468",
        "agency": "",
        "starting_capital_idr": "",
        "operator_username": "canting.sari",
        "operator_email": "",
        "operator_password": PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_list_shows_the_releases_and_the_checks_due(client, world, release):
    client.force_login(world["admin"])
    response = client.get(reverse("backoffice:program_releases"))
    body = response.content.decode()
    assert response.status_code == 200
    assert release.maker.full_name in body
    assert "6 months: due" in body or "6 bulan: jatuh tempo" in body
    assert 'data-testid="due-count"' in body
    assert 'data-testid="outcomes"' in body


@pytest.mark.parametrize("who", ["regional", "national", "operator", "partner"])
def test_the_pages_are_refused_to_anyone_but_facility_staff(client, world, release, who):
    client.force_login(world[who])
    assert client.get(reverse("backoffice:program_releases")).status_code == 403
    assert client.get(reverse("backoffice:program_livelihood", args=[release.pk])).status_code == 403


def test_another_facilitys_release_is_a_404(client, world, release):
    client.force_login(world["other_admin"])
    assert client.get(reverse("backoffice:program_releases")).status_code == 200
    assert client.get(reverse("backoffice:program_livelihood", args=[release.pk])).status_code == 404
    assert client.get(reverse("backoffice:program_outcome", args=[release.pk])).status_code == 404
    response = client.post(
        reverse("backoffice:program_livelihood", args=[release.pk]), livelihood_data(release.released_on)
    )
    assert response.status_code == 404
    assert not Livelihood.objects.exists()


def test_the_admin_starts_a_livelihood_from_the_page(client, world, release, today):
    client.force_login(world["admin"])
    url = reverse("backoffice:program_livelihood", args=[release.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, livelihood_data(today, starting_capital_idr="Rp1.500.000"))

    assert response.status_code == 302
    livelihood = Livelihood.objects.get()
    assert (livelihood.producer.name, livelihood.starting_capital_idr) == ("Batik Canting Sari", 1_500_000)
    page = client.get(url).content.decode()
    assert 'data-testid="livelihood"' in page and "Batik Canting Sari" in page
    assert "Batik Canting Sari" in client.get(reverse("backoffice:program_releases")).content.decode()


def test_a_past_in_the_name_is_shown_next_to_the_field_and_nothing_saved(client, world, release, today):
    client.force_login(world["admin"])
    with_past = livelihood_data(today, business_name="Batik Rutan Sumenep")
    response = client.post(reverse("backoffice:program_livelihood", args=[release.pk]), with_past)
    assert response.status_code == 400
    assert "rutan" in response.content.decode().lower()
    assert not Livelihood.objects.exists()


def test_an_instructor_reads_but_cannot_start(client, world, release, today):
    client.force_login(world["instructor"])
    url = reverse("backoffice:program_livelihood", args=[release.pk])
    page = client.get(url)
    assert page.status_code == 200 and f'action="{url}"' not in page.content.decode()
    assert client.post(url, livelihood_data(today)).status_code == 403
    assert not Livelihood.objects.exists()


def test_an_outcome_is_recorded_from_the_page(client, world, release, today):
    client.force_login(world["admin"])
    url = reverse("backoffice:program_outcome", args=[release.pk])
    assert client.get(url).status_code == 200
    data = {"months": "6", "checked_on": today.isoformat(), "producing": "yes", "income_band": "FROM_1M"}
    assert client.post(url, data).status_code == 302
    check = OutcomeCheck.objects.get()
    assert (check.months, check.producing, check.income_band) == (6, True, "FROM_1M")
    # a 12-month answer too early is refused next to the date
    data["months"] = "12"
    response = client.post(url, data)
    assert response.status_code == 400
    assert OutcomeCheck.objects.count() == 1


def test_the_overview_shows_the_operator_their_starting_capital_without_the_facility(client, world, release, today):
    livelihood_start(
        actor=world["admin"],
        release=release,
        consent_date=today,
        business_name="Batik Canting Sari",
        regency="Sumenep",
        province="Jawa Timur",
        operator_username="canting.sari",
        operator_password=PASSWORD,
    )
    operator = get_user_model().objects.get(username="canting.sari")
    operator.pending_password_change.delete()
    client.force_login(operator)

    body = client.get(reverse("backoffice:dashboard")).content.decode()

    assert 'data-testid="starting-capital"' in body
    assert "Rp1.250.000" in body
    assert world["facility"].name not in body and "rutan-sumenep" not in body
    assert release.maker.registration_number not in body
    # and the producer's agency viewer and another operator do not get the card
    viewer = UserFactory(username="viewer.x")
    MembershipFactory(user=viewer, organization=world["disperindag"], role=Role.AGENCY_VIEWER)
    for who in (viewer, world["operator"], world["admin"]):
        client.force_login(who)
        assert 'data-testid="starting-capital"' not in client.get(reverse("backoffice:dashboard")).content.decode()
