"""Drop the single-column indexes on journal entries' organization and journal lines' account: entry_org_time and line_account_entry lead with those columns and serve every lookup they served,
so the single-column indexes only cost every insert.

Only the index goes; the foreign key stays. ``SeparateDatabaseAndState`` keeps Django from rebuilding
the table (on SQLite that would drop the table's triggers) or re-checking the key over every row.
"""

from django.db import migrations, models


def drop_index(table: str, column: str, name: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")'
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_balance_statement_trigger"), ("organizations", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("ledger_journalentry", "organization_id", "ledger_journalentry_organization_id_a5dd9e2e"),
                drop_index("ledger_journalline", "account_id", "ledger_journalline_account_id_2b31745b"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="journalentry",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.deletion.PROTECT, related_name="lines", to="ledger.account"
                    ),
                ),
            ],
        )
    ]
