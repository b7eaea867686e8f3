"""Reads for the stock pages, the dashboard card and the chat-performance page."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.functional import Promise

from crm.models import MARKETPLACES, Channel
from customers.models import Order, OrderLine, Product, Shop
from insights.rollup import orders_per_channel
from stock.models import (
    Cancellation,
    ChatQuestion,
    PenaltyRule,
    ProductVariant,
    StockSettings,
    WaitlistEntry,
)
from stock.penalties import DEFAULT_PENALTIES

BOUGHT_WITHIN = datetime.timedelta(days=14)
RESPONSE_TARGET = datetime.timedelta(hours=12)  # the marketplaces' chat-response window
FAST_RESPONSE = datetime.timedelta(hours=1)
DUE_SOON = datetime.timedelta(hours=3)


def product_search(*, shop: Shop, term: str, limit: int = 20) -> list[Product]:
    """Products whose name or SKU contains ``term``; an exact SKU first, then by name."""
    term = term.strip()
    if not term:
        return []
    products = (
        Product.objects.for_shop(shop)
        .filter(Q(name__icontains=term) | Q(sku__icontains=term))
        .prefetch_related(Prefetch("variants", queryset=ProductVariant.objects.order_by("pk")))
        .order_by("name", "pk")[: limit + 1]
    )
    found = list(products)
    found.sort(key=lambda p: (p.sku.lower() != term.lower(),))
    return found[:limit]


@dataclass(frozen=True)
class Alternative:
    product: Product
    difference: int  # price minus the asked product's price

    @property
    def same_price(self) -> bool:
        return self.difference == 0

    @property
    def gap(self) -> int:
        return abs(self.difference)


def product_alternatives(
    *, product: Product, settings: StockSettings, limit: int | None = None
) -> list[Alternative]:
    """In-stock products of the same category within the shop's price band, closest price first.

    A product without a category has no alternatives: guessing across categories would offer
    a bag to someone asking for a hijab.
    """
    if not product.category:
        return []
    limit = settings.max_alternatives if limit is None else limit
    band = product.price * settings.price_band_pct // 100
    rows = (
        Product.objects.for_shop(product.shop)
        .filter(
            category__iexact=product.category,
            stock__gt=0,
            price__gte=max(product.price - band, 0),
            price__lte=product.price + band,
        )
        .exclude(pk=product.pk)
        .annotate(distance=Abs(F("price") - product.price))
        .order_by("distance", "-stock", "name", "pk")[:limit]
    )
    return [Alternative(product=p, difference=p.price - product.price) for p in rows]


def waitlist_entries(
    *, shop: Shop, product: Product | None = None, buyer: Any = None
) -> QuerySet[WaitlistEntry]:
    """A shop's waiting-list entries, annotated ``bought_after`` (ordered the product within 14
    days of being told), in join order."""
    bought = OrderLine.objects.filter(
        product_id=OuterRef("product_id"),
        order__buyer_id=OuterRef("buyer_id"),
        order__ordered_at__gte=OuterRef("told_at"),
        order__ordered_at__lte=ExpressionWrapper(
            OuterRef("told_at") + BOUGHT_WITHIN, output_field=DateTimeField()
        ),
    ).exclude(order__status=Order.Status.CANCELLED)
    entries = WaitlistEntry.objects.for_shop(shop)
    if product is not None:
        entries = entries.filter(product=product)
    if buyer is not None:
        entries = entries.filter(buyer=buyer)
    return (
        entries.annotate(bought_after=Exists(bought))
        .select_related("buyer", "product", "variant", "followup")
        .order_by("joined_at", "pk")
    )


def waitlist_counts(*, shop: Shop) -> dict[int, int]:
    """Open entries per product id."""
    return dict(
        WaitlistEntry.objects.for_shop(shop)
        .waiting()
        .values("product_id")
        .annotate(n=Count("pk"))
        .values_list("product_id", "n")
    )


# --- Rejections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveRule:
    channel: str
    window_days: int
    threshold: int
    penalty: str | Promise
    repeats: bool
    assumption: bool
    overridden: bool

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def penalty_rules_effective(*, shop: Shop) -> list[EffectiveRule]:
    """Each marketplace's rule: the shop's own, or the documented default."""
    own = {rule.channel: rule for rule in PenaltyRule.objects.for_shop(shop)}
    rules = []
    for channel in MARKETPLACES:
        default = DEFAULT_PENALTIES[channel]
        rule = own.get(channel)
        if rule is not None:
            rules.append(
                EffectiveRule(
                    channel=channel,
                    window_days=rule.window_days,
                    threshold=rule.threshold,
                    penalty=rule.penalty,
                    repeats=rule.repeats,
                    assumption=False,
                    overridden=True,
                )
            )
        else:
            rules.append(
                EffectiveRule(
                    channel=channel,
                    window_days=default.window_days,
                    threshold=default.threshold,
                    penalty=default.penalty,
                    repeats=default.repeats,
                    assumption=default.assumption,
                    overridden=False,
                )
            )
    return rules


@dataclass(frozen=True)
class RejectionStatus:
    rule: EffectiveRule
    counted: int  # seller rejections in the window that the rule counts
    buyer_requested: int  # seller-side cancellations at the buyer's request (no point)
    orders: int  # orders on the channel in the window
    penalties: int  # penalties already earned in the window

    @property
    def left(self) -> int:
        """Rejections left before the next penalty (0: no further penalty possible)."""
        threshold = self.rule.threshold
        if not self.rule.repeats and self.counted >= threshold:
            return 0
        return threshold - self.counted % threshold

    @property
    def warning(self) -> bool:
        """The next counted rejection crosses the threshold."""
        return self.left == 1

    @property
    def crossed(self) -> bool:
        return self.penalties > 0

    @property
    def progress_pct(self) -> int:
        threshold = self.rule.threshold
        if not self.rule.repeats and self.counted >= threshold:
            return 100
        return round(100 * (self.counted % threshold) / threshold)

    @property
    def rejection_rate(self) -> float | None:
        if not self.orders:
            return None
        return (self.counted + self.buyer_requested) / self.orders

    @property
    def rejection_pct(self) -> float | None:
        rate = self.rejection_rate
        return None if rate is None else round(100 * rate, 1)


def rejection_status(*, shop: Shop, now: datetime.datetime | None = None) -> list[RejectionStatus]:
    """Each marketplace's rolling rejection count against its rule.

    A fixed number of queries whatever the shop's size: the shop's rules, one aggregate over
    its cancellations, and the orders of each channel's own window (whole days from the daily
    rollup, the rest live: insights.rollup.orders_per_channel).
    """
    now = now or timezone.now()
    rules = penalty_rules_effective(shop=shop)
    starts = {rule.channel: now - datetime.timedelta(days=rule.window_days) for rule in rules}
    seller = Q(initiator=Cancellation.Initiator.SELLER)
    requested = Q(reason=Cancellation.Reason.BUYER_REQUEST)
    cancellations = (
        Cancellation.objects.for_shop(shop)
        .filter(occurred_at__lte=now)
        .aggregate(
            **{
                f"{channel}_counted": Count(
                    "pk", filter=seller & ~requested & Q(channel=channel, occurred_at__gt=start)
                )
                for channel, start in starts.items()
            },
            **{
                f"{channel}_requested": Count(
                    "pk", filter=seller & requested & Q(channel=channel, occurred_at__gt=start)
                )
                for channel, start in starts.items()
            },
        )
    )
    orders = orders_per_channel(shop=shop, starts=starts, until=now)
    result = []
    for rule in rules:
        counted = cancellations[f"{rule.channel}_counted"]
        penalties = counted // rule.threshold if rule.repeats else int(counted >= rule.threshold)
        result.append(
            RejectionStatus(
                rule=rule,
                counted=counted,
                buyer_requested=cancellations[f"{rule.channel}_requested"],
                orders=orders[rule.channel],
                penalties=penalties,
            )
        )
    return result


# --- Chat performance ------------------------------------------------------------------------


@dataclass
class ChatStats:
    total: int = 0
    answered: int = 0
    auto_only: int = 0
    within_hour: int = 0
    eligible_hour: int = 0
    within_target: int = 0
    eligible_target: int = 0
    waits: list[float] = field(default_factory=list)  # seconds to the first personal reply

    def add(self, received, human, automatic_only: bool, now) -> None:
        self.total += 1
        self.auto_only += automatic_only
        if human is not None:
            self.answered += 1
            self.waits.append((human - received).total_seconds())
        wait = (human or now) - received
        if human is not None or wait >= FAST_RESPONSE:
            self.eligible_hour += 1
            self.within_hour += human is not None and wait <= FAST_RESPONSE
        if human is not None and wait <= RESPONSE_TARGET or wait > RESPONSE_TARGET:
            # Questions still inside their 12 hours and unanswered are not judged yet.
            self.eligible_target += 1
            self.within_target += human is not None and wait <= RESPONSE_TARGET

    @property
    def median_seconds(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def hour_share(self) -> float | None:
        return self.within_hour / self.eligible_hour if self.eligible_hour else None

    @property
    def response_rate(self) -> float | None:
        """The marketplaces' chat response rate: personal replies within 12 hours."""
        return self.within_target / self.eligible_target if self.eligible_target else None


