from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.backup import shop_restore


class Command(BaseCommand):
    help = "Restore a backup zip (export_shop) into a new or empty shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", type=Path)
        parser.add_argument("--into", required=True, help="slug of the new (or empty) shop")
        parser.add_argument("--name", default="", help="name for a new shop")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["zip"]  # type: ignore[assignment]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            shop, counts = shop_restore(
                source=path, slug=str(options["into"]), name=str(options["name"])
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for name, rows in counts.items():
            self.stdout.write(f"  {name}: {rows}")
        self.stdout.write(f"restored into {shop.slug}")
