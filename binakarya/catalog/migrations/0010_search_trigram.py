"""PostgreSQL: pg_trgm for typo suggestions ("batk" -> "batik") and a trigram index on product names.

Both steps do nothing on SQLite, which suggests from a cached vocabulary instead (catalog.selectors).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS product_name_trgm ON catalog_product USING gin (name gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS product_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_photo_small_thumbnail")]

    # TrigramExtension runs CREATE EXTENSION IF NOT EXISTS pg_trgm, on PostgreSQL only.
    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