@dataclass
class ChatPerformance:
    overall: ChatStats
    by_channel: dict[str, ChatStats]
    by_day: list[tuple[datetime.date, ChatStats]]
    since: datetime.datetime


def chat_performance(
    *, shop: Shop, days: int = 14, now: datetime.datetime | None = None
) -> ChatPerformance:
    """Median first personal reply, share within an hour and the 12-hour response rate, overall,
    per channel and per Jakarta day, over the last ``days`` days. Automatic replies never count
    as answered (marketplaces ignore them)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    overall = ChatStats()
    by_channel: dict[str, ChatStats] = defaultdict(ChatStats)
    by_day: dict[datetime.date, ChatStats] = defaultdict(ChatStats)
    rows = (
        ChatQuestion.objects.for_shop(shop)
        .filter(received_at__gt=since, received_at__lte=now)
        .values_list("channel", "received_at", "human_responded_at", "response_automatic")
        .iterator(chunk_size=2000)
    )
    for channel, received, human, automatic in rows:
        auto_only = bool(automatic) and human is None
        for stats in (overall, by_channel[channel], by_day[timezone.localdate(received)]):
            stats.add(received, human, auto_only, now)
    return ChatPerformance(
        overall=overall,
        by_channel=dict(sorted(by_channel.items())),
        by_day=sorted(by_day.items(), reverse=True),
        since=since,
    )


def chat_due_soon(
    *, shop: Shop, now: datetime.datetime | None = None, within: datetime.timedelta = DUE_SOON
) -> list[ChatQuestion]:
    """Unanswered questions whose 12 hours run out within ``within``, most urgent first."""
    now = now or timezone.now()
    oldest = now - RESPONSE_TARGET  # already missed
    newest = now - RESPONSE_TARGET + within
    questions = list(
        ChatQuestion.objects.for_shop(shop)
        .unanswered()
        .filter(received_at__gt=oldest, received_at__lte=newest)
        .select_related("buyer", "product")
        .order_by("received_at", "pk")
    )
    for question in questions:
        question.deadline = question.received_at + RESPONSE_TARGET
        question.minutes_left = int((question.deadline - now).total_seconds() // 60)
    return questions


def sold_out_questions(
    *, shop: Shop, days: int = 30, now: datetime.datetime | None = None, minimum: int = 2
) -> list[dict[str, Any]]:
    """Products asked about again and again while sold out: their pages need a clearer label."""
    now = now or timezone.now()
    rows = (
        ChatQuestion.objects.for_shop(shop)
        .filter(
            product__isnull=False,
            product_sold_out=True,
            received_at__gt=now - datetime.timedelta(days=days),
        )
        .values("product_id", "product__name", "product__sku", "product__stock")
        .annotate(questions=Count("pk"))
        .filter(questions__gte=minimum)
        .order_by("-questions", "product__name")
    )
    return list(rows)
