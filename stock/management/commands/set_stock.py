"""``manage.py set_stock --shop SLUG SKU QTY``: set a stock the way the admin does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.models import Shop
from stock.models import Source
from stock.services import stock_set
from stock.services.stock import item_by_sku


class Command(BaseCommand):
    help = (
        "Set the stock of a product (or of a variant, by its full SKU) of a shop. A change from "
        "0 to more tells the waiting list through the follow-up outbox. Prints 'notified: N'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument("sku", help="Product SKU, or product SKU + variant suffix.")
        parser.add_argument("quantity", help="The new stock (0 or more).")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop with the slug {options['shop']!r}.")
        try:
            product, variant = item_by_sku(shop=shop, sku=options["sku"])
            change = stock_set(
                product=product,
                variant=variant,
                quantity=options["quantity"],
                by=None,
                source=Source.COMMAND,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        label = f"{product.sku} {variant.label}" if variant else product.sku
        self.stdout.write(f"{label}: {change.before} -> {change.after}")
        if change.skipped:
            self.stdout.write(f"skipped: {change.skipped} (opted out or no channel)")
        self.stdout.write(f"notified: {change.notified}")
