"""Writes of deals: contract form rules, a seller's tax settings, requests for quotation (public) and
quotations (the seller's sales staff). Every write checks everything first: nothing is half-saved."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.catalog.selectors import orderable_variants
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.phone import normalize_phone
from binakarya.core.types import Actor, user_of
from binakarya.deals.locks import rfq_lock
from binakarya.deals.models import (
    BASIS_POINTS,
    ContractChannel,
    ContractForm,
    ContractFormRule,
    Quotation,
    QuotationLine,
    Rfq,
    RfqLine,
    SellerTaxSettings,
)
from binakarya.deals.selectors import contract_form_for, quotation_plan, tax_settings_for, variants_by_sku
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.organizations.models import Organization

MAX_LINES = 50
MAX_QUANTITY = 1_000_000
MAX_UNIT_PRICE_IDR = 10_000_000_000
MAX_VALID_DAYS = 365

Errors = dict[str, list[ValidationError]]


def _add(errors: Errors, field: str, message: str, code: str = "invalid") -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def require_deal_staff(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` may quote for ``organization`` (the sellers' rule)."""
    if actor is None or not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not prepare quotations for %(org)s.") % {"org": organization.name})


# Configuration ----------------------------------------------------------------------------------------


def contract_form_rule_create(
    *,
    actor: Actor,
    form: str,
    channel: str,
    max_value_idr: int | None,
    effective_from: datetime.date,
    legal_reference: str,
) -> ContractFormRule:
    """Enter one step of a new set of thresholds (a regulation change). Superusers only."""
    if actor is None or not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator may change the contract form rules."))
    errors: Errors = {}
    if form not in ContractForm.values:
        _add(errors, "form", _("Choose a contract document."))
    if channel not in ContractChannel.values:
        _add(errors, "channel", _("Choose a channel."))
    if not legal_reference.strip():
        _add(errors, "legal_reference", _("Name the regulation this rule follows."), "required")
    if errors:
        raise ValidationError(errors)
    rule = ContractFormRule(
        form=form,
        channel=channel,
        max_value_idr=max_value_idr,
        effective_from=effective_from,
        legal_reference=legal_reference.strip(),
        created_by=user_of(actor),
    )
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action=AuditAction.CONTRACT_RULE_CREATE, obj=rule)
    return rule


