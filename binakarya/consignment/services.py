"""Consignment writes: agreements, goods placed at an outlet and received there, and the outlet's sales.

Each service is one transaction with one audit row. Goods move through ``inventory.services``
(``transfer_send``, ``transfer_receive``) and a sale is ``sales.services.sale_record`` with the channel
OUTLET at the agreement's location, so premi follow and the outlet owes the sale's money (a receivable
from the outlet), of which it keeps the commission (credited to the outlet's commission account).

Who may act: the seller's staff who record sales (``sales.services.require_seller``), and for receiving
goods and recording sales also the outlet's partner (an active OUTLET_PARTNER membership of the
agreement's outlet). The partner is not staff of the seller, so the inventory and sales services, which
check their own rules, are called as the system (``actor=None``) once this module has checked the
partner's right; who did it is kept on the row (``received_by``, ``recorded_by``) and in the audit row.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.consignment.locks import outlet_agreements_lock
from binakarya.consignment.models import (
    BASIS_POINTS,
    PAYMENT_DAYS_MAX,
    PAYMENT_DAYS_MIN,
    REVIEW_MONTHS_MAX,
    REVIEW_MONTHS_MIN,
    Agreement,
    AgreementTerm,
    ConsignmentPayment,
    ConsignmentSale,
    ConsignmentStatement,
    Placement,
    PlacementLine,
)
from binakarya.consignment.selectors import Statement, statement_of, statement_snapshot
from binakarya.consignment.terms import commission_for, shelf_price, unit_price
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create, transfer_receive, transfer_send
from binakarya.ledger.selectors import outlet_owed
from binakarya.ledger.services import outlet_payment_post
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import SALES_ROLES, has_role
from binakarya.sales.models import Channel, Sale
from binakarya.sales.services import SaleLineInput, price_ok, quantity_ok, require_seller, sale_record

__all__ = [
    "agreement_create",
    "agreement_end",
    "commission_for",
    "consignment_payment_record",
    "consignment_statement_issue",
    "outlet_sale_record",
    "placement_receive",
    "placement_send",
    "require_agreement_party",
    "unit_price",
]

SELLER_KINDS = frozenset({Organization.Kind.FACILITY, Organization.Kind.PRODUCER})
PARTNER_ROLES = frozenset({Role.OUTLET_PARTNER})
SIGNED_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
PDF_TAIL_BYTES = 2048


def is_outlet_partner(actor: Actor, agreement: Agreement) -> bool:
    """Whether ``actor`` holds an active outlet-partner membership of the agreement's outlet."""
    return has_role(actor, agreement.outlet_id, PARTNER_ROLES)


def is_seller_staff(actor: Actor, agreement: Agreement) -> bool:
    """Whether ``actor`` records sales for the agreement's seller (the system counts as one)."""
    return actor is None or has_role(actor, agreement.organization_id, SALES_ROLES)


def require_agreement_party(actor: Actor, agreement: Agreement) -> None:
    """Raises PermissionDenied unless ``actor`` is the seller's staff with the sales role or a partner of
    the agreement's outlet: the two sides that receive goods and record the outlet's sales."""
    if not is_seller_staff(actor, agreement) and not is_outlet_partner(actor, agreement):
        raise PermissionDenied(_("You are not a party to this consignment agreement."))


# Agreements -------------------------------------------------------------------------------------------


def _pdf_error(document: UploadedFile) -> str | None:
    """Why ``document`` is not an acceptable signed agreement, or None: a PDF (header and end marker)."""
    size = document.size or 0
    if size > SIGNED_DOCUMENT_MAX_BYTES:
        return _("The signed agreement may be at most 10 MB.")
    document.seek(0)
    head = document.read(5)
    document.seek(max(size - PDF_TAIL_BYTES, 0))
    tail = document.read()
    document.seek(0)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        return _("Upload the signed agreement as a PDF file.")
    return None


def _outlet_location(*, organization: Organization, outlet: Organization) -> Location:
    """The seller's active OUTLET location at ``outlet``, created (named after the outlet) when missing."""
    location = (
        Location.objects.filter(organization=organization, kind=Location.Kind.OUTLET, outlet=outlet, is_active=True)
        .order_by("pk")
        .first()
    )
    if location is None:
        # The caller's right to make the agreement was checked; the shelf follows from it.
        location = location_create(
            actor=None, organization=organization, name=outlet.name, kind=Location.Kind.OUTLET, outlet=outlet
        )
    return location


