"""python manage.py import_orders FILE --shop SLUG [--format auto|rawat|shopee|...] [--dry-run]"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from imports.models import ImportRun
from imports.services import FORMATS, import_run_check, import_run_commit, import_run_create


class ProgressBar:
    """A one-line progress bar on stderr (stdout stays clean for the summary)."""

    def __init__(self, stream=sys.stderr, width: int = 30) -> None:
        # A Django OutputWrapper (self.stderr) or any text stream.
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, processed: int, total: int) -> None:
        total = max(total, processed, 1)
        filled = int(self.width * processed / total)
        elapsed = time.monotonic() - self.started
        rate = processed / elapsed if elapsed > 0 else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {100 * processed // total:3d}% "
            f"{processed:,}/{total:,} rows  {rate:,.0f} rows/s"
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import orders, reviews or buyers from a CSV/XLSX file into a shop (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--shop", required=True, help="the shop's slug")
        parser.add_argument("--format", default="auto", choices=FORMATS)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop with slug {options['shop']!r}.")
        with path.open("rb") as handle:
            run = import_run_create(
                shop=shop,
                upload=handle,
                file_name=path.name,
                requested_format=str(options["format"]),
            )
        bar = None if options["no_progress"] else ProgressBar(stream=self.stderr._out)
        try:
            if options["dry_run"]:
                import_run_check(run=run, on_progress=bar)
            else:
                import_run_commit(run=run, require_check=False, on_progress=bar)
        finally:
            if bar is not None:
                bar.close()
        run.refresh_from_db()
        counts = run.counts
        if run.message:
            raise CommandError(run.message)
        if run.error_count:
            for error in run.errors[:100]:
                self.stderr.write(f"row {error['row']}, {error['column']}: {error['message']}")
            raise CommandError(
                f"{run.error_count} invalid row(s) in {path.name}; nothing was imported."
            )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message or "The import failed; nothing was imported.")
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(f"{path.name} ({run.format}): {verb} {run.processed_rows} rows")
        for group, values in counts.items():
            if isinstance(values, dict) and values:
                details = ", ".join(f"{n} {k}" for k, n in sorted(values.items()))
                self.stdout.write(f"  {group}: {details}")
