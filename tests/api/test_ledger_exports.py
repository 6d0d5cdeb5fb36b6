"""Issue 10: the API answers the trial balance, PNBP and the capital funds as CSV or XLSX too (format=...), with
the same tables as the back office's downloads: a maker by code, never by name, and only the caller's books."""

import io

import pytest
from openpyxl import load_workbook

from binakarya.organizations.models import Role
from tests.api.test_ledger import NOT_FOUND, TRIAL_BALANCE, get, token_for
from tests.api.test_sales import make_shop, sell

pytestmark = pytest.mark.django_db

ENDPOINTS = [TRIAL_BALANCE, "/api/v1/pnbp", "/api/v1/capital/funds"]


@pytest.fixture
def token_b(facility_b) -> str:
    return token_for(facility_b, Role.FACILITY_ADMIN)


@pytest.fixture
def shop(facility_a, batik_category):
    shop = make_shop(facility_a, batik_category)
    sell(shop, quantity=2)
    return shop


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_ledger_tables_download_without_makers_names(client, token_a, shop, url, fmt):
    # when
    response = get(client, token_a, url, {"organization": "rutan-sumenep", "format": fmt})

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    content = response.content
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        content = repr([[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]).encode()
    for maker in shop["members"]:
        assert maker.full_name.encode() not in content
        assert maker.registration_number.encode() not in content


def test_the_trial_balance_as_csv_names_makers_by_code(client, token_a, shop):
    response = get(client, token_a, TRIAL_BALANCE, {"organization": "rutan-sumenep", "format": "csv"})

    body = response.content.decode("utf-8-sig")
    for maker in shop["members"]:
        assert f"Premi payable · Maker #{maker.pk},PREMI_PAYABLE,0,100000" in body


@pytest.mark.parametrize("url", ENDPOINTS)
def test_another_facility_downloads_none_of_our_books(client, token_b, shop, url):
    response = get(client, token_b, url, {"organization": "rutan-sumenep", "format": "csv"})

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_an_unknown_format_is_refused(client, token_a, shop):
    response = get(client, token_a, TRIAL_BALANCE, {"organization": "rutan-sumenep", "format": "pdf"})

    assert response.status_code == 422
