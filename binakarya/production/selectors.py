"""Reads of production lots. The public lot view carries no maker data at all."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from binakarya.catalog.models import Variant
from binakarya.catalog.selectors import product_is_public
from binakarya.core.codes import normalize_code
from binakarya.core.types import Actor
from binakarya.documents.models import Document
from binakarya.inventory.models import Location
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_ROLES, PRODUCTION_ROLES, scope
from binakarya.production.models import Contribution, Lot


def lots_for(
    *, user: Actor, organization: Organization | None = None, group: Group | None = None, q: str = ""
) -> QuerySet[Lot]:
    """Lots ``user`` may see, newest first; only of ``organization`` or ``group`` when given, and with ``q``
    only those whose code is ``q`` (read forgivingly) or whose product name or SKU contains it."""
    qs = scope(Lot.objects.all(), user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if group is not None:
        qs = qs.filter(group=group)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(code=normalize_code(q)) | Q(variant__product__name__icontains=q) | Q(variant__sku__icontains=q)
        )
    return qs.select_related("variant__product", "group", "organization").order_by("-finished_date", "-id")


def lots_with_on_hand_for(
    *, user: Actor, organization: Organization | None = None, group: Group | None = None, q: str = ""
) -> QuerySet[Lot]:
    """:func:`lots_for`, each lot with ``on_hand``: its units at its locations, those in transit excluded
    (None when it has no balance at all)."""
    return lots_for(user=user, organization=organization, group=group, q=q).annotate(
        on_hand=Sum("balances__quantity", filter=~Q(balances__location__kind=Location.Kind.TRANSIT))
    )


def lot_for(*, user: Actor, code: str) -> Lot:
    """Raises Lot.DoesNotExist when unknown or outside the user's scope."""
    return lots_for(user=user).get(code=normalize_code(code))


def lots_by_code(*, user: Actor, codes: Iterable[str]) -> dict[str, Lot]:
    """The lots of ``codes`` (read forgivingly) that ``user`` may see, by their code; an unknown code or
    one outside the user's scope is missing alike. One query."""
    wanted = {normalize_code(code) for code in codes}
    if not wanted:
        return {}
    return {lot.code: lot for lot in lots_for(user=user).filter(code__in=wanted)}


def lot_contributions_for(*, user: Actor, lot: Lot) -> QuerySet[Contribution]:
    """Who made the lot: for the facility's own staff only (makers' personal data)."""
    return (
        scope(Contribution.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .filter(lot=lot)
        .select_related("maker")
        .order_by("maker__full_name")
    )


def lot_groups_for(*, user: Actor) -> QuerySet[Group]:
    """Active groups whose lots ``user`` may record (the facility's production staff and instructors)."""
    return (
        scope(Group.objects.filter(is_active=True), user, roles=PRODUCTION_ROLES, oversight=False)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def lot_variants_for(
    *, user: Actor, organization: Organization | None = None, group: Group | None = None
) -> QuerySet[Variant]:
    """Active variants ``user`` may record lots of; with ``group``, only its producer profile's SKUs,
    with ``organization`` and no group, only the organization's own (UMKM) profile's SKUs."""
    qs = scope(Variant.objects.filter(is_active=True), user, roles=PRODUCTION_ROLES, oversight=False)
    if group is not None:
        qs = qs.filter(product__producer__group=group)
    elif organization is not None:
        qs = qs.filter(organization=organization, product__producer__group__isnull=True)
    return qs.select_related("product").order_by("product__name", "sku")


def lot_contributor_choices(
    *,
    user: Actor,
    organization: Organization,
    group: Group | None,
    started_date: datetime.date,
    finished_date: datetime.date,
) -> QuerySet[Maker]:
    """Makers who may be named on a lot: the group's members on the production dates (the rule that
    ``lot_record`` applies), or, without a group, the organization's active makers (UMKM artisans)."""
    qs = scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False).filter(organization=organization)
    if group is None:
        return qs.filter(status=Maker.Status.ACTIVE).order_by("full_name", "id")
    members = (
        GroupMembership.objects.filter(group=group, joined_date__lte=finished_date)
        .filter(Q(left_date__isnull=True) | Q(left_date__gte=started_date))
        .values("maker_id")
    )
    return qs.filter(pk__in=members).order_by("full_name", "id")


def lot_tag_sheets_for(*, user: Actor, lot: Lot) -> QuerySet[Document]:
    """The hang-tag sheets issued for ``lot``, newest first (the sheet's figures name the lot)."""
    return (
        scope(Document.objects.all(), user)
        .filter(organization_id=lot.organization_id, kind=Document.Kind.TAG_SHEET, public_figures__lot=lot.code)
        .order_by("-issued_at", "-id")
    )


@dataclass(frozen=True)
class PublicLot:
    """What a QR code on a hang tag may reveal: the product, the group and facility, month, materials."""

    code: str
    product_name: str
    product_slug: str
    product_published: bool
    materials: str
    technique: str
    produced_month: datetime.date  # the first day of the month the lot was finished
    group_name: str
    group_story: str
    producer_name: str
    producer_slug: str
    organization_name: str
    region: str
    facility: bool


def lot_get_public(*, code: str) -> PublicLot:
    """Raises Lot.DoesNotExist."""
    lot = Lot.objects.select_related(
        "variant__product__producer",
        "variant__product__category",
        "variant__product__organization",
        "group",
        "organization",
    ).get(code=normalize_code(code))
    product = lot.variant.product
    producer = product.producer
    return PublicLot(
        code=lot.code,
        product_name=product.name,
        product_slug=product.slug,
        product_published=product_is_public(product=product),
        materials=product.materials,
        technique=product.technique,
        produced_month=lot.finished_date.replace(day=1),
        group_name=lot.group.name if lot.group else "",
        group_story=(lot.group.public_story if lot.group else "") or producer.story,
        producer_name=producer.name,
        producer_slug=producer.slug,
        organization_name=lot.organization.name,
        region=lot.organization.region,
        facility=lot.group_id is not None,
    )
