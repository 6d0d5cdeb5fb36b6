"""PostgreSQL: sales and sale lines are never deleted, and their references are checked once per statement.

See ``binakarya/core/references.py``. A sale is corrected by a return, never removed; the guard makes
that a rule of the database, so the journal lines and sale lines that point at a sale or a sale line
need not lock it. Sales and their lines are updated (status, returned quantity): a reference that
changes is checked too.
"""

from django.db import migrations

from binakarya.core.references import Reference, install, uninstall

SALE = ("sales", "Sale")
SALE_REFS = [
    Reference("sales_sale", "organization_id", "organizations_organization"),
    Reference("sales_sale", "location_id", "inventory_location"),
    Reference("sales_sale", "buyer_id", "organizations_organization"),
    Reference("sales_sale", "entry_id", "ledger_journalentry", lock_parent=False),
    Reference("sales_sale", "created_by_id", "auth_user"),
]
LINE = ("sales", "SaleLine")
LINE_REFS = [
    Reference("sales_saleline", "organization_id", "organizations_organization"),
    Reference("sales_saleline", "sale_id", "sales_sale", lock_parent=False),
    Reference("sales_saleline", "variant_id", "catalog_variant"),
    Reference("sales_saleline", "lot_id", "production_lot"),
    Reference("sales_saleline", "split_rule_id", "ledger_splitrule"),
]

GUARD = """
CREATE OR REPLACE FUNCTION sales_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of "%" are never deleted: record a return instead', TG_TABLE_NAME USING ERRCODE = '23503';
END $$;
CREATE OR REPLACE TRIGGER sales_sale_never_deleted BEFORE DELETE ON sales_sale
    FOR EACH ROW EXECUTE FUNCTION sales_never_deleted();
CREATE OR REPLACE TRIGGER sales_saleline_never_deleted BEFORE DELETE ON sales_saleline
    FOR EACH ROW EXECUTE FUNCTION sales_never_deleted();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS sales_sale_never_deleted ON sales_sale;
DROP TRIGGER IF EXISTS sales_saleline_never_deleted ON sales_saleline;
DROP FUNCTION IF EXISTS sales_never_deleted();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)
    install(schema_editor, apps, SALE, SALE_REFS, updatable=True)
    install(schema_editor, apps, LINE, LINE_REFS, updatable=True)


def backwards(apps, schema_editor):
    uninstall(schema_editor, apps, LINE, LINE_REFS, updatable=True)
    uninstall(schema_editor, apps, SALE, SALE_REFS, updatable=True)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0002_drop_redundant_fk_indexes"),
        ("ledger", "0005_drop_redundant_fk_indexes"),
        ("inventory", "0005_drop_redundant_fk_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
