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


def deploy_check(**changes: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DATABASE_URL"} | PRODUCTION | changes
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
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | PRODUCTION
    env["DJANGO_SETTINGS_MODULE"] = "binakarya.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr
