"""``manage.py insights_refresh [--shop SLUG] [--full]``: bring the dashboard rollup up to date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from insights.rollup import rollup_refresh


class Command(BaseCommand):
    help = (
        "Recount the care dashboard's daily rollup (the schedule does it every 10 minutes): "
        "the recent days and any older day whose data changed, or everything with --full."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", help="Slug of one shop (default: every shop).")
        parser.add_argument("--full", action="store_true", help="Rebuild every day.")

    def handle(self, *args: Any, **options: Any) -> None:
        shops = Shop.objects.order_by("pk")
        if options["shop"]:
            shops = shops.filter(slug=options["shop"])
            if not shops.exists():
                raise CommandError(f"No shop with the slug {options['shop']!r}.")
        for shop in shops:
            result = rollup_refresh(shop=shop, full=options["full"])
            self.stdout.write(
                f"{shop.slug}: {result.review_rows:,} review rows and {result.delivery_rows:,} "
                f"delivery rows from {result.first_day or 'the first day'} to "
                f"{result.through} (exclusive) in {result.took_ms / 1000:.1f} s"
            )
