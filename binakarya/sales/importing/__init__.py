"""Importing sales in bulk from a CSV file (``manage.py import_sales``): everything or nothing.

- ``parsing``: the file's rows, and rows grouped into sales;
- ``resolving``: what ``sale_record`` checks, for every row at once, and the stock locked and checked;
- ``posting``: each sale planned by ``sales.posting.sale_plan`` and written by ``sales.services.sales_write``.

The file format is described in ``docs/ledger.md`` and in the command's own help.
"""
