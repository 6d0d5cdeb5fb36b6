"""core/copy_binary.py writes what PostgreSQL's own binary COPY reads back, value for value."""

import datetime
import json
import struct

import pytest
from django.db import connection

from binakarya.core.copy_binary import HEADER, TRAILER, encoder


def test_an_empty_payload_is_the_header_and_the_trailer():
    # when
    data = encoder([20])([])

    # then
    assert data == HEADER + TRAILER == b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + b"\xff\xff"


def test_a_row_is_its_field_count_then_each_field_with_its_length_and_null_as_minus_one():
    # when
    data = encoder([20, 23, 1043], with_ids=True)([(7, None, "Rp")], [42])

    # then
    body = data[len(HEADER) : -len(TRAILER)]
    assert body == struct.pack(">hiqiqii", 4, 8, 42, 8, 7, -1, 2) + b"Rp"


def test_an_unknown_type_is_refused_when_the_encoder_is_made():
    # when / then
    with pytest.raises(ValueError, match="no binary COPY encoder for type oids \\[600\\]"):
        encoder([20, 600])


def test_ids_go_with_an_encoder_made_for_them_only():
    # when / then
    with pytest.raises(ValueError, match="ids are given exactly"):
        encoder([20])([(1,)], [1])


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgresql_reads_back_every_supported_type_exactly():
    # given a table of every type the bulk tables use, and rows with edge values and NULLs
    when = datetime.datetime(2026, 12, 4, 19, 13, 37, 123456, tzinfo=datetime.UTC)
    rows = [
        (
            -(2**62),
            2**31 - 1,
            -7,
            "Kain batik “tulis” \\ tab\t",
            "varchar é",
            True,
            when,
            datetime.date(1999, 12, 31),
            {"a": [1, "b"]},
        ),
        (None, None, None, None, None, None, None, None, None),
        (0, 0, 0, "", "", False, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), datetime.date(2000, 1, 1), {}),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copy_types (id bigint, b bigint, i integer, s smallint, t text, v varchar(40),"
            " f boolean, ts timestamptz, d date, j jsonb)"
        )
        cursor.execute(
            "SELECT atttypid FROM pg_attribute WHERE attrelid = 'copy_types'::regclass AND attnum > 1 ORDER BY attnum"
        )
        types = [r[0] for r in cursor.fetchall()]

        # when
        data = encoder(types, with_ids=True)(rows, [1, 2, 3])
        with cursor.cursor.copy("COPY copy_types FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(data)
        cursor.execute("SELECT b, i, s, t, v, f, ts, d, j FROM copy_types ORDER BY id")
        # Django's connection hands jsonb back as text: parse it to compare.
        back = [(*row[:-1], None if row[-1] is None else json.loads(row[-1])) for row in cursor.fetchall()]

    # then
    assert back == rows
