"""An agreement's prices and commission for a product: the arithmetic both services and selectors use."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.consignment.models import BASIS_POINTS, Agreement, AgreementTerm, PlacementLine


def term_of(agreement: Agreement, variant: Variant) -> AgreementTerm | None:
    """The agreement's term for ``variant``, or None (read from the prefetched terms when there are)."""
    cache = getattr(agreement, "_prefetched_objects_cache", {}).get("terms")
    if cache is not None:
        return next((t for t in cache if t.variant_id == variant.pk), None)
    return AgreementTerm.objects.filter(agreement=agreement, variant=variant).first()


def unit_price(agreement: Agreement, variant: Variant) -> int:
    """The selling price at the outlet: the agreed price when the agreement has one for the product,
    else the catalog price."""
    if agreement.price_mode == Agreement.PriceMode.AGREED:
        term = term_of(agreement, variant)
        if term is not None and term.agreed_price_idr:
            return term.agreed_price_idr
    return variant.price_idr


def shelf_price(agreement: Agreement, variant: Variant) -> int:
    """The price ``variant`` sells at on the outlet's shelf: the price its latest placement carried (what the
    tanda terima, the shelf and the partner's pages show), else the agreement's (``unit_price``). A sale, a
    charge for damage or a shortage, and an imported row without a price are charged at it."""
    placed = (
        PlacementLine.objects.filter(placement__agreement=agreement, variant=variant)
        .order_by("-pk")
        .values_list("unit_price_idr", flat=True)
        .first()
    )
    return placed or unit_price(agreement, variant)


def error_no_commission(sku: str) -> ValidationError:
    return ValidationError(
        _("The agreement sets no commission for %(sku)s."), code="no_commission", params={"sku": sku}
    )


def commission_for(agreement: Agreement, variant: Variant, unit_price_idr: int, quantity: int) -> int:
    """The outlet's commission on ``quantity`` units sold at ``unit_price_idr``: a percentage of the line
    (rounded down to the rupiah) or the agreed amount per unit. Raises ValidationError when a per-product
    agreement names no commission for the product."""
    if agreement.commission_mode == Agreement.CommissionMode.PERCENT:
        return unit_price_idr * quantity * (agreement.commission_bp or 0) // BASIS_POINTS
    term = term_of(agreement, variant)
    if term is None or term.commission_idr is None:
        raise error_no_commission(variant.sku)
    return term.commission_idr * quantity
