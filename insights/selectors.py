"""Reads for the care dashboard: every chart is a small table computed by GROUP BY in the database.

Each chart is a :class:`Chart`: column headers, rows (what the accessible table and the CSV
export show) and a Chart.js configuration built from the same rows, so the picture, the table and
the download can never disagree. Reads that other apps already own are reused, not rewritten:
followups.selectors (outcomes, care vs no care), reviews.selectors (tone guard), stock.selectors
(chat response, rejection counter).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Channel
from customers.models import Courier, Shop
from customers.selectors import jakarta_midnight
from followups.models import Kind, SkipReason
from followups.selectors import Cohort, outcomes_from_counts
from insights import rollup
from reviews.models import ToneEvent
from reviews.selectors import tone_guard_summary
from stock.selectors import chat_performance, rejection_status

REORDER_WINDOW = datetime.timedelta(days=60)
QUICK_REPLY = datetime.timedelta(hours=24)
DEFAULT_DAYS = 90
RATING_COLOURS = {1: "#dc3545", 2: "#fd7e14", 3: "#ffc107", 4: "#20c997", 5: "#198754"}


@dataclass(frozen=True)
class Filters:
    """The dashboard's date range (Jakarta calendar days, both included) and channel."""

    start: datetime.date
    end: datetime.date
    channel: str = ""

    @property
    def since(self) -> datetime.datetime:
        return jakarta_midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        """The exclusive end: midnight after the last day."""
        return jakarta_midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Filters:
        today = today or timezone.localdate()
        return cls(start=today - datetime.timedelta(days=DEFAULT_DAYS - 1), end=today)

    def query(self) -> dict[str, str]:
        """The GET parameters that select these filters (for CSV links)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.channel:
            params["channel"] = self.channel
        return params


@dataclass
class Chart:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    config: dict[str, Any] | None = None  # Chart.js configuration; None: a table only
    note: str = ""
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows


def _between(queryset: QuerySet, name: str, filters: Filters) -> QuerySet:
    queryset = queryset.filter(**{f"{name}__gte": filters.since, f"{name}__lt": filters.until})
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    return queryset


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Ratings ----------------------------------------------------------------------------------


def _range_reviews(*, shop: Shop, filters: Filters, covered: rollup.Coverage | None) -> list[dict]:
    """The range's review counts per Jakarta day, rating and care flag (insights.rollup): what
    the rating charts and the care funnel both read."""
    return rollup.review_days(
        shop=shop,
        since=filters.since,
        until=filters.until,
        group=("day", "rating", "needs_care"),
        channel=filters.channel,
        covered=covered,
    )


def rating_charts(
    *,
    shop: Shop,
    filters: Filters,
    covered: rollup.Coverage | None = None,
    rows: list[dict] | None = None,
) -> tuple[Chart, Chart]:
    """Reviews per month and rating (stacked), and the share of 4-star reviews with a complaint.

    Daily counts from insights.rollup (stored days in one query, the rest live in one more).
    """
    if rows is None:
        rows = _range_reviews(shop=shop, filters=filters, covered=covered)
    counts: dict[str, dict[int, int]] = {}
    four: dict[str, list[int]] = {}
    for row in rows:
        month = row["day"].strftime("%Y-%m")
        counts.setdefault(month, dict.fromkeys(range(1, 6), 0))[row["rating"]] += row["reviews"]
        if row["rating"] == 4:
            bucket = four.setdefault(month, [0, 0])
            bucket[0] += row["reviews"]
            bucket[1] += row["reviews"] if row["needs_care"] else 0
    months = sorted(counts)
    distribution = Chart(
        key="ratings",
        title=_("Ratings per month"),
        columns=[_("Month"), "1★", "2★", "3★", "4★", "5★", _("Total")],
        rows=[[m, *(counts[m][r] for r in range(1, 6)), sum(counts[m].values())] for m in months],
        config={
            "type": "bar",
            "data": {
                "labels": months,
                "datasets": [
                    {
                        "label": f"{r}★",
                        "data": [counts[m][r] for m in months],
                        "backgroundColor": RATING_COLOURS[r],
                    }
                    for r in range(1, 6)
                ],
            },
            "options": {"scales": {"x": {"stacked": True}, "y": {"stacked": True}}},
        },
    )
    four_months = sorted(four)
    total4 = sum(v[0] for v in four.values())
    complaints4 = sum(v[1] for v in four.values())
    four_star = Chart(
        key="four_star",
        title=_("4-star reviews that carry a complaint"),
        columns=[_("Month"), _("4-star reviews"), _("With a complaint"), _("Share (%)")],
        rows=[[m, four[m][0], four[m][1], _pct(four[m][1], four[m][0])] for m in four_months],
        config={
            "type": "line",
            "data": {
                "labels": four_months,
                "datasets": [
                    {
                        "label": _("Share (%)"),
                        "data": [_pct(four[m][1], four[m][0]) for m in four_months],
                        "borderColor": RATING_COLOURS[4],
                        "backgroundColor": RATING_COLOURS[4],
                    }
                ],
            },
            "options": {"scales": {"y": {"min": 0, "max": 100}}},
        },
        summary={"reviews": total4, "complaints": complaints4, "pct": _pct(complaints4, total4)},
    )
    return distribution, four_star


def _month(value: datetime.datetime | datetime.date) -> str:
    """ "2026-03" for a truncated month, read on the Jakarta clock."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


