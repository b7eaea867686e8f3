"""The care dashboard's daily rollup: count once, read many times.

Four grouped counts do the work:

- ``review_day_rows``: reviews per Jakarta day, channel, rating and care flag, with the replies
  sent, replies within 24 hours, care follow-ups sent, and re-orders within 60 days;
- ``delivery_day_rows``: orders delivered per Jakarta day, channel and courier, with the late
  ones, their days late, apologies sent and re-orders;
- ``followup_day_rows``: follow-ups created per Jakarta day, marketplace, kind, status and skip
  reason (the follow-up outcomes chart);
- ``order_day_rows``: orders placed per Jakarta day and channel (the rejection counter's
  denominator, ``orders_per_channel``).

``rollup_refresh`` stores them for whole past days (insights.models); the readers
(``review_days``, ``delivery_days``, ``followup_days``, ``orders_per_channel``) read a range back: stored days before the rollup's ``through`` day, and the
same counts computed live for everything after it (usually today), so the dashboard is never
missing a day and never counts one twice.

What can change an already stored day, and how the refresh catches it: a re-order, a sent
reply or a sent follow-up usually follows within days, so every refresh recounts the last
``RECOUNT_DAYS`` days; an older row edited since the last refresh (its ``updated_at``: a late
reply, an import that backfills old orders) makes the refresh recount from that row's day.
Rows deleted from old days are caught by the nightly full rebuild (``full=True``).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from customers.models import Order, Shop
from customers.selectors import jakarta_midnight
from followups.models import CARE_KINDS, FollowUp, Kind
from insights.models import DeliveryDay, FollowUpDay, OrderDay, ReviewDay, RollupState
from reviews.models import Review

REORDER_WINDOW = datetime.timedelta(days=60)
QUICK_REPLY = datetime.timedelta(hours=24)
# Re-orders count up to 60 days after the problem, replies and care follow within days.
RECOUNT_DAYS = 62

REVIEW_COUNTS = ("reviews", "replied", "quick", "cared", "again", "cared_again")
DELIVERY_COUNTS = (
    "delivered",
    "late",
    "delay_days",
    "late_cared",
    "late_again",
    "late_cared_again",
)


# --- Live counts ---------------------------------------------------------------------------------


def review_day_rows(
    *, shop: Shop, since: datetime.datetime | None, until: datetime.datetime, channel: str = ""
) -> list[dict]:
    """Reviews posted in [since, until) grouped by Jakarta day, channel, rating and care flag.

    One query. ``cared`` and ``again`` are worked out for reviews that needed care only (the
    funnel and the care comparison read nothing else); for the others they are 0.
    """
    cared = FollowUp.objects.filter(
        review=OuterRef("pk"), kind__in=CARE_KINDS, status=FollowUp.Status.SENT
    )
    again = Order.objects.filter(
        buyer=OuterRef("order__buyer"),
        ordered_at__gt=OuterRef("posted_at"),
        ordered_at__lte=ExpressionWrapper(
            OuterRef("posted_at") + REORDER_WINDOW, output_field=DateTimeField()
        ),
    )
    reviews = Review.objects.for_shop(shop).filter(posted_at__lt=until)
    if since is not None:
        reviews = reviews.filter(posted_at__gte=since)
    if channel:
        reviews = reviews.filter(channel=channel)
    sent = Q(reply_status=Review.ReplyStatus.SENT)
    care = Q(needs_care=True)
    rows = (
        reviews.annotate(
            day=TruncDate("posted_at"),
            is_cared=Exists(cared),
            is_again=Exists(again),
        )
        .values("day", "channel", "rating", "needs_care")
        .annotate(
            reviews=Count("pk"),
            replied=Count("pk", filter=sent),
            quick=Count(
                "pk",
                filter=sent
                & Q(replied_at__isnull=False, replied_at__lte=F("posted_at") + QUICK_REPLY),
            ),
            cared=Count("pk", filter=care & Q(is_cared=True)),
            again=Count("pk", filter=care & Q(is_again=True)),
            cared_again=Count("pk", filter=care & Q(is_cared=True, is_again=True)),
        )
        .order_by()
    )
    return [_day_fixed(row) for row in rows]


def delivery_day_rows(
    *,
    shop: Shop,
    since: datetime.datetime | None,
    until: datetime.datetime,
    channel: str = "",
    care: bool = True,
) -> list[dict]:
    """Orders delivered in [since, until) with a promised date, grouped by Jakarta day,
    channel and courier. One query. Late is the rule of Order.late(): a later Jakarta day.

    The days are worked out here, not in SQL: on SQLite every date conversion is a Python
    function called from the database, a dozen per order (ten times slower). ``care=False``
    leaves out the apologies and re-orders (0): the courier league does not read them, and
    looking them up per late order is most of the query's cost."""
    orders = Order.objects.for_shop(shop).filter(delivered_at__lt=until, promised_at__isnull=False)
    if since is not None:
        orders = orders.filter(delivered_at__gte=since)
    if channel:
        orders = orders.filter(channel=channel)
    fields = ["delivered_at", "promised_at", "channel", "courier"]
    if care:
        cared = FollowUp.objects.filter(
            order=OuterRef("pk"), kind=Kind.LATE_APOLOGY, status=FollowUp.Status.SENT
        )
        again = Order.objects.filter(
            buyer=OuterRef("buyer"),
            ordered_at__gt=OuterRef("delivered_at"),
            ordered_at__lte=ExpressionWrapper(
                OuterRef("delivered_at") + REORDER_WINDOW, output_field=DateTimeField()
            ),
        ).exclude(pk=OuterRef("pk"))
        # Looked up for late orders only (the CASE skips the others' subqueries).
        late_sql = Q(delivered_at__gt=F("promised_at"))
        orders = orders.annotate(
            is_cared=Case(When(late_sql, then=Exists(cared)), default=Value(False)),
            is_again=Case(When(late_sql, then=Exists(again)), default=Value(False)),
        )
        fields += ["is_cared", "is_again"]
    tz = timezone.get_current_timezone()
    totals: dict[tuple, dict] = {}
    for row in orders.order_by().values_list(*fields).iterator(chunk_size=5000):
        delivered, promised, order_channel, courier = row[:4]
        day = delivered.astimezone(tz).date()
        key = (day, order_channel, courier or "")
        total = totals.get(key)
        if total is None:
            total = totals[key] = {
                "day": day,
                "channel": order_channel,
                "courier": courier or "",
                **dict.fromkeys(DELIVERY_COUNTS, 0),
            }
        total["delivered"] += 1
        promised_day = promised.astimezone(tz).date()
        if delivered > promised and day > promised_day:
            total["late"] += 1
            total["delay_days"] += (day - promised_day).days
            if care:
                is_cared, is_again = bool(row[4]), bool(row[5])
                total["late_cared"] += is_cared
                total["late_again"] += is_again
                total["late_cared_again"] += is_cared and is_again
    return list(totals.values())


