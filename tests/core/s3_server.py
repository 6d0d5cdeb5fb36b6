"""A local S3-compatible server for the object-storage tests: moto's, in this process, on a free port.

It speaks the real S3 HTTP protocol, so django-storages, boto3 and the manage.py subprocesses of a test talk
to it as they would to a real service. Credentials are fake; every test starts with empty buckets.
"""

import runpy
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
MEDIA_BUCKET = "binakarya-media"
PRIVATE_BUCKET = "binakarya-private"
BACKUP_BUCKET = "binakarya-backups"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class S3:
    endpoint: str

    def env(self) -> dict[str, str]:
        """The environment of a site with its media in this server (deploy/binakarya.env.example's names)."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": MEDIA_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
        }

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def keys(self, bucket: str) -> list[str]:
        return sorted(o["Key"] for o in self.client().list_objects_v2(Bucket=bucket).get("Contents", []))


def settings_with(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """binakarya/settings.py's values under this environment (run afresh, so its own S3 code is tested)."""
    with monkeypatch.context() as m:
        for name, value in env.items():
            m.setenv(name, value)
        return runpy.run_path(str(ROOT / "binakarya" / "settings.py"))


@pytest.fixture(scope="module", name="s3_server")
def s3_server_fixture() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(name="s3")
def s3_fixture(s3_server: str, settings, monkeypatch: pytest.MonkeyPatch) -> S3:
    """Empty buckets, and this process's settings pointing its media and backups at them."""
    urllib.request.urlopen(urllib.request.Request(f"{s3_server}/moto-api/reset", method="POST"), timeout=10)
    found = S3(endpoint=s3_server)
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET, BACKUP_BUCKET):
        found.client().create_bucket(Bucket=bucket)
    # no real credentials of the machine are ever read
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    site = settings_with(found.env(), monkeypatch)
    settings.STORAGES = {**site["STORAGES"], "staticfiles": settings.STORAGES["staticfiles"]}
    for name in (
        "MEDIA_STORAGE",
        "MEDIA_URL",
        "S3_BUCKET",
        "S3_PRIVATE_BUCKET",
        "S3_ENDPOINT_URL",
        "S3_REGION",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
        "S3_ADDRESSING_STYLE",
        "S3_MEDIA_OPTIONS",
        "S3_PRIVATE_OPTIONS",
        "BACKUP_S3_ENDPOINT_URL",
        "BACKUP_S3_REGION",
        "BACKUP_S3_ACCESS_KEY_ID",
        "BACKUP_S3_SECRET_ACCESS_KEY",
    ):
        setattr(settings, name, site[name])
    return found
