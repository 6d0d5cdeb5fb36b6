"""deploy/systemd/*.service and deploy/binakarya.env.example, exercised: systemd checks each unit (with the
server's paths swapped for this checkout's), every command a unit runs exists, and the example environment,
once its secrets are filled in, passes serve_check and Django's deploy check, while as shipped it is refused."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
TIMERS = sorted((ROOT / "deploy" / "systemd").glob("*.timer"))
ENV_EXAMPLE = ROOT / "deploy" / "binakarya.env.example"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def local_unit(unit: Path, tmp_path: Path) -> Path:
    """The unit as it would run from this checkout: its paths, this user, an empty environment file."""
    env_file = tmp_path / "binakarya.env"
    env_file.touch()
    text = unit.read_text().replace("/srv/binakarya", str(ROOT)).replace("/etc/binakarya/binakarya.env", str(env_file))
    text = re.sub(r"^(User|Group)=binakarya$", r"\1=root", text, flags=re.M)
    target = tmp_path / unit.name
    target.write_text(text)
    return target


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    if not os.path.exists(SYSTEMD_ANALYZE):
        message = "systemd-analyze is missing (apt-get install systemd); the units were not checked"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run([SYSTEMD_ANALYZE, "verify", str(path)], capture_output=True, text=True, timeout=60)


def test_there_are_the_web_and_the_worker_units():
    assert [u.name for u in UNITS] == [
        "binakarya-backup.service",
        "binakarya-web.service",
        "binakarya-worker.service",
    ]
    assert [t.name for t in TIMERS] == ["binakarya-backup.timer"]


@pytest.mark.parametrize("unit", UNITS + TIMERS, ids=lambda u: u.name)
def test_systemd_accepts_each_unit(unit, tmp_path):
    result = verify(local_unit(unit, tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


SERVICES = [u for u in UNITS if u.name in ("binakarya-web.service", "binakarya-worker.service")]


@pytest.mark.parametrize("unit", SERVICES, ids=lambda u: u.name)
def test_the_web_and_worker_units_write_only_var_and_give_up_after_repeated_failures(unit):
    text = unit.read_text()
    unit_section = text.split("[Service]")[0]

    assert "ProtectSystem=strict" in text
    assert re.findall(r"^ReadWritePaths=(.+)$", text, flags=re.M) == ["/srv/binakarya/var"]
    assert "StartLimitIntervalSec=300" in unit_section and "StartLimitBurst=5" in unit_section


def test_the_check_fails_on_a_unit_whose_program_is_missing(tmp_path):
    # The same check on a unit with a wrong path: it fails, so the test above can fail too.
    broken = local_unit(ROOT / "deploy" / "systemd" / "binakarya-web.service", tmp_path)
    broken.write_text(broken.read_text().replace(".venv/bin/gunicorn", ".venv/bin/no-such-gunicorn"))

    result = verify(broken)

    assert result.returncode != 0
    assert "no-such-gunicorn" in result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_every_command_a_unit_runs_exists(unit):
    commands = get_commands()
    lines = re.findall(r"^Exec(?:StartPre|Start)=(.+)$", unit.read_text(), flags=re.M)
    assert lines
    for line in lines:
        program, *arguments = line.split()
        assert program.startswith("/srv/binakarya/.venv/bin/"), line
        assert (ROOT / ".venv" / "bin" / Path(program).name).exists(), line
        if arguments[:1] == ["manage.py"]:
            assert arguments[1] in commands, line
        if "--config" in arguments:
            assert (ROOT / arguments[arguments.index("--config") + 1]).is_file(), line


def example_environment() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            value = value.strip()
            # systemd's EnvironmentFile removes one pair of surrounding quotes.
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values[name.strip()] = value
    return values


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in example_environment() and not k.startswith("DJANGO")}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_example_names_only_settings_binakarya_reads():
    read = (ROOT / "binakarya" / "settings.py").read_text() + (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    for name in example_environment():
        assert f'"{name}"' in read, name


def test_the_example_as_shipped_is_refused_until_the_secret_key_is_set(tmp_path):
    env = {**example_environment(), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}

    result = manage(env, "serve_check")

    assert result.returncode != 0
    assert "SECRET_KEY is missing or too simple" in result.stderr


def test_the_example_filled_in_passes_serve_check_and_the_deploy_check(tmp_path):
    env = {
        **example_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }

    assert manage(env, "serve_check").returncode == 0
    deploy = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode == 0, deploy.stderr


def filled_example(tmp_path: Path) -> dict[str, str]:
    return {
        **example_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "EMAIL_HOST_PASSWORD": "set",
    }


def gunicorn_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in example_environment() and not k.startswith("DJANGO")}
    clean.pop("WEB_CONCURRENCY", None)
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_starts_with_the_example_environment(tmp_path):
    # gunicorn reads WEB_CONCURRENCY itself when it is imported: an empty value would stop the web service.
    env = filled_example(tmp_path)
    assert "WEB_CONCURRENCY" not in env

    result = gunicorn_check(env)

    assert result.returncode == 0, result.stderr


def test_the_gunicorn_check_fails_on_an_empty_web_concurrency(tmp_path):
    # The check above can fail: the value the example used to ship is refused.
    result = gunicorn_check({**filled_example(tmp_path), "WEB_CONCURRENCY": ""})

    assert result.returncode != 0


def test_the_sender_address_is_quoted_and_read_whole():
    assert 'DEFAULT_FROM_EMAIL="Binakarya <binakarya@example.go.id>"' in ENV_EXAMPLE.read_text()
    assert example_environment()["DEFAULT_FROM_EMAIL"] == "Binakarya <binakarya@example.go.id>"