def _overlaps(
    a_start: datetime.date, a_end: datetime.date | None, b_start: datetime.date, b_end: datetime.date | None
) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    organization: Organization,
    outlet: Organization,
    settlement_period: str,
    payment_days: int,
    start_date: datetime.date,
    commission_percent_bp: int | None = None,
    commission_per_product: dict[Variant, int] | None = None,
    agreed_prices: dict[Variant, int] | None = None,
    review_months: int = 6,
    end_date: datetime.date | None = None,
    shortage_borne_by: str = Agreement.Party.OUTLET,
    damage_borne_by: str = Agreement.Party.OUTLET,
    signed_document: UploadedFile | None = None,
) -> Agreement:
    """Make a consignment agreement between ``organization`` (the seller) and ``outlet``.

    The commission is either ``commission_percent_bp`` (basis points: 2000 is 20 %) or an amount per unit
    per product (``commission_per_product``); ``agreed_prices`` sets the selling price of some products
    (the others sell at the catalog price). The seller's OUTLET location at the outlet is created if it
    has none. An outlet has at most one agreement in force per seller: one whose dates overlap another's
    is refused. Raises ValidationError (nothing saved) and PermissionDenied.
    """
    require_seller(actor, organization)
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organization.kind not in SELLER_KINDS:
        add("organization", _("Only a facility or a producer consigns goods."))
    if outlet.kind != Organization.Kind.OUTLET or not outlet.is_active:
        add("outlet", _("Choose an active outlet."))
    per_product = commission_per_product or {}
    prices = agreed_prices or {}
    if (commission_percent_bp is None) == (not per_product):
        add("commission", _("Give the commission either as a percentage or as an amount per product."))
    elif commission_percent_bp is not None and not 0 <= commission_percent_bp <= BASIS_POINTS:
        add("commission", _("The commission must be between 0 % and 100 %."))
    for variant, amount in per_product.items():
        if variant.organization_id != organization.pk:
            add("commission", _("SKU %(sku)s belongs to another organization.") % {"sku": variant.sku})
        elif amount < 0:
            add("commission", _("The commission of %(sku)s cannot be below Rp0.") % {"sku": variant.sku})
    for variant, price in prices.items():
        if variant.organization_id != organization.pk:
            add("agreed_prices", _("SKU %(sku)s belongs to another organization.") % {"sku": variant.sku})
        elif not price_ok(price):
            add("agreed_prices", _("The price of %(sku)s must be more than Rp0.") % {"sku": variant.sku})
        elif variant in per_product and per_product[variant] > price:
            add("commission", _("The commission of %(sku)s is more than its price.") % {"sku": variant.sku})
    if settlement_period not in Agreement.Period.values:
        add("settlement_period", _("Choose a weekly or monthly settlement."))
    if not PAYMENT_DAYS_MIN <= payment_days <= PAYMENT_DAYS_MAX:
        add("payment_days", _("Allow from 1 to 90 days for payment."))
    if not REVIEW_MONTHS_MIN <= review_months <= REVIEW_MONTHS_MAX:
        add("review_months", _("Review the shelf every 4 to 6 months."))
    if end_date is not None and end_date < start_date:
        add("end_date", _("The end date cannot be before the start date."))
    for field, party in (("shortage_borne_by", shortage_borne_by), ("damage_borne_by", damage_borne_by)):
        if party not in Agreement.Party.values:
            add(field, _("Choose the outlet or the seller."))
    if signed_document is not None:
        problem = _pdf_error(signed_document)
        if problem:
            add("signed_document", problem)
    if errors:
        raise ValidationError(errors)

    for other in outlet_agreements_lock(organization_id=organization.pk, outlet_id=outlet.pk):
        if _overlaps(other.start_date, other.end_date, start_date, end_date):
            raise ValidationError(
                {
                    "start_date": [
                        _("%(outlet)s already has an agreement in force from %(start)s for these dates.")
                        % {"outlet": outlet.name, "start": other.start_date.isoformat()}
                    ]
                },
                code="overlap",
            )

    agreement = Agreement(
        organization=organization,
        outlet=outlet,
        location=_outlet_location(organization=organization, outlet=outlet),
        commission_mode=Agreement.CommissionMode.PERCENT
        if commission_percent_bp is not None
        else Agreement.CommissionMode.PER_PRODUCT,
        commission_bp=commission_percent_bp,
        price_mode=Agreement.PriceMode.AGREED if prices else Agreement.PriceMode.CATALOG,
        settlement_period=settlement_period,
        payment_days=payment_days,
        review_months=review_months,
        start_date=start_date,
        end_date=end_date,
        shortage_borne_by=shortage_borne_by,
        damage_borne_by=damage_borne_by,
        status=Agreement.Status.ENDED
        if end_date is not None and end_date < timezone.localdate()
        else Agreement.Status.ACTIVE,
        created_by=user_of(actor),
    )
    if signed_document is not None:
        agreement.signed_document.save(f"agreement-{organization.slug}-{outlet.slug}.pdf", signed_document, save=False)
    agreement.save()
    variants = {v.pk: v for v in (*per_product, *prices)}
    AgreementTerm.objects.bulk_create(
        AgreementTerm(
            organization=organization,
            agreement=agreement,
            variant=variant,
            agreed_price_idr=prices.get(variant),
            commission_idr=per_product.get(variant),
        )
        for _pk, variant in sorted(variants.items())
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_AGREEMENT_CREATE,
        obj=agreement,
        outlet=outlet.slug,
        commission_mode=agreement.commission_mode,
        commission_bp=commission_percent_bp,
        terms=len(variants),
    )
    return agreement


