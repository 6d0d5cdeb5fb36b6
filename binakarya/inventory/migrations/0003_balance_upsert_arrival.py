"""The movement trigger's upsert branch records arrivals too (PostgreSQL).

When two transactions create the same lot-and-location balance at once, the second one's insert
turns into an update through ON CONFLICT. That branch added the quantity but left ``arrived_at`` as
the first transaction set it, unlike the ordinary UPDATE path. It now follows the same rule: an
arrival (PRODUCED, TRANSFER_IN, RETURNED with a positive quantity) moves ``arrived_at`` forward.
SQLite runs one writer at a time, so its trigger never meets this case.
"""

from django.db import migrations

ARRIVAL_KINDS = "('PRODUCED', 'TRANSFER_IN', 'RETURNED')"


def _function(on_conflict: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION inventory_movement_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inventory_stockbalance SET
        quantity = quantity + NEW.quantity,
        arrived_at = CASE WHEN NEW.kind IN {ARRIVAL_KINDS} AND NEW.quantity > 0 THEN NEW.created_at
                          ELSE arrived_at END
    WHERE lot_id = NEW.lot_id AND location_id = NEW.location_id;
    IF NOT FOUND THEN
        INSERT INTO inventory_stockbalance AS b (organization_id, variant_id, lot_id, location_id, quantity, arrived_at)
        VALUES (NEW.organization_id, NEW.variant_id, NEW.lot_id, NEW.location_id, NEW.quantity, NEW.created_at)
        ON CONFLICT (lot_id, location_id) DO UPDATE SET {on_conflict};
    END IF;
    RETURN NEW;
END $$;
"""


FORWARD = _function(
    "quantity = b.quantity + EXCLUDED.quantity, "
    f"arrived_at = CASE WHEN NEW.kind IN {ARRIVAL_KINDS} AND NEW.quantity > 0 THEN NEW.created_at "
    "ELSE b.arrived_at END"
)
BACKWARD = _function("quantity = b.quantity + EXCLUDED.quantity")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_stock_triggers")]

    operations = [migrations.RunPython(forwards, backwards)]
