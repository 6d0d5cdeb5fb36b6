"""Writes to the catalog: producers, products, variants and photos.

Each service is one transaction. When an ``actor`` is given, it must manage the catalog of the
organization concerned (``catalog.manage``); ``actor=None`` is for trusted system callers such as
the demo loader and data generators.
"""

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.derived import DERIVED_FIELDS, product_derived
from binakarya.catalog.images import ProcessedImage, process_photo, small_rendition
from binakarya.catalog.locks import product_lock
from binakarya.catalog.models import Category, Photo, ProcurementListing, Producer, Product, Variant
from binakarya.catalog.signals import catalog_changed_send, product_recategorized
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.phone import normalize_phone
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization

SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{1,39}$")
# A generated SKU or product slug that another transaction took meanwhile is tried again with the next
# number, this many times.
CREATE_ATTEMPTS = 5
PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "story",
    "materials",
    "technique",
    "certifications",
    "hs_code",
    "made_to_order",
    "lead_time_days",
    "moq",
    "deposit_percent",
    "is_published",
)
# stock_quantity is not editable: it follows the stock balances (inventory.services.variant_stock_refresh).
VARIANT_FIELDS = (
    "name",
    "price_idr",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "is_active",
)


@dataclass
class VariantInput:
    sku: str  # "" for a SKU generated from the organization and the category (product_create only)
    price_idr: int
    name: str = ""
    weight_grams: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    is_active: bool = True


def _require_manager(actor: Actor, organization: Organization) -> None:
    if actor is not None and not actor.has_perm("catalog.manage", organization):
        raise PermissionDenied(_("You may not change the catalog of %(org)s.") % {"org": organization.name})


def _clean_sku(sku: str) -> str:
    value = (sku or "").strip().upper()
    if not SKU_RE.match(value):
        raise ValidationError(
            {"sku": _("A SKU has 2 to 40 capital letters, digits or dashes, e.g. SMP-BTK-001.")}, code="sku"
        )
    return value


