"""Rupiah amounts are integers; this module formats them for people and reads them back as people type them.

Every function is pure (no database, no settings, no translation): the forms turn a
:class:`RupiahFormatError`'s ``code`` into a message in the user's language. The words of an amount or a
date ("terbilang") are Indonesian whatever the reader's language: they are what Indonesian documents print.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

# The most digits an amount may have: more than any price or ledger column holds, and far below Python's
# limit on int() of a long string.
MAX_DIGITS = 18

# An amount as people write it, once spaces around it are gone:
#   an optional minus, an optional "Rp" (also "Rp." and "Rp " before the number), then the digits,
#   and optionally ",-" after them ("Rp15.000,-": the Indonesian way of saying "no cents").
_AMOUNT = re.compile(r"(?P<sign>-?)\s*(?:rp\.?\s*)?(?P<sign2>-?)(?P<number>[0-9.,]*)(?P<dash>,-)?", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_DECIMAL_COMMA = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),[0-9]+")
_COMMA_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


def format_rupiah(amount_idr: int | None) -> str:
    """Format an integer rupiah amount the Indonesian way: ``Rp1.250.000``."""
    if amount_idr is None:
        return ""
    amount = int(amount_idr)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


class RupiahFormatError(ValueError):
    """What was typed is not a whole number of rupiah. ``code`` says why:

    - ``empty``: nothing but "Rp" (or nothing at all);
    - ``comma``: commas grouping thousands the English way (``15,000``): ambiguous in Indonesian;
    - ``decimal``: a decimal comma (``15.000,50``): rupiah are typed without cents;
    - ``grouping``: dots that do not group thousands (``15.00``, ``1.5``, ``15.0000``, ``1.50.000``);
    - ``too_large``: more than :data:`MAX_DIGITS` digits;
    - ``invalid``: anything else (letters, two signs…).
    """

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


def parse_rupiah(text: str) -> int:
    """A rupiah amount as typed: ``15000``, ``15.000``, ``Rp15.000``, ``Rp 15.000``, ``Rp. 15.000``, ``15.000,-``.

    Dots only group thousands (three digits after each); a comma is never a thousands separator, and
    cents are refused rather than cut. A leading minus gives a negative amount (a form decides whether it
    allows one). Raises :class:`RupiahFormatError`; ``parse_rupiah(format_rupiah(n)) == n`` for every n.
    """
    stripped = text.strip().replace("\u00a0", " ")
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        raise RupiahFormatError("invalid", text)
    if match["sign"] and match["sign2"]:
        raise RupiahFormatError("invalid", text)
    number = match["number"]
    if not number:
        raise RupiahFormatError("empty" if not match["sign"] and not match["sign2"] else "invalid", text)
    if _PLAIN.fullmatch(number) or _GROUPED.fullmatch(number):
        digits = number.replace(".", "")
    elif _COMMA_GROUPED.fullmatch(number):
        raise RupiahFormatError("comma", text)
    elif _DECIMAL_COMMA.fullmatch(number):
        raise RupiahFormatError("decimal", text)
    else:
        raise RupiahFormatError("grouping", text)
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise RupiahFormatError("too_large", text)
    amount = int(digits)
    return -amount if match["sign"] or match["sign2"] else amount


def decimal_separator_for(language: str | None) -> str:
    """The decimal separator of ``language``: a point in English, a comma in Indonesian (the default)."""
    return "." if (language or "").startswith("en") else ","


def format_percent(value: Decimal | float | int, *, decimal_separator: str = ",") -> str:
    """A percentage with at most two decimals and no trailing zeros: ``12,5``, ``25``, ``33,33`` (no ``%``).

    ``decimal_separator`` is the reader's: a comma in Indonesian, a point in English.
    """
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{amount:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", decimal_separator)


# Amounts and dates in Indonesian words ("terbilang"), as a kuitansi, a contract or a BAST writes them -----------

_ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))


def _words(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        return f"{_ONES[n // 10]} puluh {_words(n % 10)}"
    if n < 200:
        return f"seratus {_words(n - 100)}"
    if n < 1000:
        return f"{_ONES[n // 100]} ratus {_words(n % 100)}"
    if n < 2000:
        return f"seribu {_words(n - 1000)}"
    for size, name in _SCALES:
        if n >= size:
            return f"{_words(n // size)} {name} {_words(n % size)}"
    raise AssertionError("unreachable: every n >= 1000 has a scale")  # pragma: no cover


def number_in_words(n: int) -> str:
    """A whole number in Indonesian words: ``25`` → "dua puluh lima", ``2026`` → "dua ribu dua puluh enam".

    ``0`` is "nol"; a negative number starts with "minus".
    """
    if n < 0:
        return f"minus {number_in_words(-n)}"
    if n == 0:
        return "nol"
    return " ".join(_words(n).split())


def rupiah_in_words(amount_idr: int) -> str:
    """``1250000`` → "satu juta dua ratus lima puluh ribu rupiah" (Indonesian, as a kuitansi writes it)."""
    if amount_idr <= 0:
        return "nol rupiah"
    return f"{number_in_words(amount_idr)} rupiah"


WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class DateInWords:
    """A date as a berita acara opens: "Pada hari ini, Senin tanggal dua puluh lima bulan Mei tahun dua ribu
    dua puluh enam". ``str()`` gives the words after "Pada hari ini, "."""

    weekday: str
    day: str
    month: str
    year: str

    def __str__(self) -> str:
        return f"{self.weekday} tanggal {self.day} bulan {self.month} tahun {self.year}"


def date_in_words(date: datetime.date) -> DateInWords:
    """``2026-05-25`` → Senin, "dua puluh lima", Mei, "dua ribu dua puluh enam"."""
    return DateInWords(
        weekday=WEEKDAYS[date.weekday()],
        day=number_in_words(date.day),
        month=MONTHS[date.month - 1],
        year=number_in_words(date.year),
    )


def date_indonesian(date: datetime.date) -> str:
    """``2026-05-25`` → "25 Mei 2026", whatever language is active."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
