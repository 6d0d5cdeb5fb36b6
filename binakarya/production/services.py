"""Recording production lots: the batch, who made it, and the stock it adds."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.codes import random_code
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.inventory.models import Location, MovementKind
from binakarya.inventory.services import movements_post
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution, Lot

LOT_CODE_LENGTH = 7
MAX_QUANTITY = 1_000_000
MAX_MATERIAL_COST_IDR = 10**13


@dataclass(frozen=True)
class ContributionInput:
    maker_id: int
    share: int


def unit_cost(material_cost_idr: int, quantity_passed: int) -> int:
    """Material cost per unit that passed quality control, rounded half up to whole rupiah."""
    return (material_cost_idr * 2 + quantity_passed) // (quantity_passed * 2)


def _new_lot_code() -> str:
    for _attempt in range(20):
        code = random_code(LOT_CODE_LENGTH)
        if not Lot.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find a free lot code")


def _validate(
    *,
    organization: Organization,
    variant: Variant,
    group: Group | None,
    location: Location,
    quantity_produced: int,
    quantity_passed: int,
    material_cost_idr: int,
    started_date: datetime.date,
    finished_date: datetime.date,
    contributions: list[ContributionInput],
) -> dict[int, Maker]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    producer = variant.product.producer
    if variant.organization_id != organization.pk:
        add("sku", _("SKU %(sku)s belongs to another producer.") % {"sku": variant.sku})
    elif group is not None and producer.group_id != group.pk:
        add(
            "sku",
            _("SKU %(sku)s is made by %(producer)s, not by %(group)s.")
            % {"sku": variant.sku, "producer": producer.name, "group": group.name},
        )
    if group is None and organization.kind == "FACILITY":
        add("group", _("Choose the group that made this lot."))
    if location.organization_id != organization.pk or not location.is_active:
        add("location", _("Choose one of your own active locations."))
    elif location.kind == Location.Kind.TRANSIT:
        add("location", _("New stock goes into a store or showroom, not into transit."))
    if not 1 <= quantity_produced <= MAX_QUANTITY:
        add("quantity", _("The quantity produced must be between 1 and %(max)s.") % {"max": MAX_QUANTITY})
    if quantity_passed < 1:
        add("quantity_passed", _("At least one unit must pass quality control."))
    elif quantity_passed > quantity_produced:
        add("quantity_passed", _("More units cannot pass quality control than were produced."))
    if not 0 <= material_cost_idr <= MAX_MATERIAL_COST_IDR:
        add("material_cost_idr", _("Enter the material cost in whole rupiah, from Rp0."))
    if finished_date < started_date:
        add("finished_date", _("Production cannot finish before it started."))
    if finished_date > timezone.localdate():
        add("finished_date", _("Production cannot finish in the future."))
    if not contributions:
        add("contributions", _("Name at least one maker who made this lot."))

    maker_ids = [c.maker_id for c in contributions]
    if len(set(maker_ids)) != len(maker_ids):
        add("contributions", _("Each maker may appear only once; add their shares together."))
    makers = Maker.objects.in_bulk(maker_ids)
    members: set[int] = set()
    if group is not None:
        # A member on the production dates: joined by the end, and not gone before the start.
        members = set(
            GroupMembership.objects.filter(group=group, maker_id__in=maker_ids, joined_date__lte=finished_date)
            .filter(Q(left_date__isnull=True) | Q(left_date__gte=started_date))
            .values_list("maker_id", flat=True)
        )
    for c in contributions:
        maker = makers.get(c.maker_id)
        if c.share <= 0:
            add("contributions", _("Every share must be more than zero."))
        if maker is None or maker.organization_id != organization.pk:
            add("contributions", _("Maker #%(id)s is not one of your makers.") % {"id": c.maker_id})
        elif group is not None and maker.pk not in members:
            add(
                "contributions",
                _("%(name)s was not a member of %(group)s on the production dates.")
                % {"name": maker.full_name, "group": group.name},
            )
    if errors:
        raise ValidationError(errors)
    return makers


def require_producer(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` may record production for ``organization`` (lot_record's rule,
    which an interface may check first so that a user who may only look gets 403, not field errors)."""
    if actor is not None and not actor.has_perm("production.record", organization):
        raise PermissionDenied(_("You may not record production for %(org)s.") % {"org": organization.name})


