"""Media on S3-compatible object storage (issue 16): photos public in the bucket, proofs private, PDFs, errors.

A moto server in this process stands in for the service (tests/core/s3_server.py); the settings are
binakarya/settings.py's own, computed from MEDIA_STORAGE=s3 and the S3_* variables.
"""

import urllib.error
import urllib.request
from io import StringIO

import pytest
from botocore.exceptions import ClientError
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from binakarya.catalog import listing_pack
from binakarya.catalog.models import Photo
from binakarya.core.checks import media_storage_problems
from binakarya.core.s3 import s3_error_message
from binakarya.core.storage import private_files
from binakarya.core.views import serve_media
from tests.backoffice.helpers import noise_jpeg, upload
from tests.backoffice.order_helpers import make_seller, staff_of, web_order_with_proof
from tests.core.s3_server import (  # noqa: F401
    BACKUP_BUCKET,
    MEDIA_BUCKET,
    PRIVATE_BUCKET,
    s3_fixture,
    s3_server_fixture,
    settings_with,
)

pytestmark = pytest.mark.django_db


def test_the_local_disk_stays_the_default_and_s3_is_configured_from_the_environment(monkeypatch):
    # when nothing is set
    local = settings_with({}, monkeypatch)
    # then media are on this disk, served by the app unless told otherwise
    assert local["MEDIA_STORAGE"] == "local"
    assert local["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert local["STORAGES"]["private"] == {"BACKEND": "binakarya.core.storage.PrivateFileStorage"}
    assert local["SERVE_MEDIA"] is True

    # when MEDIA_STORAGE=s3 with a public address in front of the bucket
    site = settings_with(
        {"MEDIA_STORAGE": "s3", "S3_BUCKET": "foto", "S3_PUBLIC_URL": "https://media.example.go.id/"}, monkeypatch
    )
    public, private = site["STORAGES"]["default"], site["STORAGES"]["private"]
    # then public media are unsigned addresses on that domain, private files in the same bucket under private/
    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"] | {"custom_domain": "media.example.go.id", "url_protocol": "https:"} == public["OPTIONS"]
    assert (public["OPTIONS"]["location"], public["OPTIONS"]["querystring_auth"]) == ("media", False)
    assert private["BACKEND"] == "binakarya.core.s3.PrivateS3Storage"
    assert (private["OPTIONS"]["bucket_name"], private["OPTIONS"]["location"]) == ("foto", "private")
    assert site["SERVE_MEDIA"] is False


def test_a_photo_uploaded_by_staff_lands_in_the_bucket_and_the_pages_point_there(s3, client):
    # given a seller whose product has a photo already, and its staff
    seller = make_seller(name="Rutan Sumenep")
    product = seller["product"]
    client.force_login(staff_of(seller["org"], username="ani"))

    # when staff upload a photo through the real form
    response = client.post(
        reverse("backoffice:photo_upload", args=[product.pk]),
        {"photo": upload("IMG_1.jpg", noise_jpeg(size=(900, 700))), "alt_text": "Kain tenun"},
    )

    # then its renditions are objects under media/ in the bucket, nothing on disk
    assert response.status_code == 302
    photo = Photo.objects.filter(product=product).order_by("-pk").first()
    keys = s3.keys(MEDIA_BUCKET)
    for name in (photo.image.name, photo.thumbnail.name, photo.thumbnail_small.name):
        assert f"media/{name}" in keys
    # and the product page's images are the bucket's own addresses
    page = client.get(reverse("storefront:product", kwargs={"slug": product.slug})).content.decode()
    assert f'src="{s3.endpoint}/{MEDIA_BUCKET}/media/{photo.image.name}"' in page
    assert '"/media/' not in page
    # and so do the e-Katalog export's photo links, not prefixed with the site's address
    row = listing_pack.listing_rows([product], base_url="https://binakarya.example.go.id")[0]
    assert f"{s3.endpoint}/{MEDIA_BUCKET}/media/{photo.image.name}" in row[-1].split(" ")
    # and a PDF that embeds the photo reads it through the storage API
    context = listing_pack.spec_sheet_context(product)
    assert context["photo"].startswith("data:image/webp;base64,")
    assert b"/Subtype /Image" in listing_pack.spec_sheet_pdf(product)


def test_a_proof_of_payment_is_a_private_object_streamed_only_to_staff(s3, client):
    # given a buyer's proof of payment
    seller = make_seller(name="Rutan Sumenep")
    order, payment = web_order_with_proof(seller)

    # then it is an object under private/ in the private bucket, never in the public one
    key = f"private/{payment.proof.name}"
    assert key in s3.keys(PRIVATE_BUCKET)
    assert not any(k.endswith(payment.proof.name) for k in s3.keys(MEDIA_BUCKET))
    # with no address, and an ACL granting no one but the owner
    with pytest.raises(ValueError, match="no public address"):
        payment.proof.url  # noqa: B018 - the property itself refuses
    grants = s3.client().get_object_acl(Bucket=PRIVATE_BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("URI" not in g["Grantee"] for g in grants)
    # and an anonymous request for the object is refused by the service
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3.endpoint}/{PRIVATE_BUCKET}/{key}", timeout=10)
    assert refused.value.code == 403

    # when the seller's staff open it
    client.force_login(staff_of(seller["org"], username="ani", role="FINANCE_OFFICER"))
    response = client.get(reverse("backoffice:order_payment_proof", args=[order.number, payment.pk]))

    # then the view streams it from the bucket
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


@pytest.mark.django_db(transaction=True)
def test_a_missing_bucket_is_one_clear_line_not_a_traceback(s3, settings, tmp_path):
    # given media in a bucket that does not exist
    default_storage.save("photos/large/a.webp", ContentFile(b"a photo"))
    private_files().save("payment-proofs/p.webp", ContentFile(b"a proof"))
    settings.STORAGES = settings.STORAGES | {
        "default": {**settings.STORAGES["default"], "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"]}}
    }
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "binakarya-gone"

    # when / then a backup names the bucket and what is wrong
    with pytest.raises(CommandError, match=r"^backup failed: reading the media files failed: "):
        call_command("backup", str(tmp_path), "--allow-debug")
    with pytest.raises(CommandError, match=r"s3://binakarya-gone/media: the bucket does not exist \(NoSuchBucket\)"):
        call_command("backup", str(tmp_path), "--allow-debug")
    # and so does a backup to a bucket that does not exist
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": MEDIA_BUCKET},
        },
    }
    with pytest.raises(CommandError, match=r"^backup failed: s3://no-such-bucket/site: the bucket does not exist"):
        call_command("backup", "s3://no-such-bucket/site", "--allow-debug")
    assert list(tmp_path.iterdir()) == []


