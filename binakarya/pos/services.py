"""Writes of the point of sale: open a cashier session, ring up a sale, close the session.

A sale rung up at the till ends in ``sales.services.sale_record`` (channel POS, from the session's
location, at the catalog prices); this module adds its payment and its receipt. A line scanned or typed by
its lot code takes its unit from that lot (the hang tag is on that item, and its makers earn the premi);
a line typed by SKU takes first in, first out. The session's cashier rings up sales and closes the
session; an admin of the organization may do both for them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.codes import normalize_code
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.inventory.models import Location
from binakarya.ledger.services import non_cash_receipt_post
from binakarya.organizations.models import Role
from binakarya.organizations.scoping import has_role
from binakarya.pos.locks import session_lock
from binakarya.pos.models import PaymentMethod, PosSale, PosSession
from binakarya.production.models import Lot
from binakarya.sales.models import Channel
from binakarya.sales.services import MAX_QUANTITY, SaleLineInput, require_seller, sale_record

# Where a till stands: the organization's own selling places (an outlet sells consigned stock on its own).
POS_LOCATION_KINDS = (Location.Kind.SHOWROOM, Location.Kind.STORE, Location.Kind.EVENT)
# Who may ring up and close another cashier's session.
POS_SUPERVISOR_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCER_OPERATOR})
MAX_CASH_IDR = 10_000_000_000


@dataclass(frozen=True)
class PosLineInput:
    """A line as the till sends it: a lot code (a scanned hang tag) or a SKU, and how many.

    ``kind`` says which the code is ("lot" or "sku", as the API names them); empty: a SKU, else a lot code.
    """

    code: str
    quantity: int
    kind: str = ""


def error_session_closed(session: PosSession) -> ValidationError:
    return ValidationError(
        _("Session %(number)s is closed: open a new session.") % {"number": session.number}, code="session_closed"
    )


def require_session_hand(actor: Actor, session: PosSession) -> None:
    """Raises PermissionDenied unless ``actor`` may sell into or close ``session``: its cashier, or an admin of
    its organization, who may also record sales there."""
    require_seller(actor, session.organization)
    if actor is None:
        return
    if actor.pk != session.cashier_id and not has_role(actor, session.organization_id, POS_SUPERVISOR_ROLES):
        raise PermissionDenied(_("Only the cashier of session %(number)s may use it.") % {"number": session.number})


def _cash(value: int | None, field: str) -> int:
    if value is None or not 0 <= value <= MAX_CASH_IDR:
        raise ValidationError({field: [ValidationError(_("Type an amount from Rp0, e.g. 500.000."), code="amount")]})
    return value


@transaction.atomic
def pos_session_open(*, actor: Actor, location: Location, opening_cash_idr: int) -> PosSession:
    """Open a cashier session at ``location`` with the cash in the drawer. A cashier has one open session."""
    organization = location.organization
    require_seller(actor, organization)
    user = user_of(actor)
    if user is None:
        raise PermissionDenied(_("A cashier session needs a signed-in cashier."))
    errors: dict[str, list[ValidationError]] = {}
    if location.kind not in POS_LOCATION_KINDS or not location.is_active:
        errors["location"] = [
            ValidationError(_("Open the till at an active showroom, store or event location."), code="location")
        ]
    try:
        _cash(opening_cash_idr, "opening_cash_idr")
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if PosSession.objects.filter(cashier=user, status=PosSession.Status.OPEN).exists():
        errors.setdefault("__all__", []).append(
            ValidationError(_("You already have an open session: close it first."), code="session_open")
        )
    if errors:
        raise ValidationError(errors)
    number = numbers.number_next(organization=organization, series=numbers.POS_SESSION)
    try:
        with transaction.atomic():
            session = PosSession.objects.create(
                organization=organization,
                number=number,
                location=location,
                cashier=user,
                opened_at=timezone.now(),
                opening_cash_idr=opening_cash_idr,
            )
    except IntegrityError:  # another session opened by the same cashier at the same moment
        raise ValidationError(_("You already have an open session: close it first."), code="session_open") from None
    audit_record(
        actor=actor,
        action=AuditAction.POS_SESSION_OPEN,
        obj=session,
        location=location.code,
        opening_cash_idr=opening_cash_idr,
    )
    return session


def _sale_lines(session: PosSession, lines: Sequence[PosLineInput]) -> list[SaleLineInput]:
    """The till's lines as sale lines at catalog prices; a lot code pins the line to that lot."""
    organization = session.organization
    if not lines:
        raise ValidationError({"lines": [ValidationError(_("Add at least one item sold."), code="no_lines")]})
    codes = [line.code.strip() for line in lines]
    lots = {
        lot.code: lot
        for lot in Lot.objects.filter(code__in={normalize_code(c) for c in codes if c}).select_related("variant")
    }
    variants = {v.sku: v for v in Variant.objects.filter(sku__in={c.upper() for c in codes}, organization=organization)}
    errors: list[ValidationError] = []
    out = []
    for i, (line, code) in enumerate(zip(lines, codes, strict=True)):
        variant = variants.get(code.upper()) if line.kind != "lot" else None
        lot = lots.get(normalize_code(code)) if variant is None and code and line.kind != "sku" else None
        if lot is not None and lot.organization_id != organization.pk:
            errors.append(
                ValidationError(
                    _("Lot %(code)s belongs to another organization; it cannot be sold here."),
                    code="lot_elsewhere",
                    params={"code": lot.code, "line": i},
                )
            )
            continue
        if variant is None and lot is None:
            errors.append(
                ValidationError(
                    _("Unknown lot code or SKU: %(code)s."),
                    code="unknown_code",
                    params={"code": code or "—", "line": i},
                )
            )
            continue
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.append(
                ValidationError(
                    _("The quantity of %(code)s must be at least 1."),
                    code="quantity",
                    params={"code": code, "line": i},
                )
            )
            continue
        if lot is not None:
            out.append(SaleLineInput(lot.variant.sku, line.quantity, lot.variant.price_idr, lot_code=lot.code))
        else:
            assert variant is not None
            out.append(SaleLineInput(variant.sku, line.quantity, variant.price_idr))
    if errors:
        raise ValidationError({"lines": errors})
    return out