def tax_settings_update(
    *, actor: Actor, organization: Organization, ppn_enabled: bool, ppn_rate_bp: int, valid_days: int
) -> SellerTaxSettings:
    """Save whether the seller charges PPN, at which rate, and how long its quotations stay valid."""
    require_deal_staff(actor, organization)
    errors: Errors = {}
    if not 0 <= ppn_rate_bp <= BASIS_POINTS:
        _add(errors, "ppn_rate", _("Enter a rate between 0 and 100 %."))
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        _add(errors, "valid_days", _("Enter between 1 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    if errors:
        raise ValidationError(errors)
    settings = tax_settings_for(organization=organization)
    settings.ppn_enabled = ppn_enabled
    settings.ppn_rate_bp = ppn_rate_bp
    settings.valid_days = valid_days
    settings.save()
    audit_record(actor=actor, action=AuditAction.DEAL_TAX_SETTINGS, obj=settings, organization=organization)
    return settings


# Requests for quotation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RfqLineInput:
    sku: str
    description: str
    quantity: int


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str = ""


def _clean_contact(contact: Contact, errors: Errors) -> Contact:
    name = " ".join(contact.name.split())
    if not name:
        _add(errors, "name", _("Enter the contact's name."), "required")
    elif len(name) > 120:
        _add(errors, "name", _("Use at most 120 characters."), "max_length")
    phone = ""
    if not contact.phone.strip():
        _add(errors, "phone", _("Enter a phone number, e.g. 0812 3456 7890."), "required")
    else:
        try:
            phone = "+" + normalize_phone(contact.phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).append(exc)
    email = contact.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Enter a valid email address, or leave it empty."))
    return Contact(name, phone, email)


def rfq_submit(
    *,
    actor: Actor,
    agency: str,
    contact: Contact,
    lines: Sequence[RfqLineInput],
    delivery_place: str,
    needed_by: datetime.date | None = None,
    seller: Organization | None = None,
    note: str = "",
    language: str = "",
    today: datetime.date | None = None,
) -> Rfq:
    """Record a buyer's request for quotation to one seller: ``seller``, or the seller of the SKUs asked for.

    Raises ValidationError naming each field (``agency``, ``name``, ``phone``, ``email``, ``lines``,
    ``needed_by``, ``delivery_place``, ``seller``); saves nothing then.
    """
    today = today or timezone.localdate()
    errors: Errors = {}
    agency = " ".join(agency.split())
    if not agency:
        _add(errors, "agency", _("Enter the agency or company."), "required")
    elif len(agency) > 200:
        _add(errors, "agency", _("Use at most 200 characters."), "max_length")
    contact = _clean_contact(contact, errors)
    place = " ".join(delivery_place.split())
    if not place:
        _add(errors, "delivery_place", _("Enter where the goods are to be delivered."), "required")
    elif len(place) > 300:
        _add(errors, "delivery_place", _("Use at most 300 characters."), "max_length")
    if needed_by is not None and needed_by < today:
        _add(errors, "needed_by", _("The date the goods are needed by cannot be in the past."))
    if len(note) > 2000:
        _add(errors, "note", _("Use at most 2000 characters."), "max_length")
    skus = [line.sku.strip() for line in lines if line.sku.strip()]
    variants = orderable_variants(skus=skus)
    cleaned: list[tuple[Variant | None, str, int]] = []
    if not lines:
        _add(errors, "lines", _("Add at least one item."), "required")
    elif len(lines) > MAX_LINES:
        _add(errors, "lines", _("Ask for at most %(max)s items at once.") % {"max": MAX_LINES})
    for index, line in enumerate(lines[:MAX_LINES], start=1):
        sku = line.sku.strip()
        description = " ".join(line.description.split())
        variant = variants.get(sku) if sku else None
        if sku and variant is None:
            _add(errors, "lines", _("Item %(n)s: there is no product with SKU %(sku)s.") % {"n": index, "sku": sku})
        if not sku and not description:
            _add(errors, "lines", _("Item %(n)s: choose a product or describe the item.") % {"n": index})
        if len(description) > 300:
            _add(errors, "lines", _("Item %(n)s: use at most 300 characters.") % {"n": index})
        if not 1 <= line.quantity <= MAX_QUANTITY:
            _add(errors, "lines", _("Item %(n)s: enter a quantity of at least 1.") % {"n": index})
        if variant is not None and not description:
            description = variant.product.name + (f" ({variant.name})" if variant.name else "")
        cleaned.append((variant, description[:300], line.quantity))
    sellers = {variant.organization_id for variant, _d, _q in cleaned if variant is not None}
    if seller is not None:
        sellers.add(seller.pk)
    if len(sellers) > 1:
        _add(errors, "seller", _("Ask one seller at a time: these products come from different sellers."))
    elif not sellers:
        _add(errors, "seller", _("Choose the seller to ask."), "required")
    if errors:
        raise ValidationError(errors)
    organization = seller or next(v for v, _d, _q in cleaned if v is not None).organization
    with transaction.atomic():
        rfq = Rfq.objects.create(
            organization=organization,
            number=numbers.number_next(organization=organization, series=numbers.RFQ),
            agency=agency,
            contact_name=contact.name,
            contact_phone=contact.phone,
            contact_email=contact.email,
            needed_by=needed_by,
            delivery_place=place,
            note=note.strip(),
            language=language[:8],
            submitted_by=user_of(actor),
        )
        RfqLine.objects.bulk_create(
            RfqLine(rfq=rfq, variant=variant, description=description, quantity=quantity)
            for variant, description, quantity in cleaned
        )
        audit_record(actor=actor, action=AuditAction.RFQ_SUBMIT, obj=rfq, organization=organization)
    return rfq


# Quotations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotationLineInput:
    sku: str
    quantity: int
    unit_price_idr: int


@dataclass(frozen=True)
class Totals:
    subtotal_idr: int
    discount_idr: int
    ppn_idr: int
    total_idr: int


def _share(amount: int, bp: int) -> int:
    """``amount`` × ``bp`` / 10 000, rounded half up to a whole rupiah."""
    return (amount * bp + BASIS_POINTS // 2) // BASIS_POINTS


def quotation_totals(*, subtotal_idr: int, discount_bp: int, ppn_enabled: bool, ppn_rate_bp: int) -> Totals:
    """The discount comes off the subtotal; PPN is charged on what is left (the DPP)."""
    discount = _share(subtotal_idr, discount_bp)
    ppn = _share(subtotal_idr - discount, ppn_rate_bp) if ppn_enabled else 0
    return Totals(subtotal_idr, discount, ppn, subtotal_idr - discount + ppn)


def quotation_issue(
    *,
    actor: Actor,
    organization: Organization,
    buyer: str,
    lines: Sequence[QuotationLineInput],
    valid_days: int | None = None,
    discount_bp: int = 0,
    rfq: Rfq | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Quotation:
    """Issue a numbered quotation with its verification code: totals, the contract document the value needs,
    lead time, capacity, capital needed and the suggested down payment. Marks the RFQ quoted.

    Raises PermissionDenied; ValidationError naming ``buyer``, ``lines``, ``valid_days``, ``discount``,
    ``rfq`` (saves nothing then).
    """
    require_deal_staff(actor, organization)
    today = today or timezone.localdate()
    settings = tax_settings_for(organization=organization)
    valid_days = settings.valid_days if valid_days is None else valid_days
    errors: Errors = {}
    buyer = " ".join(buyer.split()) or (rfq.agency if rfq else "")
    if not buyer:
        _add(errors, "buyer", _("Enter the buyer."), "required")
    elif len(buyer) > 200:
        _add(errors, "buyer", _("Use at most 200 characters."), "max_length")
    if rfq is not None and rfq.organization_id != organization.pk:
        _add(errors, "rfq", _("This request was sent to another seller."))
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        _add(errors, "valid_days", _("Enter between 1 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    if not 0 <= discount_bp <= BASIS_POINTS:
        _add(errors, "discount", _("Enter a discount between 0 and 100 %."))
    variants = variants_by_sku(skus=[line.sku.strip() for line in lines], organization=organization)
    if not lines:
        _add(errors, "lines", _("Add at least one item."), "required")
    elif len(lines) > MAX_LINES:
        _add(errors, "lines", _("Quote at most %(max)s items at once.") % {"max": MAX_LINES})
    priced: list[tuple[Variant, int, int]] = []
    for index, line in enumerate(lines[:MAX_LINES], start=1):
        variant = variants.get(line.sku.strip())
        if variant is None:
            _add(
                errors,
                "lines",
                _("Item %(n)s: %(org)s has no product with SKU %(sku)s.")
                % {"n": index, "org": organization.name, "sku": line.sku.strip() or "-"},
            )
        if not 1 <= line.quantity <= MAX_QUANTITY:
            _add(errors, "lines", _("Item %(n)s: enter a quantity of at least 1.") % {"n": index})
        if not 0 < line.unit_price_idr <= MAX_UNIT_PRICE_IDR:
            _add(errors, "lines", _("Item %(n)s: enter a unit price above Rp0.") % {"n": index})
        if variant is not None:
            priced.append((variant, line.quantity, line.unit_price_idr))
    if errors:
        raise ValidationError(errors)
    totals = quotation_totals(
        subtotal_idr=sum(q * p for _v, q, p in priced),
        discount_bp=discount_bp,
        ppn_enabled=settings.ppn_enabled,
        ppn_rate_bp=settings.ppn_rate_bp,
    )
    rule = contract_form_for(value_idr=totals.total_idr, on_date=today)
    if rule is None:
        raise ValidationError({"lines": [_("No contract form rule is in force on %(date)s.") % {"date": today}]})
    plan = quotation_plan(organization=organization, lines=[(v, q) for v, q, _p in priced], today=today)
    with transaction.atomic():
        if rfq is not None:
            rfq = rfq_lock(pk=rfq.pk)
        number = numbers.number_next(organization=organization, series=numbers.QUOTATION, year=today.year)
        valid_until = today + datetime.timedelta(days=valid_days)
        document = document_issue(
            actor=actor,
            organization=organization,
            kind=Document.Kind.QUOTATION,
            number=number,
            title=_("Quotation %(number)s") % {"number": number},
            public_figures={
                "total_idr": totals.total_idr,
                "items": len(priced),
                "units": sum(q for _v, q, _p in priced),
                "date": today.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
        )
        quotation = Quotation.objects.create(
            organization=organization,
            rfq=rfq,
            document=document,
            number=number,
            buyer=buyer,
            issued_on=today,
            valid_days=valid_days,
            valid_until=valid_until,
            discount_bp=discount_bp,
            ppn_enabled=settings.ppn_enabled,
            ppn_rate_bp=settings.ppn_rate_bp if settings.ppn_enabled else 0,
            subtotal_idr=totals.subtotal_idr,
            discount_idr=totals.discount_idr,
            ppn_idr=totals.ppn_idr,
            total_idr=totals.total_idr,
            contract_form=rule.form,
            contract_rule=rule,
            lead_time_days=plan.lead_time_days,
            capacity_per_month=plan.capacity_per_month,
            capital_needed_idr=plan.capital_needed_idr,
            capital_fund_idr=plan.capital_fund_idr,
            down_payment_idr=min(plan.down_payment_idr, totals.total_idr),
            place=organization.regency,
            note=note.strip(),
            created_by=user_of(actor),
        )
        QuotationLine.objects.bulk_create(
            QuotationLine(
                quotation=quotation,
                variant=line.variant,
                description=line.variant.product.name + (f" ({line.variant.name})" if line.variant.name else ""),
                quantity=line.quantity,
                unit_price_idr=price,
                line_total_idr=line.quantity * price,
                from_stock=line.from_stock,
                to_make=line.to_make,
                unit_material_cost_idr=line.unit_material_cost_idr,
            )
            for line, (_v, _q, price) in zip(plan.lines, priced, strict=True)
        )
        if rfq is not None and rfq.status == Rfq.Status.NEW:
            rfq.status = Rfq.Status.QUOTED
            rfq.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.QUOTATION_ISSUE, obj=quotation, organization=organization)
    return quotation
