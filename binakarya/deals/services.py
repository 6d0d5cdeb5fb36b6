"""Writes of deals: contract form rules, a seller's tax settings, requests for quotation (public) and
quotations (the seller's sales staff). Every write checks everything first: nothing is half-saved."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.catalog.selectors import orderable_variants
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import format_rupiah
from binakarya.core.phone import normalize_phone
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor, user_of
from binakarya.deals import seed
from binakarya.deals.locks import deal_lock, quotation_lock, rfq_lock
from binakarya.deals.models import (
    BASIS_POINTS,
    ContractChannel,
    ContractForm,
    ContractFormRule,
    Deal,
    DealInvoice,
    DealLine,
    DealPayment,
    Delivery,
    DeliveryLine,
    Handover,
    HandoverLine,
    ProcurementPlatform,
    Quotation,
    QuotationLine,
    Recognition,
    Rfq,
    RfqLine,
    SellerTaxSettings,
)
from binakarya.deals.selectors import contract_form_for, quotation_plan, tax_settings_for, variants_by_sku
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import default_store
from binakarya.inventory.services import location_create, transfer_receive, transfer_send
from binakarya.ledger.services import deal_deposit_apply_post, deal_payment_post, deal_tax_post
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import agency_named
from binakarya.organizations.services import organization_upsert
from binakarya.sales.models import Channel
from binakarya.sales.services import MAX_QUANTITY as SALE_MAX_QUANTITY
from binakarya.sales.services import SaleLineInput, sale_record

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


def contract_rules_ensure() -> int:
    """Put back the thresholds in force since Perpres 46/2025 (``deals.seed``) where there are no rules at all;
    how many rules were made. Rules entered since are left as they are."""
    if ContractFormRule.objects.exists():
        return 0
    ContractFormRule.objects.bulk_create(
        ContractFormRule(
            form=form,
            channel=channel,
            max_value_idr=limit,
            effective_from=seed.EFFECTIVE,
            legal_reference=seed.REFERENCE,
        )
        for form, channel, limit in seed.RULES
    )
    return len(seed.RULES)


def tax_settings_update(
    *,
    actor: Actor,
    organization: Organization,
    ppn_enabled: bool,
    ppn_rate_bp: int,
    valid_days: int,
    recognition: str | None = None,
    payment_days: int | None = None,
) -> SellerTaxSettings:
    """Save whether the seller charges PPN, at which rate, how long its quotations stay valid, when its deals
    record their sale (at the BAST or when paid; new deals follow it, accepted ones keep theirs) and after how
    many days its invoices fall due (``None``: unchanged)."""
    require_deal_staff(actor, organization)
    errors: Errors = {}
    if not 0 <= ppn_rate_bp <= BASIS_POINTS:
        _add(errors, "ppn_rate", _("Enter a rate between 0 and 100 %."))
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        _add(errors, "valid_days", _("Enter between 1 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    if recognition is not None and recognition not in Recognition.values:
        _add(errors, "recognition", _("Choose when the sale is recorded."))
    if payment_days is not None and not 0 <= payment_days <= MAX_VALID_DAYS:
        _add(errors, "payment_days", _("Enter between 0 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    if errors:
        raise ValidationError(errors)
    settings = tax_settings_for(organization=organization)
    settings.ppn_enabled = ppn_enabled
    settings.ppn_rate_bp = ppn_rate_bp
    settings.valid_days = valid_days
    if recognition is not None:
        settings.recognition = recognition
    if payment_days is not None:
        settings.payment_days = payment_days
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


# Deals: accepting a quotation ------------------------------------------------------------------------


class DealConflict(ValidationError):
    """The request contradicts the deal's state: a quotation accepted twice, more delivered than ordered,
    more paid than the deal is worth (the API answers 409). ``code`` names which, also when the message is
    a dict of fields."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(message, code=code)
        self.code = code


