"""Reads about reviews that pages and jobs share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count

from customers.models import Shop
from reviews.models import ToneEvent


def tone_guard_summary(
    *,
    shop: Shop,
    since: datetime | None = None,
    until: datetime | None = None,
    channel: str = "",
) -> dict[str, Any]:
    """How the tone guard changed replies: outcome counts and the share edited or cancelled.

    Warnings from ``since`` up to ``until`` (excluded); with a ``channel``, only those about a
    review on that channel.

    ``changed`` counts replies the guard stopped or changed (edited + cancelled); ``rate`` is
    that share of all warnings (None when there was none). One query.
    """
    events = ToneEvent.objects.for_shop(shop)
    if since is not None:
        events = events.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lt=until)
    if channel:
        events = events.filter(review__channel=channel)
    counts = dict.fromkeys(ToneEvent.Outcome.values, 0)
    for row in events.order_by().values("outcome").annotate(n=Count("pk")):
        counts[row["outcome"]] = row["n"]
    warnings = sum(counts.values())
    changed = counts[ToneEvent.Outcome.EDITED] + counts[ToneEvent.Outcome.CANCELLED]
    return {
        "counts": counts,
        "warnings": warnings,
        "changed": changed,
        "rate": changed / warnings if warnings else None,
    }
