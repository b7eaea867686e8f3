"""``manage.py import_chat_questions --shop SLUG FILE``: chat questions from a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from stock.services import chat_questions_import


class Command(BaseCommand):
    help = (
        "Log chat questions from a CSV: channel, received_at, text, and optionally "
        "responded_at, response_automatic, human_responded_at, buyer_handle, product_sku, "
        "external_id. One bad line and nothing is written; the error names the line."
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
            created, updated = chat_questions_import(shop=shop, content=content)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"created: {created}, updated: {updated}")
