"""`make serve` (scripts/serve.sh): refuses development settings, and really serves with gunicorn, WhiteNoise
and the task worker; SIGTERM stops every process it started."""

import os
import runpy
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"


def serve_env(tmp_path: Path, **changes: str) -> dict[str, str]:
    """Production settings on a throwaway SQLite file, whatever database the test run itself uses."""
    kept = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return (
        kept
        | {
            "DATABASE_URL": "",
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "WEB_CONCURRENCY": "2",
            "PYTHON": str(ROOT / ".venv" / "bin" / "python"),
        }
        | changes
    )


# serve_check, in process ----------------------------------------------------------------------------


DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "binakarya_cache"}}


def production(settings) -> None:
    """What settings.py gives a production server without REDIS_URL (tests run with DEBUG on, locmem)."""
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.ALLOWED_HOSTS = ["binakarya.example"]
    settings.CACHES = DATABASE_CACHE


def test_serve_check_passes_production_settings(settings, capsys):
    production(settings)

    call_command("serve_check")

    assert "fit to serve" in capsys.readouterr().out


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"DEBUG": True}, "DEBUG is on"),
        ({"SECRET_KEY": "local-development-only-not-a-secret-binakarya-0000"}, "SECRET_KEY is the development key"),
        ({"ALLOWED_HOSTS": []}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing or too simple"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY is missing or too simple"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY is missing or too simple"),
        (
            {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}},
            "The cache is LocMemCache: each process would keep its own",
        ),
        (
            {
                "CACHES": {
                    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/c"}
                }
            },
            "The cache is FileBasedCache: its files are on this machine only",
        ),
    ],
)
def test_serve_check_refuses_development_settings_and_says_why(settings, change, reason):
    production(settings)
    for name, value in change.items():
        setattr(settings, name, value)

    with pytest.raises(CommandError) as error:
        call_command("serve_check")

    message = str(error.value)
    assert message.startswith("refusing to serve:")
    assert reason in message
    assert message.count("\n- ") == 1


def test_the_development_key_is_the_settings_fallback(settings):
    # The refusal compares with this constant, so it must be what settings.py falls back to.
    assert "DEVELOPMENT_SECRET_KEY" in (ROOT / "binakarya" / "settings.py").read_text()
    assert settings.DEVELOPMENT_SECRET_KEY == "local-development-only-not-a-secret-binakarya-0000"


# scripts/serve.sh, for real -------------------------------------------------------------------------


