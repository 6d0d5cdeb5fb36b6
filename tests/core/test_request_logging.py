"""Structured logs: one JSON line per request with its id, the id echoed, no query strings, no names."""

import json
import logging
import sys

import pytest
from django.urls import reverse

from binakarya.core.logging import JsonFormatter, RequestIdFilter, request_id_var, safe_request_id
from tests.factories import MembershipFactory


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="binakarya.request")

    def lines() -> list[dict]:
        formatter = JsonFormatter()
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "binakarya.request"]

    return lines


def test_a_request_writes_one_json_line_with_its_request_id(client, request_log):
    # when
    response = client.get(reverse("ping"))

    # then
    [line] = request_log()
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert line["request_id"] == request_id
    assert line["level"] == "INFO"
    assert line["logger"] == "binakarya.request"
    assert line["message"] == "GET /ping 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/ping", 200)
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")
    assert "user_id" not in line


def test_a_safe_request_id_from_nginx_is_kept_and_echoed(client, request_log):
    # when
    response = client.get(reverse("ping"), headers={"X-Request-ID": "nginx-4f2a9c"})

    # then
    assert response["X-Request-ID"] == "nginx-4f2a9c"
    assert [line["request_id"] for line in request_log()] == ["nginx-4f2a9c"]


@pytest.mark.parametrize("bad", ['x"}{"level":"forged', "a b", "a" * 65, "id\n2", "ïd"])
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, request_log, bad):
    # when
    response = client.get(reverse("ping"), headers={"X-Request-ID": bad})

    # then
    new_id = response["X-Request-ID"]
    assert new_id != bad
    assert safe_request_id(new_id) == new_id
    assert [line["request_id"] for line in request_log()] == [new_id]


def test_the_log_has_the_path_without_the_query_string(client, request_log):
    # when someone searches the catalog for a name
    client.get(reverse("ping") + "?q=Budi+Santoso")

    # then
    [line] = request_log()
    assert line["path"] == "/ping"
    assert "Budi" not in json.dumps(line)


def test_a_staff_request_logs_the_user_id_and_never_the_name(client, db, request_log):
    # given
    staff = MembershipFactory(user__username="siti.rahayu", user__first_name="Siti").user
    client.force_login(staff)

    # when
    client.get(reverse("backoffice:dashboard"))

    # then
    [line] = request_log()
    assert line["user_id"] == staff.pk
    assert "siti" not in json.dumps(line).lower()


def test_every_line_written_during_a_request_carries_its_id():
    # given a line logged deep inside a request (a service, a task enqueue)
    record = logging.LogRecord("binakarya.orders", logging.WARNING, __file__, 1, "stock low", None, None)
    token = request_id_var.set("req-123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)

    # when
    line = json.loads(JsonFormatter().format(record))

    # then
    assert line["request_id"] == "req-123"
    assert line["logger"] == "binakarya.orders"
    assert line["message"] == "stock low"


def test_an_exception_stays_inside_its_one_line():
    # given
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("binakarya", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())

    # when
    text = JsonFormatter().format(record)

    # then
    assert "\n" not in text
    assert "ValueError: broken" in json.loads(text)["exception"]


def test_a_password_reset_link_is_logged_as_its_pattern_without_the_token(client, db, request_log):
    # given a real reset link
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = MembershipFactory().user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    # when
    client.get(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token}))

    # then
    text = json.dumps(request_log())
    assert token not in text
    assert f"/{uidb64}/" not in text
    [line] = request_log()
    assert line["path"].endswith("/sandi/atur/<uidb64>/<token>/")
    assert line["view"] == "accounts:password_reset_confirm"
    assert line["message"] == f"GET {line['path']} {line['status']}"


def test_an_order_tracking_token_never_reaches_the_log(client, db, request_log):
    token = "Zk3q9vLm2Rt8XwPa7Yd4Nc"

    client.get(reverse("storefront:order_track", kwargs={"token": token}))
    client.get(reverse("storefront:order_proof", kwargs={"token": token}))

    lines = request_log()
    assert len(lines) == 2
    assert token not in json.dumps(lines)
    assert [line["path"] for line in lines] == ["/pesanan/<str:token>/", "/pesanan/<str:token>/bukti/"]


def test_an_address_that_matches_nothing_is_logged_with_its_tokens_masked(client, db, request_log):
    client.get("/tidak-ada/Zk3q9vLm2Rt8XwPa7Yd4Nc/katalog/3f2a9c1b/")

    [line] = request_log()
    assert line["path"] == "/tidak-ada/<masked>/katalog/<masked>/"
    assert "view" not in line
