"""`manage.py check --deploy` with the production settings of docs/security.md has nothing to say (CI runs it too)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "binakarya.example",
    "SECURE_SSL_REDIRECT": "true",
}


def production_env(**changes: str) -> dict[str, str]:
    """Only the production variables: nothing the test run itself set (DATABASE_URL, the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE) leaks into the checked process."""
    kept = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SQLITE_PATH") if k in os.environ}
    return kept | PRODUCTION | changes


def deploy_check(**changes: str) -> subprocess.CompletedProcess:
    env = production_env(**changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_would_catch_a_production_server_left_on_plain_http():
    result = deploy_check(SECURE_SSL_REDIRECT="false")

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_production_defaults_turn_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="binakarya.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr
