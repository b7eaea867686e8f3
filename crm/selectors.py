"""Reads for the seller dashboard."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from customers.models import Buyer, Order, Shop
from customers.selectors import jakarta_midnight
from reviews.models import Review


def week_start(today: date | None = None) -> date:
    """Monday of the current week in Jakarta."""
    today = today or timezone.localdate()
    return today - timedelta(days=today.weekday())


def dashboard_counts(*, shop: Shop) -> dict[str, int | date]:
    """The counts a seller looks at first thing in the morning (three queries).

    Each count matches the filtered list it links to: "waiting" means no reply sent yet (a draft
    still waits), "late this week" means delivered after the promised time since Monday.
    """
    waiting = ~Q(reply_status=Review.ReplyStatus.SENT)
    reviews = Review.objects.for_shop(shop).aggregate(
        reviews_waiting=Count("pk", filter=waiting),
        needs_care_waiting=Count("pk", filter=waiting & Q(needs_care=True)),
        four_star_complaints=Count("pk", filter=waiting & Q(needs_care=True, rating=4)),
    )
    monday = week_start()
    orders = (
        Order.objects.for_shop(shop)
        .late()
        .aggregate(late_this_week=Count("pk", filter=Q(delivered_at__gte=jakarta_midnight(monday))))
    )
    overdue = Order.objects.for_shop(shop).overdue().count()
    return {
        **reviews,
        **orders,
        "overdue": overdue,
        "buyers": Buyer.objects.for_shop(shop).count(),
        "week_start": monday,
    }


def dashboard_needs_care_reviews(*, shop: Shop, limit: int = 5) -> QuerySet[Review]:
    """Reviews with a complaint still waiting for a reply, most urgent first."""
    return (
        Review.objects.for_shop(shop)
        .filter(needs_care=True)
        .exclude(reply_status=Review.ReplyStatus.SENT)
        .select_related("order__buyer")
        .order_by("-priority", "-posted_at", "-pk")[:limit]
    )


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
