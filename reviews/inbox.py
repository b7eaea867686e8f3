"""The review inbox: what to answer first, and the filters a seller narrows it with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.models import Channel
from customers.models import OrderLine, Shop
from reviews.models import Review

# The triage topics (issue 3), with the labels the inbox shows on badges.
TOPIC_LABELS: dict[str, Any] = {
    "delivery_delay": _("Late delivery"),
    "courier_service": _("Courier service"),
    "product_quality": _("Quality"),
    "damaged": _("Damaged"),
    "wrong_item": _("Wrong item"),
    "missing_item": _("Missing item"),
    "packaging": _("Packaging"),
    "size_fit": _("Size / fit"),
    "stock": _("Stock"),
    "seller_response": _("Seller response"),
    "price": _("Price"),
    "other": _("Other"),
}


def _select(choices: list[tuple[str, Any]], label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm w-auto", "data-autosubmit": ""}
        ),
    )


class InboxFilterForm(forms.Form):
    """Filters read from the query string; an invalid value is ignored, never an error page."""

    rating = _select(
        [("", _("Any rating")), *[(str(n), "★" * n) for n in range(5, 0, -1)]], _("Rating")
    )
    topic = _select([("", _("Any topic")), *TOPIC_LABELS.items()], _("Topic"))
    channel = _select([("", _("Any channel")), *Channel.choices], _("Channel"))
    replied = _select(
        [("", _("Any")), ("no", _("Waiting for a reply")), ("yes", _("Replied"))], _("Reply")
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        result: dict[str, Any] = {}
        if cleaned.get("rating"):
            result["rating"] = int(cleaned["rating"])
        if cleaned.get("topic"):
            result["topic"] = cleaned["topic"]
        if cleaned.get("channel"):
            result["channel"] = cleaned["channel"]
        if cleaned.get("replied"):
            result["replied"] = cleaned["replied"] == "yes"
        return result


class InboxRows:
    """The inbox in its order, as a sequence a Paginator can page through cheaply.

    The order has three tiers: complaints still waiting whose buyer liked the product and
    minded only the late delivery (4 stars or more, "delay_explanation"), then the other
    complaints still waiting, then everything else; within a tier, highest priority, newest
    first. Sorting a whole shop by such computed ranks reads and sorts every review, so each
    tier is split into slices the indexes already keep in order (one reply status, one care
    flag): a page reads the ids and sort keys of the first rows of each slice from the index,
    merges them, and loads the page's reviews by id. Queries per page, whatever the shop's size
    and whichever page: three counts, eight id lists, the page's rows and their order lines.

    ``needs_care__in=[True]``, not ``needs_care=True``: Django writes the latter for SQLite as a
    bare ``WHERE needs_care``, which no index can seek on.
    """

    def __init__(self, reviews: QuerySet[Review]) -> None:
        self.reviews = reviews
        waiting = [s for s in Review.ReplyStatus.values if s != Review.ReplyStatus.SENT]
        delay = Q(action="delay_explanation", rating__gte=4)
        care = [reviews.filter(needs_care__in=[True], reply_status=s) for s in waiting]
        self.tiers = [
            [qs.filter(delay) for qs in care],
            [qs.exclude(delay) for qs in care],
            [
                *(
                    reviews.filter(needs_care__in=[False], reply_status=s)
                    for s in Review.ReplyStatus.values
                ),
                reviews.filter(needs_care__in=[True], reply_status=Review.ReplyStatus.SENT),
            ],
        ]
        self._count: int | None = None
        self._sizes: list[int] | None = None

    def sizes(self) -> list[int]:
        if self._sizes is None:
            waiting = [s for s in Review.ReplyStatus.values if s != Review.ReplyStatus.SENT]
            care = self.reviews.filter(needs_care__in=[True], reply_status__in=waiting)
            total = self.reviews.count()
            cared = care.count()
            ready = care.filter(action="delay_explanation", rating__gte=4).count()
            self._sizes = [ready, cared - ready, total - cared]
        return self._sizes

    def count(self) -> int:
        return sum(self.sizes())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Review]:
        if not isinstance(index, slice):
            raise TypeError("InboxRows pages by slices")
        start, stop = index.start or 0, index.stop
        picked: list[int] = []
        offset = 0
        for tier, size in zip(self.tiers, self.sizes(), strict=True):
            # Every slice is read even when the page does not reach its tier (one cheap row),
            # so a page always runs the same queries.
            want_from = max(start - offset, 0)
            want_to = min(max(stop - offset, 0), size)
            take = max(want_to, 1)
            keys = []
            for queryset in tier:
                keys += queryset.order_by("-priority", "-posted_at", "-pk").values_list(
                    "priority", "posted_at", "pk"
                )[:take]
            keys.sort(reverse=True)
            picked += [pk for _p, _at, pk in keys[want_from:want_to]]
            offset += size
        rows = {
            review.pk: review
            for review in self.reviews.filter(pk__in=picked)
            .select_related("order__buyer")
            .prefetch_related(
                Prefetch("order__lines", queryset=OrderLine.objects.select_related("product"))
            )
        }
        return [rows[pk] for pk in picked if pk in rows]


def review_inbox(
    *,
    shop: Shop,
    rating: int | None = None,
    topic: str = "",
    channel: str = "",
    replied: bool | None = None,
) -> InboxRows:
    """The shop's reviews, those needing care first, then by priority, then newest
    (see InboxRows for the order and its cost).

    Order, buyer and the order's lines come along with the page's reviews.
    """
    reviews = Review.objects.for_shop(shop)
    if rating:
        reviews = reviews.filter(rating=rating)
    if topic:
        # topics is a JSON list of codes; matching the quoted code works on SQLite and
        # PostgreSQL alike (JSON containment is not available on SQLite).
        reviews = reviews.filter(topics__icontains=f'"{topic}"')
    if channel:
        reviews = reviews.filter(channel=channel)
    if replied is True:
        reviews = reviews.filter(reply_status=Review.ReplyStatus.SENT)
    elif replied is False:
        reviews = reviews.exclude(reply_status=Review.ReplyStatus.SENT)
    return InboxRows(reviews)
