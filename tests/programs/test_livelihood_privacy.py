"""Issue 15: after a livelihood is started, nothing public links the new producer to the facility or to a past
as an inmate, and no one outside the releasing facility sees the link.

Public: the producer's profile page, its product page, the catalog and its search, the producers list, every
feed file of the registry (FEEDS), the impact page, the verification page of its documents, and every public
GET of the API (walked from the OpenAPI schema, anonymously). The site has no sitemap (no sitemap URL exists).
Forbidden there: the facility's name, slug and code, the maker's full name and registration number, the
starting capital, and the words "rutan", "lapas", "warga binaan", "napi", "narapidana" and "premi". The site's
own header and footer speak of facilities for every page, so on HTML pages the words are counted against the
same page of an ordinary UMKM producer: the new producer's page may not say them once more than that one.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from binakarya.accounts.services import api_token_create
from binakarya.catalog.models import Producer
from binakarya.core.codes import normalize_code
from binakarya.documents.models import Document
from binakarya.feeds.registry import FEEDS
from binakarya.organizations.models import Role
from binakarya.programs.services import add_months, livelihood_start
from tests.factories import MembershipFactory, ProductFactory, UmkmProducerFactory, UserFactory
from tests.programs.factories_livelihood import DocumentFactory, ReleaseFactory, sale_row

PASSWORD = "kain-batik-Tanjung-77"
WORDS = ("rutan", "lapas", "warga binaan", "napi", "narapidana", "premi")


@pytest.fixture
def past(world, today):
    """A released maker of Rutan Sumenep who became "Batik Canting Sari", with a published product, a sale, a
    receipt, supported by Disperindag; and an ordinary producer "Tenun Ikat Lestari" to compare with."""
    release = ReleaseFactory(
        organization=world["facility"], released_on=add_months(today, -7), premi_paid_idr=1_873_000
    )
    livelihood = livelihood_start(
        actor=world["admin"],
        release=release,
        consent_date=today,
        business_name="Batik Canting Sari",
        regency="Sumenep",
        province="Jawa Timur",
        phone="0812 3456 7001",
        description="Batik tulis motif pesisir, dikerjakan di rumah.",
        agency=world["disperindag"],
        operator_username="canting.sari",
        operator_password=PASSWORD,
    )
    producer = livelihood.producer
    profile = Producer.objects.get(organization=producer)
    product = ProductFactory(
        producer=profile, organization=producer, name="Kain Batik Canting", slug="kain-canting", photos=1
    )
    sale_row(organization=producer, when=today)
    receipt = DocumentFactory(
        organization=producer,
        kind=Document.Kind.RECEIPT,
        number="KW-CS-0001",
        verify_code=normalize_code("CSARI0001"),
        title="Kuitansi",
    )
    control = UmkmProducerFactory(name="Tenun Ikat Lestari", slug="tenun-ikat-lestari")
    control_product = ProductFactory(producer=control, name="Kain Tenun Ikat", slug="kain-tenun", photos=1)
    control_receipt = DocumentFactory(
        organization=control.organization,
        kind=Document.Kind.RECEIPT,
        number="KW-TL-0001",
        verify_code=normalize_code("TLEST0001"),
    )
    maker = release.maker
    facility = world["facility"]
    return {
        "release": release,
        "livelihood": livelihood,
        "producer": producer,
        "profile": profile,
        "product": product,
        "receipt": receipt,
        "control": control,
        "control_product": control_product,
        "control_receipt": control_receipt,
        "operator": get_user_model().objects.get(username="canting.sari"),
        "secrets": [
            facility.name,
            facility.slug,
            facility.code,
            maker.full_name,
            maker.registration_number,
            "1.873.000",
            "1873000",
        ],
    }


def text_of(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def word_counts(text: str) -> dict[str, int]:
    lowered = text.lower()
    return {w: len(re.findall(rf"(?<![a-z]){w}(?![a-z])", lowered)) for w in WORDS}


def assert_no_secret(text: str, secrets: list[str], where: str) -> None:
    lowered = text.lower()
    for secret in secrets:
        assert secret.lower() not in lowered, f"{where} shows {secret!r}"


def assert_like_control(text: str, control_text: str, where: str) -> None:
    counts, control = word_counts(text), word_counts(control_text)
    for word in WORDS:
        assert counts[word] <= control[word], (
            f"{where} says {word!r} {counts[word]} times, an ordinary one {control[word]}"
        )


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_public_pages_say_nothing_of_the_past(client, past, language):
    pages = [
        ("producer", f"{language}/pembuat/batik-canting-sari/", f"{language}/pembuat/tenun-ikat-lestari/"),
        ("product", f"{language}/produk/kain-canting/", f"{language}/produk/kain-tenun/"),
        ("catalog search", f"{language}/katalog/?q=canting", f"{language}/katalog/?q=tenun"),
        ("catalog", f"{language}/katalog/", f"{language}/katalog/"),
        ("producers", f"{language}/pembuat/", f"{language}/pembuat/"),
        (
            "impact",
            f"{language}/dampak/{past['producer'].slug}/",
            f"{language}/dampak/{past['control'].organization.slug}/",
        ),
        ("verification", f"{language}/verifikasi/CSARI0001/", f"{language}/verifikasi/TLEST0001/"),
    ]
    for where, url, control_url in pages:
        response, control = client.get(url), client.get(control_url)
        assert response.status_code == 200, (where, response.status_code)
        text = text_of(response)
        assert_no_secret(text, past["secrets"], where)
        assert_like_control(text, text_of(control), where)
    # and the pages do show the producer as itself
    assert "Batik Canting Sari" in text_of(client.get(f"{language}/pembuat/batik-canting-sari/"))
    assert "Kain Batik Canting" in text_of(client.get(f"{language}/katalog/?q=canting"))


def test_no_feed_file_says_anything_of_the_past(client, past):
    for name, kind in FEEDS.items():
        for language in kind.languages:
            response = client.get(f"/feeds/{past['producer'].slug}/{language}/{name}")
            assert response.status_code == 200, (name, language)
            body = text_of(response) if not name.endswith(".xlsx") else response.content.decode("latin-1")
            assert_no_secret(body, past["secrets"], f"feed {language}/{name}")
            for word in ("rutan", "lapas", "warga binaan", "narapidana"):
                assert word not in body.lower(), f"feed {language}/{name} says {word}"
    # the feed does carry the product
    assert "Kain Batik Canting" in text_of(client.get(f"/feeds/{past['producer'].slug}/id/meta.csv"))


def strings_in(value) -> list[str]:
    """Every string value (not key) of a JSON answer: the keys are the schema, the same for every producer."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return [str(value)] if value is not None else []


