"""PostgreSQL keeps stock balances with one statement-level trigger instead of a row-level one.

The row-level trigger updated a balance once per inserted movement. A bulk import that sells the same
lot at the same location thousands of times in one transaction then updated that one row thousands of
times; every update leaves a row version that later updates in the same transaction must step over,
so the cost grew with the square of the rows. The statement-level trigger sees every row a statement
inserted (a transition table) and applies one summed change per lot and location:

* existing balances first, in primary-key order (the order every lock in the stock code follows);
  the CHECK (quantity >= 0) on the result still refuses any statement that would take stock below zero;
* then the missing balances, with an upsert for a balance another transaction created meanwhile;
* ``arrived_at`` moves to the latest arrival of the statement (PRODUCED, TRANSFER_IN, RETURNED with a
  positive quantity), as the row-level trigger did one row at a time.

What is checked is each statement's net change. The services insert each change of stock in one
statement after locking the balances it touches, so this is the same guarantee; a lone statement
that first took and then returned units would now pass where the row trigger refused its first row.
SQLite has no statement-level triggers and keeps the row-level one.
"""

from django.db import migrations

ARRIVAL_KINDS = "('PRODUCED', 'TRANSFER_IN', 'RETURNED')"

PG_FORWARD = f"""
DROP TRIGGER IF EXISTS inventory_movement_apply ON inventory_stockmovement;

CREATE OR REPLACE FUNCTION inventory_movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changes AS (
        SELECT lot_id, location_id, SUM(quantity) AS quantity,
               MAX(created_at) FILTER (WHERE kind IN {ARRIVAL_KINDS} AND quantity > 0) AS arrived_at
        FROM new_movements GROUP BY lot_id, location_id
    ), locked AS (
        SELECT b.id, c.quantity, c.arrived_at
        FROM inventory_stockbalance b JOIN changes c ON b.lot_id = c.lot_id AND b.location_id = c.location_id
        ORDER BY b.id
        FOR UPDATE OF b
    )
    UPDATE inventory_stockbalance b SET
        quantity = b.quantity + locked.quantity,
        arrived_at = COALESCE(locked.arrived_at, b.arrived_at)
    FROM locked WHERE b.id = locked.id;

    INSERT INTO inventory_stockbalance AS b (organization_id, variant_id, lot_id, location_id, quantity, arrived_at)
    SELECT MIN(m.organization_id), MIN(m.variant_id), m.lot_id, m.location_id, SUM(m.quantity),
           COALESCE(MAX(m.created_at) FILTER (WHERE m.kind IN {ARRIVAL_KINDS} AND m.quantity > 0), MIN(m.created_at))
    FROM new_movements m
    WHERE NOT EXISTS (
        SELECT 1 FROM inventory_stockbalance x WHERE x.lot_id = m.lot_id AND x.location_id = m.location_id
    )
    GROUP BY m.lot_id, m.location_id
    ORDER BY m.lot_id, m.location_id
    ON CONFLICT (lot_id, location_id) DO UPDATE SET
        quantity = b.quantity + EXCLUDED.quantity,
        arrived_at = COALESCE(
            (SELECT MAX(n.created_at) FROM new_movements n
             WHERE n.lot_id = EXCLUDED.lot_id AND n.location_id = EXCLUDED.location_id
               AND n.kind IN {ARRIVAL_KINDS} AND n.quantity > 0),
            b.arrived_at
        );
    RETURN NULL;
END $$;

CREATE TRIGGER inventory_movements_apply AFTER INSERT ON inventory_stockmovement
    REFERENCING NEW TABLE AS new_movements
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_movements_apply();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS inventory_movements_apply ON inventory_stockmovement;
DROP FUNCTION IF EXISTS inventory_movements_apply();
CREATE TRIGGER inventory_movement_apply AFTER INSERT ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION inventory_movement_apply();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_balance_upsert_arrival")]

    operations = [migrations.RunPython(forwards, backwards)]
