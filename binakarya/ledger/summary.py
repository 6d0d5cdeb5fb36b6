"""The journal's summary tables (``LedgerMonth``, ``MakerMonth``): how they are computed, kept and rebuilt.

One grouped query over journal lines defines each summary (``ledger_month_rows``, ``maker_month_rows``).
The same query serves three purposes, so they cannot disagree:

- ``summaries_add``: after ``entries_post`` writes lines, their sums are added to the summaries by one
  ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE`` per table, in the same transaction, rows in key
  order (PostgreSQL locks them in that order, so two postings cannot deadlock on them);
- ``summaries_rebuild``: delete and insert from the grouped query over all lines (or one organization's);
- ``selectors.summary_mismatches``: the grouped query compared with the stored rows.
"""

import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth

from binakarya.ledger.models import Account, JournalEntry, JournalLine, LedgerMonth, MakerMonth

LEDGER_MONTH_KEY = ("organization_id", "month", "entry_kind", "account_kind", "channel", "category_key", "group_key")
LEDGER_MONTH_SUMS = ("debit_idr", "credit_idr", "lines")
MAKER_MONTH_KEY = ("organization_id", "month", "maker_id")
MAKER_MONTH_SUMS = ("earned_idr", "paid_idr")

# Larger sets of entry ids are added in several statements (each still one grouped query).
_IDS_PER_STATEMENT = 5_000


def _month() -> Cast:
    """The first day of the entry's month in the project's time zone, as a date, on every database."""
    return Cast(
        TruncMonth("entry__occurred_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)), output_field=DateField()
    )


def ledger_month_rows(lines: QuerySet[JournalLine]) -> QuerySet[Any, Any]:
    """``lines`` grouped into ``LedgerMonth`` rows: dicts of the key columns and the sums, in key order."""
    return (
        lines.order_by()
        .values(
            "organization_id",
            month=_month(),
            entry_kind=F("entry__kind"),
            account_kind=F("account__kind"),
            channel=Coalesce(F("sale_line__sale__channel"), Value("")),
            category_key=Coalesce(F("sale_line__variant__product__category_id"), Value(0)),
            group_key=Coalesce(F("sale_line__lot__group_id"), F("lot__group_id"), F("account__group_id"), Value(0)),
        )
        .annotate(
            debit_idr=Sum("amount_idr", filter=Q(amount_idr__gt=0), default=0),
            credit_idr=Sum("amount_idr", filter=Q(amount_idr__lt=0), default=0),
            lines=Sum(Value(1)),
        )
        .order_by(*LEDGER_MONTH_KEY)
    )


def maker_month_rows(lines: QuerySet[JournalLine]) -> QuerySet[Any, Any]:
    """``lines`` on makers' premi accounts grouped into ``MakerMonth`` rows, in key order."""
    payout = Q(entry__kind=JournalEntry.Kind.PAYOUT)
    return (
        lines.filter(account__kind=Account.Kind.PREMI_PAYABLE)
        .order_by()
        .values("organization_id", month=_month(), maker_id=F("account__maker_id"))
        .annotate(
            earned_idr=-Sum("amount_idr", filter=~payout, default=0),
            paid_idr=Sum("amount_idr", filter=payout, default=0),
        )
        .order_by(*MAKER_MONTH_KEY)
    )


def _insert_sql(
    model: type[LedgerMonth] | type[MakerMonth],
    rows: QuerySet[Any, Any],
    key: Sequence[str],
    sums: Sequence[str],
    *,
    upsert: bool,
) -> tuple[str, tuple[Any, ...]]:
    """``INSERT INTO <summary> SELECT <rows>``, adding to the rows already there when ``upsert``."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*key, *sums]
    select, params = rows.query.sql_with_params()
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join('d.' + quote(c) for c in columns)} FROM ({select}) d "
        # "WHERE true" tells SQLite that the ON below starts the upsert, not a join's condition.
        f"WHERE true ORDER BY {', '.join('d.' + quote(c) for c in key)}"
    )
    if upsert:
        updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in sums)
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in key)}) DO UPDATE SET {updates}"
    return sql, tuple(params)


def _entry_filters(entry_ids: Sequence[int]) -> list[Q]:
    """Conditions that select exactly these entries' lines, one per statement: a range where the ids are
    consecutive (no other transaction can hold an id inside it), else lists of ids."""
    ids = sorted(set(entry_ids))
    if not ids:
        return []
    if ids[-1] - ids[0] + 1 == len(ids):
        return [Q(entry_id__gte=ids[0], entry_id__lte=ids[-1])]
    return [Q(entry_id__in=ids[start : start + _IDS_PER_STATEMENT]) for start in range(0, len(ids), _IDS_PER_STATEMENT)]


def summaries_add_statements(*, entry_ids: Sequence[int], premi: bool) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements that add these (written) entries' lines to the summaries; ``premi`` when some line
    is on a premi account (else ``MakerMonth`` is left alone)."""
    statements = []
    for condition in _entry_filters(entry_ids):
        lines = JournalLine.objects.filter(condition)
        statements.append(
            _insert_sql(LedgerMonth, ledger_month_rows(lines), LEDGER_MONTH_KEY, LEDGER_MONTH_SUMS, upsert=True)
        )
        if premi:
            statements.append(
                _insert_sql(MakerMonth, maker_month_rows(lines), MAKER_MONTH_KEY, MAKER_MONTH_SUMS, upsert=True)
            )
    return statements


def summaries_rebuild(*, organization_ids: Sequence[int] | None = None) -> int:
    """Delete the summaries (of these organizations, or all) and insert them again from the journal.

    Two grouped ``INSERT … SELECT`` statements; returns the number of ``LedgerMonth`` rows written.
    The caller holds the transaction.
    """
    lines = JournalLine.objects.all()
    months = LedgerMonth.objects.all()
    makers = MakerMonth.objects.all()
    if organization_ids is not None:
        lines = lines.filter(organization_id__in=list(organization_ids))
        months = months.filter(organization_id__in=list(organization_ids))
        makers = makers.filter(organization_id__in=list(organization_ids))
    months.delete()
    makers.delete()
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(
            *_insert_sql(LedgerMonth, ledger_month_rows(lines), LEDGER_MONTH_KEY, LEDGER_MONTH_SUMS, upsert=False)
        )
        written = cursor.rowcount
        cursor.execute(
            *_insert_sql(MakerMonth, maker_month_rows(lines), MAKER_MONTH_KEY, MAKER_MONTH_SUMS, upsert=False)
        )
    return written