def test_no_public_api_answer_says_anything_of_the_past(client, past):
    schema = client.get("/api/v1/openapi.json").json()
    values = {
        "slug": "kain-canting",
        "organization_slug": past["producer"].slug,
        "seller_slug": past["producer"].slug,
        "code": "CSARI0001",
        "number": "KW-CS-0001",
    }
    answered = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        try:
            url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        except KeyError:
            continue  # a path of an id only staff know
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
            continue
        answered.append(path)
        body = response.json()
        joined = "\n".join(strings_in(body))
        assert_no_secret(joined, past["secrets"], path)
        for word in ("rutan", "lapas", "warga binaan", "narapidana"):
            assert word not in joined.lower(), f"{path} says {word}"
    assert {
        "/api/v1/products",
        "/api/v1/products/{slug}",
        "/api/v1/producers",
        "/api/v1/impact/{organization_slug}",
    } <= set(answered)
    impact = client.get(f"/api/v1/impact/{past['producer'].slug}").json()
    assert impact["programs"] is None


def test_the_facility_impact_counts_the_livelihood_without_naming_it(client, world, past):
    page = text_of(client.get("/en/dampak/rutan-sumenep/"))
    assert 'data-testid="impact-programs"' in page
    assert "fewer than 3" in page  # one released maker now selling: too few to show
    assert "Batik Canting Sari" not in page and past["producer"].slug not in page
    api = client.get("/api/v1/impact/rutan-sumenep").json()
    assert api["programs"]["released_makers_selling"] is None
    assert "canting" not in json.dumps(api).lower()


def api_get(client, user, url):
    token = api_token_create(user=user, name="privacy")[1]
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def agency_viewer(world):
    viewer = UserFactory(username="viewer.disperindag")
    MembershipFactory(user=viewer, organization=world["disperindag"], role=Role.AGENCY_VIEWER)
    return viewer


@pytest.mark.parametrize("who", ["agency_viewer", "other_admin", "regional", "national", "new_operator"])
def test_no_one_outside_the_facility_sees_the_link(client, world, past, agency_viewer, who):
    user = {"agency_viewer": agency_viewer, "new_operator": past["operator"]}.get(who) or world[who]
    if who == "new_operator":
        past["operator"].pending_password_change.delete()
    release = past["release"]
    # the back office pages of the release: refused or not found
    client.force_login(user)
    for name in ("backoffice:program_livelihood", "backoffice:program_outcome"):
        assert client.get(reverse(name, args=[release.pk])).status_code in {403, 404}
    releases = client.get(reverse("backoffice:program_releases"))
    assert releases.status_code == 403 or "Batik Canting Sari" not in text_of(releases)
    # the API's releases: refused or without it
    answer = api_get(client, user, "/api/v1/releases")
    assert answer.status_code == 403 or answer.json()["count"] == 0
    # the overview: the starting capital only for the producer's own operator, never the facility
    overview = text_of(client.get(reverse("backoffice:dashboard")))
    assert ("1.873.000" in overview) == (who == "new_operator")
    if who in {"agency_viewer", "new_operator"}:
        # (the operator is greeted by their own name, it is their account; and sees their starting capital)
        facility, maker = world["facility"], past["release"].maker
        secrets = [facility.name, facility.slug, facility.code, maker.registration_number]
        if who == "agency_viewer":
            secrets += [maker.full_name, "1.873.000"]
        assert_no_secret(overview, secrets, f"{who}'s overview")


def test_the_agency_sees_an_ordinary_producer_in_its_dashboard(client, world, past, agency_viewer):
    answer = api_get(client, agency_viewer, "/api/v1/dashboards/panels?scope=agency:disperindag-sumenep")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Batik Canting Sari" in text
    assert_no_secret(text, past["secrets"], "the agency's dashboard")
    assert "outcomes" not in {p["key"] for p in answer.json()["panels"]}


def test_the_new_operator_sees_nothing_of_the_facility_through_the_api(client, world, past):
    operator = past["operator"]
    operator.pending_password_change.delete()
    schema = client.get("/api/v1/openapi.json").json()
    values = {
        "organization": past["producer"].slug,
        "org_slug": past["producer"].slug,
        "seller_slug": past["producer"].slug,
    }
    for path, operations in schema["paths"].items():
        if (
            "get" not in operations
            or re.search(r"\{(\w+)\}", path)
            and not set(re.findall(r"\{(\w+)\}", path)) <= set(values)
        ):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
        response = api_get(client, operator, url)
        if response.status_code == 200:
            assert_no_secret(
                response.content.decode(errors="replace"), past["secrets"][:3] + past["secrets"][4:5], path
            )