def followup_day_rows(
    *, shop: Shop, since: datetime.datetime | None, until: datetime.datetime, channel: str = ""
) -> list[dict]:
    """Follow-ups created in [since, until) grouped by Jakarta day, marketplace, kind, status
    and skip reason. One query over the (shop, created_at, ...) index; days worked out here
    (see ``delivery_day_rows``)."""
    followups = FollowUp.objects.for_shop(shop).filter(created_at__lt=until)
    if since is not None:
        followups = followups.filter(created_at__gte=since)
    if channel:
        followups = followups.filter(marketplace=channel)
    fields = ("created_at", "marketplace", "kind", "status", "skip_reason")
    return _count_by_day(
        followups.order_by().values_list(*fields).iterator(chunk_size=5000),
        names=fields[1:],
        count="followups",
    )


def order_day_rows(
    *, shop: Shop, since: datetime.datetime | None, until: datetime.datetime, channel: str = ""
) -> list[dict]:
    """Orders placed in [since, until) grouped by Jakarta day and channel. One query."""
    orders = Order.objects.for_shop(shop).filter(ordered_at__lt=until)
    if since is not None:
        orders = orders.filter(ordered_at__gte=since)
    if channel:
        orders = orders.filter(channel=channel)
    return _count_by_day(
        orders.order_by().values_list("ordered_at", "channel").iterator(chunk_size=5000),
        names=("channel",),
        count="orders",
    )


