"""Writing many rows of a model at once: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

Services that write a few rows use the ORM writer; bulk imports use the copy writer, or a deferred
writer that records the rows (with ids reserved beforehand) so another thread can copy them while the
next rows are prepared. All take the same plain tuples, so the code that decides what the rows hold
is the same for one sale and a million.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Protocol

from django.db import connection, models

from binakarya.core.copy_binary import encoder


class RowWriter(Protocol):
    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        """Insert ``rows`` (values of ``fields``, attribute names); with ``ids``, return the new primary keys in order."""
        ...

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        """Run a statement after the rows inserted so far (a summary that reads them, for example)."""
        ...


def _execute(sql: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        _execute(sql, params)


class CopyWriter:
    """``COPY … FROM STDIN (FORMAT BINARY)`` into the model's table (PostgreSQL only).

    Values travel in PostgreSQL's binary format (``core/copy_binary.py``), typed by the table's own
    column types, so the server parses no text. The ids of rows that others point at are drawn from the table's own sequence first
    (``nextval``), so they are as unique as any the database would give.
    """

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("CopyWriter needs PostgreSQL; use bulk_writer()")
        self._sequences: dict[str, str] = {}
        self._types: dict[str, dict[str, int]] = {}
        self._encoders: dict[tuple[Any, ...], Callable[..., bytes]] = {}

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

    def column_types(self, model: type[models.Model]) -> dict[str, int]:
        """The type oid of each of the table's columns (read once per table)."""
        table = model._meta.db_table
        types = self._types.get(table)
        if types is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                    [table],
                )
                types = self._types[table] = dict(cursor.fetchall())
        return types

    def copy_encoded(self, model: type[models.Model], columns: Sequence[str], data: bytes) -> None:
        """COPY a payload already in the binary format (``core.copy_binary``) into these columns."""
        quote = connection.ops.quote_name
        sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            copy.write(data)

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        new_ids = self.reserve(model, len(rows)) if ids else []
        self.copy(model, fields, rows, ids=new_ids if ids else None)
        return new_ids

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        _execute(sql, params)

    def copy(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        *,
        ids: Sequence[int] | None = None,
    ) -> None:
        """COPY ``rows`` in one statement, each with its id from ``ids`` when given (else the table's default)."""
        if rows:
            columns, data = self.encode(model, fields, rows, ids=ids)
            self.copy_encoded(model, columns, data)

    def encode(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        *,
        ids: Sequence[int] | None = None,
    ) -> tuple[list[str], bytes]:
        """The columns and the binary payload that copy ``rows`` (needs the column types: ``column_types``)."""
        columns = [_column(model, f) for f in fields]
        types = self.column_types(model)
        key = (model, tuple(columns), ids is not None)
        encode = self._encoders.get(key)
        if encode is None:
            encode = self._encoders[key] = encoder([types[c] for c in columns], with_ids=ids is not None)
        return (["id"] if ids is not None else []) + columns, encode(rows, ids)


class DeferredWriter:
    """Prepares inserts as binary COPY payloads, to be sent later by ``replay``; nothing reaches the database before.

    Ids come from ``pools`` (per model, ids reserved beforehand with ``CopyWriter.reserve``), so the
    rows that point at new rows can be prepared before any of them is written. The column types come
    from ``copier`` (read them before this writer is used where the connection is busy elsewhere). A
    bulk import prepares one batch in one thread while another thread sends the previous one.
    """

    def __init__(self, copier: CopyWriter, pools: Mapping[type[models.Model], Iterator[int]]) -> None:
        self.copier = copier
        self.pools = pools
        # A COPY payload (model, columns, data), or a statement (sql, params) to run at that point.
        self.pending: list[tuple[type[models.Model], list[str], bytes] | tuple[str, Sequence[Any]]] = []

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
        columns, data = self.copier.encode(model, fields, rows, ids=new_ids)
        self.pending.append((model, columns, data))
        return new_ids or []

    def replay(self) -> None:
        """Send everything prepared, in the order it was prepared (parents before the rows that point at them)."""
        for item in self.pending:
            if len(item) == 2:
                _execute(*item)
            else:
                self.copier.copy_encoded(*item)
        self.pending.clear()

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        """Run the statement at replay, after the rows prepared before it."""
        self.pending.append((sql, params))


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
