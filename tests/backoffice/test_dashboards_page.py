"""The dashboards page (issue 14): each scope sees its own figures as charts beside tables, downloads them,
and never a maker's name."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from binakarya.organizations.models import Role
from tests.dashboard_world import sell, seller
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:dashboards")


@pytest.fixture
def jatim():
    sumenep = seller("Rutan Kelas IIB Sumenep", "rutan-sumenep", "Jawa Timur", "SMP-001")
    bondowoso = seller("Lapas Kelas IIA Bondowoso", "lapas-bondowoso", "Jawa Timur", "BDW-001")
    purbalingga = seller("Rutan Kelas IIB Purbalingga", "rutan-purbalingga", "Jawa Tengah", "PBG-001")
    sell(sumenep, 3, month=1)
    sell(sumenep, 1, month=1, channel="WHATSAPP")
    sell(bondowoso, 2, month=1)
    sell(purbalingga, 5, month=1)
    kanwil = OrganizationFactory(kind="AGENCY", name="Kanwil Jawa Timur", slug="kanwil-jatim", province="Jawa Timur")
    return {"sumenep": sumenep, "bondowoso": bondowoso, "purbalingga": purbalingga, "kanwil": kanwil}


def viewer(org, role=Role.REGIONAL_VIEWER):
    return MembershipFactory(organization=org, role=role).user


def test_a_facility_admin_sees_their_facility_with_a_chart_beside_each_table(client, jatim):
    # given
    client.force_login(viewer(jatim["sumenep"]["org"], Role.FACILITY_ADMIN))

    # when
    response = client.get(URL)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="dashboard-scope">Rutan Kelas IIB Sumenep' in html
    assert 'data-testid="chart-sales-month"' in html and "<svg" in html
    assert 'data-testid="table-sales-channel"' in html
    assert "Rp800.000" in html  # 4 units of Rp200.000 this year
    assert "Bondowoso" not in html and "Purbalingga" not in html


def test_a_regional_viewer_compares_the_facilities_of_the_province(client, jatim):
    # given
    client.force_login(viewer(jatim["kanwil"]))

    # when
    html = client.get(URL).content.decode()

    # then both Jawa Timur facilities stand side by side, each a link to its own dashboard; Jawa Tengah is not there
    assert "Rutan Kelas IIB Sumenep" in html and "Lapas Kelas IIA Bondowoso" in html
    assert "Purbalingga" not in html
    assert "scope=org%3Arutan-sumenep" in html
    assert html.count("<svg") >= 3


def test_a_regional_viewer_opens_one_facility_but_not_another_province(client, jatim):
    # given
    client.force_login(viewer(jatim["kanwil"]))

    # when
    own = client.get(URL, {"scope": "org:lapas-bondowoso"})
    other = client.get(URL, {"scope": "org:rutan-purbalingga"})
    missing = client.get(URL, {"scope": "org:nowhere"})

    # then
    assert own.status_code == 200
    assert "Lapas Kelas IIA Bondowoso" in own.content.decode()
    assert other.status_code == 403
    assert missing.status_code in (403, 404)


def test_a_panel_downloads_as_csv_and_every_panel_as_one_workbook(client, jatim):
    # given
    client.force_login(viewer(jatim["kanwil"]))

    # when
    page = client.get(URL).content.decode()
    one = client.get(URL, {"panel": "sales-channel", "format": "csv"})
    everything = client.get(URL, {"format": "xlsx"})

    # then the CSV has a row per facility with the figures the page shows
    assert one.status_code == 200 and one["Content-Type"].startswith("text/csv")
    text = one.content.decode("utf-8-sig")
    assert "Rutan Kelas IIB Sumenep" in text and "Lapas Kelas IIA Bondowoso" in text
    by_label = {row[0]: row[1:] for row in csv.reader(io.StringIO(text)) if row}
    assert {"600000", "200000"} <= set(by_label["Rutan Kelas IIB Sumenep"])  # at the till and by WhatsApp
    assert "400000" in by_label["Lapas Kelas IIA Bondowoso"]
    # and the workbook has a sheet per panel of the page
    book = openpyxl.load_workbook(io.BytesIO(everything.content), read_only=True)
    assert len(book.sheetnames) == page.count('data-testid="panel-')


def test_no_maker_is_named_on_the_page_or_in_any_download(client, jatim):
    # given the makers of both Jawa Timur facilities
    makers = jatim["sumenep"]["makers"] + jatim["bondowoso"]["makers"]
    for role, org in ((Role.REGIONAL_VIEWER, jatim["kanwil"]), (Role.FACILITY_ADMIN, jatim["sumenep"]["org"])):
        client.force_login(viewer(org, role))

        # when
        bodies = [
            client.get(URL).content.decode(),
            client.get(URL, {"format": "csv"}).content.decode("utf-8-sig"),
        ]
        book = openpyxl.load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).content), read_only=True)
        bodies.append(
            " ".join(str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c)
        )

        # then
        for body in bodies:
            for maker in makers:
                assert maker.full_name not in body
                assert maker.registration_number not in body


def test_bad_parameters_get_a_page_or_a_clear_refusal_never_an_error(client, jatim):
    # given
    client.force_login(viewer(jatim["kanwil"]))

    # when / then
    assert client.get(URL, {"year": "abc"}).status_code == 200
    assert client.get(URL, {"year": "1999"}).status_code == 200
    assert client.get(URL, {"panel": "nope", "format": "csv"}).status_code == 404
    assert client.get(URL, {"format": "pdf"}).status_code == 200  # not a download format: the page
    assert client.get(URL, {"scope": "bogus"}).status_code in (403, 404)


def test_an_outlet_partner_and_a_stranger_have_no_dashboard(client, jatim):
    # given
    outlet = OrganizationFactory(kind="OUTLET", name="Gerai", province="Jawa Timur")
    client.force_login(viewer(outlet, Role.OUTLET_PARTNER))

    # when / then
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_facility_opened_from_the_province_stays_picked_when_the_year_changes(client, jatim):
    # given a Kanwil viewer who opened one facility from the province's table
    client.force_login(viewer(jatim["kanwil"]))

    # when
    html = client.get(URL, {"scope": "org:lapas-bondowoso"}).content.decode()

    # then the form that changes the year sends that facility again
    assert '<option value="org:lapas-bondowoso" selected>Lapas Kelas IIA Bondowoso</option>' in html