@transaction.atomic
def lot_record(
    *,
    actor: Actor,
    variant: Variant,
    group: Group | None,
    location: Location,
    quantity_produced: int,
    quantity_passed: int,
    material_cost_idr: int,
    contributions: list[ContributionInput],
    started_date: datetime.date | None = None,
    finished_date: datetime.date | None = None,
    share_basis: str = Lot.ShareBasis.UNITS,
    notes: str = "",
) -> Lot:
    """Record a production lot, its contributors, and the units that passed QC as PRODUCED stock.

    Raises ValidationError (nothing saved) and PermissionDenied.
    """
    # The lot belongs to whoever made it: the group's facility, or the UMKM that holds the location.
    organization = group.organization if group is not None else location.organization
    require_producer(actor, organization)
    finished_date = finished_date or timezone.localdate()
    started_date = started_date or finished_date
    _validate(
        organization=organization,
        variant=variant,
        group=group,
        location=location,
        quantity_produced=quantity_produced,
        quantity_passed=quantity_passed,
        material_cost_idr=material_cost_idr,
        started_date=started_date,
        finished_date=finished_date,
        contributions=contributions,
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                lot = Lot.objects.create(
                    organization=organization,
                    code=_new_lot_code(),
                    variant=variant,
                    group=group,
                    instructor=user_of(actor),
                    quantity_produced=quantity_produced,
                    quantity_passed=quantity_passed,
                    material_cost_idr=material_cost_idr,
                    unit_cost_idr=unit_cost(material_cost_idr, quantity_passed),
                    share_basis=share_basis,
                    started_date=started_date,
                    finished_date=finished_date,
                    notes=notes,
                    recorded_by=user_of(actor),
                )
            break
        except IntegrityError:  # two recorders drew the same random code at once
            continue
    else:
        raise RuntimeError("could not store a lot code")
    Contribution.objects.bulk_create(
        Contribution(organization=organization, lot=lot, maker_id=c.maker_id, share=c.share) for c in contributions
    )
    movements_post(
        actor=actor,
        organization=organization,
        entries=[(lot, location, MovementKind.PRODUCED, quantity_passed, "")],
    )
    audit_record(actor=actor, action=AuditAction.LOT_RECORD, obj=lot, code=lot.code, quantity=quantity_passed)
    return lot


TAGS_PER_SHEET = 12
MAX_TAGS = 600


@transaction.atomic
def lot_tags_issue(*, actor: Actor, lot: Lot, count: int | None = None) -> Document:
    """Issue a sheet of hang tags for ``lot`` (one per unit that passed QC by default).

    Returns the Document; the PDF is rendered from it on demand. Raises ValidationError.
    """
    if actor is not None and not actor.has_perm("production.record", lot.organization):
        raise PermissionDenied(_("You may not print tags for %(org)s.") % {"org": lot.organization.name})
    count = lot.quantity_passed if count is None else count
    if not 1 <= count <= MAX_TAGS:
        raise ValidationError({"count": _("Print between 1 and %(max)s tags.") % {"max": MAX_TAGS}})
    number = numbers.number_next(organization=lot.organization, series=numbers.TAG_SHEET)
    product = lot.variant.product
    document = document_issue(
        actor=actor,
        organization=lot.organization,
        kind="TAG_SHEET",
        number=number,
        title=_("Hang tags for lot %(code)s") % {"code": lot.code},
        public_figures={
            "lot": lot.code,
            "product": product.name,
            "sku": lot.variant.sku,
            "price_idr": lot.variant.price_idr,
            "tags": count,
        },
    )
    audit_record(actor=actor, action=AuditAction.LOT_TAGS, obj=lot, document=document.pk, tags=count)
    return document
