"""Stored product feeds (issue 14): each seller's feed files, pre-built by the task worker, and the marker
that coalesces the changes waiting for a rebuild.

A feed file is derived data: ``feeds.services.feeds_rebuild`` writes it from the catalog, and it goes with
its organization. It holds what the public feed URLs serve, so it holds no maker (see selectors).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedFile(models.Model):
    """One feed file of one seller in one language (``meta.csv`` in ``id``), as the channels fetch it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=5)
    # A key of feeds.registry.FEEDS; also the file name in the URL.
    name = models.CharField(_("feed"), max_length=40)
    body = models.BinaryField()
    etag = models.CharField(max_length=64, help_text="SHA-256 of the body, hexadecimal.")
    # The start of the last rebuild that wrote or checked this file: its data is at least this fresh.
    built_at = models.DateTimeField()
    # When the body last changed (whole seconds, always increasing): the file's Last-Modified.
    modified_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "language", "name"], name="feedfile_unique_per_seller")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.language}/{self.name}"


class FeedState(models.Model):
    """Where a seller's feeds stand: whether a change waits for a rebuild (and a task is pending for it)."""

    organization = models.OneToOneField("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    # Set by the first change after a rebuild started, cleared when the rebuild task starts; while set,
    # further changes enqueue no other task (they are all in the pending one).
    stale_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organization_id}: {'stale since ' + str(self.stale_at) if self.stale_at else 'fresh'}"
