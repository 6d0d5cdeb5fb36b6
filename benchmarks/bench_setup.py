"""Benchmark setup: the PostgreSQL database, the dataset, static files and a gunicorn server."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATED_PREFIX = "gen-"  # binakarya/catalog/management/commands/generate_dataset.py PREFIX


def project_python() -> str:
    """The project's virtualenv Python when there is one, else the running interpreter."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def database_url(base_url: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/{name}"


def server_env(db_url: str, static_root: Path, media_root: Path) -> dict[str, str]:
    """Production-like settings for manage.py and gunicorn; everything else inherited."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-7f3a9c1e5b2d",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SERVE_MEDIA": "false",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.pop("REDIS_URL", None)
    # Each worker's own memory, as these benchmarks' recorded figures were measured; production's default
    # without REDIS_URL is the database cache (bench_scale.py measures that one).
    env["CACHE_BACKEND"] = "local"
    return env


def ensure_database(base_url: str, name: str, *, fresh: bool = False) -> bool:
    """Create database ``name`` on the server at ``base_url`` if missing (dropping it first when ``fresh``).

    True when it was created.
    """
    import psycopg
    from psycopg import sql

    if name in ("postgres", "template0", "template1"):
        raise ValueError(f"refusing to use the {name!r} database for benchmarks")
    with psycopg.connect(database_url(base_url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def manage(env: dict[str, str], *args: str, timeout: float = 900, quiet: bool = False) -> None:
    """Run ``manage.py *args``; raise RuntimeError with its output if it fails."""
    cmd = [project_python(), str(REPO / "manage.py"), *args]
    if quiet:
        result = subprocess.run(cmd, cwd=REPO, env=env, timeout=timeout, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    else:
        result = subprocess.run(cmd, cwd=REPO, env=env, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed with exit code {result.returncode}")


def generated_product_count(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        row = conn.execute(
            "SELECT count(*) FROM catalog_product p JOIN organizations_organization o ON o.id = p.organization_id "
            "WHERE o.slug LIKE %s",
            (GENERATED_PREFIX + "%",),
        ).fetchone()
        return int(row[0])


def dataset_summary(db_url: str) -> dict[str, int]:
    import psycopg

    queries = {
        "products": "SELECT count(*) FROM catalog_product",
        "published_products": "SELECT count(*) FROM catalog_product WHERE is_published",
        "variants": "SELECT count(*) FROM catalog_variant",
        "producers": "SELECT count(*) FROM catalog_producer",
        "organizations": "SELECT count(*) FROM organizations_organization",
    }
    with psycopg.connect(db_url, connect_timeout=10) as conn:
        return {key: int(conn.execute(q).fetchone()[0]) for key, q in queries.items()}


def public_product_slugs(db_url: str, limit: int, seed: str = "binakarya") -> list[str]:
    """A reproducible pseudo-random sample of slugs the storefront shows (published all the way up)."""
    import psycopg

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT p.slug FROM catalog_product p "
            "JOIN catalog_producer pr ON pr.id = p.producer_id "
            "JOIN organizations_organization o ON o.id = p.organization_id "
            "WHERE p.is_published AND pr.is_published AND o.is_active "
            "ORDER BY md5(p.slug || %s) LIMIT %s",
            (seed, limit),
        ).fetchall()
    return [r[0] for r in rows]


def postgres_version(db_url: str) -> str:
    import psycopg

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Gunicorn:
    """gunicorn serving binakarya.wsgi on 127.0.0.1:<free port>, in its own process group.

    Use as a context manager: the server is stopped on exit, on errors and on Ctrl-C.
    """

    env: dict[str, str]
    workers: int = 2
    worker_class: str = "gthread"
    threads: int = 2
    port: int = 0
    log_path: Path | None = None
    cwd: Path = REPO  # the project tree to serve
    process: subprocess.Popen | None = field(default=None, init=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            project_python(),
            "-m",
            "gunicorn",
            "binakarya.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--keep-alive",
            "5",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        if self.worker_class == "gthread":
            cmd += ["--threads", str(self.threads)]
        return cmd

    def describe(self) -> str:
        extra = f", {self.threads} threads each" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.workers} {self.worker_class} workers{extra}"

    def __enter__(self) -> "Gunicorn":
        if not self.port:
            self.port = free_port()
        if self.log_path is None:
            self.log_path = Path(tempfile.gettempdir()) / f"binakarya-bench-gunicorn-{self.port}.log"
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self._log = log
        self.process = subprocess.Popen(
            self.command(), cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait_ready(timeout=45)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        if exc_type is None and self.log_path is not None:
            self.log_path.unlink(missing_ok=True)  # kept only when something went wrong

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/ping", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last_error = str(exc)
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /ping within {timeout} s ({last_error}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM to gunicorn's process group, SIGKILL after 10 s."""
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self.process = None
        self._log.close()


def machine_description() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) // 1024 // 1024} GB RAM"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU cores{f' ({model})' if model else ''}{mem}"


def cpu_busy_percent(seconds: float = 2.0) -> float:
    """How busy all CPUs are over ``seconds`` (from /proc/stat), to tell whether the box is idle."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields[:8])

    try:
        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    total = total1 - total0
    return 100.0 * (1 - (idle1 - idle0) / total) if total > 0 else float("nan")


def temp_static_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="binakarya-bench-static-"))


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
