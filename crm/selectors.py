"""Reads for the seller dashboard."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from crm.counting import capped_counts, capped_sum
from customers.models import Buyer, Order, Shop
from customers.selectors import jakarta_midnight
from reviews.models import Review


def week_start(today: date | None = None) -> date:
    """Monday of the current week in Jakarta."""
    today = today or timezone.localdate()
    return today - timedelta(days=today.weekday())


def dashboard_counts(*, shop: Shop) -> dict[str, int | date]:
    """The counts a seller looks at first thing in the morning (four queries).

    Each count matches the filtered list it links to: "waiting" means no reply sent yet (a draft
    still waits), "late this week" means delivered after the promised time since Monday. Every
    query reads a narrow index range, whatever the shop's size: the reviews still waiting are
    counted up to crm.counting.COUNT_CAP each (a big shop's years of unanswered 5-star reviews
    show as "10.000+", not as a scan of them all), this week's deliveries, the orders still paid
    or shipped.
    """
    waiting = [s for s in Review.ReplyStatus.values if s != Review.ReplyStatus.SENT]
    reviews = Review.objects.for_shop(shop)
    querysets = {}
    # One count per reply status: SQLite seeks the (shop, reply_status, needs_care, rating)
    # index for an equality, not for an IN list; needs_care__in for the same reason.
    for status in waiting:
        slice_ = reviews.filter(reply_status=status)
        care = slice_.filter(needs_care__in=[True])
        querysets[f"all_{status}"] = slice_
        querysets[f"care_{status}"] = care
        querysets[f"four_{status}"] = care.filter(rating=4)
    counted = capped_counts(querysets)
    reviews = {
        key: capped_sum(*(counted[f"{prefix}_{status}"] for status in waiting))
        for key, prefix in (
            ("reviews_waiting", "all"),
            ("needs_care_waiting", "care"),
            ("four_star_complaints", "four"),
        )
    }
    monday = week_start()
    late_this_week = (
        Order.objects.for_shop(shop)
        .filter(delivered_at__gte=jakarta_midnight(monday))
        .late()
        .count()
    )
    overdue = Order.objects.for_shop(shop).overdue().count()
    return {
        **reviews,
        "late_this_week": late_this_week,
        "overdue": overdue,
        "buyers": Buyer.objects.for_shop(shop).count(),
        "week_start": monday,
    }


def dashboard_needs_care_reviews(*, shop: Shop, limit: int = 5) -> list[Review]:
    """Reviews with a complaint still waiting for a reply, most urgent first.

    One query per waiting reply status (no reply yet, drafted), each reading the inbox index
    (shop, needs_care, reply_status, -priority, -posted_at) in order and stopping after
    ``limit`` rows; merged here. One query over both statuses would sort every complaint.
    """
    found: list[Review] = []
    for status in Review.ReplyStatus.values:
        if status == Review.ReplyStatus.SENT:
            continue
        found += (
            Review.objects.for_shop(shop)
            # needs_care__in: for SQLite a bare "WHERE needs_care" cannot seek the index.
            .filter(needs_care__in=[True], reply_status=status)
            .select_related("order__buyer")
            .order_by("-priority", "-posted_at", "-pk")[:limit]
        )
    found.sort(key=lambda r: (r.priority, r.posted_at, r.pk), reverse=True)
    return found[:limit]


def dashboard_late_orders(*, shop: Shop, limit: int = 5) -> QuerySet[Order]:
    """The most recently delivered late orders."""
    return (
        Order.objects.for_shop(shop)
        .late()
        .select_related("buyer")
        .order_by("-delivered_at", "-pk")[:limit]
    )


def dashboard_rejections(*, shop: Shop) -> list:
    """Each marketplace's rolling seller-rejection count against its penalty rule (stock app)."""
    from stock.selectors import rejection_status

    return rejection_status(shop=shop)
