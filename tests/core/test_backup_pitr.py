"""Point-in-time recovery on PostgreSQL, as docs/backups.md tells an operator to set it up (issue 16).

A throwaway cluster of its own (initdb, on a free port) archives its WAL with archive_command, is copied
with pg_basebackup, takes more writes, and is then recovered with restore_command and recovery_target_time
to the moment between two payments: the first is there, the second is not. The site's cluster is untouched.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres_only


def bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    assert found, "initdb not found under /usr/lib/postgresql/*/bin (the PostgreSQL server package)"
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Runs PostgreSQL's programs as the postgres user when we are root (initdb refuses root)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = bindir()
        self.as_postgres = os.geteuid() == 0
        self.started: list[Path] = []

    def run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        assert not check or done.returncode == 0, f"{program} {args}: {done.stdout}\n{done.stderr}"
        return done

    def sql(self, port: int, query: str) -> str:
        return self.run("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres",
                        "-AtX", "-v", "ON_ERROR_STOP=1", "-c", query).stdout.strip()  # fmt: skip

    def start(self, data: Path, port: int) -> None:
        self.run("pg_ctl", "-D", str(data), "-l", str(self.root / f"{data.name}.log"), "-w", "-t", "60",
                 "-o", f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1", "start")  # fmt: skip
        self.started.append(data)

    def stop(self, data: Path) -> None:
        self.run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)
        if data in self.started:
            self.started.remove(data)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="binakarya-pitr-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    c = Cluster(root)
    try:
        yield c
    finally:
        for data in list(c.started):
            c.stop(data)
        shutil.rmtree(root, ignore_errors=True)


def test_wal_archiving_and_a_base_backup_recover_to_a_moment_in_time(cluster: Cluster) -> None:
    root = cluster.root
    primary, archive, base = root / "primary", root / "wal-archive", root / "base"
    port = free_port()
    # given a cluster archiving its WAL as docs/backups.md sets it up
    cluster.run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust")
    archive.mkdir()
    if cluster.as_postgres:
        shutil.chown(archive, "postgres", "postgres")
    with (primary / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            "wal_level = replica\n"
            "archive_mode = on\n"
            f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n"
            "archive_timeout = 60\n"
        )
    cluster.start(primary, port)
    cluster.sql(port, "CREATE TABLE payout (id serial PRIMARY KEY, amount_idr bigint NOT NULL)")
    # and a base backup of it
    cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                "-D", str(base), "--wal-method=stream", "--checkpoint=fast")  # fmt: skip

    # when a payment is made, then a moment passes, then a wrong one (the one to undo)
    cluster.sql(port, "INSERT INTO payout (amount_idr) VALUES (150000)")
    time.sleep(1.1)
    target = cluster.sql(port, "SELECT now()::text")
    time.sleep(1.1)
    cluster.sql(port, "INSERT INTO payout (amount_idr) VALUES (999999)")
    segment = cluster.sql(port, "SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + 30
    while not (archive / segment).exists():
        assert time.monotonic() < deadline, f"the WAL segment {segment} was not archived"
        time.sleep(0.2)
    cluster.stop(primary)

    # and the base backup is recovered to the moment between them, as docs/backups.md does it
    with (base / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"archive_mode = off\n"
            f"restore_command = 'cp {archive}/%f %p'\n"
            f"recovery_target_time = '{target}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (base / "recovery.signal").touch()
    if cluster.as_postgres:
        shutil.chown(base / "recovery.signal", "postgres", "postgres")
    cluster.start(base, port)
    deadline = time.monotonic() + 30
    while cluster.sql(port, "SELECT pg_is_in_recovery()") != "f":
        assert time.monotonic() < deadline, "recovery did not finish"
        time.sleep(0.2)

    # then the first payment is there and the second is not
    assert cluster.sql(port, "SELECT string_agg(amount_idr::text, ',') FROM payout") == "150000"
