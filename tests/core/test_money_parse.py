"""Reading rupiah amounts as people type them, and writing percentages the reader's way (pure functions)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binakarya.core.money import MAX_DIGITS, RupiahFormatError, format_percent, format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.000", 15_000),
        ("15000", 15_000),
        ("Rp15.000", 15_000),
        ("Rp 15.000", 15_000),
        ("  Rp 15.000  ", 15_000),
        (" 15.000 ", 15_000),
        ("rp15000", 15_000),
        ("Rp. 15.000", 15_000),
        ("Rp15.000,-", 15_000),
        ("Rp\u00a015.000", 15_000),
        ("1.250.000", 1_250_000),
        ("0", 0),
        ("Rp0", 0),
        ("500", 500),
        ("-Rp15.000", -15_000),
        ("-15.000", -15_000),
    ],
)
def test_what_people_type_is_read_as_whole_rupiah(typed, expected):
    # when / then
    assert parse_rupiah(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("15.000,50", "decimal"),
        ("15,50", "decimal"),
        ("15.000,00", "decimal"),
        ("15,000", "comma"),
        ("1,250,000", "comma"),
        ("15.00", "grouping"),
        ("1.5", "grouping"),
        ("15.0000", "grouping"),
        ("1.50.000", "grouping"),
        ("15.", "grouping"),
        (".500", "grouping"),
        ("15..000", "grouping"),
        ("abc", "invalid"),
        ("15rb", "invalid"),
        ("Rp 15 000", "invalid"),
        ("--15", "invalid"),
        ("-Rp-15", "invalid"),
        ("-", "invalid"),
        ("\u0661\u0665", "invalid"),  # Arabic-Indic digits are not read as 15
        ("Rp", "empty"),
        ("", "empty"),
        ("9" * (MAX_DIGITS + 1), "too_large"),
    ],
)
def test_cents_and_anything_ambiguous_are_refused_never_cut(typed, code):
    # when
    with pytest.raises(RupiahFormatError) as refused:
        parse_rupiah(typed)

    # then
    assert refused.value.code == code
    assert refused.value.text == typed


@given(st.integers(min_value=0, max_value=10**MAX_DIGITS - 1))
def test_formatting_then_parsing_gives_the_amount_back(amount):
    # when
    text = format_rupiah(amount)

    # then
    assert parse_rupiah(text) == amount
    assert parse_rupiah(text.removeprefix("Rp")) == amount
    assert parse_rupiah(text.replace("Rp", "Rp ")) == amount
    assert parse_rupiah(str(amount)) == amount


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from([",5", ",50", ",05", ",99"]))
def test_no_amount_with_cents_is_ever_read(amount, cents):
    # when
    with pytest.raises(RupiahFormatError) as refused:
        parse_rupiah(format_rupiah(amount) + cents)

    # then
    assert refused.value.code == "decimal"


@pytest.mark.parametrize(
    ("value", "separator", "expected"),
    [
        (Decimal("25"), ",", "25"),
        (25.0, ",", "25"),
        (Decimal("12.50"), ",", "12,5"),
        (Decimal("12.5"), ".", "12.5"),
        (Decimal("33.33"), ",", "33,33"),
        (0, ",", "0"),
        (Decimal("100.00"), ".", "100"),
        (Decimal("0.05"), ",", "0,05"),
    ],
)
def test_percentages_have_no_trailing_zeros(value, separator, expected):
    # when / then
    assert format_percent(value, decimal_separator=separator) == expected
