"""Writing journal entries: the one place where journal lines are created.

An entry is a header and its lines; its lines sum to zero. ``entries_post`` writes any number of
entries with one writer (``bulk_create`` for a service, ``COPY`` for a bulk import) and checks that
each balances: in Python before anything is written, then by the database: PostgreSQL's
statement-level trigger on the lines (ledger/migrations/0004), elsewhere one grouped query afterwards.
The lines' sums are then added to the summary tables (``ledger/summary.py``) in the same transaction.
``entry_post`` is the same for one entry, for services.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from binakarya.core.bulk import OrmWriter, RowWriter
from binakarya.core.types import Actor, user_of
from binakarya.ledger.models import Account, JournalEntry, JournalLine, SplitRule
from binakarya.ledger.summary import summaries_add_statements
from binakarya.organizations.models import Organization


class UnbalancedEntry(ValueError):
    """Postings that do not sum to zero, or a line that uses another organization's account."""


class Posting(NamedTuple):
    """One line of an entry: a signed amount (debit positive) on an account, with what it traces to."""

    account: Account
    amount_idr: int
    lot_id: int | None = None
    share: int | None = None
    sale_line_id: int | None = None


@dataclass(slots=True)
class EntryDraft:
    """An entry to write. ``line_postings`` groups postings by the line of the document the entry
    records (a sale's lines, in order): the n-th group traces to the n-th id that ``attach`` returns."""

    organization_id: int
    kind: str
    occurred_at: datetime.datetime
    postings: Sequence[Posting] = ()
    line_postings: Sequence[Sequence[Posting]] = ()
    memo: str = ""
    created_by_id: int | None = None
    split_rule_id: int | None = None
    reverses_id: int | None = None


ENTRY_FIELDS = (
    "organization_id",
    "kind",
    "memo",
    "occurred_at",
    "created_at",
    "created_by_id",
    "split_rule_id",
    "reverses_id",
)
LINE_FIELDS = ("organization_id", "entry_id", "account_id", "amount_idr", "sale_line_id", "lot_id", "share")

# Given the new entries' ids, save the documents that point at them (a sale and its lines) and return,
# per entry, the ids of its document lines in the order ``Posting.line`` counts them.
Attach = Callable[[list[int]], Sequence[Sequence[int]]]


def entry_check(draft: EntryDraft, sums: dict[int, tuple[int, int, set[int]]] | None = None) -> None:
    """Raise UnbalancedEntry unless the draft has a non-zero line, sums to zero and uses only its organization's accounts.

    ``sums`` remembers each group of postings already added up (by identity), for drafts that share them.
    """
    total = 0
    count = 0
    for group in (draft.postings, *draft.line_postings):
        if sums is None:
            group_total, group_count, organizations = _group_sums(group)
        else:
            known = sums.get(id(group))
            if known is None:
                known = sums[id(group)] = _group_sums(group)
            group_total, group_count, organizations = known
        if organizations - {draft.organization_id}:
            raise UnbalancedEntry("every line must use an account of the entry's organization")
        total += group_total
        count += group_count
    if not count:
        raise UnbalancedEntry("an entry needs at least one non-zero line")
    if total:
        raise UnbalancedEntry(f"unbalanced entry: {total}")


def _group_sums(group: Sequence[Posting]) -> tuple[int, int, set[int]]:
    """A group's total, its non-zero postings and its accounts' organizations."""
    total = 0
    count = 0
    organizations = set()
    for p in group:
        if p.amount_idr:
            total += p.amount_idr
            count += 1
        organizations.add(p.account.organization_id)
    return total, count, organizations


