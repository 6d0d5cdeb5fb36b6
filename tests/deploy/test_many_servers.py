"""Two web servers behind one nginx, for real: the web processes keep no state of their own.

`scripts/serve.sh` (what `make serve` runs) is started twice on one fresh PostgreSQL database, sharing SECRET_KEY, MEDIA_ROOT and STATIC_ROOT,
with production settings and no REDIS_URL: the cache is the database cache, the production default. Debian's
nginx serves deploy/nginx/binakarya.conf with both servers in the `binakarya` upstream (round robin) and, in
this copy only, an X-Upstream header naming the server that answered. Through nginx, over HTTPS:

- a login answered by one server holds on the other: the session lives in the database;
- a public page rendered and cached by one server is served from the cache by the other;
- the public order API's rate limit and the login lockout count the requests both servers received.

PostgreSQL only (CI's PostgreSQL pass): servers on several machines share a database server, never a SQLite
file, and the test's cost (a fresh migrate, two servers) is paid once.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "binakarya.example"
USERNAME, PASSWORD, FULL_NAME = "sari.lintas", secrets.token_urlsafe(16), ("Sari", "Lintas Server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The database both servers share ------------------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database on the test run's server, dropped afterwards."""
    import psycopg
    from psycopg import sql

    params = connection.settings_dict
    name = f"{params['NAME'][:40]}_many_{os.getpid()}"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
        pg.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        password = f":{urllib.parse.quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
        yield f"postgres://{urllib.parse.quote(params['USER'])}{password}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
            pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The settings both servers share, as an /etc/binakarya/binakarya.env without REDIS_URL would give them."""
    kept = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return kept | {
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "SERVE_MEDIA": "false",
        "WEB_CONCURRENCY": "1",
        "PUBLIC_CACHE_SECONDS": "300",
        "API_PUBLIC_ORDER_RATE": "2/h",
        "LOGIN_FAILURES_PER_ACCOUNT": "2",
        "PYTHON": str(ROOT / ".venv" / "bin" / "python"),
    }


# The two servers and nginx ------------------------------------------------------------------------------


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def wait_healthy(port: int, server: subprocess.Popen, log: Path, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        if healthy(port):
            return
        time.sleep(0.3)
    raise AssertionError(f"serve.sh on {port} did not come up:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to serve.sh, which stops gunicorn and the worker gracefully; the whole group if it hangs."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    try:  # anything of its group still alive (it leads a session of its own)
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def nginx_site(tmp_path: Path, upstreams: list[int], *, static: Path, media: Path) -> tuple[Path, int]:
    """deploy/nginx/binakarya.conf with temporary ports, certificate and folders, both servers upstream."""
    tmp_path.mkdir()
    https_port = free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = ROOT / "deploy" / "nginx"
    (tmp_path / "binakarya_proxy.conf").write_text((site / "binakarya_proxy.conf").read_text())
    text = (site / "binakarya.conf").read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstreams)
    proxied = "proxy_pass http://binakarya;\n"
    for old, new in (
        ("server 127.0.0.1:8000;", servers),
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/letsencrypt/live/binakarya.example/fullchain.pem", str(tmp_path / "cert.pem")),
        ("/etc/letsencrypt/live/binakarya.example/privkey.pem", str(tmp_path / "key.pem")),
        ("/srv/binakarya/var/static/", f"{static}/"),
        ("/srv/binakarya/var/media/", f"{media}/"),
        ("/etc/nginx/binakarya_proxy.conf", str(tmp_path / "binakarya_proxy.conf")),
        ("root /var/www/html;", f"root {tmp_path};"),
        # this copy only: which server answered
        (proxied, proxied + "        add_header X-Upstream $upstream_addr always;\n"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    text = re.sub(r"\n\s*listen \[::\]:[^\n]*", "", text)  # no IPv6 on every test machine
    (tmp_path / "site.conf").write_text(text)
    run_as = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{run_as}daemon off;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {tmp_path}/access.log;\n"
        f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fastcgi;\n uwsgi_temp_path {tmp_path}/uwsgi;\n scgi_temp_path {tmp_path}/scgi;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, timeout=30)
    assert check.returncode == 0, check.stderr.decode()
    return conf, https_port


@pytest.fixture
def two_servers(tmp_path: Path, database_url: str) -> Iterator[dict]:
    if not os.path.exists(NGINX):
        message = "nginx is not installed (apt-get install nginx); two servers behind it were not run"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = production_env(tmp_path, database_url)
    ports = [free_port(), free_port()]
    conf, https_port = nginx_site(
        tmp_path / "nginx", ports, static=Path(env["STATIC_ROOT"]), media=Path(env["MEDIA_ROOT"])
    )
    started = time.monotonic()
    servers: list[subprocess.Popen] = []
    nginx = None
    logs = [tmp_path / "serve-a.log", tmp_path / "serve-b.log"]
    try:
        # The first server migrates the fresh database and collects the static files, as `make serve` does.
        with logs[0].open("w") as log:
            servers.append(
                subprocess.Popen(
                    [str(SERVE), f"127.0.0.1:{ports[0]}"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )
            )  # fmt: skip
        wait_healthy(ports[0], servers[0], logs[0], seconds=180)
        manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
        collected_at = manifest.stat().st_mtime_ns
        # The second shares STATIC_ROOT, already collected (COLLECTSTATIC=false); its migrate finds nothing to do.
        with logs[1].open("w") as log:
            servers.append(
                subprocess.Popen(
                    [str(SERVE), f"127.0.0.1:{ports[1]}"],
                    cwd=ROOT, env=env | {"COLLECTSTATIC": "false"}, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )  # fmt: skip
        # Meanwhile, a staff account with a known password in the shared database.
        create = subprocess.run(
            [env["PYTHON"], "manage.py", "shell", "-c",
             "from django.contrib.auth.models import User; "
             f"User.objects.create_user({USERNAME!r}, password={PASSWORD!r}, first_name={FULL_NAME[0]!r}, "
             f"last_name={FULL_NAME[1]!r}, is_staff=True)"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert create.returncode == 0, create.stderr
        wait_healthy(ports[1], servers[1], logs[1], seconds=90)
        # A session of its own, so that its worker goes with it if the master must be killed.
        nginx = subprocess.Popen([NGINX, "-p", str(conf.parent), "-c", str(conf)], start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        print(f"two servers and nginx up {time.monotonic() - started:.1f} s after the first serve.sh started")
        yield {
            "https": https_port,
            "upstreams": {f"127.0.0.1:{port}" for port in ports},
            "collected_once": manifest.stat().st_mtime_ns == collected_at,
        }
    finally:
        try:
            if nginx is not None:
                nginx.terminate()
                try:
                    nginx.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(nginx.pid, signal.SIGKILL)
                    nginx.wait(timeout=10)
        finally:  # the servers are stopped even if nginx would not die, each even if another would not
            errors = []
            for server in servers:
                try:
                    stop(server)
                except Exception as exc:  # noqa: BLE001 - raised below, once the other server is stopped too
                    errors.append(exc)
            if errors:
                raise errors[0]


# A browser of sorts: HTTPS through nginx, with cookies ------------------------------------------------------


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=20, context=self.context)
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def post_form(self, path: str, fields: dict[str, str]):
        return self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
            },
        )


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


@pytest.mark.postgres_only
def test_a_login_on_one_server_holds_on_the_other_and_the_cache_and_limits_are_shared(two_servers):
    upstreams = two_servers["upstreams"]
    browser = Browser(two_servers["https"])
    # the second server did not collect the static files again (COLLECTSTATIC=false)
    assert two_servers["collected_once"]

    # given the login page (its CSRF cookie) and the login, answered by one server
    response, page = browser.request("GET", "/akun/masuk/")
    assert response.status == 200, page[:2000]
    login, _ = browser.post_form(
        "/akun/masuk/", {"csrfmiddlewaretoken": csrf_token(page), "username": USERNAME, "password": PASSWORD}
    )
    assert login.status == 302 and "sessionid" in browser.cookies, login.getheaders()
    logged_in_on = login.getheader("X-Upstream")
    assert logged_in_on in upstreams

    # when the staff pages are asked for until the other server has answered (round robin: the next request)
    answers = []
    for _ in range(4):
        response, page = browser.request("GET", "/staf/")
        answers.append((response.getheader("X-Upstream"), response.status, page))
        if answers[-1][0] != logged_in_on:
            break

    # then the other server knew the session: the staff's own page, not a redirect to the login
    assert {upstream for upstream, _, _ in answers} - {logged_in_on}, answers
    for upstream, status, page in answers:
        assert status == 200, (upstream, status)
        assert " ".join(FULL_NAME) in page, upstream

    # a public page rendered and stored by one server is served from the shared cache by the other
    anonymous = Browser(two_servers["https"])
    first, first_page = anonymous.request("GET", "/")
    assert first.status == 200 and first.getheader("X-Page-Cache") == "miss"
    second = None
    for _ in range(3):
        response, page = anonymous.request("GET", "/")
        if response.getheader("X-Upstream") != first.getheader("X-Upstream"):
            second = response
            break
    assert second is not None, "nginx sent every request to one server"
    assert second.status == 200 and second.getheader("X-Page-Cache") == "hit"
    assert page == first_page

    # the public order API allows 2 writes an hour per address (API_PUBLIC_ORDER_RATE=2/h): the third is
    # refused, although neither server has seen more than two
    writes = []
    for _ in range(3):
        response, body = anonymous.request(
            "POST", "/api/v1/orders", body=b"{}", headers={"Content-Type": "application/json"}
        )
        writes.append((response.getheader("X-Upstream"), response.status))
    assert {upstream for upstream, _ in writes} == upstreams, writes
    assert [status == 429 for _, status in writes] == [False, False, True], writes

    # and the login lockout (LOGIN_FAILURES_PER_ACCOUNT=2) counts wrong passwords on both servers: the second
    # failure, on the other server, locks the account for this address, and then even the right password is refused
    stranger = Browser(two_servers["https"])
    _, page = stranger.request("GET", "/akun/masuk/")
    token = csrf_token(page)
    tries = []
    for password in ("wrong-1", "wrong-2", PASSWORD):
        response, _ = stranger.post_form(
            "/akun/masuk/", {"csrfmiddlewaretoken": token, "username": USERNAME, "password": password}
        )
        tries.append((response.getheader("X-Upstream"), response.status))
    assert {upstream for upstream, _ in tries[:2]} == upstreams, tries
    assert [status for _, status in tries] == [200, 429, 429], tries