def test_serve_sh_refuses_debug_and_the_default_key_before_touching_anything(tmp_path):
    # given the environment of a developer's shell: DEBUG unset (on), SECRET_KEY unset
    env = serve_env(tmp_path)
    del env["DEBUG"], env["SECRET_KEY"]
    env["ALLOWED_HOSTS"] = ""

    # when
    result = subprocess.run([str(SERVE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    # then
    assert result.returncode == 2
    assert "refusing to serve:" in result.stderr
    assert "DEBUG is on" in result.stderr
    assert "SECRET_KEY is the development key" in result.stderr
    assert "ALLOWED_HOSTS is empty" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()
    assert not (tmp_path / "static").exists()


@pytest.mark.parametrize(
    "value, collects", [("False", False), ("OFF", False), ("no", False), ("0", False), (None, True), ("TRUE", True)]
)
def test_serve_sh_reads_collectstatic_false_in_any_case(tmp_path, value, collects):
    # given a stand-in for Python that logs its commands, and a migrate that fails so that nothing is started
    log = tmp_path / "commands.log"
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$*" >> {log}\n[ "$2" = migrate ] && exit 1\nexit 0\n')
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "COLLECTSTATIC"} | {"PYTHON": str(python)}
    if value is not None:
        env["COLLECTSTATIC"] = value

    # when
    result = subprocess.run([str(SERVE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    # then
    assert result.returncode == 1 and "not starting" in result.stderr
    commands = log.read_text()
    assert "manage.py serve_check" in commands and "manage.py migrate" in commands
    assert ("manage.py collectstatic" in commands) is collects


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, their children…), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, p in parents.items() if p == parent}
        found |= children
        todo.extend(children)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, **headers: str):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "stop_with",
    ["sigterm", "ctrl-c"],
)
def test_serve_sh_runs_gunicorn_whitenoise_and_the_worker_and_stops_them_gracefully(tmp_path, stop_with):
    # given serve.sh leading its own process group, as in a terminal
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    started = time.monotonic()
    server = subprocess.Popen(
        [str(SERVE), f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=serve_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    processes: set[int] = set()
    try:
        # when it has migrated, collected the static files and started
        health = None
        while time.monotonic() - started < 120 and server.poll() is None:
            try:
                health = get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert health is not None, (tmp_path / "serve.log").read_text()[-3000:]
        up_after = time.monotonic() - started

        # then /healthz reports the database and an idle worker
        assert health.status == 200
        assert b'"status": "ok", "database": "sqlite", "tasks": {"status": "ok"' in health.read()

        # the home page comes from gunicorn, with the request id echoed
        home = get(f"{base}/", **{"X-Request-ID": "serve-test-1"})
        assert home.status == 200
        assert home.headers["Server"] == "gunicorn"
        assert home.headers["X-Request-ID"] == "serve-test-1"
        page = home.read().decode()

        # a stylesheet has its hashed name, and comes compressed with a far-future cache
        css_path = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert css_path.startswith("/static/") and css_path.count(".") >= 2, css_path
        css = get(base + css_path, **{"Accept-Encoding": "br, gzip"})
        assert css.headers["Content-Encoding"] in {"br", "gzip"}
        assert "immutable" in css.headers["Cache-Control"]
        assert "max-age=315360000" in css.headers["Cache-Control"]
        plain = get(base + css_path)
        assert plain.headers.get("Content-Encoding") is None
        assert int(css.headers["Content-Length"]) < int(plain.headers["Content-Length"])

        # both gunicorn (master and workers) and the task worker run under serve.sh
        processes = descendants(server.pid)
        commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in processes}
        assert any(b"gunicorn" in cmd for cmd in commands.values()), commands
        assert any(b"db_worker" in cmd for cmd in commands.values()), commands
        # none of them in serve.sh's process group, which a terminal's Ctrl-C reaches
        assert all(os.getpgid(pid) != server.pid for pid in processes if alive(pid)), commands
    finally:
        # when
        if stop_with == "ctrl-c":
            os.killpg(server.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
        else:
            server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=40)
        finally:
            if server.poll() is None:
                server.kill()
        log.close()

    # then every process it started is gone
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in processes if alive(pid)] == []
    assert code == (130 if stop_with == "ctrl-c" else 143)

    # and the log is JSON lines, the request's line carrying the id it came with
    output = (tmp_path / "serve.log").read_text()
    request_lines = [line for line in output.splitlines() if '"logger": "binakarya.request"' in line]
    assert any('"request_id": "serve-test-1"' in line and '"path": "/"' in line for line in request_lines)
    assert '"logger": "gunicorn.error"' in output
    # gunicorn got one TERM (a graceful stop), never INT (a quick one)
    assert "Handling signal: term" in output
    assert "Handling signal: int" not in output
    print(f"serve.sh answered /healthz {up_after:.1f} s after it started")


# deploy/gunicorn.conf.py, the README -----------------------------------------------------------------


def gunicorn_conf(monkeypatch, **env: str) -> dict:
    for name in ("BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GRACEFUL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def test_gunicorn_conf_defaults_to_two_workers_per_core_plus_one_at_most_eight(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    conf = gunicorn_conf(monkeypatch)
    assert conf["workers"] == 5
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 30)
    assert conf["accesslog"] is None  # the application writes the one line per request
    assert conf["control_socket_disable"] is True

    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 16)
    assert gunicorn_conf(monkeypatch)["workers"] == 8


def test_gunicorn_conf_reads_the_environment(monkeypatch):
    conf = gunicorn_conf(
        monkeypatch, BIND="0.0.0.0:9000", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="60", GRACEFUL_TIMEOUT="10"
    )
    assert conf["bind"] == ["0.0.0.0:9000"]
    assert (conf["workers"], conf["timeout"], conf["graceful_timeout"]) == (3, 60, 10)


def test_the_readme_begins_with_the_two_commands_and_points_to_make_serve_below_them():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in block.splitlines()] == [["make", "run"], ["make", "test"]]
    after = readme.split("```", 2)[2]
    assert "make serve" in after and "docs/deployment.md" in after
    assert (ROOT / "docs" / "deployment.md").is_file()
    help_text = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert "make serve" in help_text


def test_make_serve_runs_serve_sh_on_host_and_port():
    # -n prints the commands without running them
    # (run from `make test`, the outer make's MAKEFLAGS would add "Entering/Leaving directory" lines: not passed on)
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", "HOST=0.0.0.0", "PORT=8080"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "scripts/serve.sh 0.0.0.0:8080" in result.stdout.splitlines()[-1]
