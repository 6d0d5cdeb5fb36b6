"""Writes for makers, groups and group membership. Actors must manage makers of the organization."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.phone import normalize_phone
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization

# Annotations only: catalog imports makers (a producer is a group), so makers never imports catalog.
if TYPE_CHECKING:
    from binakarya.catalog.models import Category

MAKER_FIELDS = (
    "full_name",
    "registration_number",
    "admission_date",
    "expected_release_date",
    "status",
    "public_story_consent",
    "consent_recorded_date",
    "pseudonym",
    "public_story",
    "phone",
)


def _require(actor: Actor, organization: Organization) -> None:
    if actor is not None and not actor.has_perm("makers.manage", organization):
        raise PermissionDenied(_("You may not manage the makers of %(org)s.") % {"org": organization.name})


def _validate_maker(organization: Organization, kind: str, data: dict[str, Any], *, exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not (data.get("full_name") or "").strip():
        errors["full_name"] = _("Enter the maker's full name.")
    reg = (data.get("registration_number") or "").strip()
    if kind == Maker.Kind.INMATE:
        if organization.kind != Organization.Kind.FACILITY:
            errors["kind"] = _("Only a correctional facility has inmates.")
        if not reg:
            errors["registration_number"] = _("An inmate needs a registration number.")
    elif organization.kind == Organization.Kind.FACILITY:
        errors["kind"] = _("A facility's makers are inmates.")
    same_number = Maker.objects.filter(organization=organization, registration_number=reg)
    if exclude_pk is not None:
        same_number = same_number.exclude(pk=exclude_pk)
    if reg and same_number.exists():
        errors["registration_number"] = _("Another maker already has this registration number.")
    admission, release = data.get("admission_date"), data.get("expected_release_date")
    if admission and release and release < admission:
        errors["expected_release_date"] = _("The expected release date cannot be before admission.")
    if data.get("public_story_consent") and not (data.get("pseudonym") or "").strip():
        errors["pseudonym"] = _("A public story needs a first name or pseudonym to show instead of the full name.")
    if data.get("phone"):
        try:
            data["phone"] = normalize_phone(data["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def maker_create(*, actor: Actor, organization: Organization, kind: str, full_name: str, **fields: Any) -> Maker:
    """Register an inmate of a facility or an artisan of an UMKM. Raises ValidationError, PermissionDenied."""
    _require(actor, organization)
    unknown = set(fields) - set(MAKER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown maker fields: {sorted(unknown)}")
    data = {"full_name": full_name.strip(), **fields}
    _validate_maker(organization, kind, data, exclude_pk=None)
    if data.get("public_story_consent") and not data.get("consent_recorded_date"):
        data["consent_recorded_date"] = datetime.date.today()
    maker = Maker.objects.create(organization=organization, kind=kind, **data)
    audit_record(actor=actor, action=AuditAction.MAKER_CREATE, obj=maker)
    return maker


@transaction.atomic
def maker_update(*, actor: Actor, maker: Maker, **fields: Any) -> Maker:
    """Raises ValidationError, PermissionDenied."""
    _require(actor, maker.organization)
    unknown = set(fields) - set(MAKER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown maker fields: {sorted(unknown)}")
    data = {f: getattr(maker, f) for f in MAKER_FIELDS} | fields
    _validate_maker(maker.organization, maker.kind, data, exclude_pk=maker.pk)
    if data.get("public_story_consent") and not maker.public_story_consent and not fields.get("consent_recorded_date"):
        data["consent_recorded_date"] = datetime.date.today()
    for key in MAKER_FIELDS:
        setattr(maker, key, data[key])
    maker.save()
    audit_record(actor=actor, action=AuditAction.MAKER_UPDATE, obj=maker, fields=sorted(fields))
    return maker


@transaction.atomic
def group_create(
    *, actor: Actor, organization: Organization, name: str, crafts: list[Category] | None = None, public_story: str = ""
) -> Group:
    """Create a facility's creative group. Raises ValidationError, PermissionDenied."""
    _require(actor, organization)
    if organization.kind != Organization.Kind.FACILITY:
        raise ValidationError({"organization": _("Only a correctional facility has groups.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the group a name.")})
    if Group.objects.filter(organization=organization, name=name.strip()).exists():
        raise ValidationError({"name": _("This facility already has a group with that name.")})
    group = Group.objects.create(
        organization=organization,
        name=name.strip(),
        slug=unique_slug(Group, f"{name} {organization.regency or organization.name}"),
        public_story=public_story,
    )
    if crafts:
        group.crafts.set(crafts)
    audit_record(actor=actor, action=AuditAction.GROUP_CREATE, obj=group)
    return group


@transaction.atomic
def group_member_add(*, actor: Actor, group: Group, maker: Maker, joined_date: datetime.date) -> GroupMembership:
    """Add ``maker`` to ``group`` from ``joined_date``. Raises ValidationError, PermissionDenied."""
    _require(actor, group.organization)
    if maker.organization_id != group.organization_id:
        raise ValidationError({"maker": _("This maker belongs to another organization.")})
    if maker.status != Maker.Status.ACTIVE:
        raise ValidationError({"maker": _("Only an active maker can join a group.")})
    if maker.admission_date and joined_date < maker.admission_date:
        raise ValidationError({"joined_date": _("A maker cannot join a group before admission.")})
    overlapping = GroupMembership.objects.filter(group=group, maker=maker, left_date__isnull=True).exists()
    overlapping = (
        overlapping or GroupMembership.objects.filter(group=group, maker=maker, left_date__gte=joined_date).exists()
    )
    if overlapping:
        raise ValidationError({"maker": _("This maker is already a member of the group on that date.")})
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(
                organization=group.organization, group=group, maker=maker, joined_date=joined_date
            )
    except IntegrityError as exc:
        raise ValidationError({"maker": _("This maker is already a member of the group.")}) from exc
    audit_record(actor=actor, action=AuditAction.GROUP_MEMBER_ADD, obj=membership, maker=maker.pk)
    return membership


@transaction.atomic
def group_member_leave(*, actor: Actor, membership: GroupMembership, left_date: datetime.date) -> GroupMembership:
    """Close a membership on ``left_date``. Raises ValidationError, PermissionDenied."""
    _require(actor, membership.organization)
    if membership.left_date is not None:
        raise ValidationError({"left_date": _("This maker has already left the group.")})
    if left_date < membership.joined_date:
        raise ValidationError({"left_date": _("The leaving date cannot be before the joining date.")})
    membership.left_date = left_date
    membership.save(update_fields=["left_date", "updated_at"])
    audit_record(actor=actor, action=AuditAction.GROUP_MEMBER_LEAVE, obj=membership, maker=membership.maker_id)
    return membership
