"""``manage.py seed_demo``: the demo shop (idempotent); options for a second shop or a big one."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.demo import (
    DEFAULT_BUYERS,
    DEFAULT_ORDERS,
    DEFAULT_OWNER,
    DEFAULT_SLUG,
    demo_seed,
)


class Command(BaseCommand):
    help = (
        "Create the demo shop 'demo' (owner demo/demo, admin manager/manager) with Indonesian "
        "buyers, orders and reviews. Re-running changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", default=DEFAULT_SLUG, help="Slug of the shop to create.")
        parser.add_argument(
            "--owner",
            default=None,
            help="Username of the shop's owner (password = username). Default: demo, or the slug.",
        )
        parser.add_argument(
            "--manager",
            default=None,
            help="Username of the staff manager for the admin (default: manager, or SLUG-manager).",
        )
        parser.add_argument("--buyers", type=int, default=DEFAULT_BUYERS)
        parser.add_argument("--orders", type=int, default=DEFAULT_ORDERS)
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes generating new orders (default: one per CPU; 1: none, same rows).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["shop"]
        owner = options["owner"] or (DEFAULT_OWNER if slug == DEFAULT_SLUG else slug)
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off: seed_demo creates users whose password is their username. "
                    "Use it on development machines only."
                )
            )
        verbose = options["verbosity"] >= 2
        started = time.monotonic()
        try:
            report = demo_seed(
                slug=slug,
                owner=owner,
                manager=options["manager"],
                buyers=options["buyers"],
                orders=options["orders"],
                jobs=options["jobs"],
                progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        elapsed = time.monotonic() - started

        if report.wrote_anything:
            created = ", ".join(
                f"{count:,} {name}" for name, count in report.created.items() if count
            )
            self.stdout.write(f"Created in {elapsed:.1f}s: {created or 'users only'}.")
        else:
            self.stdout.write("The demo shop is already complete; nothing was changed.")
        if report.triage:
            self.stdout.write(report.triage)
        shop = report.shop
        self.stdout.write(
            self.style.SUCCESS(
                f"Shop '{shop.name}' (slug {shop.slug})\n"
                f"  Seller login: {report.owner} / {report.owner}  ->  /login/\n"
                f"  Admin login:  {report.manager} / {report.manager}  ->  /admin/ "
                f"(staff manager, sees only this shop)"
            )
        )
