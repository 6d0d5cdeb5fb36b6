"""Writing many rows of a model at once: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

Services that write a few rows use the ORM writer; bulk imports use the copy writer, or a deferred
writer that records the rows (with ids reserved beforehand) so another thread can copy them while the
next rows are prepared. All take the same plain tuples, so the code that decides what the rows hold
is the same for one sale and a million.
"""

from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Protocol

from django.db import connection, models


class RowWriter(Protocol):
    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        """Insert ``rows`` (values of ``fields``, attribute names); with ``ids``, return the new primary keys in order."""
        ...


class OrmWriter:
    """``bulk_create``: every database, every row through Django's model layer.

    The rows of one call are written by one statement wherever the database allows it (PostgreSQL
    checks that a statement's journal lines balance, so an entry's lines must not be split).
    """

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        if not rows:
            return []
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs)
        return [o.pk for o in objs] if ids else []


class CopyWriter:
    """``COPY … FROM STDIN (FORMAT BINARY)`` into the model's table (PostgreSQL only).

    Values travel in PostgreSQL's binary format, typed by the table's own column types, so the server
    parses no text. The ids of rows that others point at are drawn from the table's own sequence first
    (``nextval``), so they are as unique as any the database would give.
    """

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("CopyWriter needs PostgreSQL; use bulk_writer()")
        self._sequences: dict[str, str] = {}
        self._types: dict[str, dict[str, int]] = {}

    def reserve(self, model: type[models.Model], count: int) -> list[int]:
        """``count`` new ids from the table's sequence, ascending; they are this transaction's to use."""
        if count < 1:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            sequence = self._sequences.get(table)
            if sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = self._sequences[table] = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return sorted(r[0] for r in cursor.fetchall())

    def _column_types(self, cursor: Any, table: str) -> dict[str, int]:
        types = self._types.get(table)
        if types is None:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [table],
            )
            types = self._types[table] = dict(cursor.fetchall())
        return types

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        new_ids = self.reserve(model, len(rows)) if ids else []
        self.copy(model, fields, rows, ids=new_ids if ids else None)
        return new_ids

    def copy(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        *,
        ids: Sequence[int] | None = None,
    ) -> None:
        """COPY ``rows`` in one statement, each with its id from ``ids`` when given (else the table's default)."""
        if not rows:
            return
        table = model._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cursor, connection.wrap_database_errors:
            columns = (["id"] if ids is not None else []) + [_column(model, f) for f in fields]
            types = self._column_types(cursor, table)
            sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
            with cursor.cursor.copy(sql) as copy:
                copy.set_types([types[c] for c in columns])
                write = copy.write_row
                if ids is not None:
                    for new_id, row in zip(ids, rows, strict=True):
                        write((new_id, *row))
                else:
                    for row in rows:
                        write(row)


class DeferredWriter:
    """Records inserts, to be copied later by ``replay``: nothing touches the database until then.

    Ids come from ``pools`` (per model, ids reserved beforehand with ``CopyWriter.reserve``), so the
    rows that point at new rows can be prepared before any of them is written. Used by a bulk import to
    prepare one batch in one thread while another thread copies the previous one.
    """

    def __init__(self, pools: Mapping[type[models.Model], Iterator[int]]) -> None:
        self.pools = pools
        self.pending: list[tuple[type[models.Model], Sequence[str], Sequence[tuple[Any, ...]], list[int] | None]] = []

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        if not rows:
            return []
        new_ids = None
        if ids:
            pool = self.pools.get(model)
            if pool is None:
                raise RuntimeError(f"no ids were reserved for {model.__name__}")
            new_ids = list(islice(pool, len(rows)))
            if len(new_ids) != len(rows):
                raise RuntimeError(f"the ids reserved for {model.__name__} ran out")
        self.pending.append((model, fields, rows, new_ids))
        return new_ids or []

    def replay(self, writer: CopyWriter) -> None:
        """Copy everything recorded, in the order it was recorded (parents before the rows that point at them)."""
        for model, fields, rows, ids in self.pending:
            writer.copy(model, fields, rows, ids=ids)
        self.pending.clear()


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field.column


def bulk_writer() -> RowWriter:
    """The fastest writer the database offers: COPY on PostgreSQL, bulk_create elsewhere."""
    return CopyWriter() if connection.vendor == "postgresql" else OrmWriter()


def check_fields(model: type[models.Model], fields: Sequence[str]) -> None:
    """Fail loudly if ``model`` gained a required column that a writer of ``fields`` does not fill."""
    written = set(fields) | {"id"}
    for f in model._meta.concrete_fields:
        if f.attname not in written and not f.null and not f.has_default() and not f.has_db_default():
            raise RuntimeError(f"{model.__name__}.{f.attname} is not written by the bulk path; add it")
