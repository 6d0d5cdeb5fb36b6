from typing import Any

from django.db import models

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