@transaction.atomic
def agreement_end(*, actor: Actor, agreement: Agreement, end_date: datetime.date) -> Agreement:
    """Set the agreement's last day; it is ENDED once that day has passed. Raises ValidationError."""
    require_seller(actor, agreement.organization)
    locked = {
        a.pk: a
        for a in outlet_agreements_lock(organization_id=agreement.organization_id, outlet_id=agreement.outlet_id)
    }
    agreement = locked[agreement.pk]
    if end_date < agreement.start_date:
        raise ValidationError({"end_date": [_("The end date cannot be before the start date.")]})
    if agreement.end_date is not None and end_date > agreement.end_date:
        raise ValidationError({"end_date": [_("An agreement can be ended earlier, not extended.")]})
    agreement.end_date = end_date
    if end_date < timezone.localdate():
        agreement.status = Agreement.Status.ENDED
    agreement.save(update_fields=["end_date", "status", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.CONSIGNMENT_AGREEMENT_END, obj=agreement, end_date=end_date.isoformat()
    )
    return agreement


def error_not_in_force() -> ValidationError:
    return ValidationError(_("The agreement is no longer in force."), code="ended")


def covers(agreement: Agreement, on_date: datetime.date) -> bool:
    """Whether ``on_date`` falls within the agreement's dates (an outlet reports sales after the end too)."""
    return agreement.start_date <= on_date and (agreement.end_date is None or on_date <= agreement.end_date)


def in_force(agreement: Agreement, on_date: datetime.date) -> bool:
    return agreement.status == Agreement.Status.ACTIVE and covers(agreement, on_date)


# Goods ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementLineInput:
    variant: Variant
    quantity: int
    unit_price_idr: int | None = None


@transaction.atomic
def placement_send(
    *, actor: Actor, agreement: Agreement, from_location: Location, lines: Sequence[PlacementLineInput], note: str = ""
) -> Placement:
    """Send goods to the outlet under the agreement: a transfer to the agreement's location, whose surat jalan
    (with its verification code) is the tanda terima titipan, and the price each product is to sell at.

    Raises ValidationError, InsufficientStock (nothing saved) and PermissionDenied (the sender must also be
    allowed to move the seller's stock).
    """
    require_seller(actor, agreement.organization)
    if not in_force(agreement, timezone.localdate()):
        raise error_not_in_force()
    prices: dict[int, int] = {}
    errors: list[str] = []
    for line in lines:
        price = line.unit_price_idr if line.unit_price_idr is not None else unit_price(agreement, line.variant)
        if not price_ok(price):
            errors.append(_("The price of %(sku)s must be more than Rp0.") % {"sku": line.variant.sku})
        if agreement.commission_mode == Agreement.CommissionMode.PER_PRODUCT:
            try:
                commission_for(agreement, line.variant, price, 1)
            except ValidationError as error:
                errors.extend(error.messages)
        if line.variant.pk in prices and prices[line.variant.pk] != price:
            errors.append(_("Give %(sku)s one price.") % {"sku": line.variant.sku})
        prices[line.variant.pk] = price
    if errors:
        raise ValidationError({"lines": errors})
    transfer = transfer_send(
        actor=actor,
        from_location=from_location,
        to_location=agreement.location,
        lines=[(line.variant, line.quantity) for line in lines],
        note=note or _("Consignment to %(outlet)s") % {"outlet": agreement.outlet.name},
    )
    placement = Placement.objects.create(
        organization=agreement.organization, agreement=agreement, transfer=transfer, created_by=user_of(actor)
    )
    quantities: dict[int, int] = {}
    variants: dict[int, Variant] = {}
    for line in lines:
        quantities[line.variant.pk] = quantities.get(line.variant.pk, 0) + line.quantity
        variants[line.variant.pk] = line.variant
    PlacementLine.objects.bulk_create(
        PlacementLine(
            organization=agreement.organization,
            placement=placement,
            variant=variants[pk],
            quantity=quantities[pk],
            unit_price_idr=prices[pk],
        )
        for pk in sorted(quantities)
    )
    # The tanda terima lists each product's agreed price next to its lots and quantities.
    document = transfer.document
    if document is not None:
        document.public_figures = {
            **document.public_figures,
            "consignment": agreement.outlet.name,
            "prices": {variants[pk].sku: prices[pk] for pk in sorted(prices)},
        }
        document.save(update_fields=["public_figures"])
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_PLACEMENT_SEND,
        obj=placement,
        transfer=transfer.number,
        units=sum(quantities.values()),
    )
    return placement


