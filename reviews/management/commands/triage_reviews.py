"""Triage reviews.

- `manage.py triage_reviews --jsonl < reviews.jsonl`: input lines {"rating": int, "text": str,
  "delay_days": int (optional), "lang": optional}; output lines {"topics", "sentiment",
  "needs_care", "action"}, or {"error": ..., "line": N}. Exit status 2 when any line failed.
- `manage.py triage_reviews [--shop SLUG] [--all]`: triage stored reviews (untriaged ones, or all).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from customers.models import Shop
from reviews.management.commands._jsonl import LineError, jsonl_finish, jsonl_run
from reviews.services import reviews_triage_bulk
from reviews.triage import triage


def _triage(item: dict[str, Any]) -> dict[str, Any]:
    rating = item.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise LineError('"rating" is required and must be an integer from 1 to 5')
    text = item.get("text")
    if not isinstance(text, str):
        raise LineError('"text" is required and must be a string')
    delay = item.get("delay_days", 0)
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int) or delay < 0):
        raise LineError('"delay_days" must be a whole number of days, 0 or more')
    lang = item.get("lang")
    if lang not in (None, "id", "en"):
        raise LineError('"lang" must be "id", "en" or null')
    result = triage(rating=rating, text=text, delay_days=delay, lang=lang)
    return {
        "topics": result.topics,
        "sentiment": result.sentiment,
        "needs_care": result.needs_care,
        "action": result.action,
    }


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Triage reviews: JSON lines on stdin with --jsonl, or the stored reviews."

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", action="store_true", help="Read JSON lines from stdin.")
        parser.add_argument("--shop", help="Only this shop's reviews (slug).")
        parser.add_argument("--all", action="store_true", help="Re-triage reviews already triaged.")

    def handle(self, *args, **options):
        if options["jsonl"]:
            stdin = options.get("stdin") or sys.stdin
            _answered, failed = jsonl_run(stdin, self.stdout, _triage)
            jsonl_finish(failed)
            return
        shop = None
        if options["shop"]:
            shop = Shop.objects.filter(slug=options["shop"]).first()
            if shop is None:
                raise CommandError(f"No shop with slug {options['shop']!r}.")
        done = reviews_triage_bulk(shop=shop, force=options["all"])
        self.stdout.write(f"Triaged {done} review(s).")