def _sku_letters(text: str) -> str:
    """Three capital letters that stand for ``text``'s first word: its first letter and the consonants
    after it, as SKUs are usually written (Batik -> BTK, Pecut -> PCT, Rajutan -> RJT)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    word = next((w for w in re.split(r"[^A-Z0-9]+", plain) if w), "")
    if not word:
        return "PRD"
    skeleton = word[0] + "".join(c for c in word[1:] if c not in "AEIOU")
    return skeleton[:3] if len(skeleton) >= 3 else word[:3]


def sku_prefix(*, organization: Organization, category: Category) -> str:
    """The start of a generated SKU: the organization's short code and the category's letters (SMP-BTK-)."""
    code = re.sub(r"[^A-Z0-9]", "", organization.code.upper())
    return f"{code}-{_sku_letters(category.name)}-" if code else f"{_sku_letters(category.name)}-"


def _next_sku(prefix: str) -> str:
    """``prefix`` and the number after the highest one in use with it, at least three digits (SMP-BTK-004).

    SKUs are unique across the whole catalog, so every organization's are read: with the organization's
    code in the prefix, these are the organization's own.
    """
    numbers = [
        int(rest)
        for sku in Variant.objects.filter(sku__startswith=prefix).values_list("sku", flat=True)
        if (rest := sku[len(prefix) :]).isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _validate_variant(
    data: VariantInput, *, exclude_pk: int | None = None, generated_sku: bool = False
) -> VariantInput:
    errors: dict[str, str] = {}
    if not generated_sku:
        data.sku = _clean_sku(data.sku)
        same_sku = Variant.objects.filter(sku=data.sku)
        if exclude_pk is not None:
            same_sku = same_sku.exclude(pk=exclude_pk)
        if same_sku.exists():
            errors["sku"] = _("SKU %(sku)s is already used.") % {"sku": data.sku}
    try:
        data.price_idr = int(data.price_idr)
    except (TypeError, ValueError):
        errors["price_idr"] = _("Enter the price in whole rupiah.")
    else:
        if data.price_idr <= 0:
            errors["price_idr"] = _("The price must be more than Rp0.")
        elif data.price_idr > 10_000_000_000:
            errors["price_idr"] = _("The price is too high.")
    for field in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        value = getattr(data, field)
        if not isinstance(value, int) or value < 0:
            errors[field] = _("Enter a whole number of zero or more.")
    if errors:
        raise ValidationError(errors)
    return data


def _validate_product_fields(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "name" in fields and not (fields["name"] or "").strip():
        errors["name"] = _("Give the product a name.")
    if fields.get("moq") is not None and int(fields["moq"]) < 1:
        errors["moq"] = _("The minimum order is at least 1.")
    if fields.get("deposit_percent") is not None and not 1 <= int(fields["deposit_percent"]) <= 100:
        errors["deposit_percent"] = _("The down payment is between 1 and 100 percent of the price.")
    if fields.get("made_to_order") and int(fields.get("lead_time_days") or 0) < 1:
        errors["lead_time_days"] = _("A made-to-order product needs a lead time of at least one day.")
    if errors:
        raise ValidationError(errors)


def product_refresh(*, product: Product) -> Product:
    """Recompute the denormalised price range, stock flag, search document and cover of ``product``.

    ``catalog.derived.product_derived`` computes them, from the product's active variants and its
    first photo: two reads, then one write (and the search vector on PostgreSQL). Every write to a
    product, its variants or photos comes through here, so it also sends ``catalog_changed`` for the
    seller (the product feeds are rebuilt after commit).
    """
    variants = product.variants.filter(is_active=True)
    cover = product.photos.order_by("position", "id").first()
    derived = product_derived(
        product=product,
        variants=variants,
        cover_thumbnail=(cover.thumbnail.name or "") if cover else "",
        cover_thumbnail_small=(cover.thumbnail_small.name or "") if cover else "",
    )
    derived.apply_to(product)
    product.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
    if connection.vendor == "postgresql":
        Product.objects.filter(pk=product.pk).update(search_vector=SearchVector("search_document", config="simple"))
    catalog_changed_send(organization_ids=[product.organization_id])
    return product


@transaction.atomic
def producer_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    group: Group | None = None,
    description: str = "",
    story: str = "",
    phone: str = "",
    slug: str | None = None,
) -> Producer:
    """Create the public profile of a facility group or an UMKM producer. Raises ValidationError."""
    _require_manager(actor, organization)
    if group is not None and group.organization_id != organization.pk:
        raise ValidationError({"group": _("The group belongs to another organization.")})
    if group is None and organization.kind != Organization.Kind.PRODUCER:
        raise ValidationError({"group": _("A facility's producer profile must be one of its groups.")})
    if group is not None and Producer.objects.filter(group=group).exists():
        raise ValidationError({"group": _("This group already has a public profile.")})
    producer = Producer.objects.create(
        organization=organization,
        group=group,
        kind=Producer.Kind.FACILITY_GROUP if group is not None else Producer.Kind.UMKM,
        name=name.strip(),
        slug=slug or unique_slug(Producer, name),
        description=description,
        story=story,
        phone=normalize_phone(phone),
    )
    audit_record(actor=actor, action=AuditAction.PRODUCER_CREATE, obj=producer)
    return producer


@transaction.atomic
def producer_update(*, actor: Actor, producer: Producer, **fields: Any) -> Producer:
    """Update name, description, story (and its English ``story_en``), phone or is_published. Raises ValidationError."""
    _require_manager(actor, producer.organization)
    allowed = {"name", "description", "story", "story_en", "phone", "is_published"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown producer fields: {sorted(unknown)}")
    if "phone" in fields:
        try:
            fields["phone"] = normalize_phone(fields["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    if "name" in fields and not fields["name"].strip():
        raise ValidationError({"name": _("Give the producer a name.")})
    for key, value in fields.items():
        setattr(producer, key, value)
    producer.save()
    audit_record(actor=actor, action=AuditAction.PRODUCER_UPDATE, obj=producer, fields=sorted(fields))
    if {"name"} & set(fields):
        for product in producer.products.select_related("category", "organization", "producer"):
            product_refresh(product=product)
    if {"name", "is_published"} & set(fields):
        catalog_changed_send(organization_ids=[producer.organization_id])
    return producer


def _process_uploads(uploads: Sequence[File], *, name_stem: str) -> list[ProcessedImage]:
    """Every upload processed, or a ValidationError on ``photos`` naming each file that was refused."""
    processed: list[ProcessedImage] = []
    errors: list[str] = []
    for index, upload in enumerate(uploads, start=1):
        try:
            processed.append(process_photo(upload, name_stem=f"{name_stem}-{index}"))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or _("photo %(n)s") % {"n": index}
            errors += [f"{name}: {message}" for message in exc.messages]
    if errors:
        raise ValidationError({"photos": errors})
    return processed


def _photo_store(
    *, product: Product, processed: ProcessedImage, alt_text: str, position: int, written: list[str]
) -> Photo:
    """Save ``processed`` as a photo of ``product``; the names of the files written are added to ``written``."""
    photo = Photo(
        organization=product.organization,
        product=product,
        alt_text=alt_text[:200],
        position=position,
        width=processed.width,
        height=processed.height,
    )
    for field, content in (
        (photo.image, processed.large),
        (photo.thumbnail, processed.thumbnail),
        (photo.thumbnail_small, processed.thumbnail_small),
    ):
        field.save(processed.name, content, save=False)
        written.append(field.name or "")
    photo.save()
    return photo


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            Photo._meta.get_field("image").storage.delete(name)


def _create_product_row(*, producer: Producer, name: str, fields: dict[str, Any]) -> Product:
    """The product row, under a slug of its name; a slug taken meanwhile by another transaction is retried."""
    for _attempt in range(CREATE_ATTEMPTS):
        slug = unique_slug(Product, name, max_length=200)
        try:
            with transaction.atomic():
                return Product.objects.create(
                    organization=producer.organization, producer=producer, slug=slug, **fields
                )
        except IntegrityError:
            if not Product.objects.filter(slug=slug).exists():
                raise
    raise ValidationError({"name": _("Another product was saved under this name at the same moment. Save again.")})


def _create_variant_with_generated_sku(*, product: Product, data: VariantInput, prefix: str) -> Variant:
    """A variant under the next free SKU after ``prefix``. Two products saved at the same moment read the
    same highest number; the second insert then fails on the unique SKU and takes the number after."""
    for _attempt in range(CREATE_ATTEMPTS):
        sku = _next_sku(prefix)
        try:
            with transaction.atomic():
                return Variant.objects.create(
                    organization=product.organization, product=product, **(vars(data) | {"sku": sku})
                )
        except IntegrityError:
            if not Variant.objects.filter(sku=sku).exists():
                raise
    raise ValidationError({"sku": _("No SKU could be generated. Type one, e.g. SMP-BTK-001.")})


@transaction.atomic
def product_create(
    *,
    actor: Actor,
    producer: Producer,
    category: Category,
    name: str,
    variants: list[VariantInput],
    photos: Sequence[File] = (),
    **fields: Any,
) -> Product:
    """Create a product with at least one variant and, optionally, its first photos.

    A variant whose ``sku`` is empty gets one generated from the organization's code and the category
    (SMP-BTK-004: the next number in use). The photos are processed as ``photo_add`` does, the first one
    is the cover, and their description is the product's name. All or nothing: a refused photo (or any
    other error) saves no row and leaves no file. Raises ValidationError (``photos`` names the refused
    files), PermissionDenied.
    """
    _require_manager(actor, producer.organization)
    fields = {"name": name, "category": category, **fields}
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown product fields: {sorted(unknown)}")
    _validate_product_fields(fields)
    if not variants:
        raise ValidationError({"variants": _("Add at least one variant with a SKU and a price.")})
    typed = [v for v in variants if (v.sku or "").strip()]
    skus = [_clean_sku(v.sku) for v in typed]
    if len(set(skus)) != len(skus):
        raise ValidationError({"sku": _("Each variant needs its own SKU.")})
    checked = [_validate_variant(v, generated_sku=not (v.sku or "").strip()) for v in variants]
    processed = _process_uploads(photos, name_stem=unique_slug(Product, name, max_length=200)[:60])
    written: list[str] = []
    try:
        product = _create_product_row(producer=producer, name=name, fields=fields)
        Variant.objects.bulk_create(
            Variant(organization=producer.organization, product=product, **vars(v)) for v in checked if v.sku
        )
        prefix = sku_prefix(organization=producer.organization, category=category)
        for data in checked:
            if not data.sku:
                data.sku = _create_variant_with_generated_sku(product=product, data=data, prefix=prefix).sku
        for position, image in enumerate(processed, start=1):
            _photo_store(product=product, processed=image, alt_text=name, position=position, written=written)
        product_refresh(product=product)
        audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_CREATE,
            obj=product,
            skus=[v.sku for v in checked],
            photos=len(processed),
        )
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go too.
        _delete_files(written)
        raise
    return product


@transaction.atomic
def product_update(*, actor: Actor, product: Product, **fields: Any) -> Product:
    """Update the product's descriptive fields. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, product.organization)
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown product fields: {sorted(unknown)}")
    merged = {f: getattr(product, f) for f in PRODUCT_FIELDS} | fields
    _validate_product_fields(merged)
    category_before = product.category_id
    for key, value in fields.items():
        setattr(product, key, value)
    product.save()
    product_refresh(product=product)
    if product.category_id != category_before:
        product_recategorized.send(sender=Product, organization=product.organization, product_id=product.pk)
    audit_record(actor=actor, action=AuditAction.PRODUCT_UPDATE, obj=product, fields=sorted(fields))
    return product


