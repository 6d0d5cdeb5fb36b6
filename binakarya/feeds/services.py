"""Writes of the product feeds: rebuilding a seller's stored feed files, and scheduling that rebuild in the
background (django-tasks) when the seller's products, prices, photos or stock change.

How a change reaches the feeds: the catalog and inventory services send ``catalog.signals.catalog_changed``
inside their transaction; ``feeds.receivers`` calls :func:`feeds_mark_stale`, which waits for the commit,
then marks the seller stale and enqueues one :func:`feeds_rebuild_task` for it, unless one is pending
already (the marker is set): many changes in a row make one rebuild. The task clears the marker first and
then reads the catalog, so a change committed while it runs marks the seller again and gets a rebuild of
its own. See docs/feeds.md.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from binakarya.catalog.models import Variant
from binakarya.core.db_router import primary_from_here
from binakarya.feeds.models import FeedFile, FeedState
from binakarya.feeds.registry import FEEDS, FeedContext
from binakarya.feeds.selectors import LANGUAGES
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import BOOK_KINDS

# A seller marked stale this long ago whose task never cleared the marker (its task row was pruned before
# it ran) is enqueued again by the next change instead of waiting for ever.
STALE_RETRY_AFTER = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class RebuildResult:
    """What a rebuild did: the files whose body changed (or were new), and those found unchanged."""

    changed: tuple[str, ...]
    unchanged: tuple[str, ...]


def body_etag(body: bytes) -> str:
    """The ETag of a feed body: its SHA-256, hexadecimal (unquoted)."""
    return hashlib.sha256(body).hexdigest()


def _next_modified(started: datetime.datetime, previous: datetime.datetime | None) -> datetime.datetime:
    """The new Last-Modified: the rebuild's start in whole seconds, at least one second after the previous
    one, so that If-Modified-Since (which has only seconds) never mistakes a new body for the old one."""
    whole = started.replace(microsecond=0)
    if previous is not None and whole <= previous:
        return previous.replace(microsecond=0) + datetime.timedelta(seconds=1)
    return whole


def _render_all(organization: Organization, base_url: str) -> dict[tuple[str, str], bytes]:
    """Every registered feed file of the seller, by (language, name)."""
    bodies: dict[tuple[str, str], bytes] = {}
    for language in LANGUAGES:
        context = FeedContext(organization=organization, language=language, base_url=base_url)
        for name, kind in FEEDS.items():
            if language in kind.languages:
                bodies[(language, name)] = kind.render(context)
    return bodies


def feeds_rebuild(*, organization: Organization, base_url: str | None = None) -> RebuildResult:
    """Render every feed of ``FEEDS`` in each of its languages for ``organization`` and store what changed.

    A file whose body is the same keeps its ETag and Last-Modified (only ``built_at`` moves); a changed one
    gets the new body, its hash as ETag and a new Last-Modified. The files are rendered first and written
    together in one short transaction. Rebuilds that overlap are safe: a file is only overwritten by a
    rebuild that started later than the one that wrote it. Links are absolute under ``base_url``
    (settings.SITE_URL by default), never the address of whoever asked.
    """
    # Read what is about to be stored from the primary: a body rendered from a standby that lags could
    # overwrite a fresher file (the feeds:feed route itself is read-only, so its fallback rebuild would).
    primary_from_here()
    started = timezone.now()
    bodies = _render_all(organization, (base_url or settings.SITE_URL).rstrip("/"))
    changed: list[str] = []
    unchanged: list[str] = []
    with transaction.atomic():
        stored = {
            (row.language, row.name): row
            for row in FeedFile.objects.filter(organization=organization).only(
                "pk", "language", "name", "etag", "built_at", "modified_at"
            )
        }
        for (language, name), body in sorted(bodies.items()):
            label = f"{language}/{name}"
            etag = body_etag(body)
            row = stored.get((language, name))
            if row is None:
                try:
                    with transaction.atomic():
                        FeedFile.objects.create(
                            organization=organization,
                            language=language,
                            name=name,
                            body=body,
                            etag=etag,
                            built_at=started,
                            modified_at=_next_modified(started, None),
                        )
                    changed.append(label)
                except IntegrityError:
                    unchanged.append(label)  # another rebuild stored it at the same moment
                continue
            newer = FeedFile.objects.filter(pk=row.pk, built_at__lte=started)
            if row.etag == etag:
                newer.update(built_at=started)
                unchanged.append(label)
            elif newer.update(
                body=body, etag=etag, built_at=started, modified_at=_next_modified(started, row.modified_at)
            ):
                changed.append(label)
            else:
                unchanged.append(label)  # a rebuild that started later stored it already
        gone = [row.pk for key, row in stored.items() if key not in bodies]
        if gone:
            FeedFile.objects.filter(pk__in=gone).delete()  # a feed taken out of the registry
        FeedState.objects.bulk_create([FeedState(organization=organization)], ignore_conflicts=True)
        FeedState.objects.filter(
            Q(rebuilt_at__isnull=True) | Q(rebuilt_at__lt=started), organization=organization
        ).update(rebuilt_at=started)
    return RebuildResult(changed=tuple(changed), unchanged=tuple(unchanged))


@task()
def feeds_rebuild_task(organization_id: int) -> list[str]:
    """Rebuild the seller's feeds (enqueued by :func:`feeds_mark_stale`); return the files that changed.

    The stale marker is cleared before the catalog is read: a change committed from then on marks the
    seller again and enqueues the next rebuild, so none is lost.
    """
    FeedState.objects.filter(organization_id=organization_id).update(stale_at=None)
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return []
    return list(feeds_rebuild(organization=organization).changed)


def _stale_mark(organization_ids: list[int], variant_ids: list[int]) -> list[int]:
    """Mark the sellers (given, and those of the variants) stale and enqueue a rebuild for each one that was
    not stale yet; return those sellers' ids. Runs after the change's commit."""
    sellers = Q(pk__in=organization_ids)
    if variant_ids:
        sellers |= Q(pk__in=Variant.objects.filter(pk__in=variant_ids).values("organization_id"))
    ids = list(Organization.objects.filter(sellers, kind__in=BOOK_KINDS).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    FeedState.objects.bulk_create([FeedState(organization_id=pk) for pk in ids], ignore_conflicts=True)
    now = timezone.now()
    enqueued = []
    for pk in ids:
        # The marker and the task row are one transaction: a marker never stands without its task.
        with transaction.atomic():
            marked = FeedState.objects.filter(
                Q(stale_at__isnull=True) | Q(stale_at__lt=now - STALE_RETRY_AFTER), organization_id=pk
            ).update(stale_at=now)
            if marked:
                feeds_rebuild_task.enqueue(pk)
                enqueued.append(pk)
    return enqueued


def feeds_mark_stale(*, organization_ids: Iterable[int] = (), variant_ids: Iterable[int] = ()) -> None:
    """Schedule a rebuild of these sellers' feeds (and of the sellers of ``variant_ids``) once the current
    transaction commits (at once outside a transaction); nothing when it rolls back. A seller whose rebuild
    is already pending gets no second task."""
    organizations = sorted(set(organization_ids))
    variants = sorted(set(variant_ids))
    if organizations or variants:
        # Robust: a failure here is logged and must not fail the sale or the edit that has just committed.
        transaction.on_commit(lambda: _stale_mark(organizations, variants), robust=True)
