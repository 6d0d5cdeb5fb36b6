"""Read replicas for real (issue 16): a PostgreSQL primary and a hot standby streaming from it
(scripts/pg_replica.sh), and the site under gunicorn with DATABASE_URL on the first and DATABASE_REPLICA_URL on
the second. With the standby's replay paused, a product written on the primary is not in the public catalog
(read from the standby) but is for a browser carrying the pin cookie (read from the primary); once replay
resumes, everyone sees it. /healthz reports the standby and its lag; a standby that stops streaming, or stops
altogether, is reported and the primary serves its reads.

One test function in steps, on purpose: starting the two clusters costs seconds, and pytest-xdist (CI runs
``-n`` with the default ``--dist load``) may send separate tests of this module to different workers, each of
which would then start clusters of its own.

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
import psycopg.sql
import pytest

# django_db: so that pytest-django creates the test database, whose schema the primary gets.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg_replica.sh"
DB = "binakarya_replica"
SLUG = "tas-anyaman-dari-primer"
SLUG_2 = "tas-anyaman-kedua"
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
        applied = run(
            [*dump, "--data-only", "--table=django_migrations", source["NAME"]],
            env | {"PGPASSWORD": source["PASSWORD"] or ""},
        )
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


def create_public_product(site: Site, slug: str, name: str, beside: str | None = None) -> None:
    """A published product with a price and a photo, written on the primary by the site's own code; ``beside``:
    the slug of an earlier one whose producer and category it shares (a new process's factories would otherwise
    repeat the first one's codes)."""
    same = (
        ""
        if beside is None
        else f", producer=(p := Product.objects.get(slug='{beside}')).producer, category=p.category"
    )
    code = (
        "from binakarya.catalog.models import Product; from tests.factories import ProductFactory; "
        f"ProductFactory(name='{name}', slug='{slug}', photos=1{same})"
    )
    run(
        [sys.executable, "manage.py", "shell", "-c", code],
        environment(site.root, DATABASE_URL=site.primary),
    )


def healthz(site: Site) -> dict:
    status, _, body = site.get("/healthz")
    health = json.loads(body)
    assert status == 200, health  # whatever the replica does, the web server takes traffic
    return health


def streaming(site: Site) -> bool:
    return sql(site.standby, "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'") == 1


def test_a_primary_and_its_standby_serving_the_site(site: Site) -> None:
    """The steps share the clusters and build on one another (see the module's docstring)."""
    public_reads_come_from_the_standby_and_a_pinned_browser_reads_its_writes(site)
    a_standby_that_stops_streaming_is_reported_and_left_alone(site)
    a_standby_that_is_gone_is_reported_and_the_primary_serves(site)


def public_reads_come_from_the_standby_and_a_pinned_browser_reads_its_writes(site: Site) -> None:
    # given the standby streaming and caught up: /healthz reports it
    wait_for(lambda: sql(site.standby, "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"), "catch-up")
    # (each web process caches the replica's health for db_router.RETRY_SECONDS)
    wait_for(lambda: healthz(site)["status"] == "ok", "/healthz to say ok", seconds=30)
    health = healthz(site)
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
        create_public_product(site, SLUG, "Tas Anyaman dari Primer")
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

        # and /healthz tells how far behind the paused standby is (once its cached answer is due again)
        wait_for(lambda: (healthz(site)["replica"]["lag_seconds"] or 0) > 0, "/healthz to report a lag", seconds=30)
        health = healthz(site)
        assert health["replica"]["in_recovery"] is True
        assert health["replica"]["lag_seconds"] > 0, health
    finally:
        sql(site.standby, "SELECT pg_wal_replay_resume()")

    # when replay resumes, the public catalog has it too
    wait_for(lambda: SLUG in site.catalog_slugs(), "the product to reach the standby")
    assert site.get(f"/produk/{SLUG}/")[0] == 200


def a_standby_that_stops_streaming_is_reported_and_left_alone(site: Site) -> None:
    # given the standby's WAL receiver pointed at a port where nothing listens: it keeps answering queries,
    # with everything it received replayed, but receives nothing more
    conninfo = sql(site.standby, "SHOW primary_conninfo")
    assert conninfo and streaming(site)
    dead = f"host=127.0.0.1 port={free_port()} user=postgres connect_timeout=1"
    with psycopg.connect(site.standby, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("ALTER SYSTEM SET primary_conninfo = {}").format(psycopg.sql.Literal(dead)))
        conn.execute("SELECT pg_reload_conf()")
    try:
        wait_for(lambda: not streaming(site), "the WAL receiver to stop streaming")

        # then /healthz says so, although replay is not behind what the standby received
        wait_for(lambda: healthz(site)["replica"]["status"] != "ok", "/healthz to notice", seconds=30)
        health = healthz(site)
        assert health["status"] == "degraded", health
        assert health["replica"]["status"] == "not_streaming", health
        assert health["replica"]["in_recovery"] is True

        # and the router stops reading from it (within its RETRY_SECONDS): a product written now on the primary
        # never reaches the standby, yet shows in the public catalog
        create_public_product(site, SLUG_2, "Tas Anyaman Kedua", beside=SLUG)
        wait_for(lambda: SLUG_2 in site.catalog_slugs(), "the catalog to be read from the primary", seconds=30)
        assert sql(site.standby, f"SELECT count(*) FROM catalog_product WHERE slug = '{SLUG_2}'") == 0
    finally:
        with psycopg.connect(site.standby, autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL("ALTER SYSTEM SET primary_conninfo = {}").format(psycopg.sql.Literal(conninfo))
            )
            conn.execute("SELECT pg_reload_conf()")

    # when it streams again, it is healthy again
    wait_for(lambda: streaming(site), "the WAL receiver to stream again", seconds=30)
    wait_for(lambda: healthz(site)["status"] == "ok", "/healthz to say ok again", seconds=30)


def a_standby_that_is_gone_is_reported_and_the_primary_serves(site: Site) -> None:
    # given the standby stopped (the last step: the fixture's stop is idempotent)
    standby_data = site.root / "pg" / "standby"
    pg_ctl = [pg_program("pg_ctl"), "-D", str(standby_data), "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0:
        pg_ctl = ["runuser", "-u", "postgres", "--", *pg_ctl]
    subprocess.run(pg_ctl, capture_output=True, timeout=60, check=True)

    # then the site still takes traffic, says what is wrong, and the catalog is served from the primary
    wait_for(lambda: healthz(site)["replica"]["status"] == "down", "/healthz to say down", seconds=30)
    health = healthz(site)
    assert health["status"] == "degraded"
    assert health["replica"]["status"] == "down"
    assert {SLUG, SLUG_2} <= set(site.catalog_slugs())


def test_a_failed_start_stops_what_it_started_and_removes_the_dir_it_made() -> None:
    # given a DIR with a space in its path, and the standby's port already taken
    root = Path(tempfile.mkdtemp(prefix="bk replica ", dir="/tmp"))
    root.chmod(0o755)
    data = root / "pg dir"
    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        primary_port = free_port()
        command = [str(SCRIPT), "start", str(data), str(primary_port), str(taken.getsockname()[1])]
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}

        # when it starts
        failed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

        # then it fails, having stopped the primary it had started and removed the DIR it had made
        assert failed.returncode != 0
        assert "the standby did not start" in failed.stderr, failed.stderr[-2000:]
        assert not data.exists()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", primary_port), timeout=2).close()
    finally:
        taken.close()
        subprocess.run([str(SCRIPT), "stop", str(data)], capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
