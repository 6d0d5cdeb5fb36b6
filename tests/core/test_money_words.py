"""Amounts and dates in Indonesian words ("terbilang"), as kuitansi, contracts and BAST print them."""

import datetime

import pytest

from binakarya.core.money import date_in_words, date_indonesian, number_in_words, rupiah_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (25, "dua puluh lima"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (1_000, "seribu"),
        (1_001, "seribu satu"),
        (1_999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2_026, "dua ribu dua puluh enam"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (10_000_000_000, "sepuluh miliar"),
        (1_000_000_000_000, "satu triliun"),
        (-5, "minus lima"),
    ],
)
def test_number_in_words(number, words):
    assert number_in_words(number) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
        (8_325_000, "delapan juta tiga ratus dua puluh lima ribu rupiah"),
        (2_231_100, "dua juta dua ratus tiga puluh satu ribu seratus rupiah"),
        (200_000_001, "dua ratus juta satu rupiah"),
    ],
)
def test_rupiah_in_words(amount, words):
    assert rupiah_in_words(amount) == words


def test_a_date_in_words_as_a_berita_acara_opens():
    # when
    words = date_in_words(datetime.date(2026, 5, 25))

    # then
    assert (words.weekday, words.day, words.month, words.year) == (
        "Senin",
        "dua puluh lima",
        "Mei",
        "dua ribu dua puluh enam",
    )
    assert str(words) == "Senin tanggal dua puluh lima bulan Mei tahun dua ribu dua puluh enam"


@pytest.mark.parametrize(
    ("date", "weekday", "text"),
    [
        (datetime.date(2026, 1, 1), "Kamis", "1 Januari 2026"),
        (datetime.date(2026, 2, 28), "Sabtu", "28 Februari 2026"),
        (datetime.date(2026, 8, 17), "Senin", "17 Agustus 2026"),
        (datetime.date(2026, 12, 6), "Minggu", "6 Desember 2026"),
    ],
)
def test_weekdays_and_months_are_indonesian(date, weekday, text):
    assert date_in_words(date).weekday == weekday
    assert date_indonesian(date) == text
