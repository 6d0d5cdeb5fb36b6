"""Login throttling (binakarya.accounts.throttle over django-axes): an attacker's guesses run out, staff do not."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from binakarya.accounts.services import api_token_create
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
LOGIN = reverse("accounts:login")


@pytest.fixture
def staff():
    return MembershipFactory(user=UserFactory(username="sari"), role=Role.FACILITY_ADMIN).user


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    settings.API_TOKEN_FAILURES_PER_ADDRESS = 4
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    return settings


def login(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def pass_the_cooloff() -> None:
    """Move every recorded failure 16 minutes into the past, as if the cool-off had passed."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_message(client, staff, limits):
    # given four wrong passwords, each answered with the form
    for _ in range(4):
        assert login(client, "sari", "wrong").status_code == 200

    # when the fifth is wrong too
    fifth = login(client, "sari", "wrong")
    # and then the right password comes
    right = login(client, "sari", PASSWORD)

    # then both are refused with the lockout page, in Indonesian, and nobody is logged in
    for response in (fifth, right):
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)
        assert "registration/login.html" in [t.name for t in response.templates]
        body = response.content.decode()
        assert 'data-testid="lockout"' in body
        assert "15 menit" in body
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_english_under_en(client, staff, limits):
    for _ in range(5):
        client.post("/en/akun/masuk/", {"username": "sari", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")

    response = client.post("/en/akun/masuk/", {"username": "sari", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "paused for 15 minutes" in response.content.decode()


def test_after_the_cooloff_the_right_password_logs_in(client, staff, limits):
    # given a locked-out account
    for _ in range(5):
        login(client, "sari", "wrong")
    assert login(client, "sari", PASSWORD).status_code == 429

    # when the cool-off has passed
    pass_the_cooloff()
    response = login(client, "sari", PASSWORD)

    # then the right password logs in, and the failures are forgotten
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert not AccessAttempt.objects.filter(username="sari").exists()


def test_forty_fast_guesses_do_not_end_with_a_login(client, staff, limits):
    # when an attacker sends 40 wrong passwords as fast as the server answers
    statuses = [login(client, "sari", f"guess-{i}").status_code for i in range(40)]
    # then only the first four are checked, and the right password afterwards does not log in
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert login(client, "sari", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_address_so_the_owner_elsewhere_still_logs_in(client, staff, limits):
    # given an attacker locked out of "sari" from one address
    for _ in range(5):
        login(client, "sari", "wrong", address="198.51.100.9")

    # when sari logs in from her own address
    response = login(client, "sari", PASSWORD, address="203.0.113.7")

    # then she is in
    assert response.status_code == 302


def test_one_address_guessing_many_accounts_is_locked_out_too(client, staff, limits):
    # given an address that tries three passwords on each of four accounts (under 5 per account)
    statuses = [
        login(client, name, "wrong").status_code for name in ("andi", "budi", "citra", "dewi") for _ in range(3)
    ]

    # when it then tries the right password of a fifth account
    response = login(client, "sari", PASSWORD)

    # then its twelfth failure locks the address, and the right password is refused
    assert statuses == [200] * 11 + [429]
    assert response.status_code == 429


def test_a_successful_login_forgets_the_accounts_failures_but_not_the_addresss(client, staff, limits):
    # given four failures on sari and seven on other accounts from one address
    for _ in range(4):
        login(client, "sari", "wrong")
    for _ in range(7):
        login(client, "eko", "wrong")

    # when sari logs in
    assert login(client, "sari", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    # then her own count starts again, while the address keeps the failures on other accounts
    assert not AccessAttempt.objects.filter(username="sari").exists()
    assert AccessAttempt.objects.get(username="eko").failures_since_start == 7


def test_behind_a_proxy_the_forwarded_address_is_the_clients(client, staff, limits, settings):
    # given one trusted proxy that appends the client's address to X-Forwarded-For
    settings.TRUSTED_PROXY_COUNT = 1

    # when a client fails once, claiming a spoofed address at the left of the header
    client.post(
        LOGIN,
        {"username": "sari", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50",
    )

    # then the failure is recorded against the address the proxy saw, not the proxy's nor the spoofed one
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.50"]


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, staff, limits):
    client.post(
        LOGIN, {"username": "sari", "password": "wrong"}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


# API tokens ----------------------------------------------------------------------------------------


def test_api_token_brute_force_gets_429_with_retry_after(client, staff, limits):
    # given a valid token
    raw = api_token_create(user=staff, name="script")[1]
    url = "/api/v1/locations"

    # when an address sends four wrong tokens
    statuses = [
        client.get(url, HTTP_AUTHORIZATION=f"Bearer bk_wrong{i}", REMOTE_ADDR="198.51.100.9").status_code
        for i in range(4)
    ]
    # and then the right one
    locked = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="198.51.100.9")

    # then the first three are 401, the fourth and the right token 429, with Retry-After and a message
    assert statuses == [401, 401, 401, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "15 menit" in locked.json()["detail"]
    # while the same token from another address works
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_api_tokens_work_again_after_the_cooloff(client, staff, limits):
    raw = api_token_create(user=staff, name="script")[1]
    for i in range(4):
        client.get("/api/v1/locations", HTTP_AUTHORIZATION=f"Bearer bk_wrong{i}")

    pass_the_cooloff()
    response = client.get("/api/v1/locations", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200


def test_test_suite_logins_are_not_throttled_between_tests(client, staff):
    """Failures live in the test database, which each test rolls back: this test starts from none."""
    assert not AccessAttempt.objects.exists()
    assert login(client, "sari", PASSWORD).status_code == 302
