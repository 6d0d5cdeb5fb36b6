"""Issue 10: the trial balance, the sales list, PNBP and the capital funds print and download as XLSX and CSV.

A download holds what the page holds for the same user (the same organization scoping), names a maker by code
only (never their name or registration number), keeps rupiah as integer cells, and cannot run a formula.
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from binakarya.core.exports import Column, Table, csv_bytes, export_format, safe_text, xlsx_bytes
from binakarya.ledger.services import capital_grant, pnbp_deposit_record
from binakarya.organizations.models import Organization, Role
from tests.backoffice.helpers import text
from tests.backoffice.test_sales_pages import make_shop, sell, user_with
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

EXPORTS = ["backoffice:trial_balance", "backoffice:sales", "backoffice:pnbp", "backoffice:capital"]


# The helper -------------------------------------------------------------------------------------


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    assert [safe_text(v) for v in ["=1+1", "+62 812", "-2", "@SUM(A1)", "\tx", "Kas", "Rp1"]] == [
        "'=1+1",
        "'+62 812",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "Kas",
        "Rp1",
    ]


def test_csv_has_a_byte_order_mark_integer_rupiah_and_no_formula():
    # given
    table = Table("T", [Column("Nama"), Column("Jumlah", rupiah=True)], [['=HYPERLINK("http://x")', 1_250_000]])

    # when
    content = csv_bytes([table])

    # then
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Nama", "Jumlah"], ['\'=HYPERLINK("http://x")', "1250000"]]


def test_xlsx_keeps_rupiah_as_integers_with_a_number_format_and_formulas_as_text():
    # given
    table = Table("T", [Column("Nama"), Column("Jumlah", rupiah=True)], [["=1+1", 1_250_000], ["Kas", -500]])

    # when
    book = load_workbook(io.BytesIO(xlsx_bytes([table])))

    # then
    sheet = book.active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Nama", "Jumlah"],
        ["=1+1", 1_250_000],
        ["Kas", -500],
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].data_type == "n" and isinstance(sheet["B2"].value, int)
    assert "Rp" in sheet["B2"].number_format


def test_only_csv_and_xlsx_are_export_formats():
    assert [export_format(v) for v in ["csv", "XLSX", " xlsx ", "pdf", "", None]] == [
        "csv",
        "xlsx",
        "xlsx",
        None,
        None,
        None,
    ]


# The four exports -------------------------------------------------------------------------------


@pytest.fixture
def books(facility_a, facility_b):
    """Two facilities, each with a sale, a grant and a PNBP deposit this year."""
    agency = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Disperindag Sumenep", slug="disperindag")
    shops = {}
    for facility, sku, names in [
        (facility_a, "SMP-BTK-001", ["Ahmad Rahasia", "Budi Tersembunyi", "Citra Samaran"]),
        (facility_b, "BDW-PCT-001", ["Dedi Rahasia", "Eko Rahasia", "Fajar Rahasia"]),
    ]:
        shop = make_shop(facility, sku=sku, names=names)
        shop["sale"] = sell(shop, 2)
        capital_grant(actor=None, organization=facility, group=shop["group"], amount_idr=1_000_000, agency=agency)
        pnbp_deposit_record(
            actor=None,
            organization=facility,
            amount_idr=50_000,
            billing_code=f"8201{facility.pk:04d}",
            ntpn=f"NTPN{facility.pk:012d}",
            deposited_date=timezone.localdate(),
        )
        shops[facility.slug] = shop
    return shops


def cells(response) -> str:
    """Every text of a download, whatever its format: the CSV's, or every string of the XLSX's XML parts."""
    if response["Content-Type"].startswith("text/csv"):
        return response.content.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def secrets(shop) -> list[str]:
    return [m.full_name for m in shop["members"]] + [m.registration_number for m in shop["members"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTS)
def test_each_list_downloads_without_any_makers_name_or_number(client, books, facility_a, name, fmt):
    # given the facility's admin, who sees the makers' names on the pages
    client.force_login(user_with(facility_a, Role.FACILITY_ADMIN))

    # when
    response = client.get(reverse(name), {"format": fmt})

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert response["Cache-Control"] == "private, no-store"
    content = cells(response)
    for secret in secrets(books["rutan-sumenep"]):
        assert secret not in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTS)
def test_a_facilitys_download_holds_nothing_of_another_facility(client, books, facility_a, facility_b, name, fmt):
    # given
    client.force_login(user_with(facility_a, Role.FACILITY_ADMIN))
    other = books["lapas-bondowoso"]

    # when
    own = client.get(reverse(name), {"format": fmt})
    asked = client.get(reverse(name), {"format": fmt, "organisasi": facility_b.slug})

    # then
    content = cells(own)
    for foreign in [facility_b.name, other["group"].name, other["sale"].number, f"NTPN{facility_b.pk:012d}"]:
        assert foreign not in content
    if name == "backoffice:sales":  # the sales list has no organization picker: its filters only
        assert facility_b.name not in cells(asked)
    else:
        assert asked.status_code == 404


def test_the_trial_balance_download_names_makers_by_code_with_integer_amounts(client, books, facility_a):
    # given
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))
    shop = books["rutan-sumenep"]

    # when
    response = client.get(reverse("backoffice:trial_balance"), {"format": "xlsx"})

    # then
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [text("Account"), text("Kind"), text("Debit"), text("Credit")]
    premi = [row for row in rows if row[1] == "PREMI_PAYABLE"]
    premi_label = text("Premi payable")
    assert [row[0] for row in premi] == [
        f"{premi_label} · {text('Maker #%(id)s', id=m.pk)}" for m in sorted(shop["members"], key=lambda m: m.pk)
    ]
    assert all(row[3] == 100_000 for row in premi)
    assert rows[-1][0] == text("Total") and rows[-1][2] == rows[-1][3]


def test_the_sales_download_follows_the_filters_and_totals_the_sales(client, books, facility_a):
    # given a second, older sale
    shop = books["rutan-sumenep"]
    old = sell(shop, 1, occurred_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))
    today = timezone.localdate().isoformat()

    # when
    response = client.get(reverse("backoffice:sales"), {"format": "csv", "dari": today, "sampai": today})

    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == text("Number")
    assert [row[0] for row in rows[1:-1]] == [shop["sale"].number]
    assert rows[1][6] == "900000"
    assert rows[-1][0] == text("Total") and rows[-1][6] == "900000"
    assert old.number not in response.content.decode()


def test_too_many_sales_for_one_file_ask_for_a_shorter_period(client, books, facility_a, monkeypatch):
    # given
    monkeypatch.setattr("binakarya.backoffice.sales.views.EXPORT_MAX_ROWS", 0)
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))

    # when
    response = client.get(reverse("backoffice:sales"), {"format": "xlsx"})

    # then the list, with the reason
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert text(
        "%(count)s sales are too many for one file (at most %(max)s): choose a shorter period.", count=1, max=0
    ) in (response.content.decode())


def test_the_pnbp_and_capital_downloads_carry_the_pages_figures(client, books, facility_a):
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))
    year = timezone.localdate().year

    pnbp = load_workbook(io.BytesIO(client.get(reverse("backoffice:pnbp"), {"format": "xlsx", "tahun": year}).content))
    capital = load_workbook(io.BytesIO(client.get(reverse("backoffice:capital"), {"format": "xlsx"}).content))

    summary, deposits = ([[c.value for c in row] for row in sheet.iter_rows()] for sheet in pnbp.worksheets)
    assert summary[1:] == [[text("Target"), 0], [text("From sales (accrued)"), 90_000], [text("Deposited"), 50_000]]
    assert deposits[1][2:] == [f"NTPN{facility_a.pk:012d}", 50_000]
    funds, movements = ([[c.value for c in row] for row in sheet.iter_rows()] for sheet in capital.worksheets)
    assert funds[1][:2] == [books["rutan-sumenep"]["group"].name, 1_510_000]
    assert movements[1][1] == text("Grant") and movements[1][-1] == 1_000_000


@pytest.mark.parametrize("name", EXPORTS)
def test_each_list_offers_print_and_both_downloads(client, books, facility_a, name):
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER))

    body = client.get(reverse(name)).content.decode()

    assert 'data-testid="export-actions"' in body
    assert "format=xlsx" in body and "format=csv" in body
    assert "data-print" in body and "js/print.js" in body
    assert "onclick" not in body
