"""No inmate's name or registration number ever reaches a public page or public API response."""

import io
import zipfile

import pytest

from binakarya.catalog.models import Producer, Product
from binakarya.documents.models import Document
from binakarya.feeds.registry import FEEDS
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot

pytestmark = pytest.mark.django_db


def public_urls() -> list[str]:
    urls = ["/", "/katalog/", "/katalog/?q=batik", "/katalog/?q=pecut", "/pembuat/"]
    urls += [f"/produk/{slug}/" for slug in Product.objects.values_list("slug", flat=True)]
    urls += [f"/pembuat/{slug}/" for slug in Producer.objects.values_list("slug", flat=True)]
    urls += [f"/lacak/{code}/" for code in Lot.objects.values_list("code", flat=True)]
    urls += [f"/verifikasi/{code}/" for code in Document.objects.values_list("verify_code", flat=True)]
    urls += [
        f"/dampak/{slug}/"
        for slug in Organization.objects.filter(kind__in=["FACILITY", "PRODUCER"]).values_list("slug", flat=True)
    ]
    urls += ["/en" + url for url in list(urls)]
    urls += [
        f"/feeds/{slug}/{lang}/{kind}"
        for slug in Organization.objects.filter(kind__in=["FACILITY", "PRODUCER"]).values_list("slug", flat=True)
        for lang in ("id", "en")
        for kind in FEEDS
    ]
    urls += ["/api/v1/products", "/api/v1/products?q=batik", "/api/v1/producers"]
    urls += [f"/api/v1/products/{slug}" for slug in Product.objects.values_list("slug", flat=True)]
    return urls


def _text(content: bytes) -> str:
    """A response's text; an XLSX (a zip) is read member by member, its cells being in the XML inside."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist())
    return content.decode()


def test_no_inmate_identity_on_any_public_page_or_api_response(client, demo):
    inmates = list(Maker.objects.filter(kind=Maker.Kind.INMATE))
    secrets = {m.full_name for m in inmates} | {m.registration_number for m in inmates}
    assert len(inmates) >= 40
    pages = public_urls()

    leaks = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _text(response.content)
        leaks += [(url, s) for s in secrets if s in body]

    assert len(pages) > 200
    assert leaks == []


def test_consenting_makers_pseudonym_is_not_their_full_name(demo):
    consenting = Maker.objects.filter(public_story_consent=True)

    assert consenting.exists()
    for maker in consenting:
        assert maker.public_name == maker.pseudonym
        assert maker.public_name not in (maker.full_name, maker.registration_number)
