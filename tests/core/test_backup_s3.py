"""Backups to S3-compatible storage (issue 16): `manage.py backup s3://...` of a site whose media are in a
bucket, the database and the buckets emptied, `manage.py restore s3://...`: everything is back.

Run as an operator would, in subprocesses against a throwaway database (tests/core/test_backup_drill.py's
Drill), on the vendor of the test run; a moto server in this process stands in for the storage service.
"""

import hashlib
import json

from tests.core.s3_server import (  # noqa: F401
    BACKUP_BUCKET,
    MEDIA_BUCKET,
    PRIVATE_BUCKET,
    s3_fixture,
    s3_server_fixture,
)
from tests.core.test_backup_drill import drill, ok  # noqa: F401

# Run by `manage.py shell -c` in the drill's site: a photo and a proof through the storage API, and a table of
# its own with money in it (no migrate: the round trip, not the schema, is under test, and it keeps this quick).
SOME_FILES = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from binakarya.core.storage import private_files
print(default_storage.save("photos/large/kain.webp", ContentFile(b"a photo")))
print(private_files().save("payment-proofs/2026/12/bukti.webp", ContentFile(b"a proof of payment")))
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("CREATE TABLE drill_sale (id integer PRIMARY KEY, total_idr BIGINT NOT NULL)")
    cursor.execute("INSERT INTO drill_sale (id, total_idr) VALUES (1, 150000), (2, 85000)")
"""


def objects(s3, bucket: str) -> dict[str, str]:
    client = s3.client()
    return {
        key: hashlib.sha256(client.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest()
        for key in s3.keys(bucket)
    }


def test_a_backup_to_s3_restores_the_database_and_the_media_into_empty_ones(drill, s3):  # noqa: F811
    # given a site with its media in the buckets, a photo, a proof and a row of its own
    drill.env.update(s3.env())
    ok(drill.manage("shell", "-c", SOME_FILES))
    before = drill.counts()
    assert before["drill_sale"] == (2, {"total_idr": 235_000})
    files = {bucket: objects(s3, bucket) for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET)}
    assert files[MEDIA_BUCKET] and files[PRIVATE_BUCKET]
    # and an older backup there, and an unfinished one
    client = s3.client()
    for name in ("manifest.json", "SHA256SUMS"):
        client.put_object(Bucket=BACKUP_BUCKET, Key=f"site/binakarya-20200101T000000Z/{name}", Body=b"{}")
    client.put_object(Bucket=BACKUP_BUCKET, Key="site/binakarya-20200102T000000Z/manifest.json", Body=b"{}")

    # when it is backed up to the bucket, keeping one
    out = ok(drill.manage("backup", "--allow-debug", "--keep", "1", f"s3://{BACKUP_BUCKET}/site"))

    # then the backup's files are there, SHA256SUMS among them, the older whole one and the older unfinished one
    # deleted
    url = out.splitlines()[1]
    assert url.startswith(f"s3://{BACKUP_BUCKET}/site/binakarya-")
    name = url.rsplit("/", 1)[-1]
    keys = s3.keys(BACKUP_BUCKET)
    assert f"deleted old backup s3://{BACKUP_BUCKET}/site/binakarya-20200101T000000Z" in out
    assert not any(k.startswith("site/binakarya-20200101T000000Z/") for k in keys)
    assert f"deleted old backup s3://{BACKUP_BUCKET}/site/binakarya-20200102T000000Z" in out
    assert not any(k.startswith("site/binakarya-20200102T000000Z/") for k in keys)
    manifest = json.loads(client.get_object(Bucket=BACKUP_BUCKET, Key=f"site/{name}/manifest.json")["Body"].read())
    assert (manifest["media_files"], manifest["private_files"]) == (1, 1)
    assert f"site/{name}/SHA256SUMS" in keys

    # when the database and the buckets are lost
    drill.destroy()
    drill.create()
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
        for key in s3.keys(bucket):
            client.delete_object(Bucket=bucket, Key=key)

    # and restored from the bucket
    out = ok(drill.manage("restore", "--allow-debug", url))

    # then every row and every file is back, byte for byte
    assert "checksums ok" in out and "media restored: 2 files" in out
    assert drill.counts() == before
    assert {bucket: objects(s3, bucket) for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET)} == files
