from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binakarya.ledger.split import LotSale, Rule, split_by_shares, split_lot_sale, validate_rule


def test_split_by_shares_gives_the_leftover_rupiah_to_the_largest_remainders():
    # when / then
    assert split_by_shares(100, [1, 1, 1]) == [34, 33, 33]
    assert split_by_shares(10, [3, 2, 1]) == [5, 3, 2]
    assert split_by_shares(0, [5, 7]) == [0, 0]


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    shares=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=12),
)
def test_split_by_shares_adds_up_exactly_and_stays_within_one_rupiah(amount, shares):
    # when
    parts = split_by_shares(amount, shares)

    # then
    assert sum(parts) == amount
    total = sum(shares)
    for part, share in zip(parts, shares, strict=True):
        assert abs(Fraction(part) - Fraction(amount * share, total)) < 1


@pytest.mark.parametrize("shares", [[], [0, 1], [-1, 2]])
def test_split_by_shares_needs_positive_shares(shares):
    # when / then
    with pytest.raises(ValueError):
        split_by_shares(100, shares)


def test_a_margin_rule_takes_commission_material_premi_capital_and_leaves_pnbp():
    # given 50% premi / 35% capital / 15% PNBP of the margin, as reported by a facility
    rule = Rule(basis="MARGIN", premi_mode="PERCENT", premi_bp=5000, capital_bp=3500)
    sale = LotSale(
        quantity=2, unit_price_idr=500_000, unit_cost_idr=150_000, commission_idr=100_000, contributor_shares=[3, 1]
    )

    # when
    split = split_lot_sale(rule, sale)

    # then: gross 1.000.000; margin = 1.000.000 - 100.000 - 300.000 = 600.000
    assert (split.gross_idr, split.commission_idr, split.material_idr) == (1_000_000, 100_000, 300_000)
    assert (split.premi_idr, split.capital_idr, split.remainder_idr) == (300_000, 210_000, 90_000)
    assert split.premi_by_contributor == [225_000, 75_000]


def test_a_per_unit_rule_with_deductions():
    # given
    rule = Rule(
        basis="REVENUE",
        premi_mode="PER_UNIT",
        premi_per_unit_idr=10_000,
        recover_material_cost=False,
        capital_bp=1000,
        deductions_bp={"RESTITUTION": 1000, "VICTIM_FUND": 500},
    )
    sale = LotSale(quantity=3, unit_price_idr=85_000, unit_cost_idr=20_000, commission_idr=0, contributor_shares=[1, 1])

    # when
    split = split_lot_sale(rule, sale)

    # then
    assert (split.premi_idr, split.capital_idr, split.material_idr, split.remainder_idr) == (30_000, 25_500, 0, 199_500)
    assert split.deductions_by_contributor == [{"RESTITUTION": 1500, "VICTIM_FUND": 750}] * 2
    assert split.net_premi_by_contributor == [12_750, 12_750]


def test_a_price_below_cost_never_makes_a_part_negative():
    # given
    rule = Rule(basis="MARGIN", premi_mode="PER_UNIT", premi_per_unit_idr=50_000, capital_bp=2000)
    sale = LotSale(
        quantity=1, unit_price_idr=60_000, unit_cost_idr=80_000, commission_idr=6_000, contributor_shares=[1]
    )

    # when
    split = split_lot_sale(rule, sale)

    # then
    assert (split.material_idr, split.premi_idr, split.capital_idr, split.remainder_idr) == (54_000, 0, 0, 0)


@pytest.mark.parametrize(
    ("rule", "problems"),
    [
        (Rule("REVENUE", "PERCENT", premi_bp=6000, capital_bp=5000), ["over_100"]),
        (Rule("REVENUE", "PER_UNIT", premi_per_unit_idr=0), ["per_unit_positive"]),
        (Rule("REVENUE", "PERCENT", premi_bp=1000, deductions_bp={"RESTITUTION": 300}), ["deduction_range"]),
        (Rule("REVENUE", "PERCENT", premi_bp=1000, deductions_bp={"RESTITUTION": 2500}), ["deduction_range"]),
        (Rule("MARGIN", "PERCENT", premi_bp=5000, capital_bp=3500, deductions_bp={"RESTITUTION": 1000}), []),
    ],
)
def test_rules_are_validated_on_entry(rule, problems):
    # when / then
    assert validate_rule(rule) == problems


rules = st.builds(
    Rule,
    basis=st.sampled_from(["REVENUE", "MARGIN"]),
    premi_mode=st.sampled_from(["PER_UNIT", "PERCENT"]),
    premi_per_unit_idr=st.integers(1, 200_000),
    premi_bp=st.integers(0, 10_000),
    recover_material_cost=st.booleans(),
    capital_bp=st.integers(0, 10_000),
    deductions_bp=st.fixed_dictionaries({"RESTITUTION": st.sampled_from([0, 500, 1000, 2000])}),
).filter(lambda r: not validate_rule(r))


@given(
    rule=rules,
    quantity=st.integers(1, 50),
    price=st.integers(1, 50_000_000),
    cost=st.integers(0, 50_000_000),
    commission_bp=st.integers(0, 10_000),
    shares=st.lists(st.integers(1, 20), min_size=1, max_size=10),
)
def test_every_split_is_whole_non_negative_and_adds_up_to_the_gross(rule, quantity, price, cost, commission_bp, shares):
    # given any valid rule and sale (hypothesis)
    gross = quantity * price
    sale = LotSale(quantity, price, cost, gross * commission_bp // 10_000, shares)

    # when
    split = split_lot_sale(rule, sale)

    # then
    parts = [split.commission_idr, split.material_idr, split.premi_idr, split.capital_idr, split.remainder_idr]
    assert all(isinstance(p, int) and p >= 0 for p in parts)
    assert sum(parts) == gross
    assert sum(split.premi_by_contributor) == split.premi_idr
    assert all(n >= 0 for n in split.net_premi_by_contributor)