def _count_by_day(rows: Iterable[tuple], *, names: tuple[str, ...], count: str) -> list[dict]:
    """(moment, *names) rows counted per (Jakarta day of the moment, *names)."""
    tz = timezone.get_current_timezone()
    totals: dict[tuple, int] = {}
    for row in rows:
        key = (row[0].astimezone(tz).date(), *row[1:])
        totals[key] = totals.get(key, 0) + 1
    return [
        {"day": key[0], **dict(zip(names, key[1:], strict=True)), count: n}
        for key, n in totals.items()
    ]


def _day_fixed(row: dict) -> dict:
    day = row["day"]
    if isinstance(day, str):  # SQLite may hand the truncated date back as text
        row["day"] = datetime.date.fromisoformat(day)
    return row


def _days(value: object) -> int:
    """A sum of date differences as whole days (SQLite can hand back microseconds)."""
    if value is None:
        return 0
    if isinstance(value, datetime.timedelta):
        return value.days
    return int(value) // 86_400_000_000


# --- Reading a range: stored days, then live -----------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Which part of a range the rollup answers: whole days before ``until`` (a datetime)."""

    until: datetime.datetime | None
    refreshed_at: datetime.datetime | None


def coverage(*, shop: Shop) -> Coverage:
    state = RollupState.objects.filter(shop=shop).only("through", "refreshed_at").first()
    if state is None or state.through is None:
        return Coverage(until=None, refreshed_at=None)
    return Coverage(until=jakarta_midnight(state.through), refreshed_at=state.refreshed_at)


def _split(
    since: datetime.datetime | None, until: datetime.datetime, covered: Coverage
) -> tuple[tuple[datetime.date | None, datetime.date] | None, datetime.datetime | None]:
    """(stored days [first, end) or None, start of the live part or None when there is none).

    ``since`` is a Jakarta midnight (or None: from the beginning); ``until`` may be any time.
    """
    if covered.until is None:
        return None, since
    # Whole days only: the day ``until`` falls in is counted live up to ``until``.
    end = min(covered.until, jakarta_midnight(timezone.localdate(until)))
    if since is not None and end <= since:
        return None, since
    stored = (timezone.localdate(since) if since else None, timezone.localdate(end))
    return stored, end if end < until else None


def _read(
    *,
    model: type[ReviewDay] | type[DeliveryDay] | type[FollowUpDay],
    live,
    counts: tuple[str, ...],
    shop: Shop,
    since: datetime.datetime | None,
    until: datetime.datetime,
    group: tuple[str, ...],
    channel: str,
    covered: Coverage | None,
    live_options: dict | None = None,
    channel_field: str = "channel",
) -> list[dict]:
    covered = covered or coverage(shop=shop)
    stored, live_from = _split(since, until, covered)
    totals: dict[tuple, dict] = {}

    def add(rows: Iterable[dict]) -> None:
        for row in rows:
            key = tuple(row[name] for name in group)
            total = totals.get(key)
            if total is None:
                totals[key] = {**{name: row[name] for name in group}, **dict.fromkeys(counts, 0)}
                total = totals[key]
            for name in counts:
                total[name] += row[name] or 0

    if stored is not None:
        first, end = stored
        days = model.objects.filter(shop=shop, day__lt=end)
        if first is not None:
            days = days.filter(day__gte=first)
        if channel:
            days = days.filter(**{channel_field: channel})
        if group:
            add(days.values(*group).annotate(**{c: Sum(c) for c in counts}).order_by())
        else:  # one total: values() without fields would return every row
            add([days.aggregate(**{c: Sum(c) for c in counts})])
    if live_from is not None or stored is None:
        add(live(shop=shop, since=live_from, until=until, channel=channel, **(live_options or {})))
    return list(totals.values())