# --- Care funnel ------------------------------------------------------------------------------


def care_funnel(
    *,
    shop: Shop,
    filters: Filters,
    covered: rollup.Coverage | None = None,
    rows: list[dict] | None = None,
) -> Chart:
    """Reviews that needed care, how far the care went, and whether the buyer came back.

    The range's needs-care reviews and the shop-wide comparison of problems with and without
    care both come from insights.rollup's daily counts (two to four queries).
    """
    if rows is None:
        rows = _range_reviews(shop=shop, filters=filters, covered=covered)
    care = dict.fromkeys(rollup.REVIEW_COUNTS, 0)
    for row in rows:
        if row["needs_care"]:
            for name in rollup.REVIEW_COUNTS:
                care[name] += row[name]
    totals = {
        "needed": care["reviews"],
        "replied": care["replied"],
        "quick": care["quick"],
        "followed": care["cared"],
        "reordered": care["cared_again"],
    }
    steps = [
        (_("Needed care"), totals["needed"]),
        (_("Replied"), totals["replied"]),
        (_("Replied within 24 hours"), totals["quick"]),
        (_("Care follow-up sent"), totals["followed"]),
        (_("Ordered again within 60 days"), totals["reordered"]),
    ]
    comparison = care_comparison(shop=shop, covered=covered)
    reviews = comparison["needs_care_review"]
    late = comparison["late_delivery"]
    return Chart(
        key="funnel",
        title=_("Care funnel"),
        columns=[_("Step"), _("Reviews"), _("Share of needed care (%)")],
        rows=[[label, n, _pct(n, totals["needed"])] for label, n in steps],
        config={
            "type": "bar",
            "data": {
                "labels": [label for label, _n in steps],
                "datasets": [
                    {
                        "label": _("Reviews"),
                        "data": [n for _label, n in steps],
                        "backgroundColor": "#0d6efd",
                    }
                ],
            },
            "options": {"indexAxis": "y"},
        },
        summary={
            "comparison": [
                {
                    "problem": _("Review that needed care"),
                    "with": reviews["with_followup"],
                    "without": reviews["without_followup"],
                },
                {
                    "problem": _("Late delivery"),
                    "with": late["with_followup"],
                    "without": late["without_followup"],
                },
            ]
        },
        note=_(
            "Comparison: every problem at least 60 days old in the whole shop, so each buyer had "
            "the full 60 days to order again."
        ),
    )


