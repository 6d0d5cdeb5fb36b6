"""PostgreSQL: the references of stock movements are checked once per statement, not once per row.

See ``binakarya/core/references.py``. Movements are append-only, so only inserts are checked; the
movement a reversal points at can never be deleted, so it is not locked.
"""

from django.db import migrations

from binakarya.core.references import Reference, install, uninstall

MOVEMENT = ("inventory", "StockMovement")
REFS = [
    Reference("inventory_stockmovement", "organization_id", "organizations_organization"),
    Reference("inventory_stockmovement", "variant_id", "catalog_variant"),
    Reference("inventory_stockmovement", "lot_id", "production_lot"),
    Reference("inventory_stockmovement", "location_id", "inventory_location"),
    Reference("inventory_stockmovement", "transfer_id", "inventory_transfer"),
    Reference("inventory_stockmovement", "stock_count_id", "inventory_stockcount"),
    Reference("inventory_stockmovement", "created_by_id", "auth_user"),
    Reference("inventory_stockmovement", "reverses_id", "inventory_stockmovement", lock_parent=False),
]


def forwards(apps, schema_editor):
    install(schema_editor, apps, MOVEMENT, REFS, updatable=False)


def backwards(apps, schema_editor):
    uninstall(schema_editor, apps, MOVEMENT, REFS, updatable=False)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0005_drop_redundant_fk_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
