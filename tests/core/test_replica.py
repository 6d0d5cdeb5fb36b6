"""Read replicas for real (issue 16): a PostgreSQL primary and a hot standby streaming from it
(scripts/pg_replica.sh), and the site under gunicorn with DATABASE_URL on the first and DATABASE_REPLICA_URL on
the second. With the standby's replay paused, a product written on the primary is not in the public catalog
(read from the standby) but is for a browser carrying the pin cookie (read from the primary); once replay
resumes, everyone sees it. /healthz reports the standby and its lag.

The primary's database gets its schema from the test database (pg_dump: far faster than running every
migration again), then `manage.py migrate` confirms there is nothing left to apply.
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

# django_db: so that pytest-django creates the test database, whose schema the primary gets.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg_replica.sh"
DB = "binakarya_replica"
SLUG = "tas-anyaman-dari-primer"
FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_program(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[4]))
    assert found, f"{name} not found under /usr/lib/postgresql/*/bin"
    return str(found[-1])


@dataclass
class Site:
    base: str
    primary: str  # postgres:// of the primary's database
    standby: str  # postgres:// of the same database on the standby
    root: Path

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def catalog_slugs(self, **headers: str) -> list[str]:
        status, _, body = self.get("/api/v1/products", **headers)
        assert status == 200, body[:500]
        return [item["slug"] for item in json.loads(body)["items"]]


def environment(root: Path, **changes: str) -> dict[str, str]:
    kept = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return (
        kept
        | {
            "DEBUG": "true",  # the static files as they are, without collectstatic's manifest
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "PUBLIC_CACHE_SECONDS": "0",  # every answer read from a database, not from the page cache
            "MEDIA_ROOT": str(root / "media"),
            "PRIVATE_MEDIA_ROOT": str(root / "private"),
            "LOG_FORMAT": "text",
        }
        | changes
    )


def run(command: list[str], env: dict[str, str], timeout: int = 120) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str, Path]]:
    """A primary and its streaming standby, the primary holding the site's schema in DB."""
    from django.db import connection

    root = Path(tempfile.mkdtemp(prefix="bk-replica-", dir="/tmp"))
    root.chmod(0o755)  # as root, the clusters run as the postgres user, which must reach root / "pg"
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    try:
        primary_port, standby_port = free_port(), free_port()
        out = run([str(SCRIPT), "start", str(root / "pg"), str(primary_port), str(standby_port)], env, timeout=90)
        urls = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        assert urls == {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/postgres",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby_port}/postgres",
        }
        with psycopg.connect(urls["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DB}")
        primary = urls["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DB}"
        standby = urls["DATABASE_REPLICA_URL"].rsplit("/", 1)[0] + f"/{DB}"

        # The test database's schema and its migration records, copied onto the primary.
        with django_db_blocker.unblock():
            source = connection.settings_dict
        dump = [pg_program("pg_dump"), "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432),
                "-U", source["USER"] or "postgres", "--no-owner", "--no-privileges"]  # fmt: skip
        schema = run([*dump, "--schema-only", source["NAME"]], env | {"PGPASSWORD": source["PASSWORD"] or ""})
        applied = run([*dump, "--data-only", "--table=django_migrations", source["NAME"]], env)
        with psycopg.connect(primary, autocommit=True) as conn:
            restore = subprocess.run(
                [pg_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", primary],
                input=schema + applied,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert restore.returncode == 0, restore.stderr[-3000:]
            conn.execute("SELECT 1")
        # Nothing left to apply (and Django's content types and permissions are created).
        migrated = run(
            [sys.executable, "manage.py", "migrate", "--noinput"], environment(root, DATABASE_URL=primary), timeout=180
        )
        assert "No migrations to apply" in migrated, migrated
        yield primary, standby, root
    finally:
        subprocess.run([str(SCRIPT), "stop", str(root / "pg")], capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster) -> Iterator[Site]:
    primary, standby, root = cluster
    port = free_port()
    env = environment(root, DATABASE_URL=primary, DATABASE_REPLICA_URL=standby, WEB_CONCURRENCY="1")
    log_path = root / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            site = Site(f"http://127.0.0.1:{port}", primary, standby, root)
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                try:
                    if site.get("/healthz")[0] in (200, 503):
                        break
                except (urllib.error.URLError, ConnectionError):
                    pass
                time.sleep(0.2)
            yield site
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


def sql(url: str, query: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    return row[0] if row else None


def wait_for(check, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def create_public_product(site: Site) -> None:
    """A published product with a price and a photo, written on the primary by the site's own code."""
    code = (
        "from tests.factories import ProductFactory; "
        f"ProductFactory(name='Tas Anyaman dari Primer', slug='{SLUG}', photos=1)"
    )
    run(
        [sys.executable, "manage.py", "shell", "-c", code],
        environment(site.root, DATABASE_URL=site.primary),
    )


def test_public_reads_come_from_the_standby_and_a_pinned_browser_reads_its_writes(site: Site) -> None:
    # given the standby streaming and caught up: /healthz reports it
    wait_for(lambda: sql(site.standby, "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"), "catch-up")
    status, _, body = site.get("/healthz")
    health = json.loads(body)
    assert status == 200, health
    assert health["status"] == "ok", health
    assert health["replica"]["status"] == "ok", health
    assert health["replica"]["in_recovery"] is True
    # 0 once caught up; a record that arrived a moment before this request counts from the last transaction
    assert 0 <= health["replica"]["lag_seconds"] < 60, health

    # and its replay paused
    sql(site.standby, "SELECT pg_wal_replay_pause()")
    wait_for(lambda: sql(site.standby, "SELECT pg_get_wal_replay_pause_state()") == "paused", "the pause")
    try:
        # when a public product is written on the primary
        create_public_product(site)
        assert sql(site.primary, f"SELECT count(*) FROM catalog_product WHERE slug = '{SLUG}'") == 1
        wait_for(
            lambda: sql(site.standby, "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"),
            "the standby to receive the write",
        )

        # then the public catalog, read from the standby, does not have it yet: not in the API's list, and its
        # page is not found
        assert SLUG not in site.catalog_slugs()
        assert site.get(f"/produk/{SLUG}/")[0] == 404

        # but a browser carrying the pin cookie reads from the primary, and sees it
        assert SLUG in site.catalog_slugs(Cookie="bk_primary=1")
        status, _, page = site.get(f"/produk/{SLUG}/", Cookie="bk_primary=1")
        assert status == 200
        assert "Tas Anyaman dari Primer" in page.decode()

        # a browser gets that cookie from any POST (here one the CSRF check refuses), for REPLICA_PIN_SECONDS
        connection = http.client.HTTPConnection(site.base.removeprefix("http://"), timeout=15)
        try:
            connection.request("POST", "/keranjang/tambah/", body=b"x=1", headers={"Content-Type": FORM})
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        pin = [value for name, value in answer.getheaders() if name == "Set-Cookie" and "bk_primary=" in value]
        assert len(pin) == 1, answer.getheaders()
        assert "bk_primary=1" in pin[0]
        assert "Max-Age=5" in pin[0]
        assert "HttpOnly" in pin[0]
        assert "SameSite=Lax" in pin[0]

        # and /healthz tells how far behind the paused standby is
        health = json.loads(site.get("/healthz")[2])
        assert health["replica"]["in_recovery"] is True
        assert health["replica"]["lag_seconds"] > 0, health
    finally:
        sql(site.standby, "SELECT pg_wal_replay_resume()")

    # when replay resumes, the public catalog has it too
    wait_for(lambda: SLUG in site.catalog_slugs(), "the product to reach the standby")
    assert site.get(f"/produk/{SLUG}/")[0] == 200


def test_healthz_says_degraded_when_the_standby_is_gone(site: Site) -> None:
    # given the standby stopped (the last test of the module: the fixture's stop is idempotent)
    standby_data = site.root / "pg" / "standby"
    pg_ctl = [pg_program("pg_ctl"), "-D", str(standby_data), "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0:
        pg_ctl = ["runuser", "-u", "postgres", "--", *pg_ctl]
    subprocess.run(pg_ctl, capture_output=True, timeout=60, check=True)

    # when
    status, _, body = site.get("/healthz")

    # then the site still takes traffic, says what is wrong, and the catalog is served from the primary
    health = json.loads(body)
    assert status == 200
    assert health["status"] == "degraded"
    assert health["replica"]["status"] == "down"
    assert SLUG in site.catalog_slugs()
