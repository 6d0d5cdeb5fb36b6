"""The Reports page: who sees it, the monthly report's form and PDF, and the e-Katalog report for viewers.
The world is tests/dashboards/world.py (March 2026 at Rutan Sumenep)."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from binakarya.organizations.models import Role
from tests.dashboards.world import MAKER_NAMES, Clock, staff, sumenep_month

pytestmark = pytest.mark.django_db

PDF_URL = "/staf/laporan/bulanan/rutan-sumenep/2026/3.pdf"


@pytest.fixture
def world(db, monkeypatch):
    return sumenep_month(Clock(monkeypatch))


def test_a_facility_admin_finds_the_monthly_report_in_the_menu(client, world):
    # given
    client.force_login(world["admin"])

    # when
    home = client.get(reverse("backoffice:dashboard"))
    page = client.get(reverse("backoffice:reports"))

    # then the menu leads to the page, which offers the month of their facility, and no e-Katalog report
    assert f'href="{reverse("backoffice:reports")}"' in home.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="month"' in html and 'value="2026-03"' in html and 'value="rutan-sumenep"' in html
    assert 'data-testid="ekatalog-report"' not in html


def test_the_form_leads_to_the_pdf(client, world):
    # given
    client.force_login(world["finance"])

    # when
    sent = client.get(reverse("backoffice:report_monthly"), {"organisasi": "rutan-sumenep", "bulan": "2026-03"})
    pdf = client.get(sent["Location"])

    # then
    assert sent.status_code == 302 and sent["Location"] == PDF_URL
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="laporan-bulanan-rutan-sumenep-2026-03')
    assert "no-store" in pdf["Cache-Control"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_prints_in_the_pages_language(client, world):
    # given
    client.force_login(world["admin"])

    # when
    english = client.get("/en" + PDF_URL)

    # then
    out = subprocess.run(["pdftotext", "-", "-"], input=english.content, capture_output=True, check=True)
    text = " ".join(out.stdout.decode().split())
    assert "MONTHLY REPORT" in text and "Point of sale" in text
    for name in MAKER_NAMES:
        assert name.split()[0] not in text


def test_a_bad_month_comes_back_with_its_message_and_nothing_else_happens(client, world):
    # given
    client.force_login(world["admin"])

    # when
    response = client.get(reverse("backoffice:report_monthly"), {"organisasi": "rutan-sumenep", "bulan": "2026-13"})

    # then
    assert response.status_code == 400
    assert "Pilih bulan antara Januari 2000 dan Desember 2100." in response.content.decode()


def test_others_are_refused(client, world):
    # given another facility's admin, a production officer of Sumenep and an outlet's partner
    outsider = world["others"]["dirgantara"]["admin"]
    production = staff(world["facility"], "produksi-smp", Role.PRODUCTION_OFFICER)
    partner = staff(world["gallery"], "mitra-gerai", Role.OUTLET_PARTNER)

    # when / then: the other facility's report is a 404 for the outsider; the page itself is closed to the rest
    client.force_login(outsider)
    assert client.get(PDF_URL).status_code == 404
    picked = client.get(reverse("backoffice:report_monthly"), {"organisasi": "rutan-sumenep", "bulan": "2026-03"})
    assert picked.status_code == 400
    assert client.get("/staf/laporan/bulanan/dirgantara/2026/13.pdf").status_code == 404
    for user in (production, partner):
        client.force_login(user)
        assert client.get(reverse("backoffice:reports")).status_code == 403
        assert client.get(PDF_URL).status_code == 403


def test_the_kanwil_opens_the_ekatalog_report_and_any_facilitys_monthly_report(client, world):
    # given
    client.force_login(world["kanwil"])

    # when
    page = client.get(reverse("backoffice:reports"))
    xlsx = client.get(
        reverse("backoffice:report_ekatalog"), {"provinsi": "Jawa Timur", "periode": "2026-T1", "format": "xlsx"}
    )
    pdf = client.get(
        reverse("backoffice:report_ekatalog"), {"provinsi": "Jawa Timur", "periode": "2026-03", "format": "pdf"}
    )
    monthly = client.get("/staf/laporan/bulanan/dirgantara/2026/3.pdf")

    # then
    html = page.content.decode()
    assert 'data-testid="ekatalog-report"' in html and '<option value="Jawa Timur"' in html
    assert "Jawa Tengah" not in html
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[1].iter_rows(values_only=True))
    assert [(row[0], row[5]) for row in rows[1:]] == [
        ("Lapas Kelas IIA Dirgantara", 1),
        ("Rutan Kelas IIB Sumenep", 4),
        ("Total", 5),
    ]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert monthly.status_code == 200


def test_a_bad_period_or_format_comes_back_as_a_message(client, world):
    # given
    client.force_login(world["ditjenpas"])

    # when
    bad_period = client.get(reverse("backoffice:report_ekatalog"), {"provinsi": "Jawa Timur", "periode": "2026-T9"})
    bad_format = client.get(
        reverse("backoffice:report_ekatalog"), {"provinsi": "Jawa Timur", "periode": "2026", "format": "doc"}
    )

    # then
    assert bad_period.status_code == 400 and bad_format.status_code == 400
    assert "Pilih PDF, XLSX atau CSV." in bad_format.content.decode()