def test_wrong_credentials_are_named_for_what_they_are():
    def refused(code: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": "..."}}, "ListObjectsV2")

    assert s3_error_message(refused("InvalidAccessKeyId"), "s3://foto/media") == (
        "s3://foto/media: the access key is not known to the service (check the access key id) (InvalidAccessKeyId)"
    )
    assert "secret access key is wrong" in s3_error_message(refused("SignatureDoesNotMatch"), "s3://foto")
    assert "access denied" in s3_error_message(refused("AccessDenied"), "s3://foto")


def test_check_and_serve_check_say_what_object_storage_lacks(settings):
    # given MEDIA_STORAGE=s3 without a bucket and with half the credentials
    settings.MEDIA_STORAGE = "s3"
    settings.S3_BUCKET = ""
    settings.S3_ACCESS_KEY_ID = "AKIA-something"
    settings.S3_SECRET_ACCESS_KEY = ""

    # then each is one sentence naming the variable
    problems = media_storage_problems()
    assert len(problems) == 2
    assert problems[0].startswith("MEDIA_STORAGE=s3 but S3_BUCKET is not set")
    assert problems[1].startswith("MEDIA_STORAGE=s3 but S3_SECRET_ACCESS_KEY is not set")
    # in manage.py check (so every command stops) and in serve_check (so `make serve` refuses)
    assert [m.id for m in run_checks() if m.id == "binakarya.E001"] == ["binakarya.E001"] * 2
    with pytest.raises(CommandError, match="S3_BUCKET is not set"):
        call_command("serve_check")
    # and an unknown storage is named too
    settings.MEDIA_STORAGE = "ftp"
    assert media_storage_problems() == [
        'MEDIA_STORAGE is "ftp": set it to "local" (this disk, the default) or "s3" (object storage).'
    ]


def test_an_old_media_address_is_sent_on_to_the_object(s3, rf):
    response = serve_media(rf.get("/media/photos/large/kain.webp"), "photos/large/kain.webp")
    assert response.status_code == 302
    assert response["Location"] == f"{s3.endpoint}/{MEDIA_BUCKET}/media/photos/large/kain.webp"


def test_a_restore_from_a_folder_of_backups_names_the_newest_and_touches_nothing(s3):
    # given two whole backups and an unfinished one under s3://binakarya-backups/site
    client = s3.client()
    for name in ("binakarya-20261205T030405Z", "binakarya-20261206T030405Z"):
        for file in ("manifest.json", "SHA256SUMS"):
            client.put_object(Bucket=BACKUP_BUCKET, Key=f"site/{name}/{file}", Body=b"{}")
    client.put_object(Bucket=BACKUP_BUCKET, Key="site/binakarya-20261207T030405Z/database.dump", Body=b"")

    # when / then
    with pytest.raises(
        CommandError, match=r"the newest backup in it is s3://binakarya-backups/site/binakarya-20261206T"
    ):
        call_command("restore", "--allow-debug", f"s3://{BACKUP_BUCKET}/site")
    with pytest.raises(
        CommandError,
        match=r"^restore failed: s3://no-such-bucket/x/binakarya-20261206T030405Z: the bucket does not exist",
    ):
        call_command("restore", "--allow-debug", "s3://no-such-bucket/x/binakarya-20261206T030405Z")


def test_media_copy_moves_the_local_media_into_the_buckets_and_can_run_again(s3, settings, tmp_path):
    # given media on this disk (the private files inside MEDIA_ROOT, as the test settings have them)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    (tmp_path / "media" / "photos" / "large").mkdir(parents=True)
    (tmp_path / "media" / "photos" / "large" / "kain.webp").write_bytes(b"a photo")
    (tmp_path / "media" / "private" / "payment-proofs").mkdir(parents=True)
    (tmp_path / "media" / "private" / "payment-proofs" / "bukti.webp").write_bytes(b"a proof")

    # when
    out = StringIO()
    call_command("media_copy", "--to", "s3", stdout=out)

    # then each lands in its own bucket, the private one not among the public media
    assert s3.keys(MEDIA_BUCKET) == ["media/photos/large/kain.webp"]
    assert s3.keys(PRIVATE_BUCKET) == ["private/payment-proofs/bukti.webp"]
    assert s3.client().get_object(Bucket=PRIVATE_BUCKET, Key="private/payment-proofs/bukti.webp")["Body"].read() == (
        b"a proof"
    )
    assert "1 copied, 0 already there" in out.getvalue()

    # and a second run copies nothing again
    again = StringIO()
    call_command("media_copy", "--to", "s3", stdout=again)
    assert again.getvalue().count("0 copied, 1 already there") == 2


def test_media_url_plus_a_name_is_the_address_the_storage_gives(s3, settings, monkeypatch):
    # with the endpoint's own path-style addresses (the fixture's site)
    name = "photos/thumbs/kain.webp"
    assert settings.MEDIA_URL == f"{s3.endpoint}/{MEDIA_BUCKET}/media/"
    assert settings.MEDIA_URL + name == default_storage.url(name)
    # and with a CDN or custom domain in front of the bucket
    from storages.backends.s3 import S3Storage

    site = settings_with(s3.env() | {"S3_PUBLIC_URL": "https://media.example.go.id/"}, monkeypatch)
    assert site["MEDIA_URL"] == "https://media.example.go.id/media/"
    assert site["MEDIA_URL"] + name == S3Storage(**site["S3_MEDIA_OPTIONS"]).url(name)
    # and where the address cannot be known, manage.py check says what to set
    unknown = settings_with(s3.env() | {"S3_ADDRESSING_STYLE": "virtual"}, monkeypatch)
    settings.MEDIA_URL = unknown["MEDIA_URL"]
    assert any("set S3_PUBLIC_URL" in p for p in media_storage_problems())


def test_the_catalog_cart_and_product_pages_show_photos_from_the_bucket(s3, client):
    # given a product whose photos are in the bucket, in a cart
    seller = make_seller(name="Rutan Sumenep")
    product = seller["product"]
    product.refresh_from_db()
    base = f"{s3.endpoint}/{MEDIA_BUCKET}/media/"
    assert f"media/{product.cover_thumbnail}" in s3.keys(MEDIA_BUCKET)
    client.post(reverse("storefront:cart_add"), {"sku": seller["variant"].sku, "quantity": 1})

    # then the catalog card's src and srcset, the cart's thumbnail and the product page's og:image are the bucket's
    catalog = client.get(reverse("storefront:catalog")).content.decode()
    assert f'src="{base}{product.cover_thumbnail}"' in catalog
    assert f"{base}{product.cover_thumbnail_small} 320w, {base}{product.cover_thumbnail} 480w" in catalog
    cart = client.get(reverse("storefront:cart")).content.decode()
    assert f'src="{base}{product.cover_thumbnail_small}"' in cart
    page = client.get(reverse("storefront:product", kwargs={"slug": product.slug})).content.decode()
    photo = Photo.objects.filter(product=product).first()
    assert f'<meta property="og:image" content="{base}{photo.image.name}">' in page
    producer = client.get(reverse("storefront:producer", kwargs={"slug": seller["producer"].slug})).content.decode()
    assert f'<meta property="og:image" content="{base}{product.cover_thumbnail}">' in producer
    for html in (catalog, cart, page, producer):
        assert '"/media/' not in html and "://testserverhttp" not in html


def test_media_copy_never_replaces_a_different_file_in_the_target_and_names_it(s3, settings, tmp_path):
    # given local media, one of whose names the bucket already holds with other content (uploaded after the
    # switch), and one with the same content
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "media" / "photos").mkdir(parents=True)
    for name, content in (("kain.webp", b"old photo"), ("tas.webp", b"same"), ("new.webp", b"new")):
        (tmp_path / "media" / "photos" / name).write_bytes(content)
    client = s3.client()
    client.put_object(Bucket=MEDIA_BUCKET, Key="media/photos/kain.webp", Body=b"the photo uploaded later")
    client.put_object(Bucket=MEDIA_BUCKET, Key="media/photos/tas.webp", Body=b"same")

    # when
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 files already exist .*s3://binakarya-media/media/photos/kain\.webp"):
        call_command("media_copy", "--to", "s3", stdout=out)

    # then the bucket's own file is untouched, the rest copied, and the counts say so
    body = client.get_object(Bucket=MEDIA_BUCKET, Key="media/photos/kain.webp")["Body"].read()
    assert body == b"the photo uploaded later"
    assert s3.keys(MEDIA_BUCKET) == ["media/photos/kain.webp", "media/photos/new.webp", "media/photos/tas.webp"]
    assert "1 copied, 1 already there, 1 conflicts" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_could_not_write_the_media_refuses_before_the_database_is_touched(s3, monkeypatch, tmp_path):
    from binakarya.core import backup
    from binakarya.core.s3 import PrivateS3Storage
    from binakarya.organizations.models import Organization

    # given a backup of a site on the buckets, and a change made after it, in the database and the media
    default_storage.save("photos/large/kain.webp", ContentFile(b"a photo"))
    folder = backup.backup_create(directory=tmp_path)
    later = Organization.objects.create(name="Dibuat sesudah cadangan")
    default_storage.save("photos/large/later.webp", ContentFile(b"a later photo"))
    media_before, private_before = s3.keys(MEDIA_BUCKET), s3.keys(PRIVATE_BUCKET)

    # and a key that may read and list the private bucket but not write to it
    def refused(self, name, content):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "PutObject")

    with monkeypatch.context() as m:
        m.setattr(PrivateS3Storage, "_save", refused)

        # when / then the restore refuses, naming the bucket, with the database and the media as they were
        with pytest.raises(backup.BackupError, match=r"^refusing to restore, nothing was touched: .*s3://binakarya-p"):
            backup.backup_restore(folder=folder, force=True)
    assert Organization.objects.filter(pk=later.pk).exists()
    assert (s3.keys(MEDIA_BUCKET), s3.keys(PRIVATE_BUCKET)) == (media_before, private_before)

    # and when the media still fail after the database was replaced, the message says so and what to run
    monkeypatch.setattr(backup, "_restore_sqlite", lambda folder, force: None)
    monkeypatch.setattr(backup, "_restore_postgres", lambda folder, force: None)

    def failing_extract(archive, storage):
        raise ClientError({"Error": {"Code": "InternalError", "Message": "boom"}}, "PutObject")

    monkeypatch.setattr(backup, "_extract", failing_extract)
    with pytest.raises(backup.BackupError, match=r"^the database WAS restored, but the media files are incomplete: "):
        backup.backup_restore(folder=folder, force=True)
    with pytest.raises(backup.BackupError, match=r"run the same restore again with --force"):
        backup.backup_restore(folder=folder, force=True)