@transaction.atomic
def placement_receive(
    *, actor: Actor, placement: Placement, received: dict[int, int] | None = None, note: str = ""
) -> Placement:
    """The outlet confirms what arrived, per transfer line id (all of it when ``received`` is None); a
    difference is recorded on the transfer (DISCREPANCY) by ``inventory.services.transfer_receive``.

    The outlet's partner or the seller's staff may confirm. Raises ValidationError, PermissionDenied.
    """
    agreement = placement.agreement
    require_agreement_party(actor, agreement)
    transfer = transfer_receive(
        actor=actor if _moves_stock(actor, agreement) else None,
        transfer=placement.transfer,
        received=received,
        note=note,
    )
    placement.transfer = transfer
    placement.received_by = user_of(actor)
    placement.save(update_fields=["received_by", "updated_at"])
    missing = sum(line.discrepancy or 0 for line in transfer.lines.all())
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_PLACEMENT_RECEIVE,
        obj=placement,
        transfer=transfer.number,
        status=transfer.status,
        missing=missing,
    )
    return placement


def _moves_stock(actor: Actor, agreement: Agreement) -> bool:
    return actor is not None and actor.has_perm("inventory.manage", agreement.organization)


# Sales ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletSaleLine:
    sku: str
    quantity: int
    unit_price_idr: int | None = None
    # The lot the units come from (the code on a scanned hang tag; damage or a count's shortage names it);
    # empty: first in, first out. The lot must be of the line's SKU and on the agreement's shelf
    # (``sale_record`` checks it).
    lot_code: str = ""


def _occurred_at(sold_date: datetime.date) -> datetime.datetime:
    """Noon of the day sold in the site's time zone, or now when that is still to come today."""
    noon = timezone.make_aware(datetime.datetime.combine(sold_date, datetime.time(12, 0)))
    return min(noon, timezone.now())


