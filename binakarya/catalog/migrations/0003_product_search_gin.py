"""Full-text index on PostgreSQL only; SQLite searches the padded column with LIKE instead."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS product_search_gin ON catalog_product "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
)
DROP = "DROP INDEX IF EXISTS product_search_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
