"""The table of the database cache (settings.CACHE_BACKEND = "database", production's default without Redis).

Django's DatabaseCache reads and writes a table that only `manage.py createcachetable` would create; a migration
makes it exist on every fresh deploy, in tests and after a restore onto an empty database, with nobody having to
remember a second command. The columns are the ones createcachetable makes (key, pickled value, expiry with an
index, which the cull reads). It is no model of any app: the cache is not data, so neither dumpdata nor a flush
between tests touches it. A table already made by createcachetable is left as it is.
"""

from django.apps.registry import Apps
from django.db import migrations, models

# settings.CACHE_TABLE names the same table (tests/core/test_cache_backend.py checks that they agree).
TABLE = "binakarya_cache"


def cache_entry_model() -> type[models.Model]:
    """A throwaway model of the table, in a registry of its own so that no app sees it."""

    class CacheEntry(models.Model):
        cache_key = models.CharField(max_length=255, primary_key=True)
        value = models.TextField()
        expires = models.DateTimeField(db_index=True)

        class Meta:
            app_label = "django_cache"
            db_table = TABLE
            apps = Apps()

    return CacheEntry


def create(apps, schema_editor):
    if TABLE not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(cache_entry_model())


def drop(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.delete_model(cache_entry_model())


class Migration(migrations.Migration):
    dependencies = [("core", "0003_set_based_references")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