@transaction.atomic
def variant_create(*, actor: Actor, product: Product, data: VariantInput) -> Variant:
    """Add a variant. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, product.organization)
    checked = _validate_variant(data)
    variant = Variant.objects.create(organization=product.organization, product=product, **vars(checked))
    product_refresh(product=product)
    audit_record(actor=actor, action=AuditAction.VARIANT_CREATE, obj=variant, sku=variant.sku)
    return variant


@transaction.atomic
def variant_update(*, actor: Actor, variant: Variant, data: VariantInput) -> Variant:
    """Update a variant's SKU, price, size, stock or active flag. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, variant.organization)
    checked = _validate_variant(data, exclude_pk=variant.pk)
    variant.sku = checked.sku
    for field in VARIANT_FIELDS:
        setattr(variant, field, getattr(checked, field))
    variant.save()
    product_refresh(product=variant.product)
    audit_record(actor=actor, action=AuditAction.VARIANT_UPDATE, obj=variant, sku=variant.sku)
    return variant


@transaction.atomic
def photo_add(*, actor: Actor, product: Product, upload: File, alt_text: str = "") -> Photo:
    """Store an uploaded photo without its metadata, with WebP renditions. Raises ValidationError."""
    _require_manager(actor, product.organization)
    processed = process_photo(upload, name_stem=product.slug[:60])
    position = (product.photos.aggregate(m=Max("position"))["m"] or 0) + 1
    written: list[str] = []
    try:
        photo = _photo_store(
            product=product, processed=processed, alt_text=alt_text, position=position, written=written
        )
        product_refresh(product=product)
        audit_record(actor=actor, action=AuditAction.PHOTO_ADD, obj=photo, product=product.pk)
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go too.
        _delete_files(written)
        raise
    return photo