def care_comparison(
    *, shop: Shop, now: datetime.datetime | None = None, covered: rollup.Coverage | None = None
) -> dict[str, dict[str, Cohort]]:
    """followups.selectors.care_reorder_comparison over the rollup: every problem of the whole
    shop from before the (Jakarta) day 60 days ago, with and without care, and how many buyers
    ordered again within 60 days. Whole days, so the rollup answers alone: no live query."""
    now = now or timezone.now()
    until = jakarta_midnight(timezone.localdate(now - REORDER_WINDOW))
    late = rollup.delivery_days(shop=shop, since=None, until=until, group=(), covered=covered)
    late = late[0] if late else dict.fromkeys(rollup.DELIVERY_COUNTS, 0)
    care = [
        row
        for row in rollup.review_days(
            shop=shop, since=None, until=until, group=("needs_care",), covered=covered
        )
        if row["needs_care"]
    ]
    care = care[0] if care else dict.fromkeys(rollup.REVIEW_COUNTS, 0)
    return {
        "late_delivery": {
            "with_followup": Cohort(late["late_cared"], late["late_cared_again"]),
            "without_followup": Cohort(
                late["late"] - late["late_cared"],
                late["late_again"] - late["late_cared_again"],
            ),
        },
        "needs_care_review": {
            "with_followup": Cohort(care["cared"], care["cared_again"]),
            "without_followup": Cohort(
                care["reviews"] - care["cared"], care["again"] - care["cared_again"]
            ),
        },
    }


# --- Couriers ---------------------------------------------------------------------------------


@dataclass
class Delivery:
    key: str
    label: str
    delivered: int = 0
    late: int = 0
    delay: datetime.timedelta = datetime.timedelta()

    @property
    def late_pct(self) -> float | None:
        return _pct(self.late, self.delivered)

    @property
    def average_delay_days(self) -> float | None:
        """Average days late over the late deliveries."""
        return round(self.delay.total_seconds() / 86400 / self.late, 1) if self.late else None


def deliveries(
    *, shop: Shop, filters: Filters, covered: rollup.Coverage | None = None
) -> tuple[list[Delivery], list[Delivery]]:
    """Late-delivery rate and average delay per courier and per channel, best first.

    Orders delivered in the range with a promised date, per channel and courier, from
    insights.rollup; days late are counted between Jakarta dates, the rule of Order.late().
    """
    rows = [
        {**row, "delay": datetime.timedelta(days=row["delay_days"])}
        for row in rollup.delivery_days(
            shop=shop,
            since=filters.since,
            until=filters.until,
            group=("channel", "courier"),
            channel=filters.channel,
            covered=covered,
            care=False,
        )
    ]
    couriers: dict[str, Delivery] = {}
    channels: dict[str, Delivery] = {}
    courier_labels = dict(Courier.choices)
    channel_labels = dict(Channel.choices)
    for row in rows:
        courier = row["courier"] or ""
        for table, key, label in (
            (couriers, courier, str(courier_labels.get(courier, _("Unknown courier")))),
            (channels, row["channel"], str(channel_labels.get(row["channel"], row["channel"]))),
        ):
            entry = table.setdefault(key, Delivery(key=key, label=label))
            entry.delivered += row["delivered"]
            entry.late += row["late"]
            entry.delay += _duration(row["delay"])

    def best_first(entry: Delivery) -> tuple:
        # The label last: ties keep one order whichever way the counts were read.
        return (
            entry.late / entry.delivered,
            entry.average_delay_days or 0,
            -entry.delivered,
            entry.label,
        )

    return sorted(couriers.values(), key=best_first), sorted(channels.values(), key=best_first)


def _duration(value: Any) -> datetime.timedelta:
    """Sum of date differences as a timedelta (SQLite can hand back microseconds)."""
    if value is None:
        return datetime.timedelta()
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(microseconds=int(value))


def delivery_chart(*, key: str, title: str, first: str, entries: list[Delivery]) -> Chart:
    return Chart(
        key=key,
        title=title,
        columns=[first, _("Delivered"), _("Late"), _("Late (%)"), _("Average delay (days)")],
        rows=[[e.label, e.delivered, e.late, e.late_pct, e.average_delay_days] for e in entries],
        config={
            "type": "bar",
            "data": {
                "labels": [e.label for e in entries],
                "datasets": [
                    {
                        "label": _("Late (%)"),
                        "data": [e.late_pct for e in entries],
                        "backgroundColor": "#fd7e14",
                        "yAxisID": "y",
                    },
                    {
                        "label": _("Average delay (days)"),
                        "data": [e.average_delay_days for e in entries],
                        "backgroundColor": "#6f42c1",
                        "yAxisID": "days",
                    },
                ],
            },
            "options": {
                "scales": {
                    "y": {"min": 0, "position": "left"},
                    "days": {"min": 0, "position": "right", "grid": {"drawOnChartArea": False}},
                }
            },
        },
    )