@pytest.mark.django_db(transaction=True)
def test_a_file_deleted_while_the_backup_runs_is_left_out_and_counted(s3, monkeypatch, tmp_path):
    import json

    from binakarya.core import backup

    # given two photos in the bucket, one of which is deleted between the listing and its reading
    default_storage.save("photos/large/kain.webp", ContentFile(b"a photo"))
    default_storage.save("photos/large/gone.webp", ContentFile(b"deleted meanwhile"))
    real_files = backup.storage_files

    def listed_then_deleted(storage, skip=None):
        names = real_files(storage, skip)
        if "photos/large/gone.webp" in names:
            storage.delete("photos/large/gone.webp")
        return names

    monkeypatch.setattr(backup, "storage_files", listed_then_deleted)

    # when
    out = StringIO()
    call_command("backup", str(tmp_path), "--allow-debug", stdout=out)

    # then the backup is made without it, and says so
    assert "1 media files were deleted while the backup ran and are not in it" in out.getvalue()
    (folder,) = tmp_path.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["media_files"], manifest["vanished_files"]) == (1, 1)


def test_pruning_s3_backups_removes_unfinished_uploads_older_than_the_newest_whole_backup(s3):
    from binakarya.core.backup_s3 import S3Place, prune_s3_backups

    # given whole backups on the 1st and 3rd, an interrupted upload on the 2nd, and one still running on the 4th
    client = s3.client()
    for day, files in (
        (1, ("manifest.json", "SHA256SUMS")),
        (2, ("database.dump",)),
        (3, ("manifest.json", "SHA256SUMS")),
        (4, ("database.dump",)),
    ):
        for file in files:
            client.put_object(Bucket=BACKUP_BUCKET, Key=f"site/binakarya-2026120{day}T030405Z/{file}", Body=b"x")
    client.put_object(Bucket=BACKUP_BUCKET, Key="site/notes.txt", Body=b"not a backup")

    # when keeping two whole backups, then only the interrupted upload goes
    place = S3Place.parse(f"s3://{BACKUP_BUCKET}/site")
    assert prune_s3_backups(place=place, keep=2) == [f"s3://{BACKUP_BUCKET}/site/binakarya-20261202T030405Z"]
    # and keeping one, the older whole backup too; the running upload and other files stay
    assert prune_s3_backups(place=place, keep=1) == [f"s3://{BACKUP_BUCKET}/site/binakarya-20261201T030405Z"]
    assert s3.keys(BACKUP_BUCKET) == [
        "site/binakarya-20261203T030405Z/SHA256SUMS",
        "site/binakarya-20261203T030405Z/manifest.json",
        "site/binakarya-20261204T030405Z/database.dump",
        "site/notes.txt",
    ]


