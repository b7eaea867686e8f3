"""Buyer segments: who is loyal, at risk, dormant or new, and who is in each tier or tag.

A segment is a filtered queryset of the shop's buyers (``segment_buyers``), so the list page,
the CSV export and the loyalty touch all read exactly the same buyers. Counts of every segment
come from a fixed number of grouped queries (``segment_counts``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from customers.models import Buyer, Shop, Tag
from customers.selectors import buyers_with_stats
from followups.models import BuyerTier, MembershipTier
from reviews.models import Review

LOYAL_ORDERS = 3
AT_RISK_RATING = 3
DORMANT_DAYS = 90
NEW_DAYS = 30
# How old the stored behaviour counts may be (the rollup job stores them every 10 minutes).
SEGMENTS_FRESH = datetime.timedelta(minutes=15)

BEHAVIOURS: dict[str, tuple[Promise, Promise]] = {
    "loyal": (_("Loyal"), _("3 or more orders")),
    "at_risk": (
        _("At risk"),
        _("Last review 3 stars or less, or a complaint still without a reply"),
    ),
    "dormant": (_("Dormant"), _("No order for 90 days")),
    "new": (_("New"), _("First order in the last 30 days")),
}


class UnknownSegment(LookupError):
    """The segment key names no segment of this shop."""


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    description: str
    count: int | None = None


def _conditions(now: datetime.datetime) -> dict[str, Q]:
    """Each behaviour as a condition on buyers annotated by ``_annotate``."""
    return {
        "loyal": Q(order_count__gte=LOYAL_ORDERS),
        "at_risk": Q(last_rating__lte=AT_RISK_RATING) | Q(open_complaint=True),
        "dormant": Q(last_order_at__lt=now - datetime.timedelta(days=DORMANT_DAYS)),
        "new": Q(first_order_at__gte=now - datetime.timedelta(days=NEW_DAYS)),
    }


def _annotate(buyers: QuerySet[Buyer]) -> QuerySet[Buyer]:
    """Order stats (Buyer.objects.with_stats) plus the last rating and open complaints."""
    return _extra(buyers.with_stats())  # type: ignore[attr-defined]


def segment_buyers(
    *, shop: Shop, segment: str, now: datetime.datetime | None = None, details: bool = True
) -> QuerySet[Buyer]:
    """The shop's buyers in ``segment`` ("loyal", "at_risk", "dormant", "new", "tier-<id>",
    "tag-<id>"), by name, with their order stats. ``details`` prefetches handles and tags for
    showing (two more queries). UnknownSegment for anything else, or another shop's tier/tag."""
    now = now or timezone.now()
    plain = Buyer.objects.for_shop(shop).with_stats()  # type: ignore[attr-defined]
    buyers = _extra(buyers_with_stats(shop=shop) if details else plain)
    if segment in BEHAVIOURS:
        return buyers.filter(_conditions(now)[segment]).order_by("name", "pk")
    kind, _sep, raw = segment.partition("-")
    if not raw.isdigit():
        raise UnknownSegment(segment)
    if kind == "tier" and MembershipTier.objects.for_shop(shop).filter(pk=raw).exists():
        return buyers.filter(tier_state__tier_id=int(raw)).order_by("name", "pk")
    if kind == "tag" and Tag.objects.for_shop(shop).filter(pk=raw).exists():
        return buyers.filter(tags=int(raw)).order_by("name", "pk")
    raise UnknownSegment(segment)


def _extra(buyers: QuerySet[Buyer]) -> QuerySet[Buyer]:
    """The last review's rating and whether a complaint still waits for a reply."""
    reviews = Review.objects.filter(order__buyer=OuterRef("pk"))
    return buyers.annotate(
        last_rating=Subquery(reviews.order_by("-posted_at", "-pk").values("rating")[:1]),
        open_complaint=Exists(
            reviews.filter(needs_care=True).exclude(reply_status=Review.ReplyStatus.SENT)
        ),
    )