# --- Chat and rejections (stock) --------------------------------------------------------------


def chat_chart(*, shop: Shop, filters: Filters) -> Chart:
    """First personal reply per channel (stock.selectors.chat_performance over the range)."""
    now = min(filters.until, timezone.now())
    days = max((now - filters.since).days, 1)
    performance = chat_performance(shop=shop, days=days, now=now)
    labels = dict(Channel.choices)
    entries = [
        (channel, stats)
        for channel, stats in performance.by_channel.items()
        if not filters.channel or channel == filters.channel
    ]

    def minutes(stats) -> float | None:
        median = stats.median_seconds
        return None if median is None else round(median / 60, 1)

    def share(value: float | None) -> float | None:
        return None if value is None else round(100 * value, 1)

    return Chart(
        key="chat",
        title=_("Chat: first personal reply"),
        columns=[
            _("Channel"),
            _("Questions"),
            _("Answered"),
            _("Median first reply (minutes)"),
            _("Within 1 hour (%)"),
            _("Response rate, 12 hours (%)"),
        ],
        rows=[
            [
                str(labels.get(channel, channel)),
                stats.total,
                stats.answered,
                minutes(stats),
                share(stats.hour_share),
                share(stats.response_rate),
            ]
            for channel, stats in entries
        ],
        config={
            "type": "bar",
            "data": {
                "labels": [str(labels.get(c, c)) for c, _s in entries],
                "datasets": [
                    {
                        "label": _("Median first reply (minutes)"),
                        "data": [minutes(s) for _c, s in entries],
                        "backgroundColor": "#0dcaf0",
                    }
                ],
            },
        },
    )


def rejection_chart(*, shop: Shop, filters: Filters) -> Chart:
    """The rolling rejection counter against each marketplace's threshold (stock rule windows)."""
    statuses = [
        s
        for s in rejection_status(shop=shop)
        if not filters.channel or s.rule.channel == filters.channel
    ]
    return Chart(
        key="rejections",
        title=_("Seller rejections against each channel's threshold"),
        columns=[
            _("Channel"),
            _("Window (days)"),
            _("Counted rejections"),
            _("Threshold"),
            _("Left before the next penalty"),
            _("Penalties earned"),
        ],
        rows=[
            [
                s.rule.channel_label,
                s.rule.window_days,
                s.counted,
                s.rule.threshold,
                s.left,
                s.penalties,
            ]
            for s in statuses
        ],
        config={
            "type": "bar",
            "data": {
                "labels": [s.rule.channel_label for s in statuses],
                "datasets": [
                    {
                        "label": _("Counted rejections"),
                        "data": [s.counted for s in statuses],
                        "backgroundColor": "#dc3545",
                    },
                    {
                        "label": _("Threshold"),
                        "data": [s.rule.threshold for s in statuses],
                        "backgroundColor": "#adb5bd",
                    },
                ],
            },
        },
        note=_("Each channel counts over its own rolling window up to today, whatever the dates."),
    )


# --- Follow-ups and tone guard ------------------------------------------------------------------


def followup_chart(
    *, shop: Shop, filters: Filters, covered: rollup.Coverage | None = None
) -> Chart:
    """Follow-ups created in the range (for the channel's orders), planned, sent and skipped
    by reason, per kind: whole days from the daily rollup, today live."""
    rows = rollup.followup_days(
        shop=shop,
        since=filters.since,
        until=filters.until,
        channel=filters.channel,
        covered=covered,
    )
    outcomes = outcomes_from_counts(rows)
    kinds = dict(Kind.choices)
    reasons = [r for r in SkipReason.values if any(r in o["skipped"] for o in outcomes.values())]
    reason_labels = {r: str(SkipReason(r).label) for r in reasons}
    ordered = sorted(outcomes.items(), key=lambda item: -item[1]["planned"])
    rows = [
        [
            str(kinds.get(kind, kind)),
            entry["planned"],
            entry["sent"],
            sum(entry["skipped"].values()),
            *(entry["skipped"].get(r, 0) for r in reasons),
        ]
        for kind, entry in ordered
    ]
    return Chart(
        key="followups",
        title=_("Follow-ups planned, sent and skipped"),
        columns=[
            _("Kind"),
            _("Planned"),
            _("Sent"),
            _("Skipped"),
            *(_("Skipped: %(reason)s") % {"reason": reason_labels[r]} for r in reasons),
        ],
        rows=rows,
        config={
            "type": "bar",
            "data": {
                "labels": [row[0] for row in rows],
                "datasets": [
                    {
                        "label": _("Planned"),
                        "data": [r[1] for r in rows],
                        "backgroundColor": "#adb5bd",
                    },
                    {
                        "label": _("Sent"),
                        "data": [r[2] for r in rows],
                        "backgroundColor": "#198754",
                    },
                    {
                        "label": _("Skipped"),
                        "data": [r[3] for r in rows],
                        "backgroundColor": "#ffc107",
                    },
                ],
            },
        },
        note=_(
            "Follow-ups created in the date range; with a channel chosen, those about its orders."
        ),
    )


