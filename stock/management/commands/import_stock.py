"""``manage.py import_stock --shop SLUG FILE``: stock levels from a CSV (sku,stock[,restock_eta])."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from stock.services import stock_import


class Command(BaseCommand):
    help = (
        "Set stock levels from a CSV with the columns sku, stock and optionally restock_eta "
        "(YYYY-MM-DD). Every line is checked first; one bad line and nothing changes. Restocks "
        "tell their waiting lists. Prints 'notified: N'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop with the slug {options['shop']!r}.")
        try:
            content = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        try:
            result = stock_import(shop=shop, content=content)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"updated: {result['updated']}, restocked: {result['restocked']}")
        self.stdout.write(f"notified: {result['notified']}")
