"""Reads of uniform size lists: the lists a seller's sales staff see (scoped like every deal), a product's sizes,
the totals per variant, and the people a packing list prints. Never a maker: a size list names the buyer's
own staff and the product's variants only."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from binakarya.catalog.models import Product, Variant
from binakarya.catalog.selectors import orderable_variants
from binakarya.core.types import Actor
from binakarya.deals.models import Quotation, Rfq, SizeList, SizeListRow
from binakarya.deals.selectors import DEAL_ROLES, deal_organizations_for
from binakarya.deals.size_sheets import PackPerson, size_key
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import scope


def size_lists_for(*, user: Actor) -> QuerySet[SizeList]:
    return (
        scope(SizeList.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .select_related("organization", "product", "rfq", "packing_document")
        .order_by("-created_at", "-pk")
    )


def size_list_get(*, user: Actor, pk: int) -> SizeList:
    """Raises SizeList.DoesNotExist, also outside the user's scope."""
    return size_lists_for(user=user).get(pk=pk)


def rfq_size_lists(*, user: Actor, rfq: Rfq, current: bool = True) -> list[SizeList]:
    """The request's size lists (only the current ones by default: one per product)."""
    qs = size_lists_for(user=user).filter(rfq=rfq)
    if current:
        qs = qs.filter(status=SizeList.Status.CURRENT)
    return list(qs)


def quotation_size_lists(*, user: Actor, quotation: Quotation) -> list[SizeList]:
    return list(size_lists_for(user=user).filter(quotations=quotation))


def size_lists_by_ids(*, user: Actor, ids: Iterable[int]) -> list[SizeList]:
    return list(size_lists_for(user=user).filter(pk__in=sorted(set(ids))))


# Sizes ------------------------------------------------------------------------------------------------


def size_label(variant: Variant) -> str:
    """How a size is written on the list: the variant's name (M, XL), or its SKU when it has none."""
    return variant.name.strip() or variant.sku


def product_sizes(*, product: Product) -> list[Variant]:
    """The product's active variants, in the catalog's order (price, then id)."""
    return list(Variant.objects.filter(product=product, is_active=True).order_by("price_idr", "pk"))


@dataclass(frozen=True)
class SizeLookup:
    """Accepted size texts (``size_key`` of a name or SKU) -> variant id; the labels to name in messages;
    (label, SKU) pairs in order for the template and the totals."""

    keys: dict[str, int]
    labels: list[str]
    pairs: list[tuple[str, str]]


def size_lookup(*, variants: list[Variant]) -> SizeLookup:
    """A name two variants share (two colours both "L") is not accepted; their SKUs are, and are listed."""
    names: dict[str, list[Variant]] = {}
    for variant in variants:
        if variant.name.strip():
            names.setdefault(size_key(variant.name), []).append(variant)
    keys: dict[str, int] = {size_key(v.sku): v.pk for v in variants}
    pairs = []
    for variant in variants:
        unique = bool(variant.name.strip()) and len(names[size_key(variant.name)]) == 1
        if unique:
            keys[size_key(variant.name)] = variant.pk
        pairs.append((variant.name.strip() if unique else variant.sku, variant.sku))
    return SizeLookup(keys=keys, labels=[label for label, _sku in pairs], pairs=pairs)


def public_garments(*, skus: Iterable[str] = (), organization_id: int | None = None, limit: int = 50) -> list[Variant]:
    """Published garments (products with several active variants: sizes) for the public request form: the ones
    ``skus`` name, or ``organization_id``'s. Each as its first active variant (product and seller loaded), by
    name; its SKU names the template. Not scoped: only what the public catalog shows."""
    named = Variant.objects.filter(is_active=True)
    if organization_id is not None:
        named = named.filter(organization_id=organization_id)
    else:
        wanted = sorted({sku.strip() for sku in skus if sku.strip()})
        if not wanted:
            return []
        named = named.filter(sku__in=wanted)
    several = (
        Variant.objects.filter(is_active=True, product_id__in=named.values("product_id"))
        .values("product_id")
        .annotate(count=Count("pk"))
        .filter(count__gte=2)
        .values("product_id")
    )
    first: dict[int, str] = {}
    for product_id, sku in (
        Variant.objects.filter(is_active=True, product_id__in=several)
        .order_by("product_id", "price_idr", "pk")
        .values_list("product_id", "sku")
    ):
        first.setdefault(product_id, sku)
    shown = orderable_variants(skus=first.values())  # the catalog's own rule of what the public sees
    return sorted(shown.values(), key=lambda v: (v.product.name, v.product_id))[:limit]


