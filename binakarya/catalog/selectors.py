"""Reads of the catalog. Public selectors return only published rows and never touch makers."""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from binakarya.catalog.models import READY_TO_SELL, Category, Photo, ProcurementListing, Producer, Product, Variant
from binakarya.catalog.search import MAX_QUERY_TERMS, closest_word, correctable, query_terms, vocabulary_words, words
from binakarya.core.types import Actor
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES, scope

MAX_PAGE = 10_000
# A text search counts its matches up to this many. A broad word such as "batik" matches a large part
# of the catalog, and counting all of it would cost more than finding the page; past this the page
# says "more than 1.000" and offers as many pages as that.
SEARCH_COUNT_LIMIT = 1_000
# Typo suggestions on PostgreSQL (pg_trgm, catalog/migrations/0009): product names with a word at least
# this word-similar to the unknown word are the candidates ("batk" in "Kain Batik Tulis": 0.6,
# "rajtan" in "Boneka Rajutan": 0.5), and their word most similar to it (at least
# TRIGRAM_MIN_SIMILARITY, pg_trgm's own default) is the suggestion.
TRIGRAM_WORD_THRESHOLD = 0.4
TRIGRAM_MIN_SIMILARITY = 0.3
TRIGRAM_CANDIDATES = 20
# The SQLite fallback's vocabulary is cached this long (and rebuilt at once when products change).
VOCABULARY_CACHE_SECONDS = 600


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
    # Set when the query as typed matched nothing and these are the results of this corrected query.
    suggestion: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class ReadinessItem:
    code: str  # PUBLISHED, PRODUCER_PUBLISHED, PRICE, PHOTO or DESCRIPTION
    done: bool
    # A required item keeps the product out of the public catalog until it is done; the others are advice.
    required: bool


@dataclass(frozen=True)
class ProductReadiness:
    items: list[ReadinessItem]

    @property
    def is_public(self) -> bool:
        return all(item.done for item in self.items if item.required)

    @property
    def missing(self) -> list[ReadinessItem]:
        return [item for item in self.items if not item.done]


def product_readiness(*, product: Product) -> ProductReadiness:
    """What ``product`` has and lacks before buyers see it (the staff page's checklist). Reads no database
    beyond ``product.producer`` (loaded by the staff selectors).

    The required items are exactly READY_TO_SELL and the published flags of ``_published_products``.
    """
    return ProductReadiness(
        items=[
            ReadinessItem("PRICE", done=product.price_min_idr > 0, required=True),
            ReadinessItem("PHOTO", done=bool(product.cover_thumbnail), required=True),
            ReadinessItem("PUBLISHED", done=product.is_published, required=True),
            ReadinessItem("PRODUCER_PUBLISHED", done=product.producer.is_published, required=True),
            ReadinessItem("DESCRIPTION", done=bool(product.description.strip()), required=False),
        ]
    )


def product_is_public(*, product: Product) -> bool:
    """Whether buyers can see ``product`` (its producer loaded), as ``_published_products`` decides."""
    return product_readiness(product=product).is_public and product.organization.is_active


def orderable_variants(*, skus: Iterable[str], organization_id: int | None = None) -> dict[str, Variant]:
    """Active variants by SKU that a buyer may order: of a public product, or (``organization_id``, for
    staff taking an order) any of that organization's active variants. Product, producer and organization loaded."""
    variants = Variant.objects.select_related("product", "product__producer", "organization").filter(
        sku__in=sorted(set(skus)), is_active=True
    )
    if organization_id is None:
        variants = variants.filter(product__in=_published_products())
    else:
        variants = variants.filter(organization_id=organization_id)
    return {v.sku: v for v in variants}


def _published_products() -> QuerySet[Product]:
    return Product.objects.filter(
        READY_TO_SELL, is_published=True, producer__is_published=True, organization__is_active=True
    )


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


def product_search(*, query: CatalogQuery, page: int = 1, page_size: int = 24, suggest: bool = False) -> CatalogPage:
    """One page of published products matching ``query``: two queries (count and rows).

    A text search's count stops at SEARCH_COUNT_LIMIT (``count_capped`` says so). With ``suggest``,
    a text search that finds nothing tries again with its typos corrected (:func:`search_suggestion`);
    when that finds products, they are the page and ``suggestion`` is the corrected text.
    """
    result = _product_page(query=query, page=page, page_size=page_size)
    if suggest and result.count == 0 and query.q.strip():
        corrected = search_suggestion(query.q)
        if corrected:
            retry = _product_page(query=replace(query, q=corrected), page=page, page_size=page_size)
            if retry.count:
                return replace(retry, suggestion=corrected)
    return result


def _product_page(*, query: CatalogQuery, page: int, page_size: int) -> CatalogPage:
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
                "name_en",
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


def search_suggestion(text: str) -> str:
    """``text`` with each word that matches no public product replaced by the closest catalog word.

    "" when no word was replaced. The words come from the names of public products and from the
    categories, never from makers. PostgreSQL finds them by trigram similarity (pg_trgm, with a
    trigram index on the product name); SQLite compares with a cached vocabulary (difflib), which
    is good enough for a small catalog. About two queries per unknown word, on a search that found
    nothing.
    """
    corrected: list[str] = []
    changed = False
    for word in words(text)[:MAX_QUERY_TERMS]:
        replacement = ""
        if correctable(word) and not _apply_search(_published_products(), word).exists():
            replacement = _closest_word(word)
        corrected.append(replacement or word)
        changed = changed or bool(replacement and replacement != word)
    return " ".join(corrected) if changed else ""


