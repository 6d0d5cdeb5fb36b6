"""Agreements and obligations: the services' rules and the selectors' scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from binakarya.core.models import AuditEvent
from binakarya.programs import selectors
from binakarya.programs.models import Agreement, Obligation
from binakarya.programs.services import agreement_update, obligation_add, obligation_done
from tests.programs.conftest import PDF


def test_an_agreement_is_recorded_with_its_partners_pdf_and_an_audit_row(world, make):
    # when
    agreement = make(signed_document=SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf"))

    # then
    assert set(agreement.partners.values_list("slug", flat=True)) == {"polres-sumenep", "disperindag-sumenep"}
    assert agreement.created_by == world["admin"]
    with agreement.signed_document.open("rb") as stored:
        assert stored.read() == PDF
    event = AuditEvent.objects.get(action="programs.agreement_create")
    assert (event.actor, event.object_id, event.data["number"]) == (world["admin"], str(agreement.pk), "DEMO/001/2026")
    assert agreement.partner_rows.first().organization == world["facility"]


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_saved(make):
    # given a photo renamed to .pdf
    fake = SimpleUploadedFile("mou.pdf", b"\xff\xd8\xff\xe0 not a pdf", content_type="application/pdf")

    # when
    with pytest.raises(ValidationError) as caught:
        make(signed_document=fake)

    # then
    assert caught.value.message_dict["signed_document"] == ["Upload the signed agreement as a PDF file."]
    assert not Agreement.objects.exists()


def test_a_pdf_over_ten_megabytes_is_refused(make):
    big = SimpleUploadedFile("mou.pdf", PDF[:-6] + b" " * (10 * 1024 * 1024) + b"%%EOF\n")
    with pytest.raises(ValidationError) as caught:
        make(signed_document=big)
    assert "signed_document" in caught.value.message_dict
    assert not Agreement.objects.exists()


def test_the_end_must_come_after_the_start_and_partners_are_agencies(world, make, today):
    # when
    with pytest.raises(ValidationError) as caught:
        make(end_date=today, partners=[world["outlet"]], number=" ", title="")

    # then every problem is named at once
    errors = caught.value.message_dict
    assert errors["end_date"] == ["The end date must be after the start date."]
    assert errors["partners"] == ["Hotel Bintang is not an active agency."]
    assert set(errors) >= {"number", "title"}
    assert not Agreement.objects.exists()


def test_an_open_ended_agreement_is_allowed(make):
    assert make(end_date=None).end_date is None


def test_the_number_is_unique_per_organization(world, make):
    # given
    make()

    # when the same number again (other case) in the same facility
    with pytest.raises(ValidationError) as caught:
        make(number="demo/001/2026")

    # then refused; another facility may use it
    assert "number" in caught.value.message_dict
    make(actor=world["other_admin"], organization=world["other"])
    assert Agreement.objects.count() == 2


def test_another_facilitys_admin_and_viewers_may_not_write(world, make, today):
    # given
    agreement = make()

    # then
    for who in ("other_admin", "instructor", "regional", "national"):
        with pytest.raises(PermissionDenied):
            make(actor=world[who], number=f"DEMO/{who}")
        with pytest.raises(PermissionDenied):
            obligation_add(actor=world[who], agreement=agreement, description="x", due_date=today)
    assert Agreement.objects.count() == 1


def test_update_changes_the_agreement_and_keeps_the_pdf(world, make, today):
    # given
    agreement = make(signed_document=SimpleUploadedFile("mou.pdf", PDF))
    stored = agreement.signed_document.name

    # when
    changed = agreement_update(
        actor=world["admin"],
        agreement=agreement,
        kind="PKS",
        number="DEMO/002/2026",
        title="Pelatihan kerajinan",
        partners=[world["disperindag"]],
        signed_date=today,
        start_date=today,
        end_date=None,
        scope="Pelatihan",
    )

    # then
    changed.refresh_from_db()
    assert (changed.kind, changed.number, changed.end_date, changed.signed_document.name) == (
        "PKS",
        "DEMO/002/2026",
        None,
        stored,
    )
    assert list(changed.partners.values_list("slug", flat=True)) == ["disperindag-sumenep"]
    assert AuditEvent.objects.filter(action="programs.agreement_update").count() == 1


def test_update_refused_for_a_bad_pdf_saves_nothing(world, make, today):
    agreement = make()
    with pytest.raises(ValidationError):
        agreement_update(
            actor=world["admin"],
            agreement=agreement,
            kind="MOU",
            number="DEMO/CHANGED",
            title="x",
            partners=[world["polres"]],
            signed_date=today,
            start_date=today,
            signed_document=SimpleUploadedFile("x.pdf", b"PK\x03\x04 a zip"),
        )
    agreement.refresh_from_db()
    assert agreement.number == "DEMO/001/2026"


def test_obligations_are_added_for_a_partner_and_marked_done_once(world, make, today):
    # given
    agreement = make()

    # when
    obligation = obligation_add(
        actor=world["admin"],
        agreement=agreement,
        description="Pelatihan desain",
        due_date=today,
        party=world["disperindag"],
    )
    obligation_done(actor=world["admin"], obligation=obligation)

    # then
    obligation.refresh_from_db()
    assert (obligation.organization, obligation.done_by) == (world["facility"], world["admin"])
    assert obligation.done_at is not None
    with pytest.raises(ValidationError):
        obligation_done(actor=world["admin"], obligation=obligation)


def test_an_obligations_party_must_be_a_partner_of_the_agreement(world, make, today):
    agreement = make(partners=[world["polres"]])
    with pytest.raises(ValidationError) as caught:
        obligation_add(
            actor=world["admin"], agreement=agreement, description="x", due_date=today, party=world["disperindag"]
        )
    assert "party" in caught.value.message_dict
    assert not Obligation.objects.exists()


def test_ending_soon_and_overdue_selectors(world, make, today):
    # given one agreement ending in 30 days, one in 90, one open-ended
    soon = make(number="DEMO/A", end_date=today + datetime.timedelta(days=30))
    make(number="DEMO/B", end_date=today + datetime.timedelta(days=90))
    make(number="DEMO/C", end_date=None)
    late = obligation_add(
        actor=world["admin"], agreement=soon, description="Laporan", due_date=today - datetime.timedelta(days=1)
    )
    obligation_add(actor=world["admin"], agreement=soon, description="Pameran", due_date=today)
    done = obligation_add(
        actor=world["admin"], agreement=soon, description="Selesai", due_date=today - datetime.timedelta(days=5)
    )
    obligation_done(actor=world["admin"], obligation=done)

    # then
    user = world["admin"]
    assert list(selectors.agreements_ending(user=user)) == [soon]
    assert [a.number for a in selectors.agreements_ending(user=user, within_days=120)] == ["DEMO/A", "DEMO/B"]
    assert list(selectors.obligations_overdue(user=user)) == [late]


def test_one_organization_cannot_see_anothers_agreements_but_viewers_read_them(world, make):
    # given an agreement of Rutan Sumenep (Jawa Timur)
    agreement = make()
    obligation_add(actor=world["admin"], agreement=agreement, description="x", due_date=datetime.date(2020, 1, 1))

    # then
    assert list(selectors.agreements_for(user=world["other_admin"])) == []
    assert list(selectors.obligations_overdue(user=world["other_admin"])) == []
    with pytest.raises(Agreement.DoesNotExist):
        selectors.agreement_get(user=world["other_admin"], pk=agreement.pk)
    assert list(selectors.agreements_for(user=world["partner"])) == []
    assert list(selectors.agreements_for(user=world["regional_central"])) == []
    for who in ("admin", "instructor", "regional", "national"):
        assert selectors.agreement_get(user=world[who], pk=agreement.pk) == agreement
        assert selectors.obligations_overdue(user=world[who]).count() == 1
