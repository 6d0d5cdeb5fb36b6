from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from binakarya.core.models import AuditEvent


def audit_record(*, actor: Any, action: str, obj: models.Model, organization: Any = None, **data: Any) -> AuditEvent:
    """Write an audit row inside the caller's transaction."""
    org = organization if organization is not None else getattr(obj, "organization", None)
    return AuditEvent.objects.create(
        organization=org,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def audit_records_write(
    *,
    writer: Any,
    actor_id: int | None,
    action: str,
    model: type[models.Model],
    events: Iterable[tuple[int | None, int, dict[str, Any]]],
) -> None:
    """Write one audit row per (organization id, object id, data) of ``model`` with ``writer`` (the bulk form)."""
    now = timezone.now()
    object_type = model._meta.label_lower
    writer.insert(
        AuditEvent,
        ("organization_id", "actor_id", "action", "object_type", "object_id", "data", "created_at"),
        [(org_id, actor_id, action, object_type, str(object_id), data, now) for org_id, object_id, data in events],
    )
