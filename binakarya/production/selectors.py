"""Reads of production lots. The public lot view carries no maker data at all."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from binakarya.core.codes import normalize_code
from binakarya.organizations.scoping import MAKER_ROLES, scope
from binakarya.production.models import Contribution, Lot


def lots_for(*, user: Any, organization: Any = None) -> QuerySet[Lot]:
    qs = scope(Lot.objects.all(), user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("variant__product", "group", "organization").order_by("-finished_date", "-id")


def lot_for(*, user: Any, code: str) -> Lot:
    """Raises Lot.DoesNotExist when unknown or outside the user's scope."""
    return lots_for(user=user).get(code=normalize_code(code))


def lot_contributions_for(*, user: Any, lot: Lot) -> QuerySet[Contribution]:
    """Who made the lot: for the facility's own staff only (makers' personal data)."""
    return (
        scope(Contribution.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .filter(lot=lot)
        .select_related("maker")
        .order_by("maker__full_name")
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
    produced_month: Any
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
        "variant__product__producer", "variant__product__category", "group", "organization"
    ).get(code=normalize_code(code))
    product = lot.variant.product
    producer = product.producer
    return PublicLot(
        code=lot.code,
        product_name=product.name,
        product_slug=product.slug,
        product_published=product.is_published and producer.is_published,
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