@transaction.atomic
def photo_delete(*, actor: Actor, photo: Photo) -> None:
    """Remove a photo and its files once the transaction commits."""
    _require_manager(actor, photo.organization)
    product = photo.product
    files = [photo.image, photo.thumbnail, photo.thumbnail_small]
    audit_record(actor=actor, action=AuditAction.PHOTO_DELETE, obj=photo, product=product.pk)
    photo.delete()
    product_refresh(product=product)

    def delete_files() -> None:
        for f in files:
            if f.name:
                f.storage.delete(f.name)

    transaction.on_commit(delete_files)


@transaction.atomic
def photo_make_cover(*, actor: Actor, photo: Photo) -> Photo:
    """Move ``photo`` to the front of its product's photos."""
    _require_manager(actor, photo.organization)
    product = photo.product
    first = product.photos.order_by("position").values_list("position", flat=True).first() or 0
    photo.position = max(first - 1, 0)
    if photo.position == first:
        product.photos.exclude(pk=photo.pk).update(position=F("position") + 1)
    photo.save(update_fields=["position", "updated_at"])
    product_refresh(product=product)
    audit_record(actor=actor, action=AuditAction.PHOTO_COVER, obj=photo)
    return photo


@transaction.atomic
def photo_add_small_rendition(*, photo: Photo) -> Photo:
    """Give a photo stored before 320 px renditions existed its small rendition (a system task).

    Made from its 480 px thumbnail; the product's cover columns follow. A photo that has one already,
    or has no thumbnail, is left as it is.
    """
    if photo.thumbnail_small or not photo.thumbnail.name:
        return photo
    with photo.thumbnail.open("rb") as stored:
        content = small_rendition(stored)
    photo.thumbnail_small.save(photo.thumbnail.name.rsplit("/", 1)[-1], content, save=False)
    try:
        photo.save(update_fields=["thumbnail_small", "updated_at"])
        product_refresh(product=photo.product)
    except BaseException:
        if photo.thumbnail_small.name:
            photo.thumbnail_small.storage.delete(photo.thumbnail_small.name)
        raise
    return photo


# e-Katalog / Bela Pengadaan listing pack (issue 13) ------------------------------------------------

KBKI_RE = re.compile(r"^\d{5,10}$")
MAX_SPEC_ROWS = 30


