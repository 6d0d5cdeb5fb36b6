"""Writes for export buyers (issue 13): a product's export data, its English texts, and exchange rates.

Each service is one transaction, checks ``catalog.manage`` on the organization concerned (``actor=None`` is
for trusted system callers) and records an audit row. Bad input raises ValidationError with every field's
message and saves nothing.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import ExchangeRate, ExportProfile, Producer, Product
from binakarya.catalog.signals import catalog_changed_send
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.organizations.models import Organization

# 4, 6 or 8 digits, with optional dots between pairs after the first four: 6602, 6602.00, 660200, 9503.00.10.
HS_CODE_RE = re.compile(r"^\d{4}(?:\.?\d{2}){0,2}$")
MAX_GRAMS = 1_000_000_000
MAX_MM = 100_000
MAX_LEAD_TIME_DAYS = 3650
MAX_MOQ = 10_000_000
# Rupiah per unit: above zero, below a trillion.
MAX_RATE = Decimal("999999999.99")
ENGLISH_FIELDS = ("name_en", "description_en", "story_en")


@dataclass
class ExportInput:
    hs_code: str = ""
    net_weight_grams: Any = 0
    gross_weight_grams: Any = 0
    package_length_mm: Any = 0
    package_width_mm: Any = 0
    package_height_mm: Any = 0
    moq: Any = 1
    lead_time_days: Any = 0
    certifications: list[str] = field(default_factory=list)
    certifications_other: str = ""


def _require_manager(actor: Actor, organization: Organization) -> None:
    if actor is not None and not actor.has_perm("catalog.manage", organization):
        raise PermissionDenied(_("You may not change the catalog of %(org)s.") % {"org": organization.name})


def hs_code_clean(value: str) -> str:
    """The HS code as entered, trimmed; raises ValidationError unless it has 4, 6 or 8 digits."""
    code = (value or "").strip()
    if code and not HS_CODE_RE.match(code):
        raise ValidationError(
            {"hs_code": _("An HS code has 4, 6 or 8 digits, optionally with dots, e.g. 6602.00 or 9503.00.")},
            code="hs_code",
        )
    return code


def _whole(errors: dict[str, str], name: str, value: Any, *, low: int, high: int) -> int:
    try:
        number = int(value)
        if isinstance(value, float | Decimal) and number != value:
            raise ValueError
    except (TypeError, ValueError):
        errors[name] = _("Enter a whole number.")
        return 0
    if not low <= number <= high:
        errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return number


def export_profile_validate(data: ExportInput) -> dict[str, Any]:
    """The cleaned values of ``data``; raises ValidationError naming every wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["hs_code"] = hs_code_clean(data.hs_code)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    for name in ("net_weight_grams", "gross_weight_grams"):
        values[name] = _whole(errors, name, getattr(data, name), low=0, high=MAX_GRAMS)
    for name in ("package_length_mm", "package_width_mm", "package_height_mm"):
        values[name] = _whole(errors, name, getattr(data, name), low=0, high=MAX_MM)
    values["moq"] = _whole(errors, "moq", data.moq, low=1, high=MAX_MOQ)
    values["lead_time_days"] = _whole(errors, "lead_time_days", data.lead_time_days, low=0, high=MAX_LEAD_TIME_DAYS)
    if "net_weight_grams" not in errors and "gross_weight_grams" not in errors:
        if values["gross_weight_grams"] < values["net_weight_grams"]:
            errors["gross_weight_grams"] = _("The gross weight (with packing) cannot be below the net weight.")
    known = set(ExportProfile.Certification.values)
    chosen = [str(c) for c in (data.certifications or [])]
    if any(c not in known for c in chosen):
        errors["certifications"] = _("Choose certifications from the list; write others in the next field.")
    values["certifications"] = [c for c in ExportProfile.Certification.values if c in chosen]
    other = (data.certifications_other or "").strip()
    if len(other) > 200:
        errors["certifications_other"] = _("Write at most 200 characters.")
    values["certifications_other"] = other
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def export_profile_save(*, actor: Actor, product: Product, data: ExportInput) -> ExportProfile:
    """Create or update the product's export data. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, product.organization)
    values = export_profile_validate(data)
    profile = ExportProfile.objects.select_for_update().filter(product=product).first()
    if profile is None:
        profile = ExportProfile(organization_id=product.organization_id, product=product)
    changed = sorted(name for name, value in values.items() if getattr(profile, name) != value)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    audit_record(actor=actor, action=AuditAction.EXPORT_PROFILE_SAVE, obj=profile, fields=changed)
    if changed:  # weights and sizes that a channel's feed may carry
        catalog_changed_send(organization_ids=[product.organization_id])
    return profile


@transaction.atomic
def product_english_update(*, actor: Actor, product: Product, **texts: str) -> Product:
    """Set the product's English name, description and story (``name_en``, ``description_en``, ``story_en``).
    An empty text means the English storefront shows the Indonesian one, marked as such."""
    _require_manager(actor, product.organization)
    unknown = set(texts) - set(ENGLISH_FIELDS)
    if unknown:
        raise ValueError(f"Unknown English fields: {sorted(unknown)}")
    cleaned = {name: (value or "").strip() for name, value in texts.items()}
    if len(cleaned.get("name_en", "")) > 200:
        raise ValidationError({"name_en": _("Write at most 200 characters.")})
    changed = sorted(name for name, value in cleaned.items() if getattr(product, name) != value)
    if changed:
        for name in changed:
            setattr(product, name, cleaned[name])
        product.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.PRODUCT_ENGLISH_UPDATE, obj=product, fields=changed)
        catalog_changed_send(organization_ids=[product.organization_id])
    return product


@transaction.atomic
def producer_english_update(*, actor: Actor, producer: Producer, story_en: str) -> Producer:
    """Set the producer's English story (the public story's translation)."""
    _require_manager(actor, producer.organization)
    text = (story_en or "").strip()
    if text != producer.story_en:
        producer.story_en = text
        producer.save(update_fields=["story_en", "updated_at"])
        audit_record(actor=actor, action=AuditAction.PRODUCT_ENGLISH_UPDATE, obj=producer, fields=["story_en"])
    return producer


def rate_clean(value: Any) -> Decimal:
    """Rupiah per unit as a Decimal with at most two decimals; raises ValidationError. Never a float."""
    if isinstance(value, float):
        value = repr(value)
    try:
        rate = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"idr_per_unit": _("Enter the rate in rupiah, e.g. 16250 or 108.45.")}) from None
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise ValidationError({"idr_per_unit": _("The rate must be more than Rp0 and below Rp1 billion.")})
    if rate != rate.quantize(Decimal("0.01")):
        raise ValidationError({"idr_per_unit": _("Enter the rate with at most two decimals.")})
    return rate.quantize(Decimal("0.01"))


@transaction.atomic
def exchange_rate_create(
    *,
    actor: Actor,
    organization: Organization,
    currency: str,
    idr_per_unit: Any,
    effective_date: datetime.date | None = None,
) -> ExchangeRate:
    """Record a rate (rupiah per unit of ``currency``) from ``effective_date`` (today when None) on.
    Rates are never changed: a correction is a newer row. Raises ValidationError, PermissionDenied."""
    _require_manager(actor, organization)
    errors: dict[str, str] = {}
    if currency not in ExchangeRate.Currency.values:
        errors["currency"] = _("Choose US dollar, euro, Singapore dollar or Japanese yen.")
    rate = Decimal(0)
    try:
        rate = rate_clean(idr_per_unit)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    today = timezone.localdate()
    day = effective_date or today
    if day > today + datetime.timedelta(days=31):
        errors["effective_date"] = _("The effective date is at most a month ahead.")
    if errors:
        raise ValidationError(errors)
    row = ExchangeRate.objects.create(
        organization=organization,
        currency=currency,
        idr_per_unit=rate,
        effective_date=day,
        entered_by=user_of(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXCHANGE_RATE_CREATE,
        obj=row,
        currency=currency,
        idr_per_unit=str(rate),
        effective_date=day.isoformat(),
    )
    return row


@transaction.atomic
def product_export_save(
    *, actor: Actor, product: Product, data: ExportInput, english: dict[str, str] | None = None
) -> ExportProfile:
    """The staff page's one save: export data and English texts together, or nothing when either is wrong."""
    errors: dict[str, list[str]] = {}
    try:
        export_profile_validate(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if english and len((english.get("name_en") or "").strip()) > 200:
        errors["name_en"] = [_("Write at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    profile = export_profile_save(actor=actor, product=product, data=data)
    if english:
        product_english_update(actor=actor, product=product, **english)
    return profile
