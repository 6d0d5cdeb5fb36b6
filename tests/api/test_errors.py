"""The API's error shapes, including handlers that today's read-only endpoints do not reach."""

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from ninja import NinjaAPI

from binakarya.api.api import api
from binakarya.api.errors import install_exception_handlers, request_validation_errors


@pytest.fixture(autouse=True)
def _english_messages():
    """The handlers' own words are checked in English (the source language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def raising_api():
    """A throwaway API with the same handlers, so each exception can be raised from a view."""
    probe = NinjaAPI(urls_namespace="error-probe")
    install_exception_handlers(probe)
    return probe


def handle(api_: NinjaAPI, exc: Exception):
    request = RequestFactory().get("/probe")
    return api_.on_exception(request, exc)


def body(response) -> dict:
    import json

    return json.loads(response.content)


def test_field_validation_error_is_400_with_errors(raising_api):
    # when
    response = handle(raising_api, ValidationError({"sku": ["SKU taken."], "price_idr": ["Too high."]}))

    # then
    assert response.status_code == 400
    assert body(response) == {
        "detail": "The data is not valid.",
        "errors": {"sku": ["SKU taken."], "price_idr": ["Too high."]},
    }


def test_plain_validation_error_is_400_with_non_field_errors(raising_api):
    # when
    response = handle(raising_api, ValidationError("The lot is closed."))

    # then
    assert response.status_code == 400
    assert body(response) == {"detail": "The lot is closed.", "errors": {"__all__": ["The lot is closed."]}}


def test_permission_denied_is_403_with_its_message(raising_api):
    # when
    with_message = handle(raising_api, PermissionDenied("You may not change the catalog of Rutan X."))
    without = handle(raising_api, PermissionDenied())

    # then
    assert (with_message.status_code, body(with_message)) == (
        403,
        {"detail": "You may not change the catalog of Rutan X."},
    )
    assert (without.status_code, body(without)) == (403, {"detail": "You do not have permission to do this."})


@pytest.mark.parametrize("exc", [ObjectDoesNotExist("Maker matching query does not exist."), Http404("gone")])
def test_missing_object_is_404_without_internals(raising_api, exc):
    # when
    response = handle(raising_api, exc)

    # then
    assert response.status_code == 404
    assert body(response) == {"detail": "Not found"}


def test_request_validation_errors_drop_the_source_and_keep_nested_paths():
    # when
    errors = request_validation_errors(
        [
            {"loc": ("query", "page"), "msg": "too small"},
            {"loc": ("query", "page"), "msg": "not even"},
            {"loc": ("body", "payload", "lines", 0, "sku"), "msg": "required"},
            {"loc": ("body",), "msg": "invalid JSON"},
            {"loc": (), "msg": "odd"},
        ]
    )

    # then
    assert errors == {
        "page": ["too small", "not even"],
        "lines.0.sku": ["required"],
        "body": ["invalid JSON"],
        "__all__": ["odd"],
    }


def test_the_real_api_has_the_handlers():
    # when
    response = handle(api, ValidationError({"moq": ["At least 1."]}))

    # then
    assert response.status_code == 400
    assert body(response)["errors"] == {"moq": ["At least 1."]}


def test_responses_carry_the_negotiated_language(client, db):
    # when
    english = client.get("/api/v1/products", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/api/v1/products", HTTP_ACCEPT_LANGUAGE="id")
    default = client.get("/api/v1/products")

    # then
    assert english["Content-Language"] == "en"
    assert indonesian["Content-Language"] == "id"
    assert default["Content-Language"] == "id"


def test_language_cookie_wins_over_accept_language(client, db, settings):
    # given
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    response = client.get("/api/v1/products/tidak-ada", HTTP_ACCEPT_LANGUAGE="id")

    # then
    assert response["Content-Language"] == "en"
