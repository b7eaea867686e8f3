"""Buyers' reviews of their orders, and the seller's reply to each."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Channel, TimeStampedModel
from customers.models import Order, Shop, ShopScopedQuerySet


class Review(TimeStampedModel):
    class ReplyStatus(models.TextChoices):
        NONE = "none", _("Not replied")
        DRAFTED = "drafted", _("Draft ready")
        SENT = "sent", _("Replied")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reviews")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reviews")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_id = models.CharField(_("review id on the channel"), max_length=64, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("text"), blank=True)
    posted_at = models.DateTimeField(_("posted at"))

    # Triage (filled by reviews.triage when the review is created or imported).
    topics = models.JSONField(_("topics"), default=list, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    needs_care = models.BooleanField(_("needs care"), default=False)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    action = models.CharField(_("recommended action"), max_length=24, blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)

    # The seller's public reply.
    reply_status = models.CharField(
        _("reply status"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.NONE
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_review_rating_1_5"
            ),
        ]
        indexes = [
            # Inbox: the shop's reviews needing care, highest priority and newest first; action
            # and rating ride along so the tiers' conditions are checked without reading rows.
            models.Index(
                fields=[
                    *("shop", "needs_care", "reply_status"),
                    *("-priority", "-posted_at", "-id", "action", "rating"),
                ],
                name="reviews_review_inbox",
            ),
            # Review list: the shop's newest reviews.
            models.Index(fields=["shop", "-posted_at"], name="reviews_review_shop_posted"),
            # Dashboard and inbox counts: reviews still waiting for a reply, by care flag,
            # rating and recommended action, counted from the index alone (the dashboard's
            # 4-star complaints are one equality range).
            models.Index(
                fields=["shop", "reply_status", "needs_care", "rating", "action"],
                name="reviews_review_waiting",
            ),
            # Inbox, first tier: complaints about a late delivery only, in priority order; the
            # rating is in the index so the tier's "4 stars or more" is checked without
            # reading the rows.
            models.Index(
                fields=[
                    *("shop", "needs_care", "reply_status", "action"),
                    *("-priority", "-posted_at", "-id", "rating"),
                ],
                name="reviews_review_inbox_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.order}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def buyer(self):
        return self.order.buyer

    def save(self, *args: object, **kwargs: object) -> None:
        if self.order_id and not self.shop_id:
            self.shop_id = self.order.shop_id
        if self.order_id and not self.channel:
            self.channel = self.order.channel
        super().save(*args, **kwargs)  # type: ignore[arg-type]


# --- Replies: the shop's templates, its offer, and what the tone guard changed -----------------


class ReplyAction(models.TextChoices):
    """The recommended actions triage picks; one reply template per action and language."""

    THANK = "thank", _("Thank")
    APOLOGY_EXPLAIN = "apology_explain", _("Apologise and explain")
    DELAY_EXPLANATION = "delay_explanation", _("Explain the delay")
    REPLACE_OR_REFUND = "replace_or_refund", _("Replace or refund")
    ASK_DETAILS = "ask_details", _("Ask for details")


class ReplyLanguage(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")


class ReplyTemplate(TimeStampedModel):
    """A shop's reply text for one situation in one language, with {placeholders}.

    The defaults in ``reviews.reply_defaults`` are copied for a shop on first use; sellers and
    managers edit them. ``body`` is validated by ``reviews.templating.template_validate``.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reply_templates")
    action = models.CharField(_("situation"), max_length=24, choices=ReplyAction.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=ReplyLanguage.choices, default=ReplyLanguage.INDONESIAN
    )
    body = models.TextField(_("text"))

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "action", "language"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "action", "language"], name="reviews_replytemplate_unique_situation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.language})"

    def clean(self) -> None:
        from reviews.templating import template_validate

        super().clean()
        try:
            template_validate(self.body)
        except ValidationError as error:
            raise ValidationError({"body": error.error_list}) from None


class ShopReplySettings(TimeStampedModel):
    """What a shop offers in its apologies ({offer} in the templates)."""

    class Offer(models.TextChoices):
        NONE = "none", _("Nothing")
        VOUCHER = "voucher", _("A voucher")
        FREE_SHIPPING = "free_shipping", _("Free shipping on the next order")
        EXCHANGE = "exchange", _("A free exchange")
        CUSTOM = "custom", _("My own wording")

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="reply_settings")
    offer = models.CharField(
        _("offer in apologies"), max_length=16, choices=Offer.choices, default=Offer.NONE
    )
    voucher_amount = models.PositiveIntegerField(_("voucher amount (Rp)"), default=0)
    voucher_code = models.CharField(_("voucher code"), max_length=30, blank=True)
    custom_offer_id = models.CharField(
        _("own wording (Indonesian)"),
        max_length=200,
        blank=True,
        help_text=_("Completes “Sebagai permintaan maaf, kami berikan …”."),
    )
    custom_offer_en = models.CharField(
        _("own wording (English)"),
        max_length=200,
        blank=True,
        help_text=_("Completes “As an apology, we would like to offer you …”."),
    )

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop"]
        verbose_name = _("reply settings")
        verbose_name_plural = _("reply settings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(offer="voucher") | Q(voucher_amount__gt=0),
                name="reviews_shopreplysettings_voucher_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop}: {self.get_offer_display()}"


class ToneEvent(models.Model):
    """What a seller did after the tone guard warned about a reply: the guard's effect, counted.

    ``verdict`` and ``findings`` are the guard's warning; ``final_verdict`` is the tone of what
    was finally sent (empty when the seller cancelled).
    """

    class Outcome(models.TextChoices):
        EDITED = "edited", _("Edited after the warning")
        CANCELLED = "cancelled", _("Cancelled")
        OVERRODE = "overrode", _("Sent despite a hostile verdict")
        KEPT = "kept", _("Sent despite a caution")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="tone_events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tone_events",
        verbose_name=_("user"),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tone_events",
        verbose_name=_("review"),
    )
    verdict = models.CharField(_("warning"), max_length=10)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    warned_text = models.TextField(_("text warned about"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    final_verdict = models.CharField(_("verdict of the sent text"), max_length=10, blank=True)
    final_text = models.TextField(_("text sent"), blank=True)
    reason = models.TextField(_("override reason"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tone guard event")
        verbose_name_plural = _("tone guard events")
        indexes = [
            # Dashboard: a shop's guard outcomes over a date range.
            models.Index(
                fields=["shop", "outcome", "-created_at"], name="reviews_toneevent_outcome"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="overrode") | ~Q(reason=""),
                name="reviews_toneevent_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.verdict})"
