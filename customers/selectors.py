"""Reads for the seller pages about buyers and orders.

Each function runs a fixed number of queries whatever the amount of data: lists are annotated
(``Buyer.objects.with_stats``) and prefetched, never looked up row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Buyer, BuyerHandle, Interaction, Order, OrderLine, Shop, Tag
from followups.models import FollowUp
from reviews.models import Review
from stock.models import Cancellation

# How many of each kind of history a buyer page loads. A buyer with more sees the newest ones
# and a link to the full order and review lists filtered to them.
HISTORY_LIMIT = 50

BuyerSort = Literal["name", "recent", "spend", "orders"]
BUYER_SORTS: dict[str, tuple] = {
    "name": (F("name").asc(), "pk"),
    "recent": (F("last_order_at").desc(nulls_last=True), "pk"),
    "spend": (F("total_spend").desc(), "name", "pk"),
    "orders": (F("order_count").desc(), "name", "pk"),
}


def buyers_with_stats(*, shop: Shop) -> QuerySet[Buyer]:
    """The shop's buyers with their order stats, handles and tags ready to show (3 queries)."""
    return (
        Buyer.objects.for_shop(shop)
        .with_stats()
        .prefetch_related(
            Prefetch("handles", queryset=BuyerHandle.objects.order_by("channel", "handle")),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
    )


def buyer_list(*, shop: Shop, search: str = "", sort: str = "name") -> QuerySet[Buyer]:
    """The buyer list: search by name, email, phone (08xx, 62xx, +62xx) or channel handle."""
    buyers = buyers_with_stats(shop=shop).search(search)  # type: ignore[attr-defined]
    return buyers.order_by(*BUYER_SORTS.get(sort, BUYER_SORTS["name"]))


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a buyer's timeline: an order placed, a review posted, an interaction (note,
    chat, call, reply), a follow-up message (planned, held, sent or skipped) or a cancellation."""

    kind: Literal["order", "review", "interaction", "followup", "cancellation"]
    at: datetime
    item: Order | Review | Interaction | FollowUp | Cancellation


# Among entries at the same instant, show the reaction above what it reacts to: the interaction
# or follow-up above the review, the review and the cancellation above the order.
_KIND_RANK = {"order": 0, "cancellation": 1, "review": 2, "followup": 3, "interaction": 4}


@dataclass(frozen=True)
class BuyerHistory:
    orders: list[Order]
    reviews: list[Review]
    interactions: list[Interaction]
    timeline: list[TimelineEntry]
    limit: int
    followups: list[FollowUp] = ()  # type: ignore[assignment]
    cancellations: list[Cancellation] = ()  # type: ignore[assignment]

    @property
    def truncated(self) -> bool:
        """True when some history is older than what was loaded."""
        return any(
            len(rows) >= self.limit
            for rows in (
                self.orders,
                self.reviews,
                self.interactions,
                self.followups,
                self.cancellations,
            )
        )


def followup_time(followup: FollowUp) -> datetime:
    """When a follow-up belongs on the timeline: sent, or else due (planned, held, skipped)."""
    return followup.sent_at or followup.due_at


def buyer_history(*, buyer: Buyer, limit: int = HISTORY_LIMIT) -> BuyerHistory:
    """A buyer's newest orders, reviews and interactions, and the timeline merging them.

    Seven queries whatever the buyer's history: orders, their lines, their reviews, the buyer's
    reviews, interactions (notes, chats, calls, replies with their tone verdict), follow-ups
    and cancellations. The timeline holds the newest ``limit`` entries overall: taking the
    newest ``limit`` of each kind before merging cannot drop any of them.
    """
    orders = list(
        Order.objects.filter(shop_id=buyer.shop_id, buyer=buyer)
        .order_by("-ordered_at", "-pk")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
            Prefetch("reviews", queryset=Review.objects.order_by("-posted_at", "-pk")),
        )[:limit]
    )
    # Through the buyer's order ids: the (buyer, -ordered_at) index, then each order's reviews.
    # A join on order__buyer lets the planner walk the whole shop's reviews instead.
    buyer_orders = Order.objects.filter(buyer=buyer).values("pk")
    reviews = list(
        Review.objects.filter(shop_id=buyer.shop_id, order__in=buyer_orders)
        .select_related("order")
        .order_by("-posted_at", "-pk")[:limit]
    )
    interactions = list(
        Interaction.objects.filter(shop_id=buyer.shop_id, buyer=buyer)
        .select_related("author", "order")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    # Newest first by the time they show at: sent, or else due. Coalesce keeps it one query.
    followups = list(
        FollowUp.objects.filter(shop_id=buyer.shop_id, buyer=buyer)
        .select_related("order")
        .annotate(at=Coalesce("sent_at", "due_at"))
        .order_by("-at", "-pk")[:limit]
    )
    cancellations = list(
        Cancellation.objects.filter(shop_id=buyer.shop_id, order__in=buyer_orders)
        .select_related("order")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    entries = (
        [TimelineEntry("order", o.ordered_at, o) for o in orders]
        + [TimelineEntry("review", r.posted_at, r) for r in reviews]
        + [TimelineEntry("interaction", i.occurred_at, i) for i in interactions]
        + [TimelineEntry("followup", followup_time(f), f) for f in followups]
        + [TimelineEntry("cancellation", c.occurred_at, c) for c in cancellations]
    )
    entries.sort(key=lambda e: (e.at, _KIND_RANK[e.kind], e.item.pk), reverse=True)
    return BuyerHistory(
        orders=orders,
        reviews=reviews,
        interactions=interactions,
        timeline=entries[:limit],
        limit=limit,
        followups=followups,
        cancellations=cancellations,
    )


def buyer_timeline(*, buyer: Buyer, limit: int = HISTORY_LIMIT) -> list[TimelineEntry]:
    """The buyer's orders, reviews and interactions in one list, newest first."""
    return buyer_history(buyer=buyer, limit=limit).timeline


def order_list(
    *,
    shop: Shop,
    status: str = "",
    channel: str = "",
    courier: str = "",
    late: str = "",
    buyer: int | None = None,
    delivered_since: date | None = None,
) -> QuerySet[Order]:
    """The shop's orders, newest first, with the buyer joined in (one query per page).

    ``late``: "delivered" keeps orders delivered after the promised time, "overdue" those not
    delivered yet past it, any other true value both.
    ``delivered_since`` is a Jakarta date: orders delivered on or after its midnight.
    """
    orders = Order.objects.for_shop(shop)
    if late == "delivered":
        orders = orders.late()  # type: ignore[attr-defined]
    elif late == "overdue":
        orders = orders.overdue()  # type: ignore[attr-defined]
    elif late:
        orders = orders.late() | orders.overdue()  # type: ignore[attr-defined]
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel=channel)
    if courier:
        orders = orders.filter(courier=courier)
    if buyer:
        orders = orders.filter(buyer_id=buyer)
    if delivered_since:
        orders = orders.filter(delivered_at__gte=jakarta_midnight(delivered_since))
    return orders.select_related("buyer").order_by("-ordered_at", "-pk")


def order_get_queryset(*, shop: Shop) -> QuerySet[Order]:
    """The shop's orders for the order page: buyer joined, lines with products, reviews."""
    return (
        Order.objects.for_shop(shop)
        .select_related("buyer")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("pk")),
            Prefetch("reviews", queryset=Review.objects.order_by("-posted_at", "-pk")),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.select_related("author").order_by("-occurred_at"),
            ),
        )
    )


def jakarta_midnight(day: date) -> datetime:
    """The aware start of a calendar day in the site's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.combine(day, time.min))
