import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from binakarya.core.money import format_rupiah
from binakarya.core.phone import display_phone, normalize_phone, whatsapp_url


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "Rp0"), (500, "Rp500"), (1_250_000, "Rp1.250.000"), (45_000_000, "Rp45.000.000"), (-15_000, "-Rp15.000")],
)
def test_format_rupiah(amount, expected):
    # when / then
    assert format_rupiah(amount) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_format_rupiah_round_trips(amount):
    # when
    text = format_rupiah(amount)

    # then
    assert text.startswith("Rp")
    assert int(text[2:].replace(".", "")) == amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("812 3456 7890", "6281234567890"),
        ("", ""),
    ],
)
def test_normalize_phone(raw, expected):
    # when / then
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "+1 555 0100 200", "0812", "0812-3456-7890-1234-99"])
def test_normalize_phone_refuses_non_indonesian_numbers(raw):
    # when / then
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_whatsapp_url_encodes_message():
    # when
    url = whatsapp_url("6281234567890", "Halo, saya ingin memesan Pecut & Rajut (https://x.test/p/1/)")

    # then
    assert url == (
        "https://wa.me/6281234567890?text=Halo%2C%20saya%20ingin%20memesan%20Pecut%20%26%20Rajut"
        "%20%28https%3A%2F%2Fx.test%2Fp%2F1%2F%29"
    )
    assert whatsapp_url("", "x") == ""
    assert display_phone("6281234567890") == "0812-3456-7890"