def tone_chart(*, shop: Shop, filters: Filters) -> Chart:
    """What sellers did after the tone guard warned (reviews.selectors.tone_guard_summary)."""
    summary = tone_guard_summary(
        shop=shop, since=filters.since, until=filters.until, channel=filters.channel
    )
    outcomes = [(value, str(label)) for value, label in ToneEvent.Outcome.choices]
    return Chart(
        key="tone",
        title=_("Tone guard: replies stopped and overrides"),
        columns=[_("Outcome"), _("Replies")],
        rows=[[label, summary["counts"][value]] for value, label in outcomes]
        if summary["warnings"]
        else [],
        config={
            "type": "doughnut",
            "data": {
                "labels": [label for _v, label in outcomes],
                "datasets": [
                    {
                        "label": _("Replies"),
                        "data": [summary["counts"][v] for v, _l in outcomes],
                        "backgroundColor": ["#198754", "#6c757d", "#dc3545", "#ffc107"],
                    }
                ],
            },
        },
        summary=summary,
        note=_("Warnings in the date range; with a channel chosen, those about its reviews."),
    )


# --- The page ---------------------------------------------------------------------------------


CHARTS = (
    "ratings",
    "four_star",
    "funnel",
    "couriers",
    "channels",
    "chat",
    "rejections",
    "followups",
    "tone",
)


def insights_charts(*, shop: Shop, filters: Filters, only: str | None = None) -> dict[str, Chart]:
    """Every chart of the care dashboard (or just ``only``), in page order.

    A fixed number of queries whatever the shop's size: each chart is one or two grouped queries.
    """
    charts: dict[str, Chart] = {}
    want = set(CHARTS) if only is None else {only}
    covered = rollup.coverage(shop=shop)
    reviews = None
    if want & {"ratings", "four_star", "funnel"}:
        reviews = _range_reviews(shop=shop, filters=filters, covered=covered)
    if want & {"ratings", "four_star"}:
        charts["ratings"], charts["four_star"] = rating_charts(
            shop=shop, filters=filters, covered=covered, rows=reviews
        )
    if "funnel" in want:
        charts["funnel"] = care_funnel(shop=shop, filters=filters, covered=covered, rows=reviews)
    if want & {"couriers", "channels"}:
        by_courier, by_channel = deliveries(shop=shop, filters=filters, covered=covered)
        charts["couriers"] = delivery_chart(
            key="couriers", title=_("Courier league"), first=_("Courier"), entries=by_courier
        )
        charts["channels"] = delivery_chart(
            key="channels",
            title=_("Late deliveries per channel"),
            first=_("Channel"),
            entries=by_channel,
        )
    if "chat" in want:
        charts["chat"] = chat_chart(shop=shop, filters=filters)
    if "rejections" in want:
        charts["rejections"] = rejection_chart(shop=shop, filters=filters)
    if "followups" in want:
        charts["followups"] = followup_chart(shop=shop, filters=filters, covered=covered)
    if "tone" in want:
        charts["tone"] = tone_chart(shop=shop, filters=filters)
    return {key: charts[key] for key in CHARTS if key in charts}


__all__ = ["CHARTS", "Chart", "Filters", "insights_charts"]
