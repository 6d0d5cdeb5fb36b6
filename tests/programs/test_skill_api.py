"""The skill record, certificate and release endpoints: scoped to the maker's own organization (404 outside)."""

import pytest
from django.utils import timezone

from binakarya.accounts.services import api_token_create
from binakarya.ledger.models import Payout, PayoutPolicy
from binakarya.makers.models import Maker
from binakarya.programs.models import Certificate, Release
from tests.programs.skills import OWED_IDR

CERTIFICATE = {"crafts": "Batik tulis", "hours": 20, "period_start": "2025-04-01", "period_end": "2025-09-01"}


def headers(user):
    token = api_token_create(user=user, name="test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_skill_record_answers_exact_figures(client, world, siti):
    response = client.get(f"/api/v1/makers/{siti['maker'].pk}/skills", **headers(world["admin"]))

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["trainings_attended"], answer["training_hours"]) == (2, 16)
    assert (answer["lots_contributed"], answer["units_made"], answer["production_hours"]) == (2, 8, 10)
    assert (answer["units_passed"], answer["units_produced"], answer["quality_rate"]) == (14, 17, 0.8235)
    assert answer["crafts"] == ["Anyaman", "Batik Tulis"]
    assert (answer["period_start"], answer["period_end"]) == ("2025-04-01", "2025-09-01")
    assert answer["hours_of_practice"] == 26
    assert answer["trainings"][0]["partner"] == "Disperindag Kabupaten Sumenep"


def test_the_admin_issues_a_certificate_and_fetches_its_pdf(client, world, siti):
    auth = headers(world["admin"])
    response = client.post(
        f"/api/v1/makers/{siti['maker'].pk}/certificates",
        {**CERTIFICATE, "partner": "disperindag-sumenep", "name_consent": True},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 201, response.content
    answer = response.json()
    certificate = Certificate.objects.get()
    assert answer["number"] == certificate.document.number and answer["verify_code"] == certificate.document.verify_code
    assert answer["verify_url"].endswith(f"/verifikasi/{certificate.document.verify_code}/")
    assert answer["pdf_url"].endswith(f"/api/v1/certificates/{certificate.pk}/pdf")
    assert (answer["partner"], answer["name_consent"]) == ("disperindag-sumenep", True)
    pdf = client.get(f"/api/v1/certificates/{certificate.pk}/pdf", **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_certificate_over_the_recorded_hours_is_400_and_an_unknown_agency_too(client, world, siti):
    auth = headers(world["admin"])
    url = f"/api/v1/makers/{siti['maker'].pk}/certificates"
    too_many = client.post(url, {**CERTIFICATE, "hours": 27}, content_type="application/json", **auth)
    unknown = client.post(url, {**CERTIFICATE, "partner": "hotel-bintang"}, content_type="application/json", **auth)
    assert too_many.status_code == 400 and "hours" in too_many.json()["errors"]
    assert unknown.status_code == 400 and unknown.json()["errors"]["partner"] == ["Unknown agency “hotel-bintang”."]
    assert not Certificate.objects.exists()


def test_the_release_pays_the_premi_and_issues_the_certificate(client, world, siti):
    auth = headers(world["admin"])
    url = f"/api/v1/makers/{siti['maker'].pk}/release"
    data = {
        "released_on": timezone.localdate().isoformat(),
        "payout_method": "release",
        "expected_owed_idr": OWED_IDR,
        "certificate": CERTIFICATE,
        "outcomes_consent": True,
    }

    response = client.post(url, data, content_type="application/json", **auth)

    assert response.status_code == 201, response.content
    answer = response.json()
    payout = Payout.objects.get()
    certificate = Certificate.objects.get()
    assert (answer["premi_paid_idr"], answer["balance_idr"], answer["status"]) == (OWED_IDR, 0, "RELEASED")
    assert answer["payout_number"] == payout.document.number
    assert answer["certificate_verify_code"] == certificate.document.verify_code
    # a second release is refused
    again = client.post(url, data, content_type="application/json", **auth)
    assert again.status_code == 400 and "maker" in again.json()["errors"]
    assert Release.objects.count() == 1 and Payout.objects.count() == 1


def test_a_refused_payout_saves_nothing_through_the_api(client, world, siti):
    PayoutPolicy.objects.create(organization=world["facility"], allow_savings=False)
    response = client.post(
        f"/api/v1/makers/{siti['maker'].pk}/release",
        {"released_on": timezone.localdate().isoformat(), "payout_method": "SAVINGS", "certificate": CERTIFICATE},
        content_type="application/json",
        **headers(world["admin"]),
    )
    assert response.status_code == 400
    assert not Release.objects.exists() and not Certificate.objects.exists() and not Payout.objects.exists()
    assert Maker.objects.get(pk=siti["maker"].pk).status == Maker.Status.ACTIVE


def test_the_instructor_reads_but_may_not_write(client, world, siti):
    auth = headers(world["instructor"])
    maker = siti["maker"].pk
    assert client.get(f"/api/v1/makers/{maker}/skills", **auth).status_code == 200
    issued = client.post(f"/api/v1/makers/{maker}/certificates", CERTIFICATE, content_type="application/json", **auth)
    released = client.post(
        f"/api/v1/makers/{maker}/release",
        {"released_on": timezone.localdate().isoformat()},
        content_type="application/json",
        **auth,
    )
    assert (issued.status_code, released.status_code) == (403, 403)


@pytest.mark.parametrize("who", ["other_admin", "regional", "national", "operator", "partner"])
def test_everything_is_404_outside_the_makers_organization(client, world, siti, who):
    auth = headers(world["admin"])
    maker = siti["maker"].pk
    client.post(f"/api/v1/makers/{maker}/certificates", CERTIFICATE, content_type="application/json", **auth)
    certificate = Certificate.objects.get()

    outsider = headers(world[who])
    answers = [
        client.get(f"/api/v1/makers/{maker}/skills", **outsider),
        client.get(f"/api/v1/certificates/{certificate.pk}/pdf", **outsider),
        client.post(f"/api/v1/makers/{maker}/certificates", CERTIFICATE, content_type="application/json", **outsider),
        client.post(
            f"/api/v1/makers/{maker}/release",
            {"released_on": timezone.localdate().isoformat()},
            content_type="application/json",
            **outsider,
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert "Siti" not in "".join(a.content.decode() for a in answers)
    assert Certificate.objects.count() == 1 and not Release.objects.exists()


def test_a_release_through_the_api_always_pays_the_whole_balance(client, world, siti):
    # An old client asking not to pay (the field is gone) still releases with nothing left owed.
    response = client.post(
        f"/api/v1/makers/{siti['maker'].pk}/release",
        {"released_on": timezone.localdate().isoformat(), "pay_premi": False},
        content_type="application/json",
        **headers(world["admin"]),
    )

    assert response.status_code == 201, response.content
    assert (response.json()["premi_paid_idr"], response.json()["balance_idr"]) == (OWED_IDR, 0)
    assert Payout.objects.get().amount_idr == OWED_IDR
