from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from imports.backup import shop_export


class Command(BaseCommand):
    help = "Write everything of a shop to a zip: one CSV per model plus manifest.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("out", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        shop = Shop.objects.filter(slug=options["slug"]).first()
        if shop is None:
            raise CommandError(f"No shop with slug {options['slug']!r}.")
        manifest = shop_export(shop=shop, target=options["out"])
        for name, rows in manifest["counts"].items():
            self.stdout.write(f"  {name}: {rows}")
        self.stdout.write(f"wrote {options['out']}")