@dataclass
class ListingInput:
    """What staff enter for a product's e-Katalog listing (see ProcurementListing)."""

    kbki_code: str = ""
    pdn_status: str = ProcurementListing.Pdn.PDN
    tkdn_bp: int | None = None
    tkdn_certificate_number: str = ""
    tkdn_certificate_date: datetime.date | None = None
    sni_number: str = ""
    trademark: str = ""
    unit: str = ProcurementListing.Unit.PCS
    specifications: str = ""
    photo_ids: list[int] = dataclasses.field(default_factory=list)


def specification_rows(text: str) -> list[tuple[str, str]]:
    """``"Bahan: bambu"`` lines as (key, value) pairs; blank lines are skipped, a line without ":" is ("", line)."""
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        rows.append((key.strip(), value.strip()) if sep else ("", line))
    return rows


def _clean_listing(data: ListingInput, *, product: Product) -> dict[str, Any]:
    """The listing's fields cleaned, or ValidationError naming every bad one (nothing is saved)."""
    errors: dict[str, str] = {}
    kbki = re.sub(r"[\s.]", "", data.kbki_code or "")
    if kbki and not KBKI_RE.match(kbki):
        errors["kbki_code"] = _("A KBKI code has 5 to 10 digits, e.g. 38990.")
    if data.pdn_status not in ProcurementListing.Pdn.values:
        errors["pdn_status"] = _("Choose whether it is a domestic product.")
    if data.unit not in ProcurementListing.Unit.values:
        errors["unit"] = _("Choose a unit of sale.")
    certificate = (data.tkdn_certificate_number or "").strip()
    if data.tkdn_bp is not None:
        if not isinstance(data.tkdn_bp, int) or isinstance(data.tkdn_bp, bool) or not 0 <= data.tkdn_bp <= 10000:
            errors["tkdn_bp"] = _("TKDN is between 0 and 100 percent.")
        if not certificate:
            errors["tkdn_certificate_number"] = _("A TKDN value needs its certificate number.")
        if data.tkdn_certificate_date is None:
            errors["tkdn_certificate_date"] = _("A TKDN value needs its certificate date.")
        elif data.tkdn_certificate_date > timezone.localdate():
            errors["tkdn_certificate_date"] = _("The certificate date cannot be in the future.")
    elif certificate or data.tkdn_certificate_date is not None:
        errors["tkdn_bp"] = _("Enter the TKDN value of the certificate, or leave the certificate empty.")
    if data.tkdn_bp is not None and data.pdn_status != ProcurementListing.Pdn.PDN and "tkdn_bp" not in errors:
        errors["pdn_status"] = _("A product with a TKDN certificate is a domestic product.")
    rows = specification_rows(data.specifications)
    if len(rows) > MAX_SPEC_ROWS:
        errors["specifications"] = _("At most %(n)s specification lines.") % {"n": MAX_SPEC_ROWS}
    elif any(not key or not value for key, value in rows):
        errors["specifications"] = _("Write each specification as “Name: value”, one per line.")
    photo_ids = list(dict.fromkeys(int(pk) for pk in data.photo_ids or []))
    own = set(product.photos.values_list("pk", flat=True))
    if any(pk not in own for pk in photo_ids):
        errors["photo_ids"] = _("Choose photos of this product.")
    if errors:
        raise ValidationError(errors)
    return {
        "kbki_code": kbki,
        "pdn_status": data.pdn_status,
        "tkdn_bp": data.tkdn_bp,
        "tkdn_certificate_number": certificate if data.tkdn_bp is not None else "",
        "tkdn_certificate_date": data.tkdn_certificate_date if data.tkdn_bp is not None else None,
        "sni_number": " ".join((data.sni_number or "").split()),
        "trademark": (data.trademark or "").strip(),
        "unit": data.unit,
        "specifications": "\n".join(f"{key}: {value}" for key, value in rows),
        "photo_ids": photo_ids,
    }


@transaction.atomic
def listing_save(*, actor: Actor, product: Product, data: ListingInput) -> ProcurementListing:
    """Create or replace the e-Katalog listing of ``product``. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, product.organization)
    product_lock(product_id=product.pk)
    fields = _clean_listing(data, product=product)
    listing, created = ProcurementListing.objects.update_or_create(
        product=product, defaults={"organization": product.organization, **fields}
    )
    audit_record(
        actor=actor,
        action=AuditAction.LISTING_SAVE,
        obj=listing,
        product=product.pk,
        created=created,
        kbki_code=listing.kbki_code,
        tkdn_bp=listing.tkdn_bp,
    )
    return listing
