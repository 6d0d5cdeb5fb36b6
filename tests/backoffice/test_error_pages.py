"""403, 404 and 500 pages: the staff look under /staf/ (with a way back to the staff home), the public look
elsewhere (home page and catalog), in the language of the address; the 500 page needs no database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from binakarya.core.views import is_staff_path, permission_denied, server_error
from binakarya.organizations.models import Organization, Role
from tests.backoffice.helpers import html
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def outlet_partner(db):
    outlet = OrganizationFactory(name="Gerai Disperindag Sumenep", slug="gerai-sumenep", kind=Organization.Kind.OUTLET)
    return MembershipFactory(
        user=UserFactory(username="mitra.gerai"), organization=outlet, role=Role.OUTLET_PARTNER
    ).user


def _english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.parametrize(
    ("path", "staff"),
    [
        ("/staf/", True),
        ("/staf/lot/LOT-1/", True),
        ("/en/staf/perajin/", True),
        ("/", False),
        ("/katalog/", False),
        ("/en/katalog/", False),
        ("/stafx/", False),
        ("/akun/masuk/", False),
        ("/en/", False),
    ],
)
def test_staff_addresses_are_told_from_public_ones(path, staff):
    assert is_staff_path(path) is staff


@pytest.mark.django_db
def test_an_outlet_partner_on_a_forbidden_staff_page_gets_the_staff_page_with_a_way_back(client, outlet_partner):
    # given
    client.force_login(outlet_partner)

    # when
    response = client.get(reverse("backoffice:makers"))

    # then
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "backoffice/403.html"
    body = response.content.decode()
    assert html("No access") in body
    assert html("Only the staff of a facility or a producer see makers.") in body
    assert f'href="{reverse("backoffice:dashboard")}">{html("Back to the staff home")}</a>' in body
    assert 'class="staff-tabbar"' in body


@pytest.mark.django_db
def test_the_forbidden_staff_page_speaks_english_under_en(client, outlet_partner):
    # given
    client.force_login(outlet_partner)

    # when
    response = client.get(_english("backoffice:makers"))

    # then
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "No access" in body
    assert f'href="{_english("backoffice:dashboard")}">Back to the staff home</a>' in body


@pytest.mark.django_db
def test_a_missing_staff_row_gets_the_staff_404(client, outlet_partner):
    # given
    client.force_login(outlet_partner)

    # when
    response = client.get(reverse("backoffice:sale_detail", args=["PJ-NOPE"]))

    # then
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "backoffice/404.html"
    body = response.content.decode()
    assert html("Page not found") in body
    assert f'href="{reverse("backoffice:dashboard")}">{html("Back to the staff home")}</a>' in body


@pytest.mark.django_db
def test_an_unknown_staff_address_asks_a_visitor_to_log_in(client):
    # when
    response = client.get("/staf/tidak-ada/")

    # then
    assert response.status_code == 404
    body = response.content.decode()
    assert html("Page not found") in body
    assert f'href="{reverse("accounts:login")}">{html("Log in")}</a>' in body
    assert "staff-tabbar" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_missing_public_page_gets_the_public_404_with_home_and_catalog(client, language):
    # given
    with translation.override(language):
        path = reverse("storefront:product", args=["tidak-ada"])
        home, catalog = reverse("storefront:home"), reverse("storefront:catalog")
        title, home_label = translation.gettext("Page not found"), translation.gettext("Home page")

    # when
    response = client.get(path)

    # then
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert title in body
    assert f'href="{home}">{home_label}</a>' in body
    assert f'href="{catalog}"' in body
    assert "staff-tabbar" not in body


@pytest.mark.django_db
def test_a_public_address_refused_gets_the_public_403_with_home_and_catalog():
    # given
    request = RequestFactory().get("/katalog/")

    # when
    with translation.override("id"):
        response = permission_denied(request, PermissionDenied("internal detail"))

    # then
    assert response.status_code == 403
    body = response.content.decode()
    assert html("No access") in body and html("This page is not open to you.") in body
    assert "internal detail" not in body
    assert 'href="/">' in body and 'href="/katalog/"' in body
    assert "staff-tabbar" not in body


def test_the_500_page_renders_without_a_database_or_a_request_context():
    # given: no database access is allowed in this test (pytest-django refuses it)
    request = RequestFactory().get("/en/staf/penjualan/")

    # when
    with translation.override("en"):
        staff = server_error(request)
    with translation.override("id"):
        public = server_error(RequestFactory().get("/katalog/"))

    # then
    assert staff.status_code == 500 and public.status_code == 500
    staff_body, public_body = staff.content.decode(), public.content.decode()
    assert "Something went wrong" in staff_body
    assert '<body class="staff">' in staff_body
    assert 'href="/en/staf/">Back to the staff home</a>' in staff_body
    assert '<html lang="id">' in public_body
    assert html("Something went wrong") in public_body
    assert 'href="/">' in public_body and 'href="/katalog/"' in public_body
    assert "staff" not in public_body.split("<body", 1)[1].split(">", 1)[0]


@pytest.mark.django_db
def test_a_crash_on_a_staff_page_shows_the_staff_500_page(monkeypatch, outlet_partner):
    # given a staff page that fails
    def broken(user):
        raise RuntimeError("the database went away")

    # (an outlet partner's staff home is their portal's home: the dashboard sends them there)
    monkeypatch.setattr("binakarya.backoffice.consignment.partner.partner_agreements_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(outlet_partner)

    # when
    response = client.get(_english("backoffice:partner_home"))

    # then
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert 'href="/en/staf/">Back to the staff home</a>' in body