@transaction.atomic
def pos_sale_record(
    *,
    actor: Actor,
    session: PosSession,
    lines: Sequence[PosLineInput],
    payment_method: str,
    cash_received_idr: int | None = None,
) -> PosSale:
    """Ring up a sale in an open session: stock out at the session's location, the payment, the receipt.

    Raises ValidationError (session closed, unknown lot code or SKU, a lot of another organization, a
    quantity below 1, cash received less than the total), InsufficientStock (every short SKU named) and
    PermissionDenied; nothing is saved on any of them.
    """
    require_session_hand(actor, session)
    session = session_lock(session_id=session.pk)
    if session.status != PosSession.Status.OPEN:
        raise error_session_closed(session)
    if payment_method not in PaymentMethod.values:
        raise ValidationError({"payment_method": [ValidationError(_("Choose cash or QRIS."), code="payment_method")]})
    sale_lines = _sale_lines(session, lines)
    total = sum(line.quantity * line.unit_price_idr for line in sale_lines)
    change = 0
    if payment_method == PaymentMethod.CASH:
        received = _cash(cash_received_idr, "cash_received_idr")
        if received < total:
            raise ValidationError(
                {
                    "cash_received_idr": [
                        ValidationError(
                            _("The cash received (%(received)s) is less than the total (%(total)s)."),
                            code="cash_short",
                            params={"received": format_rupiah(received), "total": format_rupiah(total)},
                        )
                    ]
                }
            )
        change = received - total
    else:
        received = None
    sale = sale_record(actor=actor, location=session.location, channel=Channel.POS, lines=sale_lines)
    if payment_method != PaymentMethod.CASH:
        # QRIS money lands in the bank: the sale's cash is moved there, so the drawer's books match the count.
        non_cash_receipt_post(
            actor=actor, organization=session.organization, amount_idr=sale.gross_idr, memo=sale.number
        )
    receipt = document_issue(
        actor=actor,
        organization=session.organization,
        kind=Document.Kind.POS_RECEIPT,
        number=sale.number,
        title=_("Receipt %(number)s") % {"number": sale.number},
        public_figures={
            "total_idr": sale.gross_idr,
            "units": sum(line.quantity for line in sale_lines),
            "payment": payment_method,
            "location": session.location.name,
            "date": timezone.localdate(sale.occurred_at).isoformat(),
        },
    )
    pos_sale = PosSale.objects.create(
        organization=session.organization,
        session=session,
        sale=sale,
        payment_method=payment_method,
        total_idr=sale.gross_idr,
        cash_received_idr=received,
        change_idr=change,
        receipt=receipt,
    )
    audit_record(
        actor=actor,
        action=AuditAction.POS_SALE,
        obj=pos_sale,
        session=session.number,
        sale=sale.number,
        payment=payment_method,
        total_idr=sale.gross_idr,
    )
    return pos_sale


def session_cash_taken(*, session: PosSession) -> int:
    """The cash rung up in ``session``: the totals of its cash sales."""
    return int(
        PosSale.objects.filter(session=session, payment_method=PaymentMethod.CASH).aggregate(t=Sum("total_idr"))["t"]
        or 0
    )


@transaction.atomic
def pos_session_close(*, actor: Actor, session: PosSession, counted_cash_idr: int, note: str = "") -> PosSession:
    """Close a session with the cash counted in the drawer: expected is the opening cash and the cash sales,
    the difference is counted less expected (negative when cash is missing). Issues the closing report."""
    require_session_hand(actor, session)
    session = session_lock(session_id=session.pk)
    if session.status != PosSession.Status.OPEN:
        raise error_session_closed(session)
    _cash(counted_cash_idr, "counted_cash_idr")
    taken = session_cash_taken(session=session)
    totals = dict(
        PosSale.objects.filter(session=session)
        .order_by()
        .values("payment_method")
        .annotate(t=Sum("total_idr"))
        .values_list("payment_method", "t")
    )
    count = PosSale.objects.filter(session=session).count()
    expected = session.opening_cash_idr + taken
    session.status = PosSession.Status.CLOSED
    session.closed_at = timezone.now()
    session.counted_cash_idr = counted_cash_idr
    session.expected_cash_idr = expected
    session.difference_idr = counted_cash_idr - expected
    session.note = note.strip()[:200]
    session.closing_document = document_issue(
        actor=actor,
        organization=session.organization,
        kind=Document.Kind.POS_CLOSING,
        number=session.number,
        title=_("Closing report %(number)s") % {"number": session.number},
        public_figures={
            "sales": count,
            "cash_idr": int(totals.get(PaymentMethod.CASH, 0) or 0),
            "qris_idr": int(totals.get(PaymentMethod.QRIS, 0) or 0),
            "location": session.location.name,
            "date": timezone.localdate(session.closed_at).isoformat(),
        },
    )
    session.save(
        update_fields=[
            "status",
            "closed_at",
            "counted_cash_idr",
            "expected_cash_idr",
            "difference_idr",
            "note",
            "closing_document",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.POS_SESSION_CLOSE,
        obj=session,
        expected_cash_idr=expected,
        counted_cash_idr=counted_cash_idr,
        difference_idr=session.difference_idr,
    )
    return session