def spread(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` shared over ``weights`` in proportion, to the rupiah: the shares add up to ``total`` exactly
    (largest remainders get the spare rupiah; ties go to the earlier weight)."""
    whole = sum(weights)
    if whole <= 0:
        return [0 for _w in weights]
    raw = [total * w for w in weights]
    shares = [r // whole for r in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] % whole), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def part_of(amount: int, *, units: int, of: int) -> int:
    """What the first ``units`` of ``of`` are worth of ``amount``, rounded half up: all of it at ``of``, so
    the parts of successive handovers (differences of this) add up to ``amount`` exactly."""
    return (2 * amount * units + of) // (2 * of)


def _buyer_organization(actor: Actor, name: str) -> Organization:
    """The agency that buys: the AGENCY organization of that name, made when it is new (its receivable is
    booked against it)."""
    existing = agency_named(name=name)
    if existing is not None:
        return existing
    slug = unique_slug(Organization, name, max_length=120)
    organization, _created = organization_upsert(actor=actor, slug=slug, name=name, kind=Organization.Kind.AGENCY)
    return organization


def _deal_location(deal_number: str, organization: Organization) -> Location:
    """The place the deal's delivered goods wait until they are handed over: the buyer, as a location of the
    seller's (the caller's right to make the deal was checked)."""
    return location_create(
        actor=None,
        organization=organization,
        name=_("Deal %(number)s") % {"number": deal_number},
        kind=Location.Kind.BUYER,
    )


def _contract_series(form: str) -> str | None:
    series: dict[str, str] = {ContractForm.SPK: numbers.SPK, ContractForm.SURAT_PERJANJIAN: numbers.AGREEMENT}
    return series.get(form)


def quotation_accept(
    *,
    actor: Actor,
    quotation: Quotation,
    po_number: str,
    po_date: datetime.date,
    channel: str = ContractChannel.DIRECT,
    platform: str = "",
    needed_by: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Deal:
    """The buyer accepted the quotation with its purchase order (a surat pesanan or SPK, or a surat pesanan
    from e-Katalog or Bela Pengadaan when ``channel`` is EPURCHASING): the deal, its lines (the discount and
    PPN spread over them to the rupiah) and, where the value needs one, the contract document (SPK or surat
    perjanjian) with its verification code.

    Raises PermissionDenied; ValidationError naming ``po_number``, ``po_date``, ``channel``, ``platform``,
    ``needed_by``; DealConflict when the quotation was already accepted. Nothing is saved on any of them.
    """
    organization = quotation.organization
    require_deal_staff(actor, organization)
    today = today or timezone.localdate()
    errors: Errors = {}
    po_number = " ".join(po_number.split())
    if not po_number:
        _add(errors, "po_number", _("Enter the number of the buyer's purchase order."), "required")
    elif len(po_number) > 80:
        _add(errors, "po_number", _("Use at most 80 characters."), "max_length")
    elif Deal.objects.filter(organization=organization, po_number=po_number).exists():
        _add(errors, "po_number", _("Purchase order %(po)s is already recorded.") % {"po": po_number}, "duplicate")
    if po_date > today:
        _add(errors, "po_date", _("The purchase order cannot be dated in the future."))
    elif po_date < quotation.issued_on:
        _add(
            errors,
            "po_date",
            _("The purchase order cannot be dated before the quotation (%(date)s).")
            % {"date": date_format(quotation.issued_on, "j F Y")},
        )
    elif po_date > quotation.valid_until:
        _add(
            errors,
            "po_date",
            _("The quotation was valid until %(date)s: issue a new one.")
            % {"date": date_format(quotation.valid_until, "j F Y")},
            "expired",
        )
    if channel not in ContractChannel.values:
        _add(errors, "channel", _("Choose a channel."))
    if channel == ContractChannel.EPURCHASING and platform not in (
        ProcurementPlatform.E_KATALOG,
        ProcurementPlatform.BELA_PENGADAAN,
        ProcurementPlatform.OTHER_SHOP,
    ):
        _add(errors, "platform", _("Choose where the surat pesanan was made: e-Katalog, Bela Pengadaan or a shop."))
    if channel == ContractChannel.DIRECT and platform:
        _add(errors, "platform", _("A direct purchase has no e-purchasing platform."))
    if needed_by is not None and needed_by < po_date:
        _add(errors, "needed_by", _("The goods cannot be needed before the purchase order's date."))
    lines = list(quotation.lines.select_related("variant").order_by("pk"))
    if errors:
        raise ValidationError(errors)
    rule = contract_form_for(value_idr=quotation.total_idr, on_date=po_date, channel=channel)
    if rule is None:
        raise ValidationError({"po_date": [_("No contract form rule is in force on %(date)s.") % {"date": po_date}]})
    discounts = spread(quotation.discount_idr, [line.line_total_idr for line in lines])
    dpps = [line.line_total_idr - d for line, d in zip(lines, discounts, strict=True)]
    ppns = spread(quotation.ppn_idr, dpps)
    for line, dpp in zip(lines, dpps, strict=True):
        if dpp < line.quantity:
            raise ValidationError(
                {"po_date": [_("After the discount, %(item)s would cost less than Rp1 a unit.") % {"item": line}]}
            )
    rfq = quotation.rfq
    with transaction.atomic():
        quotation = quotation_lock(pk=quotation.pk)
        if Deal.objects.filter(quotation=quotation).exists():
            raise DealConflict(
                _("Quotation %(number)s has already been accepted.") % {"number": quotation.number}, code="accepted"
            )
        if Deal.objects.filter(organization=organization, po_number=po_number).exists():
            raise DealConflict(
                {"po_number": [_("Purchase order %(po)s is already recorded.") % {"po": po_number}]},
                code="duplicate_po",
            )
        buyer = _buyer_organization(actor, quotation.buyer)
        number = numbers.number_next(organization=organization, series=numbers.DEAL, year=po_date.year)
        try:
            with transaction.atomic():  # two quotations accepted with one PO at once: the unique constraint decides
                deal = Deal.objects.create(
                    organization=organization,
                    quotation=quotation,
                    number=number,
                    buyer=quotation.buyer,
                    buyer_organization=buyer,
                    channel=channel,
                    platform=platform,
                    po_number=po_number,
                    po_date=po_date,
                    contract_form=rule.form,
                    contract_rule=rule,
                    location=_deal_location(number, organization),
                    needed_by=needed_by or (rfq.needed_by if rfq else None),
                    delivery_place=rfq.delivery_place if rfq else "",
                    recognition=tax_settings_for(organization=organization).recognition,
                    dpp_idr=quotation.subtotal_idr - quotation.discount_idr,
                    ppn_idr=quotation.ppn_idr,
                    total_idr=quotation.total_idr,
                    created_by=user_of(actor),
                )
        except IntegrityError:
            raise DealConflict(
                {"po_number": [_("Purchase order %(po)s is already recorded.") % {"po": po_number}]},
                code="duplicate_po",
            ) from None
        DealLine.objects.bulk_create(
            DealLine(
                deal=deal,
                variant=line.variant,
                description=line.description,
                quantity=line.quantity,
                unit_price_idr=line.unit_price_idr,
                dpp_idr=dpp,
                ppn_idr=ppn,
            )
            for line, dpp, ppn in zip(lines, dpps, ppns, strict=True)
        )
        series = _contract_series(rule.form)
        if series is not None:
            contract_number = numbers.number_next(organization=organization, series=series, year=po_date.year)
            deal.contract_document = document_issue(
                actor=actor,
                organization=organization,
                kind=Document.Kind.CONTRACT,
                number=contract_number,
                title=_("%(form)s %(number)s") % {"form": ContractForm(rule.form).label, "number": contract_number},
                public_figures={
                    "total_idr": deal.total_idr,
                    "buyer": deal.buyer,
                    "date": po_date.isoformat(),
                    "units": sum(line.quantity for line in lines),
                },
            )
            deal.save(update_fields=["contract_document", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.DEAL_ACCEPT,
            obj=deal,
            organization=organization,
            quotation=quotation.number,
            po=po_number,
            form=rule.form,
        )
    return deal


# Deals: deliveries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealLineInput:
    sku: str
    quantity: int


def _deal_lines_for(deal: Deal, lines: Sequence[DealLineInput], errors: Errors, field: str = "lines") -> dict[int, int]:
    """Units asked for per deal line id; the problems added to ``errors``."""
    by_sku = {line.variant.sku: line for line in deal.lines.select_related("variant")}
    wanted: dict[int, int] = {}
    if not lines:
        _add(errors, field, _("Add at least one item."), "required")
    elif len(lines) > MAX_LINES:
        _add(errors, field, _("Name at most %(max)s items at once.") % {"max": MAX_LINES})
    for index, line in enumerate(lines[:MAX_LINES], start=1):
        sku = line.sku.strip().upper()
        deal_line = by_sku.get(sku)
        if deal_line is None:
            _add(
                errors,
                field,
                _("Item %(n)s: %(sku)s is not in deal %(deal)s.")
                % {"n": index, "sku": sku or "-", "deal": deal.number},
            )
        elif not 1 <= line.quantity <= MAX_QUANTITY:
            _add(errors, field, _("Item %(n)s: enter a quantity of at least 1.") % {"n": index})
        else:
            wanted[deal_line.pk] = wanted.get(deal_line.pk, 0) + line.quantity
    return wanted


def _require_open(deal: Deal) -> None:
    if deal.status == Deal.Status.CANCELLED:
        raise DealConflict(_("Deal %(number)s was cancelled.") % {"number": deal.number}, code="cancelled")


def _occurred_at(day: datetime.date) -> datetime.datetime:
    """A moment on ``day``: now when it is today, else noon (local time)."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def delivery_record(
    *,
    actor: Actor,
    deal: Deal,
    lines: Sequence[DealLineInput],
    from_location: Location | None = None,
    delivered_on: datetime.date | None = None,
    vehicle: str = "",
    driver: str = "",
    note: str = "",
) -> Delivery:
    """Deliver some of the deal's goods: a transfer from ``from_location`` (the seller's store when not given)
    to the deal's location, received there at once, whose surat jalan is the delivery's.

    Raises PermissionDenied (the actor must also be allowed to move the seller's stock); ValidationError
    naming ``lines``, ``delivered_on``, ``from_location``; InsufficientStock; DealConflict (code
    ``over_ordered``) when more would be delivered than was ordered. Nothing is saved on any of them.
    """
    organization = deal.organization
    require_deal_staff(actor, organization)
    delivered_on = delivered_on or timezone.localdate()
    errors: Errors = {}
    wanted = _deal_lines_for(deal, lines, errors)
    if delivered_on > timezone.localdate():
        _add(errors, "delivered_on", _("The delivery cannot be dated in the future."))
    elif delivered_on < deal.po_date:
        _add(errors, "delivered_on", _("The delivery cannot be dated before the purchase order."))
    source = from_location or default_store(organization=organization)
    if source is None or source.organization_id != organization.pk or source.kind == Location.Kind.BUYER:
        _add(errors, "from_location", _("Choose the store the goods leave from."), "required")
    for field, value, limit in (("vehicle", vehicle, 60), ("driver", driver, 120), ("note", note, 300)):
        if len(value.strip()) > limit:
            _add(errors, field, _("Use at most %(max)s characters.") % {"max": limit}, "max_length")
    if errors:
        raise ValidationError(errors)
    assert source is not None
    with transaction.atomic():
        deal = deal_lock(pk=deal.pk)
        _require_open(deal)
        deal_lines = {line.pk: line for line in deal.lines.select_related("variant").order_by("pk")}
        over = [
            _("%(sku)s: %(ordered)s ordered, %(delivered)s delivered, %(asked)s more is too many.")
            % {
                "sku": deal_lines[pk].variant.sku,
                "ordered": deal_lines[pk].quantity,
                "delivered": deal_lines[pk].delivered,
                "asked": units,
            }
            for pk, units in sorted(wanted.items())
            if deal_lines[pk].delivered + units > deal_lines[pk].quantity
        ]
        if over:
            raise DealConflict({"lines": over}, code="over_ordered")
        transfer = transfer_send(
            actor=actor,
            from_location=source,
            to_location=deal.location,
            lines=[(deal_lines[pk].variant, units) for pk, units in sorted(wanted.items())],
            allow_buyer=True,
            note=_("Deal %(deal)s, PO %(po)s") % {"deal": deal.number, "po": deal.po_number},
        )
        transfer = transfer_receive(actor=actor, transfer=transfer)
        delivery = Delivery.objects.create(
            organization=organization,
            deal=deal,
            transfer=transfer,
            number=transfer.number,
            delivered_on=delivered_on,
            vehicle=vehicle.strip(),
            driver=driver.strip(),
            note=note.strip(),
            created_by=user_of(actor),
        )
        DeliveryLine.objects.bulk_create(
            DeliveryLine(delivery=delivery, deal_line_id=pk, quantity=units) for pk, units in sorted(wanted.items())
        )
        for pk, units in wanted.items():
            deal_lines[pk].delivered += units
        DealLine.objects.bulk_update(list(deal_lines.values()), ["delivered"])
        document = transfer.document
        if document is not None:
            document.public_figures = {**document.public_figures, "deal": deal.number, "buyer": deal.buyer}
            document.save(update_fields=["public_figures"])
        _status_update(deal, list(deal_lines.values()))
        audit_record(
            actor=actor,
            action=AuditAction.DEAL_DELIVERY,
            obj=delivery,
            organization=organization,
            deal=deal.number,
            units=sum(wanted.values()),
        )
    return delivery


# Deals: the handover (BAST) and the sale ---------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    side: str  # SELLER or BUYER
    name: str
    position: str
    id_number: str = ""


SIDES = ("SELLER", "BUYER")
MAX_SIGNATORIES = 6


def _clean_signatories(signatories: Sequence[Signatory], errors: Errors) -> list[dict[str, str]]:
    cleaned = []
    for index, person in enumerate(signatories[:MAX_SIGNATORIES], start=1):
        name, position = " ".join(person.name.split()), " ".join(person.position.split())
        if person.side not in SIDES:
            _add(errors, "signatories", _("Signatory %(n)s: choose the seller's or the buyer's side.") % {"n": index})
        if not name or not position:
            _add(errors, "signatories", _("Signatory %(n)s: enter the name and the position.") % {"n": index})
        if len(name) > 120 or len(position) > 120 or len(person.id_number.strip()) > 40:
            _add(errors, "signatories", _("Signatory %(n)s: the entry is too long.") % {"n": index})
        cleaned.append({"side": person.side, "name": name, "position": position, "id_number": person.id_number.strip()})
    if len(signatories) > MAX_SIGNATORIES:
        _add(errors, "signatories", _("At most %(max)s people sign.") % {"max": MAX_SIGNATORIES})
    for side, message in (
        ("SELLER", _("Name who hands the goods over for the seller.")),
        ("BUYER", _("Name who receives the goods for the buyer (usually the PPK or the inspection officer).")),
    ):
        if not any(person.side == side for person in signatories):
            _add(errors, "signatories", message, "required")
    return cleaned


def handover_record(
    *,
    actor: Actor,
    deal: Deal,
    signatories: Sequence[Signatory],
    handed_over_on: datetime.date | None = None,
    lines: Sequence[DealLineInput] | None = None,
    place: str = "",
    note: str = "",
) -> Handover:
    """The BAST: the delivered goods (``lines``; all delivered and not yet handed over when None) inspected and
    handed over, signed by the seller's and the buyer's people. Its value is the lines' shares of the deal's
    value (to the rupiah: the handovers of a deal add up to its total). When the deal recognises its sale at
    the handover, or the buyer has already paid for these goods, the sale is recorded now.

    Raises PermissionDenied; ValidationError naming ``lines``, ``signatories``, ``handed_over_on``, ``place``;
    DealConflict. Nothing is saved on any of them.
    """
    organization = deal.organization
    require_deal_staff(actor, organization)
    handed_over_on = handed_over_on or timezone.localdate()
    errors: Errors = {}
    people = _clean_signatories(signatories, errors)
    wanted = _deal_lines_for(deal, lines, errors) if lines is not None else None
    if handed_over_on > timezone.localdate():
        _add(errors, "handed_over_on", _("The handover cannot be dated in the future."))
    elif handed_over_on < deal.po_date:
        _add(errors, "handed_over_on", _("The handover cannot be dated before the purchase order."))
    if len(place.strip()) > 200:
        _add(errors, "place", _("Use at most 200 characters."), "max_length")
    if len(note) > 2000:
        _add(errors, "note", _("Use at most 2000 characters."), "max_length")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deal = deal_lock(pk=deal.pk)
        _require_open(deal)
        deal_lines = list(deal.lines.select_related("variant").order_by("pk"))
        if wanted is None:
            wanted = {
                line.pk: line.delivered - line.handed_over for line in deal_lines if line.delivered > line.handed_over
            }
            if not wanted:
                raise DealConflict(
                    {"lines": [_("Nothing delivered is waiting to be handed over: record a delivery first.")]},
                    code="nothing_delivered",
                )
        over = [
            _("%(sku)s: %(delivered)s delivered, %(handed)s handed over; %(asked)s more have not been delivered.")
            % {
                "sku": line.variant.sku,
                "delivered": line.delivered,
                "handed": line.handed_over,
                "asked": wanted[line.pk],
            }
            for line in deal_lines
            if line.pk in wanted and line.handed_over + wanted[line.pk] > line.delivered
        ]
        if over:
            raise DealConflict({"lines": over}, code="not_delivered")
        parts = []
        for line in deal_lines:
            units = wanted.get(line.pk, 0)
            if not units:
                continue
            before, after = line.handed_over, line.handed_over + units
            dpp = part_of(line.dpp_idr, units=after, of=line.quantity) - part_of(
                line.dpp_idr, units=before, of=line.quantity
            )
            ppn = part_of(line.ppn_idr, units=after, of=line.quantity) - part_of(
                line.ppn_idr, units=before, of=line.quantity
            )
            parts.append((line, units, dpp, ppn))
            line.handed_over = after
        dpp_total, ppn_total = sum(p[2] for p in parts), sum(p[3] for p in parts)
        number = numbers.number_next(organization=organization, series=numbers.BAST, year=handed_over_on.year)
        document = document_issue(
            actor=actor,
            organization=organization,
            kind=Document.Kind.BAST,
            number=number,
            title=_("Handover report (BAST) %(number)s") % {"number": number},
            public_figures={
                "value_idr": dpp_total + ppn_total,
                "units": sum(p[1] for p in parts),
                "date": handed_over_on.isoformat(),
                "deal": deal.number,
                "buyer": deal.buyer,
            },
        )
        handover = Handover.objects.create(
            organization=organization,
            deal=deal,
            document=document,
            number=number,
            handed_over_on=handed_over_on,
            place=" ".join(place.split()) or organization.regency,
            signatories=people,
            note=note.strip(),
            dpp_idr=dpp_total,
            ppn_idr=ppn_total,
            value_idr=dpp_total + ppn_total,
            created_by=user_of(actor),
        )
        HandoverLine.objects.bulk_create(
            HandoverLine(handover=handover, deal_line=line, quantity=units, dpp_idr=dpp, ppn_idr=ppn)
            for line, units, dpp, ppn in parts
        )
        DealLine.objects.bulk_update(deal_lines, ["handed_over"])
        deal.handed_over_idr += handover.value_idr
        _recognize_due(actor, deal, handed_over_on)
        handover.refresh_from_db(fields=["sale"])
        _status_update(deal, deal_lines)
        audit_record(
            actor=actor,
            action=AuditAction.DEAL_HANDOVER,
            obj=handover,
            organization=organization,
            deal=deal.number,
            value_idr=handover.value_idr,
        )
    return handover


def _sale_lines(handover: Handover, reason: str) -> list[SaleLineInput]:
    """The handover's lines at their contract prices: a line whose value does not divide by its units sells
    some units one rupiah dearer, so that the sale is worth the handover's value before PPN exactly."""
    lines = []
    for line in handover.lines.select_related("deal_line__variant").order_by("pk"):
        base, dearer = divmod(line.dpp_idr, line.quantity)
        sku = line.deal_line.variant.sku
        for units, price in ((dearer, base + 1), (line.quantity - dearer, base)):
            while units:  # a sale line holds at most SALE_MAX_QUANTITY units
                part = min(units, SALE_MAX_QUANTITY)
                lines.append(SaleLineInput(sku, part, price, price_intended=True, price_reason=reason))
                units -= part
    return lines


def _recognize(actor: Actor, deal: Deal, handover: Handover, day: datetime.date) -> None:
    """Record the handover's sale on ``day`` (premi follow through ``sale_record``), the PPN on it, and apply the
    money held for the buyer to what it now owes: three entries of one date."""
    occurred_at = _occurred_at(day)
    sale = sale_record(
        actor=actor,
        location=deal.location,
        channel=Channel.INSTITUTIONAL,
        lines=_sale_lines(handover, _("Contract price, deal %(deal)s") % {"deal": deal.number}),
        occurred_at=occurred_at,
        buyer=deal.buyer_organization,
        buyer_name=deal.buyer,
        deal_location=True,
    )
    memo = f"{deal.number} {handover.number}"
    if handover.ppn_idr:
        deal_tax_post(
            actor=actor,
            organization=deal.organization,
            buyer=deal.buyer_organization,
            amount_idr=handover.ppn_idr,
            memo=memo,
            occurred_at=occurred_at,
        )
    applied = min(deal.held_idr, handover.value_idr)
    if applied:
        deal_deposit_apply_post(
            actor=actor,
            organization=deal.organization,
            buyer=deal.buyer_organization,
            amount_idr=applied,
            memo=memo,
            occurred_at=occurred_at,
        )
        deal.held_idr -= applied
    handover.sale = sale
    handover.save(update_fields=["sale", "updated_at"])
    deal.recognized_idr += handover.value_idr


def _recognize_due(actor: Actor, deal: Deal, on: datetime.date) -> None:
    """Recognise the handovers whose time has come, oldest first: all of them when the deal recognises at the
    handover; when it recognises on payment, each one the money held covers. The sale is dated the later of the
    handover and ``on`` (the day of the handover or of the payment that brought it about)."""
    for handover in deal.handovers.filter(sale__isnull=True).order_by("pk"):
        if deal.recognition == Recognition.PAYMENT and deal.held_idr < handover.value_idr:
            break
        _recognize(actor, deal, handover, max(handover.handed_over_on, on))


def _status_update(deal: Deal, lines: Sequence[DealLine]) -> None:
    """Save the deal's figures and the stage it has reached; its location closes once everything is sold."""
    if deal.status != Deal.Status.CANCELLED:
        ordered = sum(line.quantity for line in lines)
        delivered = sum(line.delivered for line in lines)
        if (
            deal.paid_idr >= deal.total_idr
            and deal.recognized_idr >= deal.total_idr
            and deal.invoiced_idr >= deal.total_idr
        ):
            deal.status = Deal.Status.PAID
        elif deal.invoiced_idr >= deal.total_idr:
            deal.status = Deal.Status.INVOICED
        elif delivered >= ordered:
            deal.status = Deal.Status.DELIVERED
        elif delivered:
            deal.status = Deal.Status.PARTLY_DELIVERED
        else:
            deal.status = Deal.Status.ORDERED
    deal.save(
        update_fields=[
            "status",
            "handed_over_idr",
            "recognized_idr",
            "invoiced_idr",
            "paid_idr",
            "held_idr",
            "updated_at",
        ]
    )
    if deal.recognized_idr >= deal.total_idr and deal.location.is_active:
        deal.location.is_active = False
        deal.location.save(update_fields=["is_active", "updated_at"])


# Deals: invoices and payments ------------------------------------------------------------------------

BILLED_BY_KUITANSI = (ContractForm.PROOF_OF_PURCHASE, ContractForm.KUITANSI)


def deal_invoice_issue(
    *, actor: Actor, deal: Deal, issued_on: datetime.date | None = None, due_days: int | None = None
) -> DealInvoice:
    """Bill the goods handed over and not yet billed: an invoice, or a kuitansi when the deal's value needs
    only a kuitansi or a proof of purchase. Raises PermissionDenied, ValidationError (``due_days``,
    ``issued_on``), DealConflict (nothing to bill)."""
    organization = deal.organization
    require_deal_staff(actor, organization)
    issued_on = issued_on or timezone.localdate()
    due_days = tax_settings_for(organization=organization).payment_days if due_days is None else due_days
    errors: Errors = {}
    if not 0 <= due_days <= MAX_VALID_DAYS:
        _add(errors, "due_days", _("Enter between 0 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    if issued_on > timezone.localdate():
        _add(errors, "issued_on", _("The invoice cannot be dated in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deal = deal_lock(pk=deal.pk)
        _require_open(deal)
        handovers = list(deal.handovers.filter(invoice__isnull=True).order_by("pk"))
        if not handovers:
            raise DealConflict(
                {"deal": [_("Nothing handed over is left to bill: record a BAST first.")]}, code="nothing_to_bill"
            )
        last_handover = max(h.handed_over_on for h in handovers)
        if issued_on < last_handover:
            raise ValidationError(
                {
                    "issued_on": [
                        _("The bill cannot be dated before the handover it bills (%(date)s).")
                        % {"date": date_format(last_handover, "j F Y")}
                    ]
                }
            )
        kuitansi = deal.contract_form in BILLED_BY_KUITANSI
        kind = Document.Kind.RECEIPT if kuitansi else Document.Kind.INVOICE
        series = numbers.RECEIPT if kuitansi else numbers.INVOICE
        number = numbers.number_next(organization=organization, series=series, year=issued_on.year)
        dpp, ppn = sum(h.dpp_idr for h in handovers), sum(h.ppn_idr for h in handovers)
        # What the buyer paid beyond the bills before this one (a down payment) comes off this bill.
        credit = min(dpp + ppn, max(0, deal.paid_idr - deal.invoiced_idr))
        due_on = issued_on + datetime.timedelta(days=due_days)
        title = _("Receipt (kuitansi) %(number)s") if kuitansi else _("Invoice %(number)s")
        document = document_issue(
            actor=actor,
            organization=organization,
            kind=kind,
            number=number,
            title=title % {"number": number},
            public_figures={
                "amount_idr": dpp + ppn,
                "due_idr": dpp + ppn - credit,
                "date": issued_on.isoformat(),
                "due": due_on.isoformat(),
                "deal": deal.number,
                "buyer": deal.buyer,
            },
        )
        invoice = DealInvoice.objects.create(
            organization=organization,
            deal=deal,
            document=document,
            number=number,
            issued_on=issued_on,
            due_on=due_on,
            dpp_idr=dpp,
            ppn_idr=ppn,
            amount_idr=dpp + ppn,
            credit_idr=credit,
            created_by=user_of(actor),
        )
        Handover.objects.filter(pk__in=[h.pk for h in handovers]).update(invoice=invoice)
        deal.invoiced_idr += invoice.amount_idr
        _status_update(deal, list(deal.lines.order_by("pk")))
        audit_record(
            actor=actor,
            action=AuditAction.DEAL_INVOICE,
            obj=invoice,
            organization=organization,
            deal=deal.number,
            amount_idr=invoice.amount_idr,
        )
    return invoice


def deal_payment_record(
    *,
    actor: Actor,
    deal: Deal,
    amount_idr: int,
    paid_on: datetime.date | None = None,
    method: str = DealPayment.Method.BANK,
    reference: str = "",
) -> DealPayment:
    """Money the buyer paid: it clears what the buyer owes for goods already sold, and is held for the rest (a
    down payment) until a handover's sale is recorded; on a deal that recognises its sale when paid, the
    handovers it now covers are recognised. It gets its own kuitansi unless it settles a bill that is itself a
    kuitansi (then ``receipt`` is None: that kuitansi is the receipt).

    Raises PermissionDenied; ValidationError naming ``amount_idr``,
    ``paid_on``, ``method``, ``reference``; DealConflict (code ``overpayment``) when the deal is worth less
    than has been paid and this payment. Nothing is saved on any of them.
    """
    organization = deal.organization
    require_deal_staff(actor, organization)
    paid_on = paid_on or timezone.localdate()
    errors: Errors = {}
    if not 0 < amount_idr <= MAX_UNIT_PRICE_IDR:
        _add(errors, "amount_idr", _("Enter an amount of more than Rp0."))
    if paid_on > timezone.localdate():
        _add(errors, "paid_on", _("The payment cannot be dated in the future."))
    elif paid_on < deal.po_date:
        _add(errors, "paid_on", _("The payment cannot be dated before the purchase order."))
    if method not in DealPayment.Method.values:
        _add(errors, "method", _("Choose how it was paid."))
    if len(reference.strip()) > 120:
        _add(errors, "reference", _("Use at most 120 characters."), "max_length")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deal = deal_lock(pk=deal.pk)
        _require_open(deal)
        left = deal.total_idr - deal.paid_idr
        if amount_idr > left:
            raise DealConflict(
                {
                    "amount_idr": [
                        _(
                            "Deal %(deal)s is worth %(total)s and %(paid)s is paid: a payment of %(amount)s is more than the %(left)s left."
                        )
                        % {
                            "deal": deal.number,
                            "total": format_rupiah(deal.total_idr),
                            "paid": format_rupiah(deal.paid_idr),
                            "amount": format_rupiah(amount_idr),
                            "left": format_rupiah(left),
                        }
                    ]
                },
                code="overpayment",
            )
        owed = deal.recognized_idr - (deal.paid_idr - deal.held_idr)
        to_receivable = min(amount_idr, owed)
        memo = f"{deal.number} {reference.strip()}".strip()
        entry = deal_payment_post(
            actor=actor,
            organization=organization,
            buyer=deal.buyer_organization,
            amount_idr=amount_idr,
            to_receivable_idr=to_receivable,
            cash=method == DealPayment.Method.CASH,
            occurred_at=_occurred_at(paid_on),
            memo=memo[:300],
        )
        # A deal billed by kuitansi: the kuitansi of the bill is the receipt for the money that settles it; any
        # other payment (a down payment, a payment of an invoice) gets its own kuitansi.
        billed_unpaid = max(0, deal.invoiced_idr - deal.paid_idr)
        receipt = None
        if not (deal.contract_form in BILLED_BY_KUITANSI and amount_idr <= billed_unpaid):
            number = numbers.number_next(organization=organization, series=numbers.RECEIPT, year=paid_on.year)
            receipt = document_issue(
                actor=actor,
                organization=organization,
                kind=Document.Kind.RECEIPT,
                number=number,
                title=_("Receipt (kuitansi) %(number)s") % {"number": number},
                public_figures={
                    "amount_idr": amount_idr,
                    "date": paid_on.isoformat(),
                    "deal": deal.number,
                    "buyer": deal.buyer,
                },
            )
        payment = DealPayment.objects.create(
            organization=organization,
            deal=deal,
            paid_on=paid_on,
            amount_idr=amount_idr,
            method=method,
            reference=reference.strip(),
            to_receivable_idr=to_receivable,
            held_idr=amount_idr - to_receivable,
            entry=entry,
            receipt=receipt,
            created_by=user_of(actor),
        )
        deal.paid_idr += amount_idr
        deal.held_idr += amount_idr - to_receivable
        _recognize_due(actor, deal, paid_on)
        _status_update(deal, list(deal.lines.order_by("pk")))
        audit_record(
            actor=actor,
            action=AuditAction.DEAL_PAYMENT,
            obj=payment,
            organization=organization,
            deal=deal.number,
            amount_idr=amount_idr,
        )
    return payment


def deal_cancel(*, actor: Actor, deal: Deal, reason: str) -> Deal:
    """Cancel a deal nothing has been delivered or paid on yet. Raises PermissionDenied, ValidationError
    (``reason``), DealConflict."""
    require_deal_staff(actor, deal.organization)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the deal is cancelled.")]})
    with transaction.atomic():
        deal = deal_lock(pk=deal.pk)
        _require_open(deal)
        if deal.paid_idr or deal.lines.filter(delivered__gt=0).exists():
            raise DealConflict(
                _("Deal %(number)s has deliveries or payments: it cannot be cancelled.") % {"number": deal.number},
                code="started",
            )
        deal.status = Deal.Status.CANCELLED
        deal.save(update_fields=["status", "updated_at"])
        deal.location.is_active = False
        deal.location.save(update_fields=["is_active", "updated_at"])
        if deal.contract_document is not None:  # the verification page says so
            document = deal.contract_document
            document.public_figures = {**document.public_figures, "cancelled": timezone.localdate().isoformat()}
            document.save(update_fields=["public_figures"])
        audit_record(
            actor=actor, action=AuditAction.DEAL_CANCEL, obj=deal, organization=deal.organization, reason=reason[:300]
        )
    return deal
