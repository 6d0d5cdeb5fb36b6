"""Files that must never be served at a public address (buyers' proofs of payment, signed agreements).

Their storage is ``STORAGES["private"]``: on the local disk (the default) ``PrivateFileStorage`` under
``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT`` (which is served at /media/ by the app or by the web server in
front of it); on object storage (``MEDIA_STORAGE=s3``) ``binakarya.core.s3.PrivateS3Storage``, private objects.
Either way they have no URL: a staff page that checks who asks streams them through the storage API.
"""

from typing import Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty

PRIVATE_ALIAS = "private"


class PrivateFileStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        setting_changed.connect(self._private_root_changed)

    @cached_property
    def base_location(self) -> str:
        # The root follows the setting (a test moves it), as FileSystemStorage follows MEDIA_ROOT.
        return str(settings.PRIVATE_MEDIA_ROOT)

    def _private_root_changed(self, *, setting: str, **kwargs: Any) -> None:
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public address; stream them through a view that checks access")


class _PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used and again after the STORAGES setting changes."""

    def _setup(self) -> None:
        try:
            self._wrapped = storages[PRIVATE_ALIAS]
        except InvalidStorageError:  # a STORAGES without the alias (an old settings file): the local disk
            self._wrapped = PrivateFileStorage()


private_storage = _PrivateStorage()


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = cast(Any, empty)


setting_changed.connect(_storages_changed)


def private_files() -> Storage:
    """The storage of private files (a callable, so that migrations name it rather than copy it)."""
    return cast(Storage, private_storage)


def storage_description(storage: Storage) -> str:
    """Where a storage keeps its files, as an operator recognises it (a folder, or s3://bucket/prefix)."""
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}".rstrip("/")
    return type(storage).__name__
