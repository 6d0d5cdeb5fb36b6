"""Skills certificates: the service's rules, the public verification page (no name without consent, never a
registration number) and the PDF (names the person, carries the code)."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.programs.models import Certificate
from binakarya.programs.pdf import certificate_pdf
from binakarya.programs.services import certificate_issue

PERIOD = {"period_start": datetime.date(2025, 4, 1), "period_end": datetime.date(2025, 9, 1)}


def issue(world, siti, **overrides):
    arguments = {
        "actor": world["admin"],
        "maker": siti["maker"],
        "crafts": "Batik tulis, tas anyaman pandan",
        "hours": 26,
        "partner": world["disperindag"],
        **PERIOD,
    }
    arguments.update(overrides)
    return certificate_issue(**arguments)


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_a_certificate_is_a_verifiable_document_with_only_public_figures(world, siti):
    # when
    certificate = issue(world, siti)

    # then
    document = certificate.document
    assert document.kind == Document.Kind.SKILLS_CERTIFICATE
    assert document.number.startswith("SKL-")
    assert document.public_figures == {
        "facility": "Rutan Kelas IIB Sumenep",
        "crafts": "Batik tulis, tas anyaman pandan",
        "hours": 26,
        "period_start": "2025-04-01",
        "period_end": "2025-09-01",
        "partner": "Disperindag Kabupaten Sumenep",
    }
    assert (certificate.maker, certificate.hours, certificate.issued_by) == (siti["maker"], 26, world["admin"])
    event = AuditEvent.objects.get(action="programs.certificate_issue")
    assert event.object_id == str(certificate.pk) and event.data["number"] == document.number


def test_the_public_page_confirms_it_without_the_name_or_registration_number(client, world, siti):
    # given
    certificate = issue(world, siti)

    # when
    response = client.get(
        reverse("storefront:verify", args=[certificate.document.verify_code]), HTTP_ACCEPT_LANGUAGE="en"
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Genuine." in page
    assert "Rutan Kelas IIB Sumenep" in page and "Batik tulis, tas anyaman pandan" in page
    assert "Disperindag Kabupaten Sumenep" in page and "26" in page
    assert "Siti" not in page and "Rahayu" not in page
    assert "B.I-777/2025" not in page
    assert 'data-testid="certificate-name"' not in page


def test_with_consent_the_public_page_names_the_person_but_never_the_registration_number(client, world, siti):
    certificate = issue(world, siti, name_consent=True)
    assert certificate.document.public_figures["name"] == "Siti Rahayu"

    page = client.get(reverse("storefront:verify", args=[certificate.document.verify_code])).content.decode()

    assert "Siti Rahayu" in page
    assert "B.I-777/2025" not in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_names_the_person_with_the_crafts_hours_cosigner_and_code(world, siti):
    certificate = issue(world, siti)

    text = pdf_text(certificate_pdf(certificate=certificate, base_url="https://binakarya.test"))

    assert "Siti Rahayu" in text
    assert "SERTIFIKAT KETERAMPILAN" in text
    assert "Batik tulis, tas anyaman pandan" in text
    assert "26 jam" in text
    assert "Disperindag Kabupaten Sumenep" in text
    assert certificate.document.verify_code in text
    assert f"https://binakarya.test/verifikasi/{certificate.document.verify_code}/" in text.replace("\n", "")
    assert "B.I-777/2025" not in text


def test_hours_may_not_exceed_the_recorded_hours_and_every_problem_is_named(world, siti):
    # when: 27 hours where 16 in trainings and 10 by hours in production are recorded
    with pytest.raises(ValidationError) as caught:
        issue(
            world,
            siti,
            hours=27,
            crafts=" ",
            partner=world["outlet"],
            period_start=datetime.date(2025, 9, 2),
            period_end=datetime.date(2025, 9, 1),
        )

    # then
    errors = caught.value.message_dict
    assert errors["hours"] == [
        "Only 26 hours of practice are recorded for this maker (16 in trainings, 10 in production by hours): "
        "the certificate may not claim more."
    ]
    assert errors["crafts"] == ["Say what the person can make."]
    assert errors["partner"] == ["Hotel Bintang is not an active agency."]
    assert errors["period_end"] == ["The period cannot end before it starts."]
    assert not Certificate.objects.exists() and not Document.objects.filter(kind="SKILLS_CERT").exists()


def test_zero_hours_are_refused(world, siti):
    with pytest.raises(ValidationError) as caught:
        issue(world, siti, hours=0)
    assert caught.value.message_dict["hours"] == ["Enter the hours of practice, more than 0."]


@pytest.mark.parametrize("who", ["instructor", "other_admin", "operator", "regional"])
def test_only_the_facility_admin_issues(world, siti, who):
    with pytest.raises(PermissionDenied):
        issue(world, siti, actor=world[who])
    assert not Certificate.objects.exists()
