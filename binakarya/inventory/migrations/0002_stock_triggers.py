"""Database-side guarantees for stock.

* Every inserted StockMovement is added to its StockBalance by a trigger, in the same statement,
  so a balance is always the sum of its movements; the balance's CHECK (quantity >= 0) then refuses
  any movement that would take stock below zero, whatever the code did.
* On PostgreSQL, movements cannot be updated or deleted, and balances can only change through the
  movement trigger. SQLite gets the same append-only rule from the model layer (a guard), because
  Django empties SQLite tables with DELETE between transactional tests.
"""

from django.db import migrations

ARRIVAL_KINDS = "('PRODUCED', 'TRANSFER_IN', 'RETURNED')"

SQLITE_CREATE = f"""
CREATE TRIGGER IF NOT EXISTS inventory_movement_apply AFTER INSERT ON inventory_stockmovement
BEGIN
    UPDATE inventory_stockbalance SET
        quantity = quantity + NEW.quantity,
        arrived_at = CASE WHEN NEW.kind IN {ARRIVAL_KINDS} AND NEW.quantity > 0 THEN NEW.created_at
                          ELSE arrived_at END
    WHERE lot_id = NEW.lot_id AND location_id = NEW.location_id;
    INSERT INTO inventory_stockbalance (organization_id, variant_id, lot_id, location_id, quantity, arrived_at)
    SELECT NEW.organization_id, NEW.variant_id, NEW.lot_id, NEW.location_id, NEW.quantity, NEW.created_at
    WHERE NOT EXISTS (
        SELECT 1 FROM inventory_stockbalance WHERE lot_id = NEW.lot_id AND location_id = NEW.location_id
    );
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS inventory_movement_apply;"

# Update first: a CHECK constraint is tested on the row an INSERT proposes, before ON CONFLICT is
# considered, so an upsert of a negative quantity would fail even when the existing row could take it.
PG_CREATE = f"""
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
        ON CONFLICT (lot_id, location_id) DO UPDATE SET quantity = b.quantity + EXCLUDED.quantity;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER inventory_movement_apply AFTER INSERT ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION inventory_movement_apply();

CREATE OR REPLACE FUNCTION inventory_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are append-only: post a reversal instead' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER inventory_movement_append_only BEFORE UPDATE OR DELETE ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION inventory_append_only();

CREATE OR REPLACE FUNCTION inventory_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Depth 1 is a statement from outside; the movement trigger's update runs at depth 2.
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'stock balances change only through stock movements' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER inventory_balance_guard BEFORE UPDATE OR DELETE ON inventory_stockbalance
    FOR EACH ROW EXECUTE FUNCTION inventory_balance_guard();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS inventory_balance_guard ON inventory_stockbalance;
DROP TRIGGER IF EXISTS inventory_movement_append_only ON inventory_stockmovement;
DROP TRIGGER IF EXISTS inventory_movement_apply ON inventory_stockmovement;
DROP FUNCTION IF EXISTS inventory_balance_guard();
DROP FUNCTION IF EXISTS inventory_append_only();
DROP FUNCTION IF EXISTS inventory_movement_apply();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    else:
        raise NotImplementedError(f"stock triggers are not written for {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(PG_DROP if vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
