"""PostgreSQL checks that entries balance once per statement instead of once per journal line.

The deferred row-level trigger of 0003 summed the whole entry again for every line when the
transaction committed: a sale of seven lines summed its entry seven times, and a bulk import of six
million lines ran six million lookups at commit.

The statement-level trigger sees the rows a statement inserted (a transition table) and refuses the
statement when the lines it adds to any entry do not sum to zero. It never reads the table itself.
Lines are append-only (updates and deletes are refused), so if every statement adds a balanced set
of lines to each entry, every entry balances: that is the same guarantee, kept by induction.

What changes for callers: the lines of one entry must be written by one statement (one
``bulk_create`` or one ``COPY``), as ``entry_post``, ``sale_record`` and ``import_sales`` all do.
SQLite has no transition tables; there ``entry_post`` checks the sum inside the same transaction.
"""

from django.db import migrations

PG_FORWARD = """
DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_journalline;
DROP FUNCTION IF EXISTS ledger_entry_balanced();

CREATE OR REPLACE FUNCTION ledger_lines_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad_entry bigint;
    bad_total bigint;
BEGIN
    SELECT entry_id, SUM(amount_idr) INTO bad_entry, bad_total
    FROM new_lines GROUP BY entry_id HAVING SUM(amount_idr) <> 0
    ORDER BY entry_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance (sum %)', bad_entry, bad_total USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_lines_balanced AFTER INSERT ON ledger_journalline
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_balanced();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS ledger_lines_balanced ON ledger_journalline;
DROP FUNCTION IF EXISTS ledger_lines_balanced();

CREATE OR REPLACE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
BEGIN
    SELECT COALESCE(SUM(amount_idr), 0) INTO total FROM ledger_journalline WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance (sum %)', NEW.entry_id, total USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_ledger_triggers")]

    operations = [migrations.RunPython(forwards, backwards)]
