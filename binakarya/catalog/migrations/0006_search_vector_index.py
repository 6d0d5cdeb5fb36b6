"""PostgreSQL: fill the stored search vector and index it; the expression index of 0003 goes."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE catalog_product SET search_vector = to_tsvector('simple'::regconfig, COALESCE(search_document, ''))"
        )
        schema_editor.execute("DROP INDEX IF EXISTS product_search_gin")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS product_search_vector_gin ON catalog_product USING gin (search_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS product_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_product_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
