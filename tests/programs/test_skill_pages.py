"""The skill record, certificate and release checklist pages of the back office."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binakarya.ledger.models import Payout, PayoutPolicy
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.makers.models import Maker
from binakarya.programs.models import Certificate, Release
from binakarya.programs.services import certificate_issue
from tests.programs.skills import OWED_IDR


def pages(maker_pk, certificate_pk=1):
    return [
        reverse("backoffice:program_skills", args=[maker_pk]),
        reverse("backoffice:program_certificate_create", args=[maker_pk]),
        reverse("backoffice:program_release", args=[maker_pk]),
        reverse("backoffice:program_certificate_pdf", args=[certificate_pk]),
    ]


def test_the_skill_record_page_shows_the_figures_and_is_linked_from_the_maker(client, world, siti):
    client.force_login(world["admin"])
    maker = siti["maker"]

    maker_page = client.get(reverse("backoffice:maker_edit", args=[maker.pk]), HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("backoffice:program_skills", args=[maker.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert reverse("backoffice:program_skills", args=[maker.pk]) in maker_page.content.decode()
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="trainings">2<' in page
    assert 'data-testid="training-hours">16<' in page
    assert 'data-testid="units">8<' in page
    assert "82.4%" in page and "(14/17)" in page
    assert "Lokakarya desain batik Kemendag" in page
    assert reverse("backoffice:program_certificate_create", args=[maker.pk]) in page
    assert reverse("backoffice:program_release", args=[maker.pk]) in page
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_the_admin_issues_a_certificate_prefilled_from_the_record_and_downloads_its_pdf(client, world, siti):
    client.force_login(world["admin"])
    url = reverse("backoffice:program_certificate_create", args=[siti["maker"].pk])

    # the form proposes the record's crafts, hours and period
    form = client.get(url).content.decode()
    assert 'value="Anyaman, Batik Tulis"' in form and 'value="26"' in form and 'value="2025-04-01"' in form

    response = client.post(
        url,
        {
            "crafts": "Batik tulis",
            "hours": "24",
            "period_start": "2025-04-01",
            "period_end": "2025-09-01",
            "partner": world["disperindag"].pk,
        },
    )

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:program_skills", args=[siti["maker"].pk])
    assert (certificate.hours, certificate.partner, certificate.name_consent) == (24, world["disperindag"], False)
    pdf = client.get(reverse("backoffice:program_certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert certificate.document.number in client.get(response["Location"]).content.decode()


def test_too_many_hours_are_refused_on_the_page_with_nothing_saved(client, world, siti):
    client.force_login(world["admin"])
    response = client.post(
        reverse("backoffice:program_certificate_create", args=[siti["maker"].pk]),
        {"crafts": "Batik tulis", "hours": "99", "period_start": "2025-04-01", "period_end": "2025-09-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Only 26 hours of practice are recorded for this maker" in response.content.decode()
    assert not Certificate.objects.exists()


def checklist_data(world, **overrides):
    data = {
        "released_on": timezone.localdate().isoformat(),
        "payout_method": "RELEASE",
        "expected_owed_idr": str(OWED_IDR),
        "issue_certificate": "on",
        "crafts": "Batik tulis",
        "hours": "26",
        "period_start": "2025-04-01",
        "period_end": "2025-09-01",
        "partner": world["disperindag"].pk,
        "outcomes_consent": "on",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_release_checklist_pays_certifies_and_releases_in_one_confirmation(client, world, siti):
    client.force_login(world["admin"])
    url = reverse("backoffice:program_release", args=[siti["maker"].pk])

    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rp150.000" in form and 'value="RELEASE"' in form and 'value="EMONEY"' not in form

    response = client.post(url, checklist_data(world))

    assert response.status_code == 302
    maker = Maker.objects.get(pk=siti["maker"].pk)
    done = Release.objects.get()
    assert maker.status == Maker.Status.RELEASED and maker_premi_owed(maker=maker) == 0
    assert done.premi_paid_idr == OWED_IDR and done.certificate.hours == 26 and done.outcomes_consent
    # a second visit goes back to the record
    again = client.get(url)
    assert again.status_code == 302 and Release.objects.count() == 1


def test_a_refused_payout_shows_the_reason_and_saves_nothing(client, world, siti):
    PayoutPolicy.objects.create(organization=world["facility"], allow_family=True, allow_on_release=True)
    client.force_login(world["admin"])
    response = client.post(
        reverse("backoffice:program_release", args=[siti["maker"].pk]),
        checklist_data(world, payout_method="FAMILY"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Record the family member&#x27;s name and relationship." in response.content.decode()
    assert not Release.objects.exists() and not Payout.objects.exists() and not Certificate.objects.exists()
    assert Maker.objects.get(pk=siti["maker"].pk).status == Maker.Status.ACTIVE


def test_the_release_worklist_links_each_row_to_the_checklist(client, world, siti):
    Maker.objects.filter(pk=siti["maker"].pk).update(
        expected_release_date=timezone.localdate() + datetime.timedelta(days=10)
    )
    client.force_login(world["admin"])
    page = client.get(reverse("backoffice:release_worklist")).content.decode()
    assert reverse("backoffice:program_release", args=[siti["maker"].pk]) in page


def test_the_instructor_reads_the_record_but_neither_certifies_nor_releases(client, world, siti):
    client.force_login(world["instructor"])
    maker_pk = siti["maker"].pk
    page = client.get(reverse("backoffice:program_skills", args=[maker_pk])).content.decode()
    assert reverse("backoffice:program_release", args=[maker_pk]) not in page
    assert client.get(reverse("backoffice:program_certificate_create", args=[maker_pk])).status_code == 403
    assert client.get(reverse("backoffice:program_release", args=[maker_pk])).status_code == 403


@pytest.mark.parametrize("who", ["other_admin", "regional", "national", "operator"])
def test_every_page_is_404_outside_the_makers_organization(client, world, siti, who):
    certificate = certificate_issue(
        actor=world["admin"],
        maker=siti["maker"],
        crafts="Batik tulis",
        hours=10,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 9, 1),
    )
    client.force_login(world[who])
    for url in pages(siti["maker"].pk, certificate.pk):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("backoffice:program_release", args=[siti["maker"].pk]), {}).status_code == 404
    assert not Release.objects.exists()
