from __future__ import annotations

from django.core.management.base import BaseCommand

from followups.services import followups_plan


class Command(BaseCommand):
    help = "Plan follow-ups for every shop now (safe to run again: nothing is planned twice)."

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--orders-only", action="store_true", help="Only the order rules.")
        group.add_argument(
            "--loyalty-only", action="store_true", help="Only the daily loyalty touches."
        )

    def handle(self, *args: object, **options: object) -> None:
        result = followups_plan(
            orders=not options["loyalty_only"], loyalty=not options["orders_only"]
        )
        self.stdout.write(f"planned: {sum(result.planned.values())}")
        for kind, count in sorted(result.planned.items()):
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(f"skipped: {sum(result.skipped.values())}")
        for reason, count in sorted(result.skipped.items()):
            self.stdout.write(f"  {reason}: {count}")
