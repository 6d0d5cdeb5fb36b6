"""The agreements endpoints: scoped reads, writes for the organization's admin only."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from binakarya.accounts.services import api_token_create
from binakarya.programs.models import Agreement, Obligation
from tests.programs.conftest import PDF


def headers(user):
    token = api_token_create(user=user, name="test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def body(today, **overrides):
    data = {
        "kind": "MOU",
        "number": "DEMO/API/1",
        "title": "Pembinaan",
        "partners": ["polres-sumenep", "disperindag-sumenep"],
        "signed_date": today.isoformat(),
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_the_admin_posts_an_agreement_and_an_obligation(client, world, today):
    # when
    response = client.post(
        "/api/v1/agreements", body(today), content_type="application/json", **headers(world["admin"])
    )

    # then
    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["organization"], answer["partners"]) == ("rutan-sumenep", ["disperindag-sumenep", "polres-sumenep"])
    added = client.post(
        f"/api/v1/agreements/{answer['id']}/obligations",
        {"party": "polres-sumenep", "description": "Penyuluhan", "due_date": "2020-01-01"},
        content_type="application/json",
        **headers(world["admin"]),
    )
    assert added.status_code == 201
    assert added.json()["overdue"] is True
    detail = client.get(f"/api/v1/agreements/{answer['id']}", **headers(world["admin"])).json()
    assert [o["description"] for o in detail["obligations"]] == ["Penyuluhan"]


def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(client, world, today):
    response = client.post(
        "/api/v1/agreements",
        body(today, end_date=today.isoformat(), partners=["no-such-agency"]),
        content_type="application/json",
        **headers(world["admin"]),
    )
    assert response.status_code == 400
    assert "partners" in response.json()["errors"]
    response = client.post(
        "/api/v1/agreements",
        body(today, end_date=today.isoformat()),
        content_type="application/json",
        **headers(world["admin"]),
    )
    assert response.status_code == 400 and "end_date" in response.json()["errors"]
    assert not Agreement.objects.exists()


def test_viewers_read_but_may_not_write_and_others_get_404(client, world, make):
    agreement = make()
    regional = headers(world["regional"])
    assert client.get("/api/v1/agreements", **regional).json()["count"] == 1
    assert client.post("/api/v1/agreements", {}, content_type="application/json", **regional).status_code in (403, 422)
    assert (
        client.post(
            f"/api/v1/agreements/{agreement.pk}/obligations",
            {"description": "x", "due_date": "2026-01-01"},
            content_type="application/json",
            **regional,
        ).status_code
        == 403
    )
    other = headers(world["other_admin"])
    assert client.get("/api/v1/agreements", **other).json() == {"count": 0, "items": []}
    assert client.get(f"/api/v1/agreements/{agreement.pk}", **other).status_code == 404
    assert (
        client.post(
            f"/api/v1/agreements/{agreement.pk}/obligations",
            {"description": "x", "due_date": "2026-01-01"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )
    assert not Obligation.objects.exists()


def test_a_viewer_posting_an_agreement_is_refused(client, world, today):
    response = client.post(
        "/api/v1/agreements", body(today), content_type="application/json", **headers(world["national"])
    )
    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_the_admin_uploads_the_signed_pdf_as_multipart_and_readers_download_it(client, world, make):
    agreement = make()
    upload = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")

    # when
    response = client.post(
        f"/api/v1/agreements/{agreement.pk}/document", {"document": upload}, **headers(world["admin"])
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["has_signed_document"] is True
    download = client.get(f"/api/v1/agreements/{agreement.pk}/document", **headers(world["regional"]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


def test_a_non_pdf_upload_is_a_400_and_keeps_the_pdf_it_had(client, world, make):
    agreement = make()
    good = client.post(
        f"/api/v1/agreements/{agreement.pk}/document",
        {"document": SimpleUploadedFile("mou.pdf", PDF)},
        **headers(world["admin"]),
    )
    assert good.status_code == 200

    # when
    response = client.post(
        f"/api/v1/agreements/{agreement.pk}/document",
        {"document": SimpleUploadedFile("mou.pdf", b"GIF89a not a pdf")},
        **headers(world["admin"]),
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"]["signed_document"] == ["Upload the signed agreement as a PDF file."]
    agreement.refresh_from_db()
    assert agreement.signed_document.read() == PDF


def test_the_signed_pdf_is_refused_to_viewers_writing_and_hidden_from_other_organizations(client, world, make):
    agreement = make()
    refused = client.post(
        f"/api/v1/agreements/{agreement.pk}/document",
        {"document": SimpleUploadedFile("mou.pdf", PDF)},
        **headers(world["regional"]),
    )
    assert refused.status_code == 403
    other = headers(world["other_admin"])
    assert (
        client.post(
            f"/api/v1/agreements/{agreement.pk}/document", {"document": SimpleUploadedFile("mou.pdf", PDF)}, **other
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/agreements/{agreement.pk}/document", **other).status_code == 404
    # None uploaded yet: a reader gets 404 with a message.
    missing = client.get(f"/api/v1/agreements/{agreement.pk}/document", **headers(world["admin"]))
    assert missing.status_code == 404
    agreement.refresh_from_db()
    assert not agreement.signed_document
