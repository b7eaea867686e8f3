"""The review list's filters and the query they drive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.models import Channel
from customers.models import Shop
from reviews.models import Review

RATING_CHOICES = [(str(n), "★" * n) for n in range(5, 0, -1)]
YES_NO_ANY = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _select(choices: list[tuple[str, Any]], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


class ReviewFilterForm(forms.Form):
    """Filters read from the query string; a value that is not valid is ignored."""

    rating = _select([("", _("Any rating")), *RATING_CHOICES], _("Rating"))
    channel = _select([("", _("Any channel")), *Channel.choices], _("Channel"))
    needs_care = _select(
        [("", _("Complaint or not")), ("yes", _("Needs care")), ("no", _("No complaint"))],
        _("Needs care"),
    )
    replied = _select(
        [("", _("Replied or not")), ("no", _("Waiting for a reply")), ("yes", _("Replied"))],
        _("Reply"),
    )
    buyer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for review_list."""
        self.is_valid()
        cleaned = self.cleaned_data
        result: dict[str, Any] = {}
        if cleaned.get("rating"):
            result["rating"] = int(cleaned["rating"])
        if cleaned.get("channel"):
            result["channel"] = cleaned["channel"]
        if cleaned.get("needs_care"):
            result["needs_care"] = cleaned["needs_care"] == "yes"
        if cleaned.get("replied"):
            result["replied"] = cleaned["replied"] == "yes"
        if cleaned.get("buyer"):
            result["buyer"] = cleaned["buyer"]
        return result


def review_list(
    *,
    shop: Shop,
    rating: int | None = None,
    channel: str = "",
    needs_care: bool | None = None,
    replied: bool | None = None,
    buyer: int | None = None,
) -> QuerySet[Review]:
    """The shop's reviews, newest first, order and buyer joined in (one query per page).

    "Replied" means the reply was sent; a drafted reply still waits.
    """
    reviews = Review.objects.for_shop(shop)
    if rating:
        reviews = reviews.filter(rating=rating)
    if channel:
        reviews = reviews.filter(channel=channel)
    if needs_care is not None:
        reviews = reviews.filter(needs_care=needs_care)
    if replied is True:
        reviews = reviews.filter(reply_status=Review.ReplyStatus.SENT)
    elif replied is False:
        reviews = reviews.exclude(reply_status=Review.ReplyStatus.SENT)
    if buyer:
        reviews = reviews.filter(order__buyer_id=buyer)
    return reviews.select_related("order__buyer").order_by("-posted_at", "-pk")
