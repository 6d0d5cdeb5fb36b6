"""The split of a sale, as pure integer arithmetic on rupiah (no database, no floats).

From each sold lot's gross amount the split takes, in this order, each part capped by what is
left: the outlet's commission, the material cost recovery (to the group's capital fund), the
makers' premi, the capital share; the rest is PNBP for a facility or income for an UMKM. Taking in
order with caps means no part can ever be negative, whatever the price.
"""

from dataclasses import dataclass, field

BASIS_POINTS = 10_000


def split_by_shares(amount: int, shares: list[int]) -> list[int]:
    """Divide ``amount`` rupiah in proportion to ``shares``, in whole rupiah, adding up exactly.

    Largest-remainder (Hamilton) rounding: every part gets the floor of its exact share, and the
    rupiah left over go one each to the largest fractional remainders (ties to the earlier share).
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    total = sum(shares)
    if not shares or total <= 0 or any(s <= 0 for s in shares):
        raise ValueError("shares must be positive")
    floors = [amount * s // total for s in shares]
    remainders = [amount * s % total for s in shares]
    leftover = amount - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors


def percent_of(amount: int, bp: int) -> int:
    """``bp`` basis points of ``amount``, rounded down to whole rupiah."""
    return max(amount, 0) * bp // BASIS_POINTS


@dataclass(frozen=True)
class Rule:
    basis: str  # "REVENUE" or "MARGIN"
    premi_mode: str  # "PER_UNIT" or "PERCENT"
    premi_per_unit_idr: int = 0
    premi_bp: int = 0
    recover_material_cost: bool = True
    capital_bp: int = 0
    deductions_bp: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LotSale:
    quantity: int
    unit_price_idr: int
    unit_cost_idr: int
    commission_idr: int
    contributor_shares: list[int]


@dataclass(frozen=True)
class LotSplit:
    gross_idr: int
    commission_idr: int
    material_idr: int
    premi_idr: int
    capital_idr: int
    remainder_idr: int
    premi_by_contributor: list[int]
    deductions_by_contributor: list[dict[str, int]]

    @property
    def net_premi_by_contributor(self) -> list[int]:
        return [
            p - sum(d.values()) for p, d in zip(self.premi_by_contributor, self.deductions_by_contributor, strict=True)
        ]


def split_lot_sale(rule: Rule, sale: LotSale) -> LotSplit:
    gross = sale.quantity * sale.unit_price_idr
    if not 0 <= sale.commission_idr <= gross:
        raise ValueError("commission must be between zero and the gross amount")
    left = gross - sale.commission_idr
    material = min(sale.quantity * sale.unit_cost_idr, left) if rule.recover_material_cost else 0
    left -= material
    basis = gross if rule.basis == "REVENUE" else gross - sale.commission_idr - sale.quantity * sale.unit_cost_idr
    if rule.premi_mode == "PER_UNIT":
        premi = sale.quantity * rule.premi_per_unit_idr
    else:
        premi = percent_of(basis, rule.premi_bp)
    premi = min(premi, left)
    left -= premi
    capital = min(percent_of(basis, rule.capital_bp), left)
    left -= capital
    per_maker = split_by_shares(premi, sale.contributor_shares)
    deductions = [{name: percent_of(p, bp) for name, bp in rule.deductions_bp.items() if bp} for p in per_maker]
    return LotSplit(
        gross_idr=gross,
        commission_idr=sale.commission_idr,
        material_idr=material,
        premi_idr=premi,
        capital_idr=capital,
        remainder_idr=left,
        premi_by_contributor=per_maker,
        deductions_by_contributor=deductions,
    )


def validate_rule(rule: Rule) -> list[str]:
    """Reasons ``rule`` cannot be entered (English keys; the service translates them)."""
    problems = []
    if rule.premi_mode == "PERCENT" and not 0 <= rule.premi_bp <= BASIS_POINTS:
        problems.append("premi_range")
    if not 0 <= rule.capital_bp <= BASIS_POINTS:
        problems.append("capital_range")
    if rule.premi_mode == "PERCENT" and rule.premi_bp + rule.capital_bp > BASIS_POINTS:
        problems.append("over_100")
    if rule.premi_mode == "PER_UNIT" and rule.premi_per_unit_idr <= 0:
        problems.append("per_unit_positive")
    for bp in rule.deductions_bp.values():
        if bp and not 500 <= bp <= 2000:
            problems.append("deduction_range")
            break
    if sum(rule.deductions_bp.values()) > 8000:
        problems.append("deductions_total")
    return problems
