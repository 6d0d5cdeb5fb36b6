"""Writes of exports: a buyer's inquiry (public), the seller's exporter settings, the pro-forma invoice with its
packing list, closing an inquiry and the manual items of the SKA checklist (the seller's sales staff).

Every write checks everything first and raises one ValidationError naming each wrong field, in the caller's
language: nothing is half-saved. Every write records an audit row.
"""

import datetime
import re
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.exports import amounts, notifications
from binakarya.exports.countries import CODES as COUNTRY_CODES
from binakarya.exports.locks import inquiry_lock
from binakarya.exports.models import (
    ChecklistMark,
    Currency,
    ExporterSettings,
    ExportInquiry,
    ExportInquiryLine,
    ExportOrder,
    Incoterm,
    PackingList,
    Proforma,
    ProformaLine,
)
from binakarya.exports.selectors import (
    export_minimum,
    export_profile_of,
    exportable_by_sku,
    exporter_settings_for,
    manual_item_keys,
    product_label,
    rates_in_force,
    variant_label,
    variants_of_seller,
)
from binakarya.organizations.models import Organization

# Number series (documents.numbers): the inquiry (numbered, no document), the pro-forma and the packing list.
INQUIRY_SERIES = "EXI"
PROFORMA_SERIES = "PI"
PACKING_LIST_SERIES = "PL"

MAX_LINES = 50
MAX_QUANTITY = 1_000_000
MAX_UNIT_PRICE_IDR = 10_000_000_000
MAX_CHARGE_IDR = 100_000_000_000
MAX_VALID_DAYS = 365
DEFAULT_VALID_DAYS = 30
DEFAULT_PAYMENT_TERMS = "50% T/T in advance, balance by T/T before shipment."
PHONE_RE = re.compile(r"^\+?\d{7,15}$")
NIB_RE = re.compile(r"^\d{13}$")
NPWP_RE = re.compile(r"^\d{15,16}$")
SWIFT_RE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
# An inquiry whose buyer confirmed a pro-forma: it is an order now, and takes no other pro-forma.
ORDERED = (ExportInquiry.Status.CONFIRMED, ExportInquiry.Status.SHIPPED)

Errors = dict[str, list[ValidationError]]


def _add(errors: Errors, field: str, message: str, code: str = "invalid") -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _text(errors: Errors, field: str, value: str, *, limit: int, required: str | None = None) -> str:
    """``value`` with its spaces collapsed; an error on ``field`` when it is empty (and ``required``) or too long."""
    text = " ".join((value or "").split())
    if not text and required:
        _add(errors, field, required, "required")
    elif len(text) > limit:
        _add(errors, field, _("Use at most %(max)s characters.") % {"max": limit}, "max_length")
    return text


