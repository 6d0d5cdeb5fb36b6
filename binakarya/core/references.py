"""Referential integrity checked once per statement, for the tables a bulk import fills (PostgreSQL).

A foreign key in PostgreSQL checks each new row on its own: one index lookup and one row lock per
row and per key. A sale writes about ten rows with four or five keys each, so a million-line import
queued some forty million such checks, which took longer than writing the rows.

For the tables listed in the migrations that call ``install``, each foreign key is replaced by
triggers that keep the same guarantees with set-based queries:

- **New rows** (``AFTER INSERT … FOR EACH STATEMENT``, reading the statement's transition table):
  every key that is not NULL must name an existing row of its parent. The parent rows are locked
  ``FOR KEY SHARE`` first, as PostgreSQL's own foreign keys do, so a concurrent transaction cannot
  delete one before this one commits; parents that can never be deleted (append-only tables) are not
  locked. One query per key and statement, whatever the number of rows.
- **Changed rows** (tables whose rows may be updated): a key that changes is checked and its parent
  locked the same way, row by row (``BEFORE UPDATE OF key``); updates of keys are rare.
- **Parents**: deleting a parent row that a child still references is refused (``AFTER DELETE … FOR
  EACH STATEMENT`` on the parent, which sees rows committed meanwhile by the time it runs, because it
  runs after the delete has waited for any transaction holding a lock on those rows), and a parent's
  primary key cannot change.

Violations raise SQLSTATE 23503 (foreign_key_violation), which Django turns into IntegrityError, as
a foreign key would. Unlike the deferred foreign keys Django creates, the check is made at the end of
each statement, not at commit, so a child row must be written after its parent (every service does).

SQLite keeps Django's own foreign keys. ``install`` and ``uninstall`` are called from migrations;
``foreign_keys`` and ``checked_references`` let tests compare what the database enforces with the models.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reference:
    """``table.column`` references ``parent.id``."""

    table: str
    column: str
    parent: str
    # False where the parent can never be deleted (an append-only table): its rows need no lock.
    lock_parent: bool = True


# The checks look up a statement's few keys in tables that may hold millions of rows. A bulk import
# fills those tables inside one transaction, and until it commits the planner's statistics still
# describe them as they were (empty, on a new database): left to itself it would scan, hash or merge
# the whole parent table for every statement, and an import would slow down as it grows. The check
# functions therefore probe the parents' keys one by one through their indexes, whatever the
# statistics say.
PROBE_BY_KEY = "SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off"


def _name(*parts: str) -> str:
    """A trigger or function name (PostgreSQL keeps 63 bytes of an identifier)."""
    name = "refs_" + "_".join(parts)
    if len(name) > 63:
        raise ValueError(f"identifier too long: {name}")
    return name


def _check_new_rows(ref: Reference, present: str) -> str:
    lock = ""
    if ref.lock_parent:
        lock = f"""
        PERFORM 1 FROM {ref.parent} p WHERE p.id IN (SELECT {ref.column} FROM new_rows) FOR KEY SHARE OF p;"""
    return f"""
    -- reference {ref.column} -> {ref.parent}
    IF {present} THEN{lock}
        SELECT n.{ref.column} INTO missing
        FROM (SELECT DISTINCT {ref.column} FROM new_rows WHERE {ref.column} IS NOT NULL) n
        WHERE NOT EXISTS (SELECT 1 FROM {ref.parent} p WHERE p.id = n.{ref.column})
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'insert on table "{ref.table}" violates reference "{ref.column}"'
                USING ERRCODE = '23503', DETAIL = format('Key ({ref.column})=(%s) is not present in table "{ref.parent}".', missing);
        END IF;
    END IF;"""


def _check_statement(references: Sequence[Reference]) -> str:
    """The body of the statement trigger: which keys the rows use at all (one pass), then each used key checked."""
    flags = [f"present_{n}" for n in range(len(references))]
    declare = "".join(f"\n    {flag} boolean;" for flag in flags)
    presence = ", ".join(f"bool_or({ref.column} IS NOT NULL)" for ref in references)
    checks = "".join(_check_new_rows(ref, flag) for ref, flag in zip(references, flags, strict=True))
    return f"""
DECLARE
    missing bigint;{declare}
BEGIN
    -- A key that no row of the statement sets (a reversal, a transfer, a buyer…) needs no check.
    SELECT {presence} INTO {", ".join(flags)} FROM new_rows;{checks}
    RETURN NULL;
END"""


def _check_changed_row(ref: Reference) -> str:
    return f"""
    IF NEW.{ref.column} IS DISTINCT FROM OLD.{ref.column} AND NEW.{ref.column} IS NOT NULL THEN
        PERFORM 1 FROM {ref.parent} p WHERE p.id = NEW.{ref.column} FOR KEY SHARE OF p;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'update on table "{ref.table}" violates reference "{ref.column}"'
                USING ERRCODE = '23503', DETAIL = format('Key ({ref.column})=(%s) is not present in table "{ref.parent}".', NEW.{ref.column});
        END IF;
    END IF;"""


def install_sql(table: str, references: Sequence[Reference], *, updatable: bool) -> list[str]:
    """The statements that replace ``table``'s foreign keys in ``references`` by set-based checks.

    ``updatable``: rows of the table may be updated (then a trigger checks a key that changes).
    """
    if any(ref.table != table for ref in references):
        raise ValueError("every reference must belong to the table")
    statements = [
        f"""
