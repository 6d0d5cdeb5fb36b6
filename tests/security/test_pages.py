"""Pages: NUL characters refused with a 400, private pages never cached, and the security headers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binakarya.ledger.models import CapitalMovement
from binakarya.makers.models import Maker
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return MembershipFactory(role=Role.FACILITY_ADMIN).user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# NUL characters ------------------------------------------------------------------------------------------


def test_a_nul_in_a_staff_form_field_is_a_400_page_and_nothing_is_saved(staff_client, staff):
    # when a finance form is sent with a NUL in its memo
    response = staff_client.post(
        reverse("backoffice:capital_grant"),
        {"organisasi": staff.memberships.get().organization.slug, "amount_idr": "1000", "memo": "hibah\x00"},
    )

    # then the styled page says why, in Indonesian, and no movement is recorded
    assert response.status_code == 400
    assert "bad_input.html" in [t.name for t in response.templates]
    assert "karakter nol" in response.content.decode()
    assert not CapitalMovement.objects.exists()


def test_a_nul_in_a_maker_name_is_refused(staff_client):
    response = staff_client.post(reverse("backoffice:maker_create"), {"full_name": "Siti\x00", "kind": "INMATE"})

    assert response.status_code == 400
    assert not Maker.objects.exists()


def test_a_nul_in_a_multipart_field_is_refused(staff_client):
    photo = SimpleUploadedFile("foto.png", b"\x89PNG", content_type="image/png")

    response = staff_client.post(reverse("backoffice:product_create"), {"name": "Batik\x00", "photo": photo})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/katalog/?q=batik%00", "/katalog/?q%00=1", "/verifikasi/?kode=%00", "/lacak/AB%00C/", "/en/katalog/?q=%00"]
)
def test_a_nul_in_a_public_query_or_path_is_a_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "bad_input.html" in [t.name for t in response.templates]


def test_the_nul_page_is_english_under_en(client):
    response = client.get("/en/katalog/?q=%00")

    assert "null character" in response.content.decode()


def test_a_nul_in_a_cookie_is_refused(client):
    client.cookies["sessionid"] = "abc\x00def"

    assert client.get("/katalog/").status_code == 400


def test_text_without_nul_goes_through(client, staff_client):
    assert client.get("/katalog/?q=batik").status_code == 200
    assert staff_client.post(reverse("backoffice:maker_create"), {"full_name": "Siti"}).status_code != 400


# Private pages are not cached ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "backoffice:dashboard",
        "backoffice:makers",
        "backoffice:money",
        "backoffice:sales",
        "backoffice:pnbp",
        "backoffice:program_activities",
        "backoffice:program_releases",
    ],
)
def test_staff_pages_are_private_and_not_stored(staff_client, name):
    response = staff_client.get(reverse(name))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
    assert "public" not in cache_directives(response)


def test_english_staff_pages_and_the_login_page_are_private(staff_client, client):
    assert {"private", "no-store"} <= cache_directives(staff_client.get("/en/staf/"))
    staff_client.logout()
    assert {"private", "no-store"} <= cache_directives(client.get(reverse("accounts:login")))


def test_authenticated_api_answers_are_private_and_not_stored(client, staff):
    from binakarya.accounts.services import api_token_create

    raw = api_token_create(user=staff)[1]

    by_token = client.get("/api/v1/makers", HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.force_login(staff)
    by_session = client.get("/api/v1/sales")

    assert by_token.status_code == by_session.status_code == 200
    assert {"private", "no-store"} <= cache_directives(by_token)
    assert {"private", "no-store"} <= cache_directives(by_session)


def test_public_catalog_pages_keep_their_public_caching(client, settings):
    # given the public page cache on, as in production
    settings.PUBLIC_CACHE_SECONDS = 60
    ProductFactory()

    # when anonymous visitors open the catalog and the public API
    page = client.get("/katalog/")
    api = client.get("/api/v1/products")

    # then both may be cached publicly
    for response in (page, api):
        assert response.status_code == 200
        assert {"public", "max-age=60"} <= cache_directives(response)
        assert "no-store" not in cache_directives(response)


# Headers -------------------------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/")

    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";") if part
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_htmx_is_configured_not_to_inject_its_indicator_styles(client):
    body = client.get("/katalog/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false' in body


def test_no_template_has_inline_script_or_event_handlers():
    """No <script> without src and no on...= attribute in any template: the policy would block them."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "binakarya"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"<[^>]+\sstyle\s*=", re.I)
    offenders = []
    for path in root.rglob("*.html"):
        if "documents" in path.parts:  # PDFs rendered by WeasyPrint, never by a browser
            continue
        if path.name == "500.html":  # standalone, reworked by the error-pages part of issue 10
            continue
        text = path.read_text()
        for name, pattern in (("inline script", inline_script), ("event handler", handler), ("style", style_attr)):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(root)}: {name}")
    assert offenders == []
