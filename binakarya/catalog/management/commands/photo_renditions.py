"""Make the 320 px rendition of every photo stored before it existed, so phones get small thumbnails."""

from typing import Any

from django.core.management.base import BaseCommand

from binakarya.catalog.models import Photo
from binakarya.catalog.services import photo_add_small_rendition


class Command(BaseCommand):
    help = "Add the 320 px thumbnail (srcset for phones) to photos that have none. Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        done = failed = 0
        for photo in (
            Photo.objects.filter(thumbnail_small="").exclude(thumbnail="").select_related("product").iterator()
        ):
            try:
                photo_add_small_rendition(photo=photo)
            except OSError as exc:  # a missing or unreadable file: say which, carry on with the others
                failed += 1
                self.stderr.write(f"photo {photo.pk} ({photo.thumbnail.name}): {exc}")
            else:
                done += 1
        self.stdout.write(self.style.SUCCESS(f"{done} photo(s) given a 320 px rendition, {failed} failed."))