def test_a_404_names_the_bucket_only_when_it_is_the_bucket_and_keys_may_be_left_to_boto3(settings):
    def refused(code: str, operation: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": "..."}}, operation)

    assert s3_error_message(refused("404", "HeadObject"), "s3://foto/media") == "s3://foto/media: not found (404)"
    assert "the bucket does not exist" in s3_error_message(refused("404", "HeadBucket"), "s3://foto")
    assert "the bucket does not exist" in s3_error_message(refused("NoSuchBucket", "ListObjectsV2"), "s3://foto")
    # neither key: boto3 looks for an instance role, so the check lets it be
    settings.MEDIA_STORAGE, settings.S3_BUCKET = "s3", "foto"
    settings.MEDIA_URL = "https://media.example.go.id/media/"
    settings.S3_ACCESS_KEY_ID = settings.S3_SECRET_ACCESS_KEY = ""
    assert media_storage_problems() == []


def test_a_download_takes_only_the_backups_own_files(s3, tmp_path):
    from binakarya.core.backup_s3 import backup_download

    # given a backup folder holding odd keys beside its files: a folder marker, "." and "..", a sub-folder
    client = s3.client()
    base = "site/binakarya-20261206T030405Z"
    for key in ("manifest.json", "SHA256SUMS", "", ".", "..", "sub/x"):
        client.put_object(Bucket=BACKUP_BUCKET, Key=f"{base}/{key}", Body=b"{}")
    assert {f"{base}/", f"{base}/.", f"{base}/.."} <= set(s3.keys(BACKUP_BUCKET))

    # when / then only the two files are downloaded, nothing outside the folder, no traceback
    folder = backup_download(url=f"s3://{BACKUP_BUCKET}/{base}", directory=tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]
