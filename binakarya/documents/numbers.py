"""Gap-free document numbers: ``SJ-SMP-2026-00007``, one yearly series per organization and kind.

Every number Binakarya prints comes from here. A series' counter row stays locked from the moment a
number is taken until the caller's transaction ends, so concurrent callers get consecutive numbers and
a rolled-back transaction gives its numbers back: no gaps. Take numbers late in a transaction, so the
lock is held briefly.
"""

from django.db import connection
from django.utils import timezone

from binakarya.documents.models import NumberSequence
from binakarya.organizations.models import Organization

# The series of each kind of document (the letters before the organization's code).
SALE = "PJ"  # penjualan
TRANSFER = "SJ"  # surat jalan
PAYOUT = "PRM"  # premi payout slip
PREMI_STATEMENT = "STP"
TAG_SHEET = "TAG"
ORDER = "PSN"  # pesanan (web and WhatsApp orders)
INVOICE = "INV"
RECEIPT = "KWT"  # kuitansi
POS_SESSION = "KAS"  # a cashier's session at the point of sale
CONSIGNMENT_STATEMENT = "RTJ"  # rekening titip jual: a consignment outlet's statement
QUOTATION = "PNW"  # surat penawaran harga
RFQ = "RFQ"  # a buyer's request for quotation (numbered, no document)
DEAL = "KTR"  # kontrak: an accepted quotation and its purchase order
SPK = "SPK"  # surat perintah kerja
AGREEMENT = "PJN"  # surat perjanjian
BAST = "BAST"  # berita acara serah terima
SKILLS_CERTIFICATE = "SKL"  # sertifikat keterampilan (programs, issue 15)


def number_format(*, series: str, organization_code: str, year: int, value: int) -> str:
    """The printed number: ``PJ-SMP-2026-00042``."""
    return f"{series}-{organization_code}-{year}-{value:05d}"


def number_next(*, organization: Organization, series: str, year: int | None = None) -> str:
    """The next number of ``series`` for the organization in ``year`` (this year by default)."""
    year = year or timezone.localdate().year
    (value,) = numbers_take(organization_id=organization.pk, series=series, year=year, count=1)
    return number_format(series=series, organization_code=organization.code, year=year, value=value)


def numbers_take(*, organization_id: int, series: str, year: int, count: int) -> range:
    """Take ``count`` consecutive values of the series in one statement (the block form, for bulk imports).

    Returns the values taken, e.g. ``range(43, 1043)``; the counter row stays locked until commit.
    """
    if count < 1:
        raise ValueError("take at least one number")
    last = _advance(organization_id=organization_id, series=series, year=year, count=count)
    if last is None:  # the series' first number this year
        NumberSequence.objects.get_or_create(organization_id=organization_id, series=series, year=year)
        last = _advance(organization_id=organization_id, series=series, year=year, count=count)
        if last is None:
            raise RuntimeError(f"number series {series} {year} vanished while it was being taken")
    return range(last - count + 1, last + 1)


def _advance(*, organization_id: int, series: str, year: int, count: int) -> int | None:
    """Add ``count`` to the counter and return its new value, in one statement; None if there is no counter yet."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + %s "  # noqa: S608 (the table name is the model's own)
            "WHERE organization_id = %s AND series = %s AND year = %s RETURNING last_value",
            [count, organization_id, series, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None