DO $$
DECLARE constraint_name text;
BEGIN
    FOR constraint_name IN
        SELECT c.conname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.conrelid = '{table}'::regclass AND cardinality(c.conkey) = 1
          AND a.attname IN ({", ".join(f"'{ref.column}'" for ref in references)})
    LOOP
        EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', constraint_name);
    END LOOP;
END $$;""",
        f"""
CREATE OR REPLACE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql {PROBE_BY_KEY} AS $${_check_statement(references)} $$;
CREATE OR REPLACE TRIGGER {_name(table)} AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {_name(table)}();""",
    ]
    if updatable:
        statements.append(
            f"""
CREATE OR REPLACE FUNCTION {_name(table, "keys")}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{"".join(_check_changed_row(ref) for ref in references)}
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER {_name(table, "keys")} BEFORE UPDATE OF {", ".join(ref.column for ref in references)}
    ON {table} FOR EACH ROW EXECUTE FUNCTION {_name(table, "keys")}();"""
        )
    for ref in references:
        guard = _name(ref.table, ref.column)
        statements.append(
            f"""
CREATE OR REPLACE FUNCTION {guard}() RETURNS trigger LANGUAGE plpgsql {PROBE_BY_KEY} AS $$
DECLARE
    still bigint;
BEGIN
    SELECT c.{ref.column} INTO still FROM {ref.table} c WHERE c.{ref.column} IN (SELECT id FROM old_rows) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'delete on table "{ref.parent}" violates reference "{ref.table}.{ref.column}"'
            USING ERRCODE = '23503', DETAIL = format('Key (id)=(%s) is still referenced from table "{ref.table}".', still);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER {guard} AFTER DELETE ON {ref.parent}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {guard}();"""
        )
    statements.append(
        """
CREATE OR REPLACE FUNCTION refs_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'the id of a row of "%" never changes', TG_TABLE_NAME USING ERRCODE = '23503';
    END IF;
    RETURN NEW;
END $$;"""
    )
    for parent in sorted({ref.parent for ref in references}):
        statements.append(
            f"CREATE OR REPLACE TRIGGER refs_key_fixed BEFORE UPDATE OF id ON {parent} "
            "FOR EACH ROW EXECUTE FUNCTION refs_key_fixed();"
        )
    return statements


def uninstall_sql(table: str, references: Sequence[Reference], *, updatable: bool) -> list[str]:
    """Drop the triggers ``install_sql`` created for ``table`` (the foreign keys are added back separately).

    The parents' ``refs_key_fixed`` triggers stay: other tables' references may still need them.
    """
    statements = [f"DROP TRIGGER IF EXISTS {_name(table)} ON {table};", f"DROP FUNCTION IF EXISTS {_name(table)}();"]
    if updatable:
        statements += [
            f"DROP TRIGGER IF EXISTS {_name(table, 'keys')} ON {table};",
            f"DROP FUNCTION IF EXISTS {_name(table, 'keys')}();",
        ]
    for ref in references:
        guard = _name(ref.table, ref.column)
        statements += [f"DROP TRIGGER IF EXISTS {guard} ON {ref.parent};", f"DROP FUNCTION IF EXISTS {guard}();"]
    return statements


def install(
    schema_editor: Any, apps: Any, model: tuple[str, str], references: Sequence[Reference], *, updatable: bool
) -> None:
    """Migration step (PostgreSQL only): replace the model's foreign keys in ``references``."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model(*model)._meta.db_table
    for statement in install_sql(table, references, updatable=updatable):
        schema_editor.execute(statement, params=None)


def uninstall(
    schema_editor: Any, apps: Any, model: tuple[str, str], references: Sequence[Reference], *, updatable: bool
) -> None:
    """Reverse migration step (PostgreSQL only): drop the triggers and create the foreign keys again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    django_model = apps.get_model(*model)
    table = django_model._meta.db_table
    for statement in uninstall_sql(table, references, updatable=updatable):
        schema_editor.execute(statement, params=None)
    columns = {ref.column for ref in references}
    for field in django_model._meta.local_concrete_fields:
        if field.remote_field is not None and field.column in columns:
            schema_editor.execute(schema_editor._create_fk_sql(django_model, field, "_fk_%(to_table)s_%(to_column)s"))


def foreign_keys(cursor: Any, table: str) -> set[str]:
    """The columns of ``table`` with a foreign key constraint (PostgreSQL)."""
    cursor.execute(
        """
        SELECT a.attname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.conrelid = %s::regclass
        """,
        [table],
    )
    return {row[0] for row in cursor.fetchall()}


def checked_references(cursor: Any, table: str) -> set[str]:
    """The columns of ``table`` whose references the statement trigger checks (PostgreSQL)."""
    cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [_name(table)])
    row = cursor.fetchone()
    if row is None:
        return set()
    return {line.split()[2] for line in row[0].splitlines() if line.strip().startswith("-- reference ")}