def review_days(
    *,
    shop: Shop,
    since: datetime.datetime | None,
    until: datetime.datetime,
    group: tuple[str, ...] = ("day", "channel", "rating", "needs_care"),
    channel: str = "",
    covered: Coverage | None = None,
) -> list[dict]:
    """The counts of ``review_day_rows`` for [since, until), summed per ``group``: stored
    days from the rollup (one query, summed in the database), the rest live (one query)."""
    return _read(
        model=ReviewDay,
        live=review_day_rows,
        counts=REVIEW_COUNTS,
        shop=shop,
        since=since,
        until=until,
        group=group,
        channel=channel,
        covered=covered,
    )


def delivery_days(
    *,
    shop: Shop,
    since: datetime.datetime | None,
    until: datetime.datetime,
    group: tuple[str, ...] = ("day", "channel", "courier"),
    channel: str = "",
    covered: Coverage | None = None,
    care: bool = True,
) -> list[dict]:
    """The counts of ``delivery_day_rows`` for [since, until), summed per ``group`` (as
    ``review_days``). ``care=False``: the apology and re-order counts are not to be read (the
    days counted live leave them at 0)."""
    return _read(
        model=DeliveryDay,
        live=delivery_day_rows,
        counts=DELIVERY_COUNTS if care else ("delivered", "late", "delay_days"),
        shop=shop,
        since=since,
        until=until,
        group=group,
        channel=channel,
        covered=covered,
        live_options={"care": care},
    )


def followup_days(
    *,
    shop: Shop,
    since: datetime.datetime | None,
    until: datetime.datetime,
    group: tuple[str, ...] = ("kind", "status", "skip_reason"),
    channel: str = "",
    covered: Coverage | None = None,
) -> list[dict]:
    """The counts of ``followup_day_rows`` for [since, until), summed per ``group``."""
    return _read(
        model=FollowUpDay,
        live=followup_day_rows,
        counts=("followups",),
        shop=shop,
        since=since,
        until=until,
        group=group,
        channel=channel,
        channel_field="marketplace",
        covered=covered,
    )


def orders_per_channel(
    *,
    shop: Shop,
    starts: dict[str, datetime.datetime],
    until: datetime.datetime,
    covered: Coverage | None = None,
) -> dict[str, int]:
    """Orders placed in (starts[channel], until] on each channel: two queries.

    Each channel's window is cut in three: the rest of its first day and everything from the
    rollup's end (counted live, in one query over two narrow ranges per channel), and the
    whole days between them (summed from the rollup).
    """
    if not starts:
        return {}
    covered = covered or coverage(shop=shop)
    end = None
    if covered.until is not None:
        end = min(timezone.localdate(covered.until), timezone.localdate(until))
    counts = dict.fromkeys(starts, 0)
    stored: dict[str, tuple[datetime.date, datetime.date]] = {}
    live = Q()
    for channel, start in starts.items():
        first = timezone.localdate(start) + datetime.timedelta(days=1)
        if end is None or first >= end:
            live |= Q(channel=channel, ordered_at__gt=start)
            continue
        stored[channel] = (first, end)
        live |= Q(channel=channel, ordered_at__gt=start, ordered_at__lt=jakarta_midnight(first))
        live |= Q(channel=channel, ordered_at__gte=jakarta_midnight(end))
    if stored:
        earliest = min(first for first, _end in stored.values())
        days = (
            OrderDay.objects.filter(shop=shop, day__gte=earliest, day__lt=end)
            .filter(channel__in=list(stored))
            .values_list("day", "channel", "orders")
        )
        for day, channel, orders in days:
            first, _end = stored[channel]
            if day >= first:
                counts[channel] += orders
    live_counts = (
        Order.objects.for_shop(shop)
        .filter(live, ordered_at__lte=until)
        .aggregate(**{channel: Count("pk", filter=Q(channel=channel)) for channel in starts})
    )
    for channel in starts:
        counts[channel] += live_counts[channel]
    return counts


# --- Refreshing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    first_day: datetime.date | None
    through: datetime.date
    review_rows: int
    delivery_rows: int
    took_ms: int


