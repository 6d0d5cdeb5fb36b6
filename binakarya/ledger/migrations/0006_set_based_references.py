"""PostgreSQL: the references of journal entries and lines are checked once per statement, not once per row.

See ``binakarya/core/references.py``. Entries and lines are append-only, so only inserts are checked;
an entry (parent of lines, sales and reversals) can never be deleted, so it is not locked.
"""

from django.db import migrations

from binakarya.core.references import Reference, install, uninstall

ENTRY = ("ledger", "JournalEntry")
ENTRY_REFS = [
    Reference("ledger_journalentry", "organization_id", "organizations_organization"),
    Reference("ledger_journalentry", "created_by_id", "auth_user"),
    Reference("ledger_journalentry", "split_rule_id", "ledger_splitrule"),
    Reference("ledger_journalentry", "reverses_id", "ledger_journalentry", lock_parent=False),
]
LINE = ("ledger", "JournalLine")
LINE_REFS = [
    Reference("ledger_journalline", "organization_id", "organizations_organization"),
    Reference("ledger_journalline", "entry_id", "ledger_journalentry", lock_parent=False),
    Reference("ledger_journalline", "account_id", "ledger_account"),
    # A sale line is never deleted (sales/migrations/0003 guards it), so it is not locked.
    Reference("ledger_journalline", "sale_line_id", "sales_saleline", lock_parent=False),
    Reference("ledger_journalline", "lot_id", "production_lot"),
]


def forwards(apps, schema_editor):
    install(schema_editor, apps, ENTRY, ENTRY_REFS, updatable=False)
    install(schema_editor, apps, LINE, LINE_REFS, updatable=False)


def backwards(apps, schema_editor):
    uninstall(schema_editor, apps, LINE, LINE_REFS, updatable=False)
    uninstall(schema_editor, apps, ENTRY, ENTRY_REFS, updatable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_drop_redundant_fk_indexes"),
        ("sales", "0003_set_based_references"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
