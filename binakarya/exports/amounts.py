"""The arithmetic of a pro-forma invoice and its packing list: pure functions of integers and Decimals, no
database (like ledger/split.py).

Money: rupiah is the currency of record. A line's rupiah amount is quantity × unit price; the total adds
freight and insurance. Each foreign figure the buyer reads is derived from rupiah at the stored rate: the unit
price, the freight and the insurance are ``idr / rate`` rounded half up to cents (whole yen: the yen has no
minor unit); a line's foreign amount is its foreign unit price × quantity, and the foreign total is the sum of
what is printed, so the document adds up in the buyer's currency too.

Packing: the export data describe one packed unit (its net and gross weight, its package's dimensions), so a
line packs one unit per package.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WHOLE = Decimal(1)
NO_MINOR_UNIT = frozenset({"JPY", "IDR"})
MM3_PER_M3 = 1_000_000_000


def minor_unit(currency: str) -> Decimal:
    return WHOLE if currency in NO_MINOR_UNIT else CENT


def to_foreign(amount_idr: int, idr_per_unit: Decimal, currency: str) -> Decimal:
    """``amount_idr`` rupiah in ``currency`` at ``idr_per_unit`` rupiah a unit, rounded half up to its minor unit."""
    if idr_per_unit <= 0:
        raise ValueError("a rate is above zero")
    return (Decimal(int(amount_idr)) / Decimal(idr_per_unit)).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    quantity: int
    unit_price_idr: int
    amount_idr: int
    unit_price_foreign: Decimal
    amount_foreign: Decimal


@dataclass(frozen=True)
class ProformaAmounts:
    lines: tuple[LineAmounts, ...]
    subtotal_idr: int
    freight_idr: int
    insurance_idr: int
    total_idr: int
    subtotal_foreign: Decimal
    freight_foreign: Decimal
    insurance_foreign: Decimal
    total_foreign: Decimal


def proforma_amounts(
    *,
    lines: Sequence[tuple[int, int]],
    freight_idr: int,
    insurance_idr: int,
    idr_per_unit: Decimal,
    currency: str,
) -> ProformaAmounts:
    """The figures of a pro-forma of ``lines`` (quantity, unit price in rupiah) at the rate."""
    priced = []
    for quantity, unit_price_idr in lines:
        unit_foreign = to_foreign(unit_price_idr, idr_per_unit, currency)
        priced.append(
            LineAmounts(quantity, unit_price_idr, quantity * unit_price_idr, unit_foreign, unit_foreign * quantity)
        )
    subtotal_idr = sum(line.amount_idr for line in priced)
    subtotal_foreign = sum((line.amount_foreign for line in priced), Decimal(0))
    freight_foreign = to_foreign(freight_idr, idr_per_unit, currency)
    insurance_foreign = to_foreign(insurance_idr, idr_per_unit, currency)
    return ProformaAmounts(
        lines=tuple(priced),
        subtotal_idr=subtotal_idr,
        freight_idr=freight_idr,
        insurance_idr=insurance_idr,
        total_idr=subtotal_idr + freight_idr + insurance_idr,
        subtotal_foreign=subtotal_foreign,
        freight_foreign=freight_foreign,
        insurance_foreign=insurance_foreign,
        total_foreign=subtotal_foreign + freight_foreign + insurance_foreign,
    )


@dataclass(frozen=True)
class Packing:
    units_per_package: int
    packages: int
    net_weight_grams: int
    gross_weight_grams: int
    volume_mm3: int


def line_packing(
    *, quantity: int, unit_net_grams: int, unit_gross_grams: int, length_mm: int, width_mm: int, height_mm: int
) -> Packing:
    """One unit per package: ``quantity`` packages of the export data's size and weights."""
    return Packing(
        units_per_package=1,
        packages=quantity,
        net_weight_grams=quantity * unit_net_grams,
        gross_weight_grams=quantity * unit_gross_grams,
        volume_mm3=quantity * length_mm * width_mm * height_mm,
    )


def cubic_metres(volume_mm3: int) -> Decimal:
    """mm³ as m³ to three decimals, rounded half up (0.001 m³ is a litre): 36 × 40×30×30 cm → 1.296."""
    return (Decimal(volume_mm3) / MM3_PER_M3).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def kilograms(grams: int) -> Decimal:
    """Grams as kilograms to three decimals (exact: a gram is 0.001 kg)."""
    return (Decimal(grams) / 1000).quantize(Decimal("0.001"))


def centimetres(mm: int) -> str:
    """Millimetres as centimetres, a decimal only when needed: 400 → "40", 405 → "40.5"."""
    whole, rest = divmod(int(mm), 10)
    return f"{whole}.{rest}" if rest else str(whole)


def money_format(amount: Decimal, currency: str) -> str:
    """English digit grouping with the currency code: "USD 1,234.50", "JPY 12,000", "IDR 1,250,000"."""
    digits = f"{amount:,.0f}" if currency in NO_MINOR_UNIT else f"{amount:,.2f}"
    return f"{currency} {digits}"


# Payments of an export order -------------------------------------------------------------------------------
# A T/T in a foreign currency is credited in rupiah at the bank's rate on the day, which is rarely the
# pro-forma's: the rupiah received may be a little above the total. Up to 2% above is taken (the difference is
# an exchange-rate gain, booked with the sale); more is refused as a mistake (a digit too many). A rupiah
# pro-forma is paid to the rupiah. Less than the total is never enough to ship: the rest is still due.
OVERPAYMENT_TOLERANCE_BP = 200
BASIS_POINTS = 10_000


def payment_ceiling(total_idr: int, currency: str) -> int:
    """The most an order of ``total_idr`` in ``currency`` may receive in rupiah, all payments together."""
    if currency == "IDR":
        return total_idr
    return total_idr + total_idr * OVERPAYMENT_TOLERANCE_BP // BASIS_POINTS


def fits_minor_unit(amount: Decimal, currency: str) -> bool:
    """Whether ``amount`` has no more decimals than ``currency`` has (cents; none for yen)."""
    return amount == amount.quantize(minor_unit(currency))
