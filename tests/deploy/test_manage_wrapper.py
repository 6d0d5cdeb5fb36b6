"""deploy/manage: manage.py as the binakarya user with the services' environment file, through systemd-run.
systemd-run cannot start units in a test container, so the tests check the script's syntax and the exact command
it would run (BINAKARYA_MANAGE_ECHO=1), and that it refuses a missing environment file before running anything."""

import os
import shlex
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "deploy" / "manage"


def run(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *arguments],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_script_is_valid_bash_and_executable():
    assert subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True).returncode == 0
    assert os.access(SCRIPT, os.X_OK)


def test_it_runs_manage_py_as_binakarya_with_the_services_environment_file():
    result = run("create_facility_admin", "Lapas Kelas IIA", "siti", "--name", "Siti R", BINAKARYA_MANAGE_ECHO="1")

    assert result.returncode == 0, result.stderr
    assert shlex.split(result.stdout) == [
        "systemd-run",
        "--uid=binakarya",
        "--gid=binakarya",
        "-p",
        "EnvironmentFile=/etc/binakarya/binakarya.env",
        "--working-directory=/srv/binakarya",
        "--pipe",  # no terminal here; a terminal gets --pty
        "--wait",
        "--collect",
        "--quiet",
        "/srv/binakarya/.venv/bin/python",
        "/srv/binakarya/manage.py",
        "create_facility_admin",
        "Lapas Kelas IIA",
        "siti",
        "--name",
        "Siti R",
    ]


def test_the_environment_file_is_the_one_the_units_read():
    for unit in ("binakarya-web.service", "binakarya-worker.service"):
        text = (ROOT / "deploy" / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/binakarya/binakarya.env" in text
        assert "User=binakarya" in text and "WorkingDirectory=/srv/binakarya" in text


def test_the_paths_can_be_changed(tmp_path):
    result = run(
        "healthcheck", BINAKARYA_MANAGE_ECHO="1", BINAKARYA_HOME=str(tmp_path), BINAKARYA_ENV=str(tmp_path / "e")
    )

    words = shlex.split(result.stdout)
    assert f"EnvironmentFile={tmp_path}/e" in words
    assert f"--working-directory={tmp_path}" in words
    assert words[-3:] == [f"{tmp_path}/.venv/bin/python", f"{tmp_path}/manage.py", "healthcheck"]


def test_a_missing_environment_file_is_refused_before_anything_runs(tmp_path):
    result = run("healthcheck", BINAKARYA_ENV=str(tmp_path / "missing.env"))

    assert result.returncode == 78
    assert "missing.env is missing or unreadable" in result.stderr


def test_without_a_command_it_shows_the_usage():
    result = run()

    assert result.returncode == 64
    assert "usage:" in result.stderr
