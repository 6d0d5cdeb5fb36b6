"""PostgreSQL: the references of audit events are checked once per statement, not once per row.

See ``binakarya/core/references.py``. An event's actor is set to NULL when the user is deleted (an
update), which the row trigger allows; any other change of a reference is checked.
"""

from django.db import migrations

from binakarya.core.references import Reference, install, uninstall

EVENT = ("core", "AuditEvent")
REFS = [
    Reference("core_auditevent", "organization_id", "organizations_organization"),
    Reference("core_auditevent", "actor_id", "auth_user"),
]


def forwards(apps, schema_editor):
    install(schema_editor, apps, EVENT, REFS, updatable=True)


def backwards(apps, schema_editor):
    uninstall(schema_editor, apps, EVENT, REFS, updatable=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_drop_redundant_fk_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
