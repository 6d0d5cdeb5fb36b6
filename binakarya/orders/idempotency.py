"""Requests carried out once: a double click, a retry or a refresh answers with the first result.

``idempotent`` claims the key before the work, in the work's own transaction: a second request with the
same key waits on the claim (PostgreSQL's unique index; SQLite's single writer) and, once the first
commits, answers with its stored result. A request that fails stores nothing, so it can be retried.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.orders.models import IdempotencyRecord

IDEMPOTENCY_TTL = datetime.timedelta(hours=48)
MAX_KEY_LENGTH = 100


class IdempotencyConflict(Exception):
    """The key was used before with a different request."""

    message = _("This request key was already used for a different order. Start the checkout again.")


class IdempotencyInFlight(Exception):
    """The key is being used by a request that has not finished (its answer is not stored yet)."""


def request_hash(payload: Any) -> str:
    """A stable hash of a request body (a JSON-able value; keys sorted)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(scope: str, key: str, digest: str) -> dict[str, Any] | None:
    record = IdempotencyRecord.objects.filter(scope=scope, key=key, expires_at__gt=timezone.now()).first()
    if record is None:
        return None
    if record.request_hash != digest:
        raise IdempotencyConflict
    if not record.response:
        raise IdempotencyInFlight
    return record.response


def idempotent(*, scope: str, key: str, digest: str, run: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """``run()``'s answer for this key, and whether it is a replay of an earlier request.

    Raises IdempotencyConflict when the key was used with another request (``digest`` differs).
    Whatever ``run`` raises propagates, and nothing is kept of it.
    """
    key = key[:MAX_KEY_LENGTH]
    stored = _stored(scope, key, digest)
    if stored is not None:
        return stored, True
    now = timezone.now()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.filter(scope=scope, key=key, expires_at__lte=now).delete()
            record = IdempotencyRecord.objects.create(
                scope=scope, key=key, request_hash=digest, response={}, expires_at=now + IDEMPOTENCY_TTL
            )
            response = run()
            record.response = response
            record.save(update_fields=["response"])
    except IntegrityError:
        # Another request with this key committed first (its claim made ours fail): answer with its result.
        stored = _stored(scope, key, digest)
        if stored is None:
            raise
        return stored, True
    return response, False


def idempotency_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete records past their time; return how many."""
    deleted, _by_model = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