def rollup_refresh(
    *, shop: Shop, now: datetime.datetime | None = None, full: bool = False
) -> RefreshResult:
    """Recount the days that may have changed and store them (every day before today), and
    the behaviour segments' sizes (insights.segments).

    First run (or ``full``): every day of the shop's history. Later runs: the last
    ``RECOUNT_DAYS`` days, and from the day of any older review, order or follow-up changed
    since the previous run. Runs in one transaction: a reader sees the old rows or the new ones.
    """
    started = time.perf_counter()
    now = now or timezone.now()
    through = timezone.localdate(now)  # today stays live
    state, _created = RollupState.objects.get_or_create(shop=shop)
    if full or state.through is None:
        first = None
    else:
        first = min(state.through, through) - datetime.timedelta(days=RECOUNT_DAYS)
        changed = _oldest_change(shop=shop, since=state.seen_until)
        if changed is not None:
            first = min(first, changed)
    since = jakarta_midnight(first) if first else None
    until = jakarta_midnight(through)
    reviews = review_day_rows(shop=shop, since=since, until=until)
    deliveries = delivery_day_rows(shop=shop, since=since, until=until)
    followups = followup_day_rows(shop=shop, since=since, until=until)
    orders = order_day_rows(shop=shop, since=since, until=until)
    from insights.segments import segment_behaviour_counts

    segments = segment_behaviour_counts(shop=shop, now=now)
    with transaction.atomic():
        for model in (ReviewDay, DeliveryDay, FollowUpDay, OrderDay):
            old = model.objects.filter(shop=shop)
            if first is not None:
                old = old.filter(day__gte=first)
            old.delete()
        ReviewDay.objects.bulk_create(
            [ReviewDay(shop=shop, **row) for row in reviews], batch_size=1000
        )
        DeliveryDay.objects.bulk_create(
            [DeliveryDay(shop=shop, **row) for row in deliveries], batch_size=1000
        )
        FollowUpDay.objects.bulk_create(
            [FollowUpDay(shop=shop, **row) for row in followups], batch_size=1000
        )
        OrderDay.objects.bulk_create(
            [OrderDay(shop=shop, **row) for row in orders], batch_size=1000
        )
        took = int(1000 * (time.perf_counter() - started))
        state.through, state.refreshed_at, state.seen_until, state.took_ms = (
            through,
            timezone.now(),
            now,
            took,
        )
        state.segments, state.segments_at = segments, now
        state.save()
    return RefreshResult(first, through, len(reviews), len(deliveries), took)


def _oldest_change(*, shop: Shop, since: datetime.datetime | None) -> datetime.date | None:
    """The oldest day whose counts rows changed after ``since`` may have moved.

    A review counts on its posted day; an order on its delivered day, and as a re-order on
    the days up to 60 days before it was placed, and on the day it was placed; a follow-up
    on its review's or order's day, and on the day it was created.
    """
    if since is None:
        return None
    candidates: Iterable[datetime.datetime | None] = (
        Review.objects.for_shop(shop)
        .filter(updated_at__gte=since)
        .aggregate(m=Min("posted_at"))["m"],
        Order.objects.for_shop(shop)
        .filter(updated_at__gte=since)
        .aggregate(m=Min("ordered_at"))["m"],
        FollowUp.objects.for_shop(shop)
        .filter(updated_at__gte=since)
        .aggregate(m=Min("created_at"))["m"],
        FollowUp.objects.for_shop(shop)
        .filter(updated_at__gte=since, review__isnull=False)
        .aggregate(m=Min("review__posted_at"))["m"],
        FollowUp.objects.for_shop(shop)
        .filter(updated_at__gte=since, order__isnull=False)
        .aggregate(m=Min("order__delivered_at"))["m"],
    )
    oldest = min((c for c in candidates if c is not None), default=None)
    if oldest is None:
        return None
    # An order placed on day D is a re-order for problems up to 60 days earlier.
    return timezone.localdate(oldest) - REORDER_WINDOW - datetime.timedelta(days=1)


def rollups_refresh_all(*, full: bool = False) -> dict[str, int]:
    """Refresh every shop's rollup (the schedule's job). Milliseconds per shop slug."""
    return {
        shop.slug: rollup_refresh(shop=shop, full=full).took_ms
        for shop in Shop.objects.order_by("pk")
    }
