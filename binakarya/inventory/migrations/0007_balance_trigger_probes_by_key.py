"""PostgreSQL: the stock trigger finds each balance through its (lot, location) index, whatever the statistics say.

A bulk import changes the same balances many times in one transaction. Until it commits, every
earlier version of those rows stays in the table, and the planner's statistics still describe the
table as it was before the import. Left to itself the planner scanned the whole balance table for
every statement, stepping over all those versions, and an import slowed down as it went on. See
``core/references.py``, whose checks probe their parents' keys the same way.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION inventory_movements_apply() SET enable_seqscan = off")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION inventory_movements_apply() RESET enable_seqscan")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_set_based_references")]

    operations = [migrations.RunPython(forwards, backwards)]
