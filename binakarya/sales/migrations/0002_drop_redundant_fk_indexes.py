"""Drop the single-column index on sales' organization: sale_org_time leads with it; it serves every
lookup a single-column index would, which would only cost every insert.

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
        ("organizations", "0001_initial"),
        ("sales", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("sales_sale", "organization_id", "sales_sale_organization_id_d15e429b"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="sale",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sales",
                        to="organizations.organization",
                    ),
                ),
            ],
        )
    ]