def _category_words() -> set[str]:
    return vocabulary_words(name for pair in Category.objects.values_list("name", "name_en") for name in pair)


def _closest_word(word: str) -> str:
    if connection.vendor == "postgresql":
        return _closest_word_trigram(word)
    return closest_word(word, _vocabulary())


def _closest_word_trigram(word: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only: the %> operator (word similarity, served by the trigram index)
        # takes its threshold from this setting.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(TRIGRAM_WORD_THRESHOLD)]
        )
        names = list(
            _published_products()
            .filter(name__trigram_word_similar=word)
            .order_by()
            .values_list("name", flat=True)[:TRIGRAM_CANDIDATES]
        )
        candidates = sorted(vocabulary_words(names) | _category_words())
        if not candidates:
            return ""
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE similarity(w, %s) >= %s "
            "ORDER BY similarity(w, %s) DESC, w LIMIT 1",
            [candidates, word, TRIGRAM_MIN_SIMILARITY, word],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _vocabulary() -> list[str]:
    """The words of public product names and of the categories, cached; a change to the products renews it."""
    stamp = _published_products().aggregate(count=Count("id"), changed=Max("updated_at"))
    key = f"catalog:vocabulary:v1:{stamp['count']}:{stamp['changed'].isoformat() if stamp['changed'] else '-'}"
    vocabulary: list[str] | None = cache.get(key)
    if vocabulary is None:
        vocabulary = sorted(
            vocabulary_words(_published_products().order_by().values_list("name", flat=True).iterator())
            | _category_words()
        )
        cache.set(key, vocabulary, VOCABULARY_CACHE_SECONDS)
    return vocabulary


def product_get_public(*, slug: str) -> Product:
    """A published product with its producer, category, export data, active variants and photos (three queries).

    Raises Product.DoesNotExist.
    """
    return (
        _published_products()
        .select_related("producer", "producer__group", "organization", "category", "export_profile")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price_idr", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        )
        .get(slug=slug)
    )


def products_public_of_seller(*, organization_id: int) -> list[Product]:
    """The published products of one seller (organization), with producer, category, active variants and photos, by
    name then id (three queries). What a channel's product feed lists (binakarya.feeds)."""
    return list(
        _published_products()
        .filter(organization_id=organization_id)
        .select_related("producer", "category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price_idr", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        )
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class PublishedCounts:
    """How many of an organization's products buyers see, and how many of those have e-Katalog listing data
    (a ``ProcurementListing``: the data an upload to e-Katalog or Bela Pengadaan needs, not proof of a live
    listing there)."""

    published: int
    with_listing: int


def published_counts_by_organization(*, organization_ids: Iterable[int]) -> dict[int, PublishedCounts]:
    """Per organization of ``organization_ids`` (which the caller took from a scoped selector), its public
    products (as the public catalog shows them) and those with e-Katalog listing data. One query; an
    organization without public products is missing."""
    rows = (
        _published_products()
        .filter(organization_id__in=sorted(set(organization_ids)))
        .values("organization_id")
        .annotate(published=Count("pk"), with_listing=Count("pk", filter=Q(procurement_listing__isnull=False)))
        .order_by()
    )
    return {
        row["organization_id"]: PublishedCounts(published=row["published"], with_listing=row["with_listing"])
        for row in rows
    }


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


def product_skus(*, product: Product) -> list[str]:
    """The SKUs of ``product`` (itself from a scoped selector), cheapest variant first."""
    return list(product.variants.order_by("price_idr", "id").values_list("sku", flat=True))


def product_photo(*, product: Product, pk: int) -> Photo:
    """The photo ``pk`` of ``product`` (itself from a scoped selector). Raises Photo.DoesNotExist."""
    return product.photos.get(pk=pk)


def producer_contact_phone(producer: Producer) -> str:
    """The number buyers should message: the producer's own, else its organization's."""
    return producer.phone or producer.organization.phone


# e-Katalog / Bela Pengadaan listing pack (issue 13) ------------------------------------------------


def _with_listing(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("procurement_listing").prefetch_related(
        Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price_idr", "id")),
        Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
    )


def listing_product_for_staff(*, user: Actor, slug: str = "", pk: int | None = None) -> Product:
    """A product (by slug or pk) of an organization whose catalog ``user`` manages, with its listing (or none),
    active variants (cheapest first) and photos prefetched. Raises Product.DoesNotExist when missing or out
    of scope."""
    qs = _with_listing(products_for_staff(user=user))
    return qs.get(pk=pk) if pk is not None else qs.get(slug=slug)


def listing_products_for_staff(*, user: Actor, organization: Organization) -> list[Product]:
    """Every product of ``organization`` (which ``user`` must manage the catalog of), by name, with its listing,
    active variants and photos: the rows of the seller's XLSX."""
    return list(_with_listing(products_for_staff(user=user, organization=organization)))


def product_listing(product: Product) -> ProcurementListing | None:
    """The e-Katalog listing of ``product`` (itself from a scoped selector), or None when none was filled."""
    try:
        return product.procurement_listing
    except ProcurementListing.DoesNotExist:
        return None


def listing_photos(product: Product, listing: ProcurementListing | None) -> list[Photo]:
    """The photos the listing uses, in its order; all the product's photos when it chose none."""
    photos = list(product.photos.all())
    chosen = list(listing.photo_ids) if listing is not None else []
    if not chosen:
        return photos
    by_pk = {photo.pk: photo for photo in photos}
    return [by_pk[pk] for pk in chosen if pk in by_pk]
