from unittest import mock

from django.db import OperationalError, connection
from django.urls import reverse


def test_healthz_reports_ok_with_database_vendor(client, db):
    # when
    response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == f'{{"status": "ok", "database": "{connection.vendor}"}}'.encode()
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_healthz_answers_503_when_database_fails(client, db):
    # given a database that refuses every query (only while the request runs: teardown needs it back)
    broken_cursor = mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused"))

    # when
    with broken_cursor:
        response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_ping_answers_pong_as_plain_text(client):
    # when
    response = client.get(reverse("ping"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"pong"
