"""Drop the single-column indexes on stock movements' lot and variant: movement_lot_location and
movement_variant_time lead with them; it serves every lookup a single-column index would, which
would only cost every insert.

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
        ("catalog", "0007_product_listed_index"),
        ("inventory", "0004_balance_statement_trigger"),
        ("production", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("inventory_stockmovement", "lot_id", "inventory_stockmovement_lot_id_88e0d757"),
                drop_index("inventory_stockmovement", "variant_id", "inventory_stockmovement_variant_id_ddd5a752"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="stockmovement",
                    name="lot",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="movements",
                        to="production.lot",
                    ),
                ),
                migrations.AlterField(
                    model_name="stockmovement",
                    name="variant",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.variant",
                    ),
                ),
            ],
        )
    ]
