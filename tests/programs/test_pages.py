"""The Kerja sama (agreements) pages: list with alerts, create, edit, detail with obligations, the PDF."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from binakarya.makers.models import Maker
from binakarya.programs.models import Agreement, Obligation
from binakarya.programs.services import obligation_add
from tests.factories import MakerFactory
from tests.programs.conftest import PDF


def form_data(world, today, **overrides):
    data = {
        "organization": world["facility"].pk,
        "kind": "MOU",
        "number": "DEMO/010/2026",
        "title": "Pembinaan kemandirian",
        "partners": [world["polres"].pk, world["disperindag"].pk],
        "signed_date": today.isoformat(),
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=365)).isoformat(),
        "scope": "Pelatihan dan pemasaran",
    }
    data.update(overrides)
    return data


def test_the_admin_records_an_agreement_with_its_pdf_and_downloads_it(client, world, today):
    # given
    client.force_login(world["admin"])

    # when
    data = form_data(world, today, signed_document=SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf"))
    response = client.post(reverse("backoffice:program_agreement_create"), data)

    # then
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "backoffice:program_agreement", args=[agreement.pk]
    )
    detail = client.get(response["Location"])
    assert "DEMO/010/2026" in detail.content.decode()
    download = client.get(reverse("backoffice:program_agreement_pdf", args=[agreement.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_non_pdf_upload_is_refused_on_the_page_with_nothing_saved(client, world, today):
    client.force_login(world["admin"])
    data = form_data(world, today, signed_document=SimpleUploadedFile("mou.pdf", b"GIF89a not a pdf"))
    response = client.post(reverse("backoffice:program_agreement_create"), data)
    assert response.status_code == 200
    assert "Upload the signed agreement as a PDF file." in response.content.decode()
    assert not Agreement.objects.exists()


def test_end_before_start_is_shown_next_to_the_field(client, world, today):
    client.force_login(world["admin"])
    response = client.post(
        reverse("backoffice:program_agreement_create"), form_data(world, today, end_date=today.isoformat())
    )
    assert response.status_code == 200
    assert "The end date must be after the start date." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_list_puts_ending_agreements_and_overdue_obligations_on_top(client, world, make, today):
    # given
    soon = make(number="DEMO/SOON", title="Segera berakhir", end_date=today + datetime.timedelta(days=20))
    obligation_add(
        actor=world["admin"],
        agreement=soon,
        description="Laporan semester",
        due_date=today - datetime.timedelta(days=3),
    )
    client.force_login(world["admin"])

    # when
    page = client.get(reverse("backoffice:program_agreements")).content.decode()

    # then
    assert 'data-testid="overdue"' in page and "Laporan semester" in page
    assert 'data-testid="ending"' in page and "Segera berakhir" in page
    assert page.index('data-testid="overdue"') < page.index('id="agreements"')


def test_obligations_are_added_and_marked_done_from_the_detail_page(client, world, make, today):
    agreement = make()
    client.force_login(world["admin"])
    response = client.post(
        reverse("backoffice:program_obligation_add", args=[agreement.pk]),
        {"party": str(world["disperindag"].pk), "description": "Pelatihan desain", "due_date": today.isoformat()},
    )
    assert response.status_code == 302
    obligation = Obligation.objects.get()
    assert obligation.party == world["disperindag"]
    client.post(reverse("backoffice:program_obligation_done", args=[agreement.pk, obligation.pk]))
    obligation.refresh_from_db()
    assert obligation.done_by == world["admin"]
    # an empty description is refused with a message, not a 500
    bad = client.post(reverse("backoffice:program_obligation_add", args=[agreement.pk]), {"party": "", "due_date": ""})
    assert bad.status_code == 400 and Obligation.objects.count() == 1


def test_the_admin_edits_the_agreement(client, world, make, today):
    agreement = make()
    client.force_login(world["admin"])
    edit = reverse("backoffice:program_agreement_edit", args=[agreement.pk])
    assert client.get(edit).status_code == 200
    data = form_data(world, today, number="DEMO/EDIT", partners=[world["polres"].pk])
    data.pop("organization")
    assert client.post(edit, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.number == "DEMO/EDIT"


def test_viewers_read_but_do_not_write_and_other_facilities_get_404(client, world, make, today):
    agreement = make()
    detail = reverse("backoffice:program_agreement", args=[agreement.pk])
    # a regional viewer of the province reads, without the write buttons
    client.force_login(world["regional"])
    page = client.get(detail)
    assert page.status_code == 200 and "Mark done" not in page.content.decode()
    assert client.get(reverse("backoffice:program_agreement_create")).status_code == 403
    assert client.get(reverse("backoffice:program_agreement_edit", args=[agreement.pk])).status_code == 403
    assert client.post(reverse("backoffice:program_obligation_add", args=[agreement.pk])).status_code == 403
    # another facility's admin does not see it at all
    client.force_login(world["other_admin"])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("backoffice:program_agreement_pdf", args=[agreement.pk])).status_code == 404
    assert "DEMO/001/2026" not in client.get(reverse("backoffice:program_agreements")).content.decode()
    # an outlet partner has no such section
    client.force_login(world["partner"])
    assert client.get(reverse("backoffice:program_agreements")).status_code == 403


def test_the_overview_shows_the_alerts_and_the_menu_the_section(client, world, make, today):
    soon = make(end_date=today + datetime.timedelta(days=10))
    obligation_add(actor=world["admin"], agreement=soon, description="x", due_date=today - datetime.timedelta(days=1))
    client.force_login(world["admin"])
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert 'data-testid="programs-overdue">1<' in page
    assert 'data-testid="programs-ending">1<' in page
    assert reverse("backoffice:program_agreements") in page


def test_the_pages_speak_indonesian(client, world, make):
    make()
    client.force_login(world["admin"])
    with translation.override("id"):
        page = client.get(reverse("backoffice:program_agreements")).content.decode()
    assert "Kerja sama" in page and "Semua kerja sama" in page


def test_no_agreement_page_or_answer_names_a_maker(client, world, make, today):
    # given a maker of the facility with a registration number, and an agreement with an obligation
    maker = MakerFactory(organization=world["facility"], full_name="Slamet Riyadi Wibowo")
    Maker.objects.filter(pk=maker.pk).update(registration_number="B.I-777/2026")
    agreement = make()
    obligation_add(actor=world["admin"], agreement=agreement, description="Pelatihan", due_date=today)

    # when the facility's admin and a viewer open every agreement page and the API
    answers = []
    for who in ("admin", "regional"):
        client.force_login(world[who])
        for url in (
            reverse("backoffice:program_agreements"),
            reverse("backoffice:program_agreement", args=[agreement.pk]),
            reverse("backoffice:dashboard"),
            "/api/v1/agreements",
            f"/api/v1/agreements/{agreement.pk}",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            answers.append(response.content.decode())

    # then no answer names the maker
    for text in answers:
        assert "Slamet Riyadi Wibowo" not in text and "B.I-777/2026" not in text
