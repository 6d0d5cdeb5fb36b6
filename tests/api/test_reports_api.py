"""The report endpoints: the monthly PDF and the e-Katalog report (JSON, PDF, XLSX, CSV), scoped like the
ledger's reads. The world is tests/dashboards/world.py (March 2026 at Rutan Sumenep)."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from binakarya.accounts.services import api_token_create
from tests.dashboards.world import MAKER_NAMES, REGISTRATION, Clock, sumenep_month

pytestmark = pytest.mark.django_db

MONTHLY = "/api/v1/reports/monthly/rutan-sumenep/2026/3.pdf"
EKATALOG = "/api/v1/reports/ekatalog?province=Jawa%20Timur&date_from=2026-03-01&date_to=2026-03-31"


@pytest.fixture
def world(db, monkeypatch):
    return sumenep_month(Clock(monkeypatch))


def bearer(user, language: str = "id") -> dict[str, str]:
    token = api_token_create(user=user, name="laporan")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_monthly_report_pdf_in_the_requests_language(client, world):
    # when the Kanwil asks for it in English
    response = client.get(MONTHLY, **bearer(world["kanwil"], "en"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="LAP-SMP-2026-03.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "MONTHLY REPORT" in text and "Net sales Rp1.050.000 Rp1.350.000" in text
    for name in MAKER_NAMES:
        assert name.split()[1] not in text
    assert REGISTRATION not in text


def test_another_facilitys_staff_get_404_and_a_bad_month_422(client, world):
    # when
    refused = client.get(MONTHLY, **bearer(world["others"]["dirgantara"]["admin"]))
    bad_month = client.get("/api/v1/reports/monthly/rutan-sumenep/2026/13.pdf", **bearer(world["admin"]))
    anonymous = client.get(MONTHLY)

    # then
    assert refused.status_code == 404
    assert bad_month.status_code == 422
    assert anonymous.status_code == 401


def test_the_ekatalog_report_as_json(client, world):
    # when
    response = client.get(EKATALOG, **bearer(world["kanwil"]))

    # then
    assert response.status_code == 200
    body = response.json()
    assert [u["organization"] for u in body["upts"]] == ["dirgantara", "rutan-sumenep"]
    sumenep = body["upts"][1]
    assert (sumenep["sold"], sumenep["transactions"], sumenep["value_idr"]) == (True, 3, 1_050_000)
    assert {c["channel"]: c["transactions"] for c in sumenep["channels"]} == {"POS": 1, "OUTLET": 1, "INSTITUTIONAL": 1}
    assert body["totals"] | {"channels": None} == {
        "upts": 2,
        "upts_selling": 2,
        "products_published": 2,
        "products_with_listing": 1,
        "transactions": 4,
        "value_idr": 1_150_000,
        "ekatalog": {"transactions": 0, "value_idr": 0},
        "channels": None,
    }
    for name in MAKER_NAMES:
        assert name.split()[1] not in response.content.decode()


def test_the_ekatalog_report_as_xlsx_csv_and_pdf(client, world):
    # when
    xlsx = client.get(EKATALOG + "&format=xlsx", **bearer(world["ditjenpas"]))
    csv = client.get(EKATALOG + "&format=csv", **bearer(world["ditjenpas"]))
    pdf = client.get(EKATALOG + "&format=pdf", **bearer(world["ditjenpas"]))

    # then
    assert xlsx.status_code == 200 and csv.status_code == 200 and pdf.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Lapas Kelas IIA Dirgantara", "Rutan Kelas IIB Sumenep", "Total"]
    assert rows[-1][5:7] == (4, 1_150_000)
    assert "Rutan Kelas IIB Sumenep" in csv.content.decode("utf-8-sig")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_ekatalog_report_is_refused_outside_the_scope_and_for_a_bad_period(client, world):
    # when
    other_province = client.get(EKATALOG.replace("Jawa%20Timur", "Jawa%20Tengah"), **bearer(world["kanwil"]))
    backwards = client.get(EKATALOG.replace("date_to=2026-03-31", "date_to=2026-02-01"), **bearer(world["kanwil"]))
    missing = client.get("/api/v1/reports/ekatalog", **bearer(world["kanwil"]))

    # then
    assert other_province.status_code == 404
    assert backwards.status_code == 400
    assert missing.status_code in (400, 422)


@pytest.mark.parametrize(
    ("date_from", "date_to"), [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("1999-12-01", "2000-01-31")]
)
def test_the_ekatalog_report_refuses_dates_outside_2000_to_2100_with_a_message(client, world, date_from, date_to):
    # when
    url = f"/api/v1/reports/ekatalog?province=Jawa%20Timur&date_from={date_from}&date_to={date_to}"
    response = client.get(url, **bearer(world["kanwil"]))

    # then
    assert response.status_code == 400
    assert "2000" in response.content.decode()  # the message names the range, in the request's language