def entries_post(
    *,
    drafts: Sequence[EntryDraft],
    writer: RowWriter | None = None,
    attach: Attach | None = None,
    now: datetime.datetime | None = None,
) -> list[int]:
    """Write the entries and their lines; return the entries' ids in order.

    Lines of zero are left out. Every entry is checked before anything is written, and again by the
    database once written. Raises UnbalancedEntry.
    """
    sums: dict[int, tuple[int, int, set[int]]] = {}
    for draft in drafts:
        entry_check(draft, sums)
    writer = writer or OrmWriter()
    now = now or timezone.now()
    entry_ids = writer.insert(
        JournalEntry,
        ENTRY_FIELDS,
        [
            (
                d.organization_id,
                d.kind,
                d.memo[:300],
                d.occurred_at,
                now,
                d.created_by_id,
                d.split_rule_id,
                d.reverses_id,
            )
            for d in drafts
        ],
        ids=True,
    )
    line_ids = attach(entry_ids) if attach is not None else [()] * len(drafts)
    rows = []
    cells: dict[int, list[tuple[int, int, int | None, int | None]]] = {}  # group id -> non-zero postings' cells
    for draft, entry_id, document_lines in zip(drafts, entry_ids, line_ids, strict=True):
        org_id = draft.organization_id
        for p in draft.postings:
            if p.amount_idr:
                rows.append((org_id, entry_id, p.account.id, p.amount_idr, p.sale_line_id, p.lot_id, p.share))
        for line_id, group in zip(document_lines, draft.line_postings, strict=True):
            group_cells = cells.get(id(group))
            if group_cells is None:
                group_cells = cells[id(group)] = [
                    (p.account.id, p.amount_idr, p.lot_id, p.share) for p in group if p.amount_idr
                ]
            rows.extend(
                (org_id, entry_id, account_id, amount, line_id, lot_id, share)
                for account_id, amount, lot_id, share in group_cells
            )
    writer.insert(JournalLine, LINE_FIELDS, rows)
    # The summaries (ledger/summary.py) follow in the same transaction: one grouped upsert per table,
    # through the writer, so a deferred writer runs it after it has copied these lines.
    premi = any(p.account.kind == Account.Kind.PREMI_PAYABLE for d in drafts for p in d.postings) or any(
        p.account.kind == Account.Kind.PREMI_PAYABLE for group in _distinct_groups(drafts) for p in group
    )
    for sql, params in summaries_add_statements(entry_ids=entry_ids, premi=premi):
        writer.execute(sql, params)
    if connection.vendor != "postgresql":
        # PostgreSQL's statement-level trigger (ledger/migrations/0004) refused any statement whose
        # lines do not balance per entry; elsewhere the sums are read back here.
        unbalanced = (
            JournalLine.objects.filter(entry_id__in=entry_ids)
            .values("entry_id")
            .annotate(total=Sum("amount_idr"))
            .exclude(total=0)
            .values_list("entry_id", "total")
        )
        found = list(unbalanced[:5])
        if found:
            raise UnbalancedEntry(f"entries do not balance after insert: {found}")
    return entry_ids


def _distinct_groups(drafts: Sequence[EntryDraft]) -> list[Sequence[Posting]]:
    """Each group of line postings once (a bulk import's drafts share them)."""
    seen: dict[int, Sequence[Posting]] = {}
    for draft in drafts:
        for group in draft.line_postings:
            seen.setdefault(id(group), group)
    return list(seen.values())


def entry_post(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    postings: Sequence[Posting],
    occurred_at: datetime.datetime | None = None,
    memo: str = "",
    split_rule: SplitRule | None = None,
    reverses: JournalEntry | None = None,
    attach: Attach | None = None,
) -> JournalEntry:
    """Post one balanced entry (see ``entries_post``) and return it. Raises UnbalancedEntry."""
    user = user_of(actor)
    draft = EntryDraft(
        organization_id=organization.pk,
        kind=kind,
        postings=postings,
        occurred_at=occurred_at or timezone.now(),
        memo=memo,
        created_by_id=user.pk if user else None,
        split_rule_id=split_rule.pk if split_rule else None,
        reverses_id=reverses.pk if reverses else None,
    )
    now = timezone.now()
    (entry_id,) = entries_post(drafts=[draft], attach=attach, now=now)
    entry = JournalEntry(
        pk=entry_id,
        created_at=now,
        organization=organization,
        kind=kind,
        memo=draft.memo[:300],
        occurred_at=draft.occurred_at,
        created_by=user,
        split_rule=split_rule,
        reverses=reverses,
    )
    entry._state.adding = False  # it was just written above
    entry._state.db = JournalEntry.objects.db
    return entry
