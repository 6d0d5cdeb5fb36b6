"""Reads of the point of sale, scoped to the organizations the user may see."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from binakarya.catalog.models import Variant
from binakarya.core.codes import normalize_code
from binakarya.core.types import Actor
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import locations_for
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import SALES_ROLES, scope
from binakarya.pos.models import PaymentMethod, PosSale, PosSession
from binakarya.pos.services import POS_LOCATION_KINDS
from binakarya.production.models import Lot
from binakarya.sales.models import SaleLine


def sessions_for(
    *, user: Actor, status: str = "", location_code: str = "", organization: Organization | None = None
) -> QuerySet[PosSession]:
    """Sessions of the organizations ``user`` may see, newest first, optionally by status and location code."""
    sessions = scope(PosSession.objects.all(), user).select_related("location", "cashier", "organization")
    if status:
        sessions = sessions.filter(status=status)
    if location_code:
        sessions = sessions.filter(location__code=location_code)
    if organization is not None:
        sessions = sessions.filter(organization=organization)
    return sessions.order_by("-opened_at", "-id")


def session_for(*, user: Actor, pk: int) -> PosSession:
    """Raises PosSession.DoesNotExist when unknown or outside the user's scope."""
    return sessions_for(user=user).select_related("location__organization", "closing_document").get(pk=pk)


def open_session_of(*, user: Actor) -> PosSession | None:
    """The session ``user`` has open as its cashier, if any."""
    if user is None or not user.is_authenticated:
        return None
    return sessions_for(user=user, status=PosSession.Status.OPEN).filter(cashier_id=user.pk).first()


def pos_locations_for(*, user: Actor) -> QuerySet[Location]:
    """The active showrooms, stores and event locations where ``user`` may open a till."""
    allowed = scope(Organization.objects.all(), user, roles=SALES_ROLES, oversight=False, field="pk")
    return (
        locations_for(user=user)
        .filter(kind__in=POS_LOCATION_KINDS, organization__in=allowed.values("pk"))
        .select_related("organization")
    )


def session_sales(*, session: PosSession) -> QuerySet[PosSale]:
    """The sales of a session, in the order they were rung up, with their sale and receipt."""
    return PosSale.objects.filter(session=session).select_related("sale", "receipt").order_by("pk")


def session_recent_sales(*, session: PosSession, limit: int = 5) -> list[PosSale]:
    """The last ``limit`` sales of a session, newest first."""
    return list(PosSale.objects.filter(session=session).select_related("sale", "receipt").order_by("-pk")[:limit])


@dataclass(frozen=True)
class SessionTotals:
    count: int
    cash_idr: int
    qris_idr: int

    @property
    def total_idr(self) -> int:
        return self.cash_idr + self.qris_idr


def session_totals(*, session: PosSession) -> SessionTotals:
    """How many sales a session rang up and their totals by payment method (one query)."""
    rows = (
        PosSale.objects.filter(session=session)
        .order_by()
        .values("payment_method")
        .annotate(n=Count("pk"), t=Sum("total_idr"))
    )
    by = {row["payment_method"]: (row["n"], int(row["t"] or 0)) for row in rows}
    cash = by.get(PaymentMethod.CASH, (0, 0))
    qris = by.get(PaymentMethod.QRIS, (0, 0))
    return SessionTotals(count=cash[0] + qris[0], cash_idr=cash[1], qris_idr=qris[1])


def pos_sale_for(*, user: Actor, number: str) -> PosSale:
    """The till sale with this sale number that ``user`` may see. Raises PosSale.DoesNotExist."""
    return (
        scope(PosSale.objects.all(), user)
        .select_related("sale", "receipt", "session", "session__location", "session__cashier", "organization")
        .get(sale__number=number.strip())
    )


def receipt_lines(*, pos_sale: PosSale) -> list[SaleLine]:
    """The sale's lines with their product and lot: what a receipt lists (never who made them)."""
    return list(
        SaleLine.objects.filter(sale_id=pos_sale.sale_id).select_related("variant__product", "lot").order_by("pk")
    )


@dataclass(frozen=True)
class TillItem:
    """What a scanned or typed code names: a lot (its hang tag) or a SKU, with its product and price."""

    code: str  # as the cart keeps it: the lot code, or the SKU
    lot_code: str  # empty for a SKU
    sku: str
    product_name: str
    variant_name: str
    price_idr: int


def till_item(*, user: Actor, organization: Organization, code: str) -> TillItem | None:
    """The item ``code`` names in ``organization``: a SKU first, else a lot code; None when it names neither."""
    text = code.strip()
    if not text:
        return None
    variant = (
        scope(Variant.objects.all(), user)
        .filter(organization=organization, sku=text.upper())
        .select_related("product")
        .first()
    )
    if variant is not None:
        return TillItem(variant.sku, "", variant.sku, variant.product.name, variant.name, variant.price_idr)
    lot = (
        scope(Lot.objects.all(), user)
        .filter(organization=organization, code=normalize_code(text))
        .select_related("variant__product")
        .first()
    )
    if lot is None:
        return None
    v = lot.variant
    return TillItem(lot.code, lot.code, v.sku, v.product.name, v.name, v.price_idr)


def till_items(*, user: Actor, organization: Organization, codes: list[str]) -> dict[str, TillItem]:
    """``till_item`` of each code (the cart's lines), by code; unknown codes are left out."""
    found = {}
    for code in codes:
        item = till_item(user=user, organization=organization, code=code)
        if item is not None:
            found[code] = item
    return found