@transaction.atomic
def outlet_sale_record(
    *,
    actor: Actor,
    agreement: Agreement,
    sold_date: datetime.date,
    lines: Sequence[OutletSaleLine],
    reason: str = "",
) -> ConsignmentSale:
    """Record what the outlet sold on ``sold_date``: one sale through ``sale_record`` (channel OUTLET, from
    the agreement's location) at the agreement's prices (or the price given per line) with the agreement's
    commission. The outlet owes the sale's gross and keeps the commission: its net is gross − commission.

    Raises ValidationError, InsufficientStock (the outlet holds fewer units; every short SKU is named),
    PermissionDenied; nothing is saved on any of them.
    """
    require_agreement_party(actor, agreement)
    organization = agreement.organization
    if sold_date > timezone.localdate():
        raise ValidationError({"sold_date": [_("A sale cannot be recorded in the future.")]})
    if not covers(agreement, sold_date):
        raise ValidationError({"sold_date": [_("The agreement was not in force on that day.")]})
    if not lines:
        raise ValidationError({"lines": [_("Add at least one product sold.")]})
    skus = sorted({line.sku.strip().upper() for line in lines})
    variants = {v.sku: v for v in Variant.objects.filter(organization=organization, sku__in=skus)}
    errors: list[ValidationError] = []
    sale_lines: list[SaleLineInput] = []
    commission = 0
    for line in lines:
        sku = line.sku.strip().upper()
        variant = variants.get(sku)
        if variant is None:
            errors.append(ValidationError(_("Unknown SKU: %(sku)s.") % {"sku": sku or "—"}, code="unknown_sku"))
            continue
        if not quantity_ok(line.quantity):
            errors.append(ValidationError(_("The quantity of %(sku)s must be at least 1.") % {"sku": sku}))
            continue
        price = line.unit_price_idr if line.unit_price_idr is not None else shelf_price(agreement, variant)
        if not price_ok(price):
            errors.append(ValidationError(_("The price of %(sku)s must be more than Rp0.") % {"sku": sku}))
            continue
        try:
            commission += commission_for(agreement, variant, price, line.quantity)
        except ValidationError as error:
            errors.append(error)
            continue
        differs = price != variant.price_idr
        sale_lines.append(
            SaleLineInput(
                sku=sku,
                quantity=line.quantity,
                unit_price_idr=price,
                price_intended=differs,
                price_reason=_("Price agreed with %(outlet)s") % {"outlet": agreement.outlet.name} if differs else "",
                lot_code=line.lot_code.strip(),
            )
        )
    if errors:
        raise ValidationError({"lines": errors})
    seller_staff = actor is not None and has_role(actor, organization.pk, SALES_ROLES)
    sale: Sale = sale_record(
        actor=actor if seller_staff else None,
        location=agreement.location,
        channel=Channel.OUTLET,
        lines=sale_lines,
        commission_idr=commission,
        occurred_at=_occurred_at(sold_date),
    )
    recorded = ConsignmentSale.objects.create(
        organization=organization, agreement=agreement, sale=sale, sold_date=sold_date, recorded_by=user_of(actor)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_SALE,
        obj=recorded,
        sale=sale.number,
        gross_idr=sale.gross_idr,
        commission_idr=sale.commission_idr,
        by_partner=not seller_staff and actor is not None,
        reason=reason,
    )
    return recorded


# Settlement -------------------------------------------------------------------------------------------

REFERENCE_MAX = 100


