"""Drop the single-column index on audit events' organization: the (organization, -created_at) index
leads with it; it serves every lookup a single-column index would, which would only cost every
insert.

Only the index goes; the foreign key stays. ``SeparateDatabaseAndState`` keeps Django from rebuilding
the table (on SQLite that would drop the table's triggers) or re-checking the key over every row.
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_index(table: str, column: str, name: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("core_auditevent", "organization_id", "core_auditevent_organization_id_fc75d292"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events",
                        to="organizations.organization",
                    ),
                ),
            ],
        )
    ]