def require_export_staff(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` handles the exports of ``organization`` (the sellers' rule)."""
    if actor is not None and not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not handle the export inquiries of %(org)s.") % {"org": organization.name})


# Inquiries ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InquiryLineInput:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Buyer:
    company: str
    name: str
    email: str
    phone: str = ""


def _clean_buyer(buyer: Buyer, errors: Errors) -> Buyer:
    company = _text(errors, "company", buyer.company, limit=200, required=_("Enter your company."))
    name = _text(errors, "name", buyer.name, limit=120, required=_("Enter the contact's name."))
    email = (buyer.email or "").strip()
    if not email:
        _add(errors, "email", _("Enter an email address: the pro-forma invoice is sent there."), "required")
    else:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Enter a valid email address, e.g. buyer@example.com."))
    phone = re.sub(r"[\s\-().]", "", buyer.phone or "")
    if phone and not PHONE_RE.match(phone):
        _add(
            errors, "phone", _("Enter the phone number with its country code, e.g. +81 3 1234 5678, or leave it empty.")
        )
    elif phone and not phone.startswith("+"):
        phone = "+" + phone
    return Buyer(company, name, email, phone)


def _clean_terms(errors: Errors, incoterm: str, place: str, *, place_field: str = "place") -> tuple[str, str]:
    term = (incoterm or "").strip().upper()
    if term not in Incoterm.values:
        _add(errors, "incoterm", _("Choose an Incoterm: EXW, FOB or CIF."), "required" if not term else "invalid")
    named = _text(
        errors,
        place_field,
        place,
        limit=200,
        required=_("Name the port or place for the Incoterm, e.g. Tanjung Perak, Surabaya (FOB)."),
    )
    return term, named


def inquiry_submit(
    *,
    actor: Actor,
    buyer: Buyer,
    country: str,
    incoterm: str,
    place: str,
    lines: Sequence[InquiryLineInput],
    note: str = "",
    language: str = "",
) -> ExportInquiry:
    """Record a buyer abroad's inquiry to the seller of the products asked for (all of one seller).

    Each product must have export data and be asked for at least its export minimum (its MOQ, counted over the
    product's variants together).

    Raises ValidationError naming ``company``, ``name``, ``email``, ``phone``, ``country``, ``incoterm``, ``place``,
    ``lines``, ``note``; saves nothing then.
    """
    errors: Errors = {}
    buyer = _clean_buyer(buyer, errors)
    code = (country or "").strip().upper()
    if not code:
        _add(errors, "country", _("Choose the destination country."), "required")
    elif code == "ID":
        _add(errors, "country", _("Indonesia is not an export destination: use the catalog or ask for a quotation."))
    elif code not in COUNTRY_CODES:
        _add(errors, "country", _("Choose a country from the list."))
    term, named = _clean_terms(errors, incoterm, place)
    if len(note or "") > 2000:
        _add(errors, "note", _("Use at most 2000 characters."), "max_length")
    variants = exportable_by_sku(skus=[line.sku for line in lines])
    cleaned: list[tuple[Variant, int]] = []
    if not lines:
        _add(errors, "lines", _("Add at least one product."), "required")
    elif len(lines) > MAX_LINES:
        _add(errors, "lines", _("Ask for at most %(max)s products at once.") % {"max": MAX_LINES})
    for index, line in enumerate(lines[:MAX_LINES], start=1):
        sku = line.sku.strip()
        variant = variants.get(sku)
        if variant is None:
            _add(
                errors,
                "lines",
                _("Item %(n)s: no product with SKU %(sku)s is offered for export.") % {"n": index, "sku": sku or "-"},
            )
        if not 1 <= line.quantity <= MAX_QUANTITY:
            _add(errors, "lines", _("Item %(n)s: enter a quantity of at least 1.") % {"n": index})
        elif variant is not None:
            cleaned.append((variant, line.quantity))
    wanted: dict[int, int] = defaultdict(int)
    for variant, quantity in cleaned:
        wanted[variant.product_id] += quantity
    reported: set[int] = set()
    for variant, _quantity in cleaned:
        minimum = export_minimum(variant)
        if variant.product_id not in reported and wanted[variant.product_id] < minimum:
            reported.add(variant.product_id)
            _add(
                errors,
                "lines",
                _("The minimum export order of %(product)s is %(moq)s units; you asked for %(quantity)s.")
                % {
                    "product": product_label(variant.product, get_language() or ""),
                    "moq": f"{minimum:,}",
                    "quantity": f"{wanted[variant.product_id]:,}",
                },
                "moq",
            )
    if len({variant.organization_id for variant, _q in cleaned}) > 1:
        _add(errors, "lines", _("Ask one seller at a time: these products come from different sellers."))
    if errors:
        raise ValidationError(errors)
    organization = cleaned[0][0].organization
    with transaction.atomic():
        inquiry = ExportInquiry.objects.create(
            organization=organization,
            number=numbers.number_next(organization=organization, series=INQUIRY_SERIES),
            token=secrets.token_urlsafe(24),
            company=buyer.company,
            contact_name=buyer.name,
            contact_email=buyer.email,
            contact_phone=buyer.phone,
            country=code,
            incoterm=term,
            place=named,
            note=(note or "").strip(),
            language=(language or "")[:8],
            submitted_by=user_of(actor),
        )
        ExportInquiryLine.objects.bulk_create(
            ExportInquiryLine(inquiry=inquiry, variant=variant, description=variant_label(variant, "en"), quantity=q)
            for variant, q in cleaned
        )
        audit_record(actor=actor, action=AuditAction.EXPORT_INQUIRY_SUBMIT, obj=inquiry, organization=organization)
        notifications.inquiry_received(inquiry)
    return inquiry


def inquiry_close(*, actor: Actor, inquiry: ExportInquiry) -> ExportInquiry:
    """Close an inquiry (the buyer ordered elsewhere, or the deal goes on outside Binakarya). An order the buyer
    confirmed closes too while nothing is paid; once money is held for the buyer, or the goods shipped, it
    stays open. Raises PermissionDenied; ValidationError when it is closed already or cannot close."""
    require_export_staff(actor, inquiry.organization)
    with transaction.atomic():
        locked = inquiry_lock(pk=inquiry.pk)
        if locked.status == ExportInquiry.Status.CLOSED:
            raise ValidationError({"status": [_("This inquiry is closed already.")]})
        if locked.status == ExportInquiry.Status.SHIPPED:
            raise ValidationError({"status": [_("This inquiry's order has shipped: there is nothing to close.")]})
        if ExportOrder.objects.filter(inquiry=locked, paid_idr__gt=0).exists():
            raise ValidationError(
                {"status": [_("The buyer has paid for this inquiry's order: ship it, or give the money back first.")]}
            )
        locked.status = ExportInquiry.Status.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.EXPORT_INQUIRY_CLOSE, obj=locked)
    return locked


# Exporter settings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExporterInput:
    nib: str = ""
    npwp: str = ""
    bank_name: str = ""
    bank_account_name: str = ""
    bank_account_number: str = ""
    swift_code: str = ""


def exporter_settings_update(*, actor: Actor, organization: Organization, data: ExporterInput) -> ExporterSettings:
    """Save the seller's NIB, NPWP and bank for T/T payments. Dots, dashes and spaces in the numbers are dropped.

    Raises PermissionDenied; ValidationError naming ``nib``, ``npwp``, ``swift_code`` and the bank fields.
    """
    require_export_staff(actor, organization)
    errors: Errors = {}
    nib = re.sub(r"[\s.\-]", "", data.nib or "")
    if nib and not NIB_RE.match(nib):
        _add(errors, "nib", _("An NIB has 13 digits."))
    npwp = re.sub(r"[\s.\-]", "", data.npwp or "")
    if npwp and not NPWP_RE.match(npwp):
        _add(errors, "npwp", _("An NPWP has 15 digits (16 in the new format), e.g. 01.234.567.8-901.000."))
    swift = re.sub(r"\s", "", data.swift_code or "").upper()
    if swift and not SWIFT_RE.match(swift):
        _add(errors, "swift_code", _("A SWIFT code has 8 or 11 letters and digits, e.g. BMRIIDJA."))
    bank = _text(errors, "bank_name", data.bank_name, limit=100)
    account_name = _text(errors, "bank_account_name", data.bank_account_name, limit=120)
    account_number = _text(errors, "bank_account_number", data.bank_account_number, limit=40)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings = exporter_settings_for(organization=organization)
        settings.nib, settings.npwp, settings.swift_code = nib, npwp, swift
        settings.bank_name, settings.bank_account_name, settings.bank_account_number = (
            bank,
            account_name,
            account_number,
        )
        settings.updated_by = user_of(actor)
        settings.save()
        audit_record(actor=actor, action=AuditAction.EXPORTER_SETTINGS, obj=settings, organization=organization)
    return settings


# Pro-forma invoices and packing lists -------------------------------------------------------------------


@dataclass(frozen=True)
class ProformaLineInput:
    sku: str
    quantity: int
    unit_price_idr: int


@dataclass(frozen=True)
class ProformaInput:
    currency: str = Currency.USD
    incoterm: str = ""
    place: str = ""
    payment_terms: str = DEFAULT_PAYMENT_TERMS
    valid_days: int = DEFAULT_VALID_DAYS
    freight_idr: int = 0
    insurance_idr: int = 0
    # None: the inquiry's lines at the variants' list prices.
    lines: Sequence[ProformaLineInput] | None = None
    note: str = ""


def default_lines(inquiry: ExportInquiry) -> list[ProformaLineInput]:
    """The inquiry's lines at the variants' current list prices: what a pro-forma starts from."""
    return [ProformaLineInput(line.variant.sku, line.quantity, line.variant.price_idr) for line in inquiry.lines.all()]


@dataclass(frozen=True)
class _Priced:
    variant: Variant
    hs_code: str
    quantity: int
    unit_price_idr: int
    net: int
    gross: int
    dims: tuple[int, int, int]


def _price_lines(errors: Errors, organization: Organization, lines: Sequence[ProformaLineInput]) -> list[_Priced]:
    variants = variants_of_seller(organization=organization, skus=[line.sku for line in lines])
    if not lines:
        _add(errors, "lines", _("Add at least one item."), "required")
    elif len(lines) > MAX_LINES:
        _add(errors, "lines", _("Put at most %(max)s items on one pro-forma invoice.") % {"max": MAX_LINES})
    priced = []
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
        if variant is None:
            continue
        profile = export_profile_of(variant)
        hs_code = (profile.hs_code if profile else "") or variant.product.hs_code or variant.product.category.hs_code
        dims = (
            (profile.package_length_mm, profile.package_width_mm, profile.package_height_mm) if profile else (0, 0, 0)
        )
        if (
            profile is None
            or not hs_code
            or not profile.net_weight_grams
            or not profile.gross_weight_grams
            or 0 in dims
        ):
            _add(
                errors,
                "lines",
                _(
                    "Item %(n)s: enter the export data of %(product)s first (HS code, net and gross weight, "
                    "package size)."
                )
                % {"n": index, "product": variant.product.name},
                "export_data",
            )
            continue
        priced.append(
            _Priced(
                variant,
                hs_code,
                line.quantity,
                line.unit_price_idr,
                profile.net_weight_grams,
                profile.gross_weight_grams,
                dims,
            )
        )
    return priced


def proforma_issue(
    *,
    actor: Actor,
    inquiry: ExportInquiry,
    data: ProformaInput,
    today: datetime.date | None = None,
) -> Proforma:
    """Issue a pro-forma invoice and its packing list for ``inquiry``, each numbered (PI-…, PL-…) with a
    verification code; the inquiry becomes QUOTED. A foreign currency uses the seller's exchange rate in force
    today (entered on the rates page); rupiah needs none.

    Raises PermissionDenied; ValidationError naming ``currency``, ``incoterm``, ``place``, ``payment_terms``,
    ``valid_days``, ``freight_idr``, ``insurance_idr``, ``lines``, ``note``, ``status``; saves nothing then.
    """
    organization = inquiry.organization
    require_export_staff(actor, organization)
    today = today or timezone.localdate()
    errors: Errors = {}
    if inquiry.status == ExportInquiry.Status.CLOSED:
        _add(errors, "status", _("This inquiry is closed: reopen talks with a new inquiry."))
    elif inquiry.status in ORDERED:
        _add(errors, "status", _("The buyer has confirmed a pro-forma invoice of this inquiry: it takes no other."))
    currency = (data.currency or "").strip().upper()
    rate = None
    if currency not in Currency.values:
        _add(errors, "currency", _("Choose USD, EUR, SGD, JPY or IDR."))
    elif currency != Currency.IDR:
        rate = rates_in_force(organization=organization, on=today).get(currency)
        if rate is None:
            _add(
                errors,
                "currency",
                _("%(org)s has no %(currency)s rate in force. Enter one on the exchange rates page first.")
                % {"org": organization.name, "currency": currency},
                "no_rate",
            )
    term, place = _clean_terms(errors, data.incoterm or inquiry.incoterm, data.place or inquiry.place)
    terms = (data.payment_terms or "").strip()
    if not terms:
        _add(errors, "payment_terms", _("Enter the payment terms, e.g. 50% T/T in advance."), "required")
    elif len(terms) > 1000:
        _add(errors, "payment_terms", _("Use at most %(max)s characters.") % {"max": 1000}, "max_length")
    if not 1 <= data.valid_days <= MAX_VALID_DAYS:
        _add(errors, "valid_days", _("Enter between 1 and %(max)s days.") % {"max": MAX_VALID_DAYS})
    for field, value in (("freight_idr", data.freight_idr), ("insurance_idr", data.insurance_idr)):
        if not 0 <= value <= MAX_CHARGE_IDR:
            _add(errors, field, _("Enter an amount from Rp0."))
    if term == Incoterm.CIF:
        if data.freight_idr <= 0:
            _add(errors, "freight_idr", _("CIF includes the freight to the port of destination: enter it."), "required")
        if data.insurance_idr <= 0:
            _add(errors, "insurance_idr", _("CIF includes the insurance: enter its premium."), "required")
    elif term in (Incoterm.EXW, Incoterm.FOB):
        if data.freight_idr:
            _add(errors, "freight_idr", _("Under %(term)s the buyer pays the freight: leave it at 0.") % {"term": term})
        if data.insurance_idr:
            _add(
                errors,
                "insurance_idr",
                _("Under %(term)s the buyer insures the goods: leave it at 0.") % {"term": term},
            )
    if len(data.note or "") > 2000:
        _add(errors, "note", _("Use at most 2000 characters."), "max_length")
    priced = _price_lines(errors, organization, default_lines(inquiry) if data.lines is None else data.lines)
    if errors:
        raise ValidationError(errors)
    idr_per_unit = rate.idr_per_unit if rate is not None else Decimal(1)
    figures = amounts.proforma_amounts(
        lines=[(p.quantity, p.unit_price_idr) for p in priced],
        freight_idr=data.freight_idr,
        insurance_idr=data.insurance_idr,
        idr_per_unit=idr_per_unit,
        currency=currency,
    )
    packing = [
        amounts.line_packing(
            quantity=p.quantity,
            unit_net_grams=p.net,
            unit_gross_grams=p.gross,
            length_mm=p.dims[0],
            width_mm=p.dims[1],
            height_mm=p.dims[2],
        )
        for p in priced
    ]
    packages = sum(p.packages for p in packing)
    net = sum(p.net_weight_grams for p in packing)
    gross = sum(p.gross_weight_grams for p in packing)
    volume = sum(p.volume_mm3 for p in packing)
    valid_until = today + datetime.timedelta(days=data.valid_days)
    with transaction.atomic():
        inquiry = inquiry_lock(pk=inquiry.pk)
        if inquiry.status == ExportInquiry.Status.CLOSED:
            raise ValidationError({"status": [_("This inquiry is closed: reopen talks with a new inquiry.")]})
        if inquiry.status in ORDERED:
            raise ValidationError(
                {"status": [_("The buyer has confirmed a pro-forma invoice of this inquiry: it takes no other.")]}
            )
        number = numbers.number_next(organization=organization, series=PROFORMA_SERIES, year=today.year)
        document = document_issue(
            actor=actor,
            organization=organization,
            kind=Document.Kind.PROFORMA,
            number=number,
            title=f"Pro-forma invoice {number}",
            public_figures={
                "date": today.isoformat(),
                "valid_until": valid_until.isoformat(),
                "currency": currency,
                "total": amounts.money_format(figures.total_foreign, currency),
                "total_idr": figures.total_idr,
                "incoterm": f"{term} {place}",
                "items": len(priced),
                "units": sum(p.quantity for p in priced),
            },
        )
        proforma = Proforma.objects.create(
            organization=organization,
            inquiry=inquiry,
            document=document,
            number=number,
            issued_on=today,
            valid_days=data.valid_days,
            valid_until=valid_until,
            currency=currency,
            exchange_rate=rate,
            idr_per_unit=idr_per_unit,
            rate_date=rate.effective_date if rate is not None else None,
            incoterm=term,
            place=place,
            payment_terms=terms,
            subtotal_idr=figures.subtotal_idr,
            freight_idr=figures.freight_idr,
            insurance_idr=figures.insurance_idr,
            total_idr=figures.total_idr,
            subtotal_foreign=figures.subtotal_foreign,
            freight_foreign=figures.freight_foreign,
            insurance_foreign=figures.insurance_foreign,
            total_foreign=figures.total_foreign,
            packages=packages,
            net_weight_grams=net,
            gross_weight_grams=gross,
            volume_mm3=volume,
            note=(data.note or "").strip(),
            created_by=user_of(actor),
        )
        ProformaLine.objects.bulk_create(
            ProformaLine(
                proforma=proforma,
                variant=p.variant,
                description=variant_label(p.variant, "en"),
                hs_code=p.hs_code,
                quantity=p.quantity,
                unit_price_idr=p.unit_price_idr,
                amount_idr=money.amount_idr,
                unit_price_foreign=money.unit_price_foreign,
                amount_foreign=money.amount_foreign,
                units_per_package=pack.units_per_package,
                packages=pack.packages,
                unit_net_grams=p.net,
                unit_gross_grams=p.gross,
                length_mm=p.dims[0],
                width_mm=p.dims[1],
                height_mm=p.dims[2],
                net_weight_grams=pack.net_weight_grams,
                gross_weight_grams=pack.gross_weight_grams,
                volume_mm3=pack.volume_mm3,
            )
            for p, money, pack in zip(priced, figures.lines, packing, strict=True)
        )
        packing_number = numbers.number_next(organization=organization, series=PACKING_LIST_SERIES, year=today.year)
        packing_document = document_issue(
            actor=actor,
            organization=organization,
            kind=Document.Kind.PACKING_LIST,
            number=packing_number,
            title=f"Packing list {packing_number}",
            public_figures={
                "date": today.isoformat(),
                "proforma": number,
                "packages": packages,
                "units": sum(p.quantity for p in priced),
                "net_kg": str(amounts.kilograms(net)),
                "gross_kg": str(amounts.kilograms(gross)),
                "volume_m3": str(amounts.cubic_metres(volume)),
            },
        )
        PackingList.objects.create(
            organization=organization,
            proforma=proforma,
            document=packing_document,
            number=packing_number,
            issued_on=today,
        )
        if inquiry.status == ExportInquiry.Status.NEW:
            inquiry.status = ExportInquiry.Status.QUOTED
            inquiry.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.PROFORMA_ISSUE, obj=proforma, organization=organization)
        notifications.documents_issued(inquiry)
    return proforma


# The SKA checklist ----------------------------------------------------------------------------------------


def checklist_mark(*, actor: Actor, inquiry: ExportInquiry, item: str, reference: str, done: bool = True) -> None:
    """Mark a manual item of the inquiry's SKA checklist done with its reference (a PEB number and date, a B/L
    number), or not done (``done=False``: the mark is removed). Items Binakarya knows itself (NIB, NPWP, invoice,
    packing list) are not marked by hand.

    Raises PermissionDenied; ValidationError naming ``item`` or ``reference``.
    """
    organization = inquiry.organization
    require_export_staff(actor, organization)
    errors: Errors = {}
    key = (item or "").strip().upper()
    if key not in manual_item_keys(inquiry=inquiry):
        _add(errors, "item", _("This checklist item is not marked by hand."))
    text = (
        _text(
            errors, "reference", reference, limit=200, required=_("Enter the reference, e.g. the PEB number and date.")
        )
        if done
        else ""
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if done:
            try:
                with transaction.atomic():
                    mark, _created = ChecklistMark.objects.update_or_create(
                        inquiry=inquiry,
                        item=key,
                        defaults={"organization": organization, "reference": text, "marked_by": user_of(actor)},
                    )
            except IntegrityError:  # marked at the same moment by someone else: theirs stands, ours updates it
                mark = ChecklistMark.objects.get(inquiry=inquiry, item=key)
                mark.reference, mark.marked_by = text, user_of(actor)
                mark.save(update_fields=["reference", "marked_by", "marked_at"])
            audit_record(actor=actor, action=AuditAction.EXPORT_CHECKLIST_MARK, obj=inquiry, item=key, reference=text)
        else:
            ChecklistMark.objects.filter(inquiry=inquiry, item=key).delete()
            audit_record(actor=actor, action=AuditAction.EXPORT_CHECKLIST_MARK, obj=inquiry, item=key, reference="")
