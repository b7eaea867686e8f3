"""The review inbox: what to answer first, and the filters a seller narrows it with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, When
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


def review_inbox(
    *,
    shop: Shop,
    rating: int | None = None,
    topic: str = "",
    channel: str = "",
    replied: bool | None = None,
) -> QuerySet[Review]:
    """The shop's reviews, those needing care first, then by priority, then newest.

    Order, buyer and the order's first product come along: a page costs two queries (rows and
    lines) however many reviews it shows.
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
    return (
        reviews.select_related("order__buyer")
        .prefetch_related(
            Prefetch("order__lines", queryset=OrderLine.objects.select_related("product"))
        )
        .annotate(
            # Care still owed comes first; a review the seller already answered drops down.
            care_waiting=Case(
                When(Q(needs_care=True) & ~Q(reply_status=Review.ReplyStatus.SENT), then=1),
                default=0,
                output_field=IntegerField(),
            ),
            # Within it, buyers who liked the product and minded only the late delivery lead
            # ("good product, slow courier", 4 stars or more): a seller is tempted to skip them
            # because the rating looks fine, yet the apology drafted from the order's own facts
            # takes seconds to send and keeps them. The rest follow by priority.
            delay_ready=Case(
                When(
                    Q(care_waiting=1) & Q(action="delay_explanation") & Q(rating__gte=4), then=1
                ),
                default=0,
                output_field=IntegerField(),
            ),
        )
        .order_by("-care_waiting", "-delay_ready", "-priority", "-posted_at", "-pk")
    )
