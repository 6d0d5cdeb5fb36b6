"""ledger/journal.py: the one place journal lines are written."""

import pytest

from binakarya.ledger import accounts
from binakarya.ledger.accounts import accounts_for
from binakarya.ledger.journal import Posting, UnbalancedEntry, entry_post
from binakarya.ledger.models import JournalEntry, JournalLine
from tests.factories import MakerFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_an_entry_of_many_lines_is_written_by_one_statement_and_balances():
    """PostgreSQL checks each statement's lines per entry, so an entry's lines must never be split."""
    # given 600 premi lines against one bank line (more than bulk_create's old batch of 500)
    organization = OrganizationFactory()
    makers = [MakerFactory(organization=organization) for _ in range(600)]
    keys = [accounts.premi_key(maker_id=m.pk) for m in makers] + [accounts.bank_key()]
    found = accounts_for(organization=organization, keys=keys)
    postings = [Posting(found[key], -1_000) for key in keys[:-1]] + [Posting(found[keys[-1]], 600_000)]

    # when
    entry = entry_post(actor=None, organization=organization, kind=JournalEntry.Kind.GRANT, postings=postings)

    # then
    lines = JournalLine.objects.filter(entry_id=entry.pk)
    assert lines.count() == 601
    assert sum(lines.values_list("amount_idr", flat=True)) == 0


def test_an_unbalanced_entry_is_refused_before_anything_is_written():
    # given
    organization = OrganizationFactory()
    bank = accounts_for(organization=organization, keys=[accounts.bank_key()])[accounts.bank_key()]

    # when / then
    with pytest.raises(UnbalancedEntry, match="unbalanced entry: 1"):
        entry_post(actor=None, organization=organization, kind=JournalEntry.Kind.GRANT, postings=[Posting(bank, 1)])
    assert not JournalEntry.objects.exists()


def test_an_entry_may_not_use_another_organizations_account():
    # given
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    bank = accounts_for(organization=ours, keys=[accounts.bank_key()])[accounts.bank_key()]
    other = accounts_for(organization=theirs, keys=[accounts.bank_key()])[accounts.bank_key()]

    # when / then
    with pytest.raises(UnbalancedEntry, match="another|organization"):
        entry_post(
            actor=None,
            organization=ours,
            kind=JournalEntry.Kind.GRANT,
            postings=[Posting(bank, 5), Posting(other, -5)],
        )
    assert not JournalEntry.objects.exists()
