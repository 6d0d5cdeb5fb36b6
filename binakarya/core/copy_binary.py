"""PostgreSQL's binary ``COPY`` format, written in plain Python (no database needed to encode).

A bulk import prepares each batch's rows in one thread and copies them in another. Encoding the rows
where they are prepared leaves the copying thread nothing to do but send bytes, which it does without
holding Python's interpreter lock, so the database is never kept waiting for rows.

Only the column types the bulk tables use are supported (see ``ENCODERS``); any other type is refused
when the encoder is built, never silently sent as something else. The format: a signature, two 32-bit
words (flags, header extension), then per row a 16-bit field count and per field a 32-bit length
(-1 for NULL) followed by the value in network byte order, and a 16-bit -1 at the end.
"""

import datetime
import json
import struct
from collections.abc import Callable, Sequence
from typing import Any

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)

_INT8 = struct.Struct(">iq").pack
_INT4 = struct.Struct(">ii").pack
_INT2 = struct.Struct(">ih").pack
_LENGTH = struct.Struct(">i").pack
_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_DATE_EPOCH = datetime.date(2000, 1, 1)
_ONE_MICROSECOND = datetime.timedelta(microseconds=1)


def _int8(value: int) -> bytes:
    return _INT8(8, value)


def _int4(value: int) -> bytes:
    return _INT4(4, value)


def _int2(value: int) -> bytes:
    return _INT2(2, value)


def _text(value: str) -> bytes:
    data = value.encode()
    return _LENGTH(len(data)) + data


def _bool(value: bool) -> bytes:
    return b"\x00\x00\x00\x01\x01" if value else b"\x00\x00\x00\x01\x00"


def _timestamptz(value: datetime.datetime) -> bytes:
    if value.tzinfo is None:
        raise ValueError("a timestamp with time zone needs an aware datetime")
    return _INT8(8, (value - _EPOCH) // _ONE_MICROSECOND)


def _date(value: datetime.date) -> bytes:
    return _INT4(4, (value - _DATE_EPOCH).days)


def _jsonb(value: Any) -> bytes:
    data = b"\x01" + json.dumps(value).encode()
    return _LENGTH(len(data)) + data


# PostgreSQL type oid -> how a Python value is written in the binary format.
ENCODERS: dict[int, Callable[[Any], bytes]] = {
    20: _int8,  # bigint
    23: _int4,  # integer
    21: _int2,  # smallint
    25: _text,  # text
    1043: _text,  # character varying
    16: _bool,  # boolean
    1184: _timestamptz,  # timestamp with time zone
    1082: _date,  # date
    3802: _jsonb,  # jsonb
}


def encoder(type_oids: Sequence[int], *, with_ids: bool = False) -> Callable[..., bytes]:
    """A function ``encode(rows, ids=None)`` that writes rows whose columns have these types as one
    binary COPY payload; ``with_ids``: each row is preceded by a bigint id, taken from ``ids``.

    Raises ValueError for a type it does not know.
    """
    unknown = [oid for oid in type_oids if oid not in ENCODERS]
    if unknown:
        raise ValueError(f"no binary COPY encoder for type oids {unknown}")
    columns = [ENCODERS[oid] for oid in type_oids]
    count = struct.pack(">h", len(columns) + (1 if with_ids else 0))

    def encode(rows: Sequence[Sequence[Any]], ids: Sequence[int] | None = None) -> bytes:
        if with_ids != (ids is not None):
            raise ValueError("ids are given exactly when the encoder was made with_ids")
        parts = [HEADER]
        append = parts.append
        for n, row in enumerate(rows):
            append(count)
            if ids is not None:
                append(_INT8(8, ids[n]))
            for write, value in zip(columns, row, strict=True):
                append(NULL if value is None else write(value))
        append(TRAILER)
        return b"".join(parts)

    return encode
