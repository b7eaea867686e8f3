"""Reads for the outbox and the dashboard's outcome cards."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from customers.models import Order, Shop
from followups.models import CARE_KINDS, TODO_STATUSES, FollowUp, Kind
from reviews.models import Review

TODO = TODO_STATUSES


# Finished messages are listed newest first; the open ones oldest due first.
FINISHED = [FollowUp.Status.SENT, FollowUp.Status.SKIPPED, FollowUp.Status.CANCELLED]
SENT_RECENTLY = datetime.timedelta(days=7)


def outbox_list(
    *, shop: Shop, status: str = "", kind: str = "", channel: str = ""
) -> QuerySet[FollowUp]:
    """The shop's follow-ups; by default what needs the seller (due, held, failed), oldest due
    first. Sent, skipped and cancelled ones are listed newest first.

    Each default ordering reads an index in order (FollowUp.Meta.indexes): a page costs the
    same with a hundred messages or a million.
    """
    queryset = FollowUp.objects.for_shop(shop).select_related("buyer", "order")
    if status == "all":
        pass
    elif status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=TODO)
    if kind:
        queryset = queryset.filter(kind=kind)
    if channel:
        queryset = queryset.filter(channel=channel)
    if status in FINISHED:
        return queryset.order_by("-due_at", "-pk")
    return queryset.order_by("due_at", "pk")


def outbox_counts(*, shop: Shop, now: datetime.datetime | None = None) -> dict[str, int]:
    """The outbox's tabs: the open messages per status, and ``sent_recently``, the messages
    sent in the last seven days. Two queries over narrow index ranges (the open statuses are
    few next to a big shop's history of sent messages)."""
    now = now or timezone.now()
    rows = (
        FollowUp.objects.for_shop(shop)
        .filter(status__in=[*TODO, FollowUp.Status.PLANNED])
        .values("status")
        # COUNT(*), not COUNT(id): PostgreSQL answers from the (shop, status, sent_at) index
        # alone, without visiting the rows.
        .annotate(n=Count("*"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts["sent_recently"] = (
        FollowUp.objects.for_shop(shop)
        .filter(status=FollowUp.Status.SENT, sent_at__gte=now - SENT_RECENTLY)
        .count()
    )
    return counts


def followup_outcomes(
    *, shop: Shop, since: datetime.datetime | None = None
) -> dict[str, dict[str, object]]:
    """Per kind: planned (all rows), sent, failed, and skipped by reason."""
    queryset = FollowUp.objects.for_shop(shop)
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    rows = (
        queryset.values("kind", "status", "skip_reason").annotate(followups=Count("pk")).order_by()
    )
    return outcomes_from_counts(rows)


def outcomes_from_counts(rows: Iterable[dict]) -> dict[str, dict[str, object]]:
    """``followup_outcomes`` from rows of kind, status, skip_reason and a ``followups`` count
    (a live group-by or the dashboard's daily rollup, insights.rollup.followup_days)."""
    outcomes: dict[str, dict[str, object]] = {}
    for row in rows:
        n = row["followups"]
        entry = outcomes.setdefault(
            row["kind"],
            {"planned": 0, "sent": 0, "failed": 0, "open": 0, "skipped": defaultdict(int)},
        )
        entry["planned"] += n
        if row["status"] == FollowUp.Status.SENT:
            entry["sent"] += n
        elif row["status"] == FollowUp.Status.FAILED:
            entry["failed"] += n
        elif row["status"] == FollowUp.Status.SKIPPED:
            entry["skipped"][row["skip_reason"]] += n
        elif row["status"] != FollowUp.Status.CANCELLED:
            entry["open"] += n
    for entry in outcomes.values():
        entry["skipped"] = dict(entry["skipped"])
    return outcomes


@dataclass(frozen=True)
class Cohort:
    buyers: int
    reordered: int

    @property
    def rate(self) -> float | None:
        return self.reordered / self.buyers if self.buyers else None


def care_reorder_comparison(
    *, shop: Shop, window_days: int = 60, now: datetime.datetime | None = None
) -> dict[str, dict[str, Cohort]]:
    """Did buyers order again within ``window_days`` after a problem, with and without care?

    Problems are late deliveries (care: a late apology sent) and reviews that needed care
    (care: a care follow-up sent). Only problems at least ``window_days`` old count, so every
    buyer had the full window to come back. Counts are of problems (orders, reviews).
    """
    now = now or timezone.now()
    window = datetime.timedelta(days=window_days)
    cutoff = now - window
    result: dict[str, dict[str, Cohort]] = {}

    sent_for_order = FollowUp.objects.filter(
        order=OuterRef("pk"), kind=Kind.LATE_APOLOGY, status=FollowUp.Status.SENT
    )
    later_order = Order.objects.filter(
        buyer=OuterRef("buyer"),
        ordered_at__gt=OuterRef("delivered_at"),
        ordered_at__lte=OuterRef("delivered_at") + window,
    ).exclude(pk=OuterRef("pk"))
    late = (
        Order.objects.for_shop(shop)
        .late()
        .filter(delivered_at__lte=cutoff)
        .annotate(cared=Exists(sent_for_order), again=Exists(later_order))
        .values("cared", "again")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result["late_delivery"] = _cohorts(late)

    sent_for_review = FollowUp.objects.filter(
        review=OuterRef("pk"), kind__in=CARE_KINDS, status=FollowUp.Status.SENT
    )
    later_after_review = Order.objects.filter(
        buyer=OuterRef("order__buyer"),
        ordered_at__gt=OuterRef("posted_at"),
        ordered_at__lte=OuterRef("posted_at") + window,
    )
    reviews = (
        Review.objects.for_shop(shop)
        .filter(needs_care=True, posted_at__lte=cutoff)
        .annotate(cared=Exists(sent_for_review), again=Exists(later_after_review))
        .values("cared", "again")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result["needs_care_review"] = _cohorts(reviews)
    return result


def _cohorts(rows) -> dict[str, Cohort]:
    totals = {True: [0, 0], False: [0, 0]}
    for row in rows:
        bucket = totals[bool(row["cared"])]
        bucket[0] += row["n"]
        if row["again"]:
            bucket[1] += row["n"]
    return {
        "with_followup": Cohort(*totals[True]),
        "without_followup": Cohort(*totals[False]),
    }


def buyer_followups(*, buyer_id: int, shop: Shop) -> QuerySet[FollowUp]:
    return FollowUp.objects.for_shop(shop).filter(buyer_id=buyer_id).order_by("-due_at")


__all__ = [
    "Cohort",
    "buyer_followups",
    "care_reorder_comparison",
    "followup_outcomes",
    "outcomes_from_counts",
    "outbox_counts",
    "outbox_list",
]
