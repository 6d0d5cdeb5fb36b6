"""Proves the browser harness end to end: Chromium starts, reaches live_server, and the ORM answers."""

import json

from django.db import connection


def test_healthz_page_shows_ok_status(page, screenshot):
    # given a running live server and a phone-sized Chromium page

    # when the health check is opened
    response = page.goto("/healthz")

    # then the page shows the JSON status, and the database behind it answered
    assert response is not None
    assert response.status == 200
    health = json.loads(page.locator("pre").first.inner_text())
    assert (health["status"], health["database"], health["tasks"]["status"]) == ("ok", connection.vendor, "ok")
    assert screenshot("healthz").is_file()