def size_products_for(*, user: Actor, organization: Organization, first: Iterable[int] = ()) -> list[Product]:
    """The seller's products with an active variant, for choosing which garment a list is for; ``first`` (ids
    of the request's products) come first. Only a seller the user quotes for."""
    if not deal_organizations_for(user=user).filter(pk=organization.pk).exists():
        return []
    products = list(
        Product.objects.filter(organization=organization, variants__is_active=True).distinct().order_by("name", "pk")
    )
    wanted = set(first)
    return sorted(products, key=lambda p: p.pk not in wanted)


def size_product_for(*, user: Actor, organization: Organization, product_id: int) -> Product:
    """Raises Product.DoesNotExist unless the product is one of the seller's, with an active variant."""
    for product in size_products_for(user=user, organization=organization):
        if product.pk == product_id:
            return product
    raise Product.DoesNotExist


def size_product_by_sku(*, user: Actor, sku: str, organization: Organization | None = None) -> Product:
    """The product of an active ``sku`` of a seller the user quotes for (of ``organization`` when given).
    Raises Product.DoesNotExist."""
    qs = Product.objects.select_related("organization").filter(
        organization__in=deal_organizations_for(user=user).values("pk"),
        variants__sku=sku.strip(),
        variants__is_active=True,
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.distinct().get()


def template_product(*, user: Actor, sku: str) -> Product:
    """The product of ``sku`` for a template: a published one for anyone, any of the sellers the user quotes for.
    Raises Product.DoesNotExist."""
    visible = Q(is_published=True) | Q(organization__in=deal_organizations_for(user=user).values("pk"))
    return (
        Product.objects.select_related("organization")
        .filter(visible, variants__sku=sku.strip(), variants__is_active=True)
        .distinct()
        .get()
    )


# Totals and people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantTotal:
    variant: Variant
    label: str
    persons: int
    quantity: int


def size_list_totals(*, size_list: SizeList) -> list[VariantTotal]:
    """Pieces and persons per variant, in the product's size order (sizes nobody wears are left out)."""
    counted = {
        row["variant"]: row
        for row in SizeListRow.objects.filter(size_list=size_list)
        .values("variant")
        .annotate(persons=Count("pk"), quantity=Sum("quantity"))
    }
    variants = Variant.objects.filter(pk__in=sorted(counted)).order_by("price_idr", "pk")
    lookup = size_lookup(variants=product_sizes(product=size_list.product))
    labels = {sku: label for label, sku in lookup.pairs}
    return [
        VariantTotal(v, labels.get(v.sku, size_label(v)), counted[v.pk]["persons"], counted[v.pk]["quantity"])
        for v in variants
    ]


def size_lists_totals(*, size_lists: Iterable[SizeList]) -> dict[int, tuple[Variant, int]]:
    """Variant id -> (variant, pieces) over several lists (the quantities a quotation must cover)."""
    totals: dict[int, tuple[Variant, int]] = {}
    for size_list in size_lists:
        for total in size_list_totals(size_list=size_list):
            before = totals.get(total.variant.pk, (total.variant, 0))[1]
            totals[total.variant.pk] = (total.variant, before + total.quantity)
    return totals


def size_list_rows(*, size_list: SizeList) -> list[SizeListRow]:
    return list(size_list.rows.select_related("variant").order_by("row_number", "pk"))


def packing_people(*, size_list: SizeList) -> tuple[list[PackPerson], list[tuple[str, str]]]:
    """The people of a list as the packing list prints them, and the product's (size label, SKU) order."""
    lookup = size_lookup(variants=product_sizes(product=size_list.product))
    labels = {sku: label for label, sku in lookup.pairs}
    people = [
        PackPerson(
            name=row.name,
            nip=row.nip,
            unit=row.unit,
            size=labels.get(row.variant.sku, size_label(row.variant)),
            sku=row.variant.sku,
            quantity=row.quantity,
            note=row.note,
        )
        for row in size_list_rows(size_list=size_list)
    ]
    return people, lookup.pairs
