"""Row locks for the ledger, always taken in primary-key order.

Balances are sums of journal lines, never stored: a sale locks no account. It does update the summary
rows of its month (``ledger/summary.py``), in key order, by an upsert that locks them until it commits. A payout, a purchase
from a capital fund and a PNBP deposit read a balance, check it covers the amount and then post: they
lock the row the balance belongs to first, so two of them cannot both spend the same rupiah.
"""

from collections.abc import Iterable

from django.db import connection

from binakarya.ledger.models import Account, LedgerBalance, LedgerMonth, MakerMonth
from binakarya.makers.models import Maker


def makers_lock(*, maker_ids: Iterable[int]) -> list[Maker]:
    """Lock makers (FOR UPDATE, primary-key order) while their premi balance is read and paid out."""
    return list(Maker.objects.select_for_update(of=("self",)).filter(pk__in=sorted(set(maker_ids))).order_by("pk"))


def accounts_lock(*, account_ids: Iterable[int]) -> list[Account]:
    """Lock accounts (FOR UPDATE, primary-key order) while their balance is read and spent."""
    return list(Account.objects.select_for_update(of=("self",)).filter(pk__in=sorted(set(account_ids))).order_by("pk"))


def summaries_lock() -> None:
    """Lock the summary tables against postings while they are rebuilt (PostgreSQL: SHARE ROW EXCLUSIVE,
    which waits for postings in flight and makes new ones wait; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in (LedgerMonth, LedgerBalance, MakerMonth)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
