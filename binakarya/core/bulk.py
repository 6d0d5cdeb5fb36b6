"""Writing many rows of a model at once: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

Services that write a few rows use the ORM writer; bulk imports use the copy writer. Both take the
same plain tuples, so the code that decides what the rows hold is the same for one sale and a million.
"""

import json
from collections.abc import Sequence
from typing import Any, Protocol

from django.db import connection, models
from django.db.models import JSONField


class RowWriter(Protocol):
    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        """Insert ``rows`` (values of ``fields``, attribute names); with ``ids``, return the new primary keys in order."""
        ...


class OrmWriter:
    """``bulk_create``: every database, every row through Django's model layer."""

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        if not rows:
            return []
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=500)
        return [o.pk for o in objs] if ids else []


class CopyWriter:
    """``COPY … FROM STDIN`` into the model's table (PostgreSQL only).

    The ids of rows that others point at are drawn from the table's own sequence first (``nextval``),
    so they are as unique as any the database would give.
    """

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("CopyWriter needs PostgreSQL; use bulk_writer()")
        self._sequences: dict[str, str] = {}

    def _ids(self, cursor: Any, table: str, count: int) -> list[int]:
        sequence = self._sequences.get(table)
        if sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = self._sequences[table] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        return sorted(r[0] for r in cursor.fetchall())

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *, ids: bool = False
    ) -> list[int]:
        if not rows:
            return []
        meta = model._meta
        json_at = [i for i, f in enumerate(fields) if isinstance(meta.get_field(f), JSONField)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor, connection.wrap_database_errors:
            new_ids: list[int] = self._ids(cursor, meta.db_table, len(rows)) if ids else []
            columns = (["id"] if ids else []) + [_column(model, f) for f in fields]
            sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for n, row in enumerate(rows):
                    if json_at:
                        cells = list(row)
                        for i in json_at:
                            cells[i] = json.dumps(cells[i])
                        row = tuple(cells)
                    copy.write_row((new_ids[n], *row) if ids else row)
        return new_ids


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
