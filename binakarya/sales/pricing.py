"""Whether a sale line's price is plausible against its variant's catalog price (pure: no database).

A unit price below half or above twice the catalog price is more often a typing slip (``15.000`` read as
Rp15, a price typed twice) than a real discount or premium, and it moves premi and PNBP with it. Such a
price is recorded only when the caller says it is intended and gives the reason; the reason is kept on
the sale line and in the audit trail. ``sale_record`` checks every line first (all errors at once, each
naming its line); ``sale_plan`` refuses such a line too, so that no channel can post one unexplained.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from binakarya.core.money import format_rupiah

REASON_MAX_LENGTH = 200


def price_unusual(*, unit_price_idr: int, catalog_price_idr: int | None) -> bool:
    """Below half or above twice the catalog price; never for a variant without a catalog price."""
    if not catalog_price_idr or catalog_price_idr <= 0:
        return False
    return unit_price_idr * 2 < catalog_price_idr or unit_price_idr > catalog_price_idr * 2


def _params(sku: str, unit_price_idr: int, catalog_price_idr: int, line: int | None) -> dict[str, object]:
    return {
        "sku": sku,
        "price": format_rupiah(unit_price_idr),
        "catalog_price": format_rupiah(catalog_price_idr),
        "unit_price_idr": unit_price_idr,
        "catalog_price_idr": catalog_price_idr,
        "line": line,
    }


def error_unusual_price(
    *, sku: str, unit_price_idr: int, catalog_price_idr: int, line: int | None = None
) -> ValidationError:
    """The price was not confirmed as intended (code ``unusual_price``)."""
    return ValidationError(
        _(
            "%(price)s for %(sku)s is far from its catalog price of %(catalog_price)s (below half or above twice). "
            "If this price is intended, confirm it and give the reason."
        ),
        code="unusual_price",
        params=_params(sku, unit_price_idr, catalog_price_idr, line),
    )


def error_price_reason(
    *, sku: str, unit_price_idr: int, catalog_price_idr: int, line: int | None = None
) -> ValidationError:
    """The unusual price was confirmed without a reason (code ``unusual_price_reason``)."""
    return ValidationError(
        _("Give the reason for selling %(sku)s at %(price)s (its catalog price is %(catalog_price)s)."),
        code="unusual_price_reason",
        params=_params(sku, unit_price_idr, catalog_price_idr, line),
    )


def price_check(
    *,
    sku: str,
    unit_price_idr: int,
    catalog_price_idr: int | None,
    intended: bool,
    reason: str,
    line: int | None = None,
) -> ValidationError | None:
    """The error for a line whose unusual price is not confirmed with a reason, or None."""
    if not price_unusual(unit_price_idr=unit_price_idr, catalog_price_idr=catalog_price_idr):
        return None
    catalog = catalog_price_idr or 0
    if not intended:
        return error_unusual_price(sku=sku, unit_price_idr=unit_price_idr, catalog_price_idr=catalog, line=line)
    if not reason.strip():
        return error_price_reason(sku=sku, unit_price_idr=unit_price_idr, catalog_price_idr=catalog, line=line)
    if len(reason.strip()) > REASON_MAX_LENGTH:
        return ValidationError(
            _("Say why in at most %(limit)s characters."),
            code="unusual_price_reason",
            params=_params(sku, unit_price_idr, catalog, line) | {"limit": REASON_MAX_LENGTH},
        )
    return None
