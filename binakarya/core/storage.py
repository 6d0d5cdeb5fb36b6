"""Files that must never be served at a public address (buyers' proofs of payment).

They live under ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT`` (which is served at /media/ by the app or by
the web server in front of it), and have no URL: a staff page that checks who asks streams them.
"""

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.utils.functional import cached_property


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


private_storage = PrivateFileStorage()


def private_files() -> PrivateFileStorage:
    """The storage of private files (a callable, so that migrations name it rather than copy it)."""
    return private_storage
