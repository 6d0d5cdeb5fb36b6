"""A stored feed's XLSX is the same bytes while its rows are the same (core.exports.xlsx_bytes(repeatable=True)),
so its ETag and Last-Modified stay put between rebuilds."""

import io
import time

import openpyxl

from binakarya.core.exports import Column, Table, xlsx_bytes


def _table(price: int) -> Table:
    return Table("Shopee", [Column("SKU"), Column("Price")], [["SMP-BTK-001", price]])


def test_the_same_rows_written_later_give_the_same_bytes_and_other_rows_do_not():
    # given the same table written again a few seconds later (the zip's dates count in steps of two seconds)
    first = xlsx_bytes([_table(450_000)], repeatable=True)
    plain = xlsx_bytes([_table(450_000)])
    time.sleep(2.1)
    again = xlsx_bytes([_table(450_000)], repeatable=True)
    changed = xlsx_bytes([_table(475_000)], repeatable=True)
    dated = xlsx_bytes([_table(450_000)])

    # then only a change of content changes the file, and it still opens with its figures
    assert first == again
    assert changed != first
    assert dated != plain  # a download keeps its real dates
    sheet = openpyxl.load_workbook(io.BytesIO(again)).active
    assert [c.value for c in sheet[2]] == ["SMP-BTK-001", 450_000]
