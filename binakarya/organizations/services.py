"""Writes for organizations and memberships."""

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.phone import normalize_phone
from binakarya.core.types import Actor
from binakarya.organizations.models import Membership, Organization


def organization_code_suggest(*, name: str) -> str:
    """A free short code from the initials of ``name``'s words, e.g. "Batik Raung Tamanan" -> "BRT"."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in {"kelas", "dan", "the"}]
    base = ("".join(w[0] for w in words[:4]) or "ORG").upper()
    candidate, n = base, 1
    while Organization.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{base[:6]}{n}"
    return candidate


@transaction.atomic
def organization_upsert(*, actor: Actor, slug: str, **fields: Any) -> tuple[Organization, bool]:
    """Create the organization ``slug`` or leave an existing one as it is. Returns (row, created)."""
    if "phone" in fields:
        fields["phone"] = normalize_phone(fields["phone"])
    if not fields.get("code"):
        fields["code"] = organization_code_suggest(name=fields.get("name") or slug)
    org, created = Organization.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        audit_record(actor=actor, action=AuditAction.ORGANIZATION_CREATE, obj=org, organization=org)
    return org, created


@transaction.atomic
def membership_grant(*, actor: Actor, user: User, organization: Organization, role: str) -> Membership:
    """Give ``user`` ``role`` in ``organization`` (idempotent)."""
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if created:
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_GRANT, obj=membership, organization=organization, role=role
        )
    return membership


@transaction.atomic
def user_ensure(
    *, username: str, password: str = "", password_hash: str = "", full_name: str = "", email: str = "", **flags: Any
) -> tuple[User, bool]:
    """Create a user with ``password`` (or an already hashed ``password_hash``) unless ``username`` exists.

    Returns (user, created).
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    first, _, last = full_name.partition(" ")
    user = User(
        username=username, email=email or f"{username}@binakarya.local", first_name=first, last_name=last, **flags
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    return user, True
