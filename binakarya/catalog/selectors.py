"""Reads of the catalog. Public selectors return only published rows and never touch makers."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from binakarya.catalog.models import Category, Photo, Producer, Product, Variant
from binakarya.catalog.search import query_terms
from binakarya.core.types import Actor
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES, scope

MAX_PAGE = 10_000
# A text search counts its matches up to this many. A broad word such as "batik" matches a large part
# of the catalog, and counting all of it would cost more than finding the page; past this the page
# says "more than 1.000" and offers as many pages as that.
SEARCH_COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class CatalogQuery:
    q: str = ""
    category: str = ""
    producer: str = ""
    region: str = ""
    price_min: int | None = None
    price_max: int | None = None


@dataclass(frozen=True)
class CatalogPage:
    items: list[Product]
    count: int
    page: int
    page_size: int
    # True when a search matched more than SEARCH_COUNT_LIMIT products and ``count`` is that limit.
    count_capped: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _published_products() -> QuerySet[Product]:
    return Product.objects.filter(is_published=True, producer__is_published=True, organization__is_active=True)


def _apply_search(qs: QuerySet[Product], text: str) -> QuerySet[Product]:
    terms = query_terms(text)
    if not terms:
        return qs.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # The stored, GIN-indexed vector (catalog/migrations/0006).
        return qs.filter(search_vector=SearchQuery(" ".join(terms), config="simple", search_type="plain"))
    for term in terms:
        qs = qs.filter(search_document__contains=f" {term} ")
    return qs


def product_search(*, query: CatalogQuery, page: int = 1, page_size: int = 24) -> CatalogPage:
    """One page of published products matching ``query``: two queries (count and rows).

    A text search's count stops at SEARCH_COUNT_LIMIT (``count_capped`` says so).
    """
    qs = _published_products()
    if query.q.strip():
        qs = _apply_search(qs, query.q)
    if query.category:
        qs = qs.filter(category__slug=query.category)
    if query.producer:
        qs = qs.filter(producer__slug=query.producer)
    if query.region:
        qs = qs.filter(Q(organization__regency__iexact=query.region) | Q(organization__province__iexact=query.region))
    if query.price_min is not None:
        qs = qs.filter(price_max_idr__gte=query.price_min)
    if query.price_max is not None:
        qs = qs.filter(price_min_idr__lte=query.price_max)
    page = min(max(1, page), MAX_PAGE)
    count_capped = False
    if query.q.strip():
        count = qs[: SEARCH_COUNT_LIMIT + 1].count()
        if count > SEARCH_COUNT_LIMIT:
            count, count_capped = SEARCH_COUNT_LIMIT, True
    else:
        count = qs.count()
    offset = (page - 1) * page_size
    items: list[Product] = []
    if count and offset < count:
        items = list(
            qs.select_related("producer", "producer__organization", "category")
            .only(
                "slug",
                "name",
                "price_min_idr",
                "price_max_idr",
                "in_stock",
                "made_to_order",
                "cover_thumbnail",
                "cover_thumbnail_small",
                "category__slug",
                "category__name",
                "category__name_en",
                "producer__slug",
                "producer__name",
                "producer__kind",
                "producer__organization__name",
                "producer__organization__regency",
            )
            .order_by("name", "id")[offset : offset + page_size]
        )
    return CatalogPage(items=items, count=count, page=page, page_size=page_size, count_capped=count_capped)


def product_get_public(*, slug: str) -> Product:
    """A published product with its producer, category, active variants and photos (three queries).

    Raises Product.DoesNotExist.
    """
    return (
        _published_products()
        .select_related("producer", "producer__group", "organization", "category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price_idr", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        )
        .get(slug=slug)
    )


def producer_get_public(*, slug: str) -> Producer:
    """Raises Producer.DoesNotExist."""
    return (
        Producer.objects.filter(is_published=True, organization__is_active=True)
        .select_related("organization", "group")
        .get(slug=slug)
    )


def producer_products_public(*, producer: Producer, limit: int = 48) -> list[Product]:
    return list(
        _published_products()
        .filter(producer=producer)
        .select_related("category", "producer", "producer__organization")
        .order_by("name", "id")[:limit]
    )


def producer_list_public() -> QuerySet[Producer]:
    """Published producers that have at least one published product."""
    has_products = _published_products().filter(producer=OuterRef("pk"))
    return (
        Producer.objects.filter(is_published=True, organization__is_active=True)
        .filter(Exists(has_products))
        .select_related("organization", "group")
        .order_by("name")
    )


def categories() -> QuerySet[Category]:
    """Every category in display order, as a queryset (a form field's choices)."""
    return Category.objects.order_by("position", "name")


def category_list() -> list[Category]:
    """Every category in display order."""
    return list(categories())


def category_get(*, slug: str) -> Category:
    """The category ``slug`` (reference data, e.g. what a split rule is for). Raises Category.DoesNotExist."""
    return Category.objects.get(slug=slug)


def region_list() -> list[str]:
    """Regencies of active facilities and producers, for the catalog's region filter."""
    return list(
        Organization.objects.filter(is_active=True, kind__in=[Organization.Kind.FACILITY, Organization.Kind.PRODUCER])
        .exclude(regency="")
        .order_by("regency")
        .values_list("regency", flat=True)
        .distinct()
    )


def related_products_public(*, product: Product, limit: int = 4) -> list[Product]:
    return list(
        _published_products()
        .filter(category_id=product.category_id)
        .exclude(pk=product.pk)
        .select_related("producer", "producer__organization", "category")
        .order_by("name", "id")[:limit]
    )


# Staff-side reads ------------------------------------------------------------------------------


def products_for_staff(
    *,
    user: Actor,
    organization: Organization | None = None,
    producer: Producer | None = None,
    q: str = "",
    published: bool | None = None,
) -> QuerySet[Product]:
    """Products of the organizations whose catalog ``user`` manages, by name.

    ``organization``, ``producer`` and ``published`` narrow the list; ``q`` keeps the products whose
    name or one of whose variants' SKU contains it (case-insensitive).
    """
    qs = scope(Product.objects.all(), user, roles=CATALOG_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if published is not None:
        qs = qs.filter(is_published=published)
    if producer is not None:
        qs = qs.filter(producer=producer)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(variants__sku__icontains=q)).distinct()
    return qs.select_related("producer", "category", "organization").order_by("name", "id")


def producers_for_staff(*, user: Actor) -> QuerySet[Producer]:
    """Producer profiles of the organizations whose catalog ``user`` manages, by name."""
    return (
        scope(Producer.objects.all(), user, roles=CATALOG_ROLES, oversight=False)
        .select_related("organization", "group")
        .order_by("name", "pk")
    )


def producer_for_staff(*, user: Actor, pk: int) -> Producer:
    """Raises Producer.DoesNotExist when missing or out of the user's scope."""
    return producers_for_staff(user=user).get(pk=pk)


def group_producer_for_staff(*, user: Actor, group: Group) -> Producer | None:
    """The public profile of ``group`` when it has one and ``user`` manages its catalog, else None."""
    return producers_for_staff(user=user).filter(group=group).first()


def product_for_staff(*, user: Actor, pk: int) -> Product:
    """A product with its variants (cheapest first) and photos (cover first) prefetched.

    Raises Product.DoesNotExist when missing or out of the user's scope.
    """
    return (
        products_for_staff(user=user)
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.order_by("price_idr", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        )
        .get(pk=pk)
    )


def product_variant(*, product: Product, pk: int) -> Variant:
    """The variant ``pk`` of ``product`` (itself from a scoped selector). Raises Variant.DoesNotExist."""
    return product.variants.get(pk=pk)


def product_photo(*, product: Product, pk: int) -> Photo:
    """The photo ``pk`` of ``product`` (itself from a scoped selector). Raises Photo.DoesNotExist."""
    return product.photos.get(pk=pk)


def producer_contact_phone(producer: Producer) -> str:
    """The number buyers should message: the producer's own, else its organization's."""
    return producer.phone or producer.organization.phone
