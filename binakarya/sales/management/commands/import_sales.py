"""Post sales in bulk from a CSV file: everything or nothing.

    python manage.py import_sales FILE.csv [--location CODE] [--channel POS] [--batch 10000]
        [--user USERNAME] [--dry-run] [--per-sale] [--no-progress] [--language id|en]

The columns, in any order and case (comma, semicolon or tab separated; UTF-8, with or without a BOM):
``location``, ``channel``, ``sku``, ``quantity``, ``unit_price_idr`` and optionally ``commission_idr``,
``sale_ref`` (rows with the same reference form one sale), ``occurred_at`` and ``price_reason`` (why a
row's price is below half or above twice the catalog price: such a row is refused without one); see
docs/ledger.md.

The whole file is read and checked first, the stock included; if any row fails, every error is
printed with its row number and nothing is saved (exit status 1). Otherwise every sale is posted in
one transaction, in the file's order: planned by ``sale_plan`` and written by ``sales_write``, in
batches of about ``--batch`` rows (``COPY`` on PostgreSQL), or through ``sale_record`` itself with
``--per-sale``. The work is in ``binakarya.sales.importing``.
"""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from binakarya.core.money import format_rupiah
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.services import variant_stock_refresh
from binakarya.sales.importing.parsing import Errors, ImportRefused, group_sales, read_rows
from binakarya.sales.importing.posting import (
    BulkPoster,
    Totals,
    import_audit,
    post_per_sale,
    posted_tables_analyze,
    refusal_message,
)
from binakarya.sales.importing.resolving import lock_stock, resolve


class Command(BaseCommand):
    help = (
        "Post sales in bulk from a CSV file (location, channel, sku, quantity, unit_price_idr[, commission_idr]"
        "[, sale_ref][, occurred_at][, price_reason]). Everything is checked first; on any error nothing is imported (exit 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add = parser.add_argument
        add("file", type=Path, help="CSV file; the first row names the columns")
        add("--location", default="", help="location code for rows without one")
        add("--channel", default="", help="channel for rows without one (POS, WEB, OUTLET, ...)")
        add("--batch", type=int, default=10_000, help="rows written per batch (default 10000)")
        add("--user", default="", help="username recorded as the seller; must be allowed to record sales")
        add("--dry-run", action="store_true", help="check everything, stock included, then save nothing")
        add("--per-sale", action="store_true", help="post each sale through sale_record (slow; the reference)")
        add("--no-progress", action="store_true", help="no progress bars")
        add("--language", default="", help=f"language of the messages (default {settings.LANGUAGE_CODE})")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or translation.get_language() or settings.LANGUAGE_CODE):
            try:
                self.run(**options)
            except ImportRefused as refused:
                for line in refused.errors.lines():
                    self.stderr.write(line)
                count = len(refused.errors)
                raise CommandError(
                    ngettext("%(count)s error; nothing was imported.", "%(count)s errors; nothing was imported.", count)
                    % {"count": count},
                    returncode=1,
                ) from None

    def run(
        self, *, file: Path, location: str, channel: str, batch: int, user: str, dry_run: bool, **options: Any
    ) -> None:
        started = time.perf_counter()
        self.verbosity = options.get("verbosity", 1)
        self.show_progress = not options.get("no_progress") and self.verbosity > 0
        self.timings: dict[str, float] = {}
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        now = timezone.now()
        errors = Errors()
        try:
            rows = read_rows(
                file,
                default_location=location.strip(),
                default_channel=channel.strip(),
                now=now,
                errors=errors,
                progress=self.progress,
            )
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from exc
        sales = group_sales(rows, errors)
        rules = resolve(rows=rows, sales=sales, errors=errors, actor=actor, now=now)
        self.lap("read and check", started)
        try:
            with transaction.atomic():
                t = time.perf_counter()
                stock = lock_stock(sales=sales, errors=errors)
                self.lap("lock and check stock", t)
                errors.refuse_if_any()
                if dry_run:
                    transaction.set_rollback(True)  # the stock's locks are released; nothing was written
                    self.stdout.write(
                        _("The file is valid: %(sales)s sales, %(rows)s rows. Nothing was imported (--dry-run).")
                        % {"sales": len(sales), "rows": len(rows)}
                    )
                    return
                t = time.perf_counter()
                if options.get("per_sale"):
                    totals = post_per_sale(sales=sales, actor=actor, progress=self.progress)
                else:
                    totals = BulkPoster(stock=stock, rules=rules, actor=actor).post(
                        sales=sales, batch=batch, progress=self.progress
                    )
                import_audit(file_name=file.name, totals=totals, actor=actor, sales=sales)
                self.lap("post", t)
                if not options.get("per_sale"):
                    t = time.perf_counter()
                    variant_stock_refresh(variant_ids=sorted(totals.variant_ids))  # once, not per batch
                    self.lap("variant stock refresh", t)
                t = time.perf_counter()
            self.lap("commit", t)
        except (IntegrityError, InsufficientStock) as exc:  # refused by the database (at the latest at commit)
            raise CommandError(refusal_message(exc) + " " + _("Nothing was imported."), returncode=1) from exc
        if not options.get("per_sale"):
            t = time.perf_counter()
            posted_tables_analyze()
            self.lap("analyze", t)
        self.report(totals, time.perf_counter() - started)

    def report(self, totals: Totals, elapsed: float) -> None:
        self.stdout.write(
            _("Imported %(sales)s sales (%(rows)s rows): gross %(gross)s, premi %(premi)s, in %(seconds).1f s.")
            % {
                "sales": totals.sales,
                "rows": totals.rows,
                "gross": format_rupiah(totals.gross_idr),
                "premi": format_rupiah(totals.premi_idr),
                "seconds": elapsed,
            }
        )
        if self.verbosity >= 2:
            for label, seconds in self.timings.items():
                self.stdout.write(f"  {label:<22} {seconds:8.2f} s")

    def lap(self, label: str, since: float) -> None:
        self.timings[label] = self.timings.get(label, 0.0) + time.perf_counter() - since

    def progress(self, **kwargs: Any) -> tqdm:
        out = getattr(self.stderr, "_out", None)
        return tqdm(disable=None if self.show_progress else True, file=out, dynamic_ncols=True, **kwargs)