@transaction.atomic
def consignment_payment_record(
    *, actor: Actor, agreement: Agreement, amount_idr: int, paid_date: datetime.date, reference: str = ""
) -> ConsignmentPayment:
    """Record money the outlet paid the seller for the goods it sold: the seller's staff who record sales
    only (the outlet's partner may not). The journal entry (``ledger.services.outlet_payment_post``) nets
    the commission the outlet keeps against its receivable and clears the amount from it.

    Raises PermissionDenied, ValidationError (a field wrong, or more than the outlet owes; nothing saved).
    """
    require_seller(actor, agreement.organization)
    errors: dict[str, list[str]] = {}
    if amount_idr <= 0:
        errors["amount_idr"] = [_("Enter an amount of more than Rp0.")]
    if paid_date > timezone.localdate():
        errors["paid_date"] = [_("A payment cannot be recorded in the future.")]
    elif paid_date < agreement.start_date:
        errors["paid_date"] = [_("The payment is dated before the agreement began.")]
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = [_("The reference may be at most 100 characters.")]
    if errors:
        raise ValidationError(errors)
    entry = outlet_payment_post(
        actor=actor,
        organization=agreement.organization,
        outlet=agreement.outlet,
        amount_idr=amount_idr,
        memo=_("Payment from %(outlet)s %(reference)s") % {"outlet": agreement.outlet.name, "reference": reference},
        occurred_at=_occurred_at(paid_date),
    )
    payment = ConsignmentPayment.objects.create(
        organization=agreement.organization,
        agreement=agreement,
        amount_idr=amount_idr,
        paid_date=paid_date,
        reference=reference,
        entry=entry,
        created_by=user_of(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_PAYMENT,
        obj=payment,
        amount_idr=amount_idr,
        paid_date=paid_date.isoformat(),
        owed_after_idr=outlet_owed(organization=agreement.organization, outlet=agreement.outlet),
    )
    return payment


@transaction.atomic
def consignment_statement_issue(
    *, actor: Actor, agreement: Agreement, date_from: datetime.date, date_to: datetime.date
) -> ConsignmentStatement:
    """Issue the agreement's statement for ``date_from``..``date_to``: a Document (number series RTJ, with a
    verification code) whose public figures are the period and its totals only, and the statement's row
    with its due date (the period's last day + ``payment_days``). The seller's staff only.

    Raises PermissionDenied, ValidationError.
    """
    require_seller(actor, agreement.organization)
    if date_to < date_from:
        raise ValidationError({"date_to": [_("The end of the period cannot be before its start.")]})
    if date_from > timezone.localdate():
        raise ValidationError({"date_from": [_("A statement cannot be issued for a period still to come.")]})
    existing = _statement_issued(agreement, date_from, date_to)
    if existing is not None:
        raise _error_statement_exists(existing)
    statement = statement_of(agreement, date_from, date_to)
    number = numbers.number_next(organization=agreement.organization, series=numbers.CONSIGNMENT_STATEMENT)
    document = document_issue(
        actor=actor,
        organization=agreement.organization,
        kind=Document.Kind.CONSIGNMENT_STATEMENT,
        number=number,
        title=_("Consignment statement %(number)s") % {"number": number},
        public_figures={
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "gross_idr": statement.gross_idr,
            "commission_idr": statement.commission_idr,
            "net_idr": statement.net_idr,
            "total_idr": statement.balance_idr,
        },
    )
    try:
        with transaction.atomic():
            issued = _statement_create(agreement, document, statement, actor)
    except IntegrityError:  # issued at the same moment by someone else: the constraint keeps one
        existing = _statement_issued(agreement, date_from, date_to)
        if existing is None:
            raise ValidationError(_("A statement for this period was issued just now; reload the page.")) from None
        raise _error_statement_exists(existing) from None
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_STATEMENT_ISSUE,
        obj=issued,
        document=number,
        balance_idr=statement.balance_idr,
    )
    return issued


def _statement_issued(
    agreement: Agreement, date_from: datetime.date, date_to: datetime.date
) -> ConsignmentStatement | None:
    return (
        ConsignmentStatement.objects.filter(agreement=agreement, date_from=date_from, date_to=date_to)
        .select_related("document")
        .first()
    )


def _error_statement_exists(existing: ConsignmentStatement) -> ValidationError:
    return ValidationError(
        {
            "date_from": [
                _("Statement %(number)s was already issued for %(start)s to %(end)s; one statement per period.")
                % {
                    "number": existing.document.number,
                    "start": existing.date_from.isoformat(),
                    "end": existing.date_to.isoformat(),
                }
            ]
        }
    )


def _statement_create(
    agreement: Agreement, document: Document, statement: Statement, actor: Actor
) -> ConsignmentStatement:
    return ConsignmentStatement.objects.create(
        organization=agreement.organization,
        agreement=agreement,
        document=document,
        date_from=statement.date_from,
        date_to=statement.date_to,
        due_date=statement.due_date,
        gross_idr=statement.gross_idr,
        commission_idr=statement.commission_idr,
        net_idr=statement.net_idr,
        previous_balance_idr=statement.previous_balance_idr,
        paid_idr=statement.paid_idr,
        balance_idr=statement.balance_idr,
        snapshot=statement_snapshot(statement),
        created_by=user_of(actor),
    )
