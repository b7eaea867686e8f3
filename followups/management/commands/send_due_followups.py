from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from followups.services import followups_send_due
from followups.services.sending import STALE_AFTER


class Command(BaseCommand):
    help = (
        "Promote due follow-ups and send due emails, each exactly once (safe to run again and "
        "beside the scheduled job)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="Emails per run (1000).")
        parser.add_argument(
            "--stale-after",
            type=int,
            default=int(STALE_AFTER.total_seconds()),
            help="Seconds after which an unfinished email claim is moved to failed (300).",
        )

    def handle(self, *args: object, **options: object) -> None:
        result = followups_send_due(
            limit=options["limit"],
            stale_after=datetime.timedelta(seconds=options["stale_after"]),
        )
        self.stdout.write(f"due now: {result.promoted}")
        self.stdout.write(f"waiting for approval: {result.held}")
        self.stdout.write(f"sent: {result.sent}")
        self.stdout.write(f"skipped: {sum(result.skipped.values())}")
        for reason, count in sorted(result.skipped.items()):
            self.stdout.write(f"  {reason}: {count}")
        self.stdout.write(f"failed: {result.failed}")
        self.stdout.write(f"deferred (quiet hours): {result.deferred}")
        if result.recovered:
            self.stdout.write(f"interrupted claims moved to failed: {result.recovered}")