def segment_get(*, shop: Shop, segment: str) -> Segment:
    """The label and description of one segment (UnknownSegment when there is none)."""
    if segment in BEHAVIOURS:
        label, description = BEHAVIOURS[segment]
        return Segment(key=segment, label=str(label), description=str(description))
    kind, _sep, raw = segment.partition("-")
    if raw.isdigit() and kind == "tier":
        tier = MembershipTier.objects.for_shop(shop).filter(pk=raw).first()
        if tier is not None:
            return Segment(
                key=segment,
                label=str(_("Tier: %(name)s") % {"name": tier.name}),
                description=str(
                    _("Buyers whose membership tier is %(name)s") % {"name": tier.name}
                ),
            )
    if raw.isdigit() and kind == "tag":
        tag = Tag.objects.for_shop(shop).filter(pk=raw).first()
        if tag is not None:
            return Segment(
                key=segment,
                label=str(_("Tag: %(name)s") % {"name": tag.name}),
                description=str(_("Buyers tagged %(name)s") % {"name": tag.name}),
            )
    raise UnknownSegment(segment)


def segment_behaviour_counts(*, shop: Shop, now: datetime.datetime) -> dict[str, int]:
    """The size of each behaviour segment, counted live: one aggregate over every buyer's
    orders and reviews (seconds for 100,000 buyers; the rollup job stores it)."""
    conditions = _conditions(now)
    return _annotate(Buyer.objects.for_shop(shop)).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )


def segment_behaviour_counts_cached(*, shop: Shop, now: datetime.datetime) -> dict[str, int] | None:
    """The sizes the rollup job stored (insights.rollup) if counted less than
    ``SEGMENTS_FRESH`` ago, else None: a sale or a reply moves a buyer at the next count."""
    from insights.models import RollupState

    state = RollupState.objects.filter(shop=shop).only("segments", "segments_at").first()
    if state is None or state.segments_at is None or set(state.segments) != set(BEHAVIOURS):
        return None
    if not now - SEGMENTS_FRESH <= state.segments_at <= now:
        return None
    return state.segments


def segment_counts(*, shop: Shop, now: datetime.datetime | None = None) -> dict[str, list[Segment]]:
    """Every segment of the shop with its size: four queries whatever the shop's size (the
    behaviours' sizes stored by the rollup job, or one aggregate when there are none; tiers and
    their counts; tags with their counts)."""
    now = now or timezone.now()
    counts = segment_behaviour_counts_cached(shop=shop, now=now)
    if counts is None:
        counts = segment_behaviour_counts(shop=shop, now=now)
    behaviours = [
        Segment(key=key, label=str(label), description=str(description), count=counts[key])
        for key, (label, description) in BEHAVIOURS.items()
    ]
    per_tier = dict(
        BuyerTier.objects.for_shop(shop)
        .filter(tier__isnull=False)
        .values("tier_id")
        .annotate(n=Count("pk"))
        .values_list("tier_id", "n")
        .order_by()
    )
    tiers = [
        Segment(
            key=f"tier-{tier.pk}",
            label=tier.name,
            description=str(
                _("From %(orders)s orders or Rp %(spend)s")
                % {"orders": tier.min_orders, "spend": f"{tier.min_spend:,}".replace(",", ".")}
            ),
            count=per_tier.get(tier.pk, 0),
        )
        for tier in MembershipTier.objects.for_shop(shop).order_by("rank")
    ]
    # Each tag's size counted on the (tag) index of the tag links alone: a join would read
    # every link's row, which at 100,000 tagged buyers is most of the page's time.
    tagged = (
        Buyer.tags.through.objects.filter(tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("*"))
        .values("n")
    )
    tags = [
        Segment(key=f"tag-{tag.pk}", label=tag.name, description="", count=tag.n)
        for tag in Tag.objects.for_shop(shop)
        .annotate(n=Coalesce(Subquery(tagged), 0))
        .order_by("name")
    ]
    return {"behaviours": behaviours, "tiers": tiers, "tags": tags}
