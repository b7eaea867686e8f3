"""Daily rollups behind the care dashboard: one row per shop, Jakarta day and breakdown.

A dashboard over 90 days of a shop with a million orders would otherwise group hundreds of
thousands of rows on every visit. insights.rollup fills these tables (a django-q2 schedule every
10 minutes, and the dashboard's refresh button); insights.selectors reads whole days before the
rollup's ``through`` day from here and everything since live, so a day the rollup has not
reached yet is never missing. Each count is what the live query counts for that day (tests hold
the equality).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Channel
from customers.models import Courier, Shop


class ReviewDay(models.Model):
    """The reviews posted on ``day`` with one channel, rating and care flag, and what followed."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="review_days")
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    rating = models.PositiveSmallIntegerField(_("rating"))
    needs_care = models.BooleanField(_("needs care"))
    reviews = models.PositiveIntegerField(_("reviews"), default=0)
    replied = models.PositiveIntegerField(_("reply sent"), default=0)
    quick = models.PositiveIntegerField(_("reply sent within 24 hours"), default=0)
    cared = models.PositiveIntegerField(_("care follow-up sent"), default=0)
    again = models.PositiveIntegerField(_("ordered again within 60 days"), default=0)
    cared_again = models.PositiveIntegerField(_("care sent and ordered again"), default=0)

    class Meta:
        ordering = ["shop", "day"]
        verbose_name = _("review day")
        verbose_name_plural = _("review days")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "channel", "rating", "needs_care"],
                name="insights_reviewday_unique",
            )
        ]
        # The unique constraint's index (shop, day, ...) serves the dashboard's range reads.

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.channel} {self.rating}★: {self.reviews}"


class DeliveryDay(models.Model):
    """The orders delivered on ``day`` with one channel and courier that had a promised date."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="delivery_days")
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    courier = models.CharField(_("courier"), max_length=20, choices=Courier.choices, blank=True)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    delay_days = models.PositiveIntegerField(_("days late, summed"), default=0)
    late_cared = models.PositiveIntegerField(_("late, apology sent"), default=0)
    late_again = models.PositiveIntegerField(_("late, ordered again within 60 days"), default=0)
    late_cared_again = models.PositiveIntegerField(_("late, apology and ordered again"), default=0)

    class Meta:
        ordering = ["shop", "day"]
        verbose_name = _("delivery day")
        verbose_name_plural = _("delivery days")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "channel", "courier"], name="insights_deliveryday_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.channel} {self.courier}: {self.delivered}"


class FollowUpDay(models.Model):
    """The follow-ups created on ``day`` for one marketplace, kind, status and skip reason."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="followup_days")
    day = models.DateField(_("day"))
    marketplace = models.CharField(
        _("marketplace"), max_length=20, choices=Channel.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20)
    status = models.CharField(_("status"), max_length=10)
    skip_reason = models.CharField(_("skip reason"), max_length=20, blank=True)
    followups = models.PositiveIntegerField(_("follow-ups"), default=0)

    class Meta:
        ordering = ["shop", "day"]
        verbose_name = _("follow-up day")
        verbose_name_plural = _("follow-up days")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "marketplace", "kind", "status", "skip_reason"],
                name="insights_followupday_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.kind} {self.status}: {self.followups}"


class OrderDay(models.Model):
    """The orders placed on ``day`` on one channel (the rejection counter's denominator)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="order_days")
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    orders = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        ordering = ["shop", "day"]
        verbose_name = _("order day")
        verbose_name_plural = _("order days")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "channel"], name="insights_orderday_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.channel}: {self.orders}"


class RollupState(models.Model):
    """How far a shop's rollup reaches: every day before ``through`` is in the tables."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="rollup_state")
    through = models.DateField(_("complete before"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    # Rows changed after this moment may belong to days already rolled up (see rollup.py).
    seen_until = models.DateTimeField(_("changes seen until"), null=True, blank=True)
    took_ms = models.PositiveIntegerField(_("last refresh took (ms)"), default=0)
    # The behaviour segments' sizes (loyal, at risk, dormant, new) as counted at
    # ``segments_at``: counting them reads every buyer's orders and reviews.
    segments = models.JSONField(_("segment sizes"), default=dict, blank=True)
    segments_at = models.DateTimeField(_("segments counted at"), null=True, blank=True)

    class Meta:
        ordering = ["shop"]
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return f"{self.shop_id} through {self.through}"
