"""Follow-ups: planned messages to one buyer, the shop's care rules, tiers and courier slow-downs.

A FollowUp moves through planned -> due -> (sending ->) sent, or ends skipped (with a reason),
cancelled or failed. Messages that need the seller's eyes first wait in ``held``. The
``idempotency_key`` names the occasion ("late_apology:<order id>", "holiday:2027-03-10:<buyer id>")
and is unique per shop, so planning twice can never produce two messages for one occasion.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.models import Channel, TimeStampedModel
from customers.models import Buyer, Courier, Order, Product, Shop, ShopScopedQuerySet
from customers.phones import wa_number
from reviews.models import Review


class Kind(models.TextChoices):
    LATE_APOLOGY = "late_apology", _("Late delivery apology")
    DELAY_NOTICE = "delay_notice", _("Delay heads-up")
    THANK_YOU = "thank_you", _("Thank-you")
    REVIEW_REQUEST = "review_request", _("Review request")
    CARE = "care", _("Care follow-up")
    RESTOCK = "restock", _("Back in stock")
    BIRTHDAY = "birthday", _("Birthday")
    HOLIDAY = "holiday", _("Holiday greeting")
    HARBOLNAS = "harbolnas", _("Harbolnas greeting")
    TIER_UP = "tier_up", _("New membership tier")
    WINBACK = "winback", _("Win-back")
    ANNIVERSARY = "anniversary", _("First-purchase anniversary")
    SEGMENT_TOUCH = "segment_touch", _("Loyalty touch to a segment")


# Messages about an order (or one the buyer asked for) are exempt from the marketing cap and
# need no marketing consent; everything else is a marketing touch.
SERVICE_KINDS = frozenset(
    {
        Kind.LATE_APOLOGY,
        Kind.DELAY_NOTICE,
        Kind.THANK_YOU,
        Kind.REVIEW_REQUEST,
        Kind.CARE,
        Kind.RESTOCK,
    }
)
MARKETING_KINDS = frozenset(set(Kind) - SERVICE_KINDS)
# Follow-ups that answer a problem; the outcome report compares their buyers with others.
CARE_KINDS = frozenset({Kind.LATE_APOLOGY, Kind.CARE, Kind.DELAY_NOTICE})


class SkipReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("The buyer opted out of messages.")
    NO_CONSENT = "no_consent", _("The buyer has not agreed to marketing messages.")
    NO_CHANNEL = "no_channel", _("No email, WhatsApp number or marketplace chat for this buyer.")
    MARKETING_CAP = (
        "marketing_cap",
        _("The buyer already got a marketing message in the last days (one per week at most)."),
    )
    RULE_OFF = "rule_off", _("The shop turned this rule off.")
    STALE = "stale", _("The occasion passed before the message could go out.")
    ALREADY_REVIEWED = "already_reviewed", _("The buyer already left a review.")
    NOT_LATE = "not_late", _("The order is no longer late.")
    ORDER_CLOSED = "order_closed", _("The order was cancelled or returned.")
    BY_SELLER = "by_seller", _("Skipped by the seller.")


class FollowUpQuerySet(ShopScopedQuerySet):
    def pending(self) -> FollowUpQuerySet:
        """Not finished yet: planned, held for approval, or due."""
        return self.filter(
            status__in=[FollowUp.Status.PLANNED, FollowUp.Status.HELD, FollowUp.Status.DUE]
        )


# What needs the seller in the outbox: due, held for approval, failed. The outbox's query and
# its partial index (FollowUp.Meta) must use this same list, in this order (SQLite matches the
# index's condition term by term).
TODO_STATUSES = ["due", "held", "failed"]


class FollowUp(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Needs approval")
        DUE = "due", _("Due")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    class Via(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", "WhatsApp"
        MARKETPLACE = "marketplace", _("Marketplace chat")
        NONE = "none", _("No channel")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="followups")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="followups")
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="followups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Via.choices)
    marketplace = models.CharField(
        _("marketplace"), max_length=20, choices=Channel.choices, blank=True
    )
    recipient = models.CharField(
        _("recipient"), max_length=254, blank=True, help_text=_("Email, phone or chat handle.")
    )
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    skip_reason = models.CharField(
        _("skip reason"), max_length=20, choices=SkipReason.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML body"), blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    tone_verdict = models.CharField(_("tone"), max_length=10, blank=True)
    tone_findings = models.JSONField(_("tone findings"), default=list, blank=True)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups_sent",
        verbose_name=_("sent by"),
    )
    idempotency_key = models.CharField(_("occasion"), max_length=120)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "idempotency_key"], name="followups_followup_unique_occasion"
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="followups_followup_skip_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="followups_followup_sent_has_time",
            ),
        ]
        indexes = [
            # Outbox and sender: a status's messages, oldest due first.
            models.Index(fields=["status", "due_at"], name="followups_status_due"),
            # Outbox per shop with filters.
            models.Index(fields=["shop", "status", "due_at"], name="followups_shop_status_due"),
            # Outbox, "to do" (the default) and "all": a page of a shop's messages by due time
            # read in order, with no sort of every matching row.
            models.Index(
                fields=["shop", "due_at", "id"],
                condition=Q(status__in=TODO_STATUSES),
                name="followups_shop_todo_due",
            ),
            models.Index(fields=["shop", "due_at", "id"], name="followups_shop_due"),
            # Outbox tab "sent in the last 7 days", counted from the index alone.
            models.Index(fields=["shop", "status", "sent_at"], name="followups_shop_sent"),
            # Marketing cap and buyer page: one buyer's messages by time.
            models.Index(fields=["buyer", "-due_at"], name="followups_buyer_due"),
            # Insights: outcomes of the follow-ups created in a date range, counted from the
            # index alone.
            models.Index(
                fields=["shop", "created_at", "kind", "status", "skip_reason"],
                name="followups_shop_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.buyer_id} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("followups:followup_detail", args=[self.pk])

    @property
    def is_marketing(self) -> bool:
        return self.kind in MARKETING_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.HELD, self.Status.DUE)

    @property
    def wa_link(self) -> str:
        """The wa.me click-to-chat link with the text prefilled (the seller presses send)."""
        return f"https://wa.me/{wa_number(self.recipient)}?text={quote(self.text)}"

    @property
    def skip_reason_text(self) -> str:
        return SkipReason(self.skip_reason).label if self.skip_reason else ""


class ChannelOrder(models.TextChoices):
    EMAIL_FIRST = "email,whatsapp,marketplace", _("Email, then WhatsApp, then marketplace chat")
    WHATSAPP_FIRST = "whatsapp,email,marketplace", _("WhatsApp, then email, then marketplace chat")
    MARKETPLACE_FIRST = (
        "marketplace,whatsapp,email",
        _("Marketplace chat, then WhatsApp, then email"),
    )


def _default_holidays() -> list[str]:
    from followups.occasions import DEFAULT_HOLIDAY_KEYS

    return list(DEFAULT_HOLIDAY_KEYS)


class CareSettings(TimeStampedModel):
    """One shop's care rules: each rule's switch and delays, and the guardrails."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="care_settings")
    channel_order = models.CharField(
        _("channel preference"),
        max_length=40,
        choices=ChannelOrder.choices,
        default=ChannelOrder.MARKETPLACE_FIRST,
        help_text=_("Messages about a marketplace order prefer that marketplace's chat."),
    )
    late_apology_enabled = models.BooleanField(_("apologise for late deliveries"), default=True)
    delay_notice_enabled = models.BooleanField(_("warn before courier slow-downs"), default=True)
    delay_notice_lead_days = models.PositiveSmallIntegerField(
        _("days ahead to warn about a slow-down"), default=3
    )
    thank_you_enabled = models.BooleanField(_("thank buyers after delivery"), default=True)
    thank_you_days = models.PositiveSmallIntegerField(_("days after delivery"), default=2)
    review_request_enabled = models.BooleanField(_("ask for a review"), default=True)
    review_request_days = models.PositiveSmallIntegerField(
        _("days after delivery to ask for a review"), default=7
    )
    care_enabled = models.BooleanField(
        _("draft a care message for reviews that need care"), default=True
    )
    care_auto_send = models.BooleanField(
        _("send care messages without approval"),
        default=False,
        help_text=_("Off: care messages wait in the outbox for your approval."),
    )
    restock_enabled = models.BooleanField(_("tell waiting buyers about restocks"), default=True)
    birthday_enabled = models.BooleanField(_("birthday greetings"), default=True)
    holiday_enabled = models.BooleanField(_("holiday greetings"), default=True)
    holiday_keys = models.JSONField(_("holidays to greet"), default=_default_holidays, blank=True)
    harbolnas_enabled = models.BooleanField(_("Harbolnas 11.11 and 12.12 greetings"), default=True)
    tiers_enabled = models.BooleanField(_("membership tiers"), default=True)
    winback_enabled = models.BooleanField(_("win back quiet buyers"), default=True)
    winback_days = models.PositiveSmallIntegerField(_("days without an order"), default=90)
    anniversary_enabled = models.BooleanField(_("first-purchase anniversary"), default=True)
    marketing_gap_days = models.PositiveSmallIntegerField(
        _("days between marketing messages"),
        default=7,
        help_text=_("At most one marketing message per buyer in this many days."),
    )
    quiet_start = models.TimeField(_("quiet hours start"), default=datetime.time(21, 0))
    quiet_end = models.TimeField(_("quiet hours end"), default=datetime.time(8, 0))
    tiers_baselined_at = models.DateTimeField(
        _("tiers first computed at"),
        null=True,
        blank=True,
        help_text=_("Buyers' tiers are first recorded silently, so nobody gets a stale note."),
    )

    class Meta:
        ordering = ["shop"]
        verbose_name = _("care settings")
        verbose_name_plural = _("care settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(marketing_gap_days__lte=365), name="followups_caresettings_gap_max"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Care settings of %(shop)s") % {"shop": self.shop})

    def channels(self) -> list[str]:
        return self.channel_order.split(",")


class MembershipTier(TimeStampedModel):
    """A loyalty tier: reached with at least ``min_orders`` orders or ``min_spend`` rupiah."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="membership_tiers")
    name = models.CharField(_("name"), max_length=40)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the first tier."))
    min_orders = models.PositiveIntegerField(_("from orders"), default=0)
    min_spend = models.BigIntegerField(_("or from spend (Rp)"), default=0)
    perk = models.CharField(_("perk"), max_length=200, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "rank"]
        verbose_name = _("membership tier")
        verbose_name_plural = _("membership tiers")
        constraints = [
            models.UniqueConstraint(fields=["shop", "rank"], name="followups_tier_unique_rank"),
            models.CheckConstraint(
                condition=Q(min_orders__gt=0) | Q(min_spend__gt=0),
                name="followups_tier_has_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BuyerTier(TimeStampedModel):
    """The tier a buyer last reached, so moving up is noticed once."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="buyer_tiers")
    buyer = models.OneToOneField(Buyer, on_delete=models.CASCADE, related_name="tier_state")
    tier = models.ForeignKey(
        MembershipTier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    reached_at = models.DateTimeField(_("reached at"))

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "buyer"]
        verbose_name = _("buyer tier")
        verbose_name_plural = _("buyer tiers")

    def __str__(self) -> str:
        return f"{self.buyer_id}: {self.tier or '-'}"


class CourierSlowdown(TimeStampedModel):
    """A period the shop knows deliveries will be slow: homecoming weeks, a courier's cut-off."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="courier_slowdowns")
    courier = models.CharField(
        _("courier"),
        max_length=20,
        choices=Courier.choices,
        blank=True,
        help_text=_("Empty: every courier."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("courier slow-down")
        verbose_name_plural = _("courier slow-downs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="followups_slowdown_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_courier_display() or _('All couriers')}: {self.reason}"


class FollowUpTemplate(TimeStampedModel):
    """A shop's own wording of one follow-up kind and occasion, in one language.

    Only edited texts are stored; the rest come from followups.texts.DEFAULT_TEXTS. ``occasion``
    is a holiday's key (``idul_fitri``, ``natal``...), ``delivered``/``overdue`` for a late-delivery
    apology, or empty for the kind's general text.
    """

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="followup_templates")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occasion = models.CharField(
        _("occasion"),
        max_length=40,
        blank=True,
        help_text=_(
            "A holiday (idul_fitri, natal, imlek, tahun_baru...), delivered or overdue for "
            "apologies; empty for the kind's general text."
        ),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN
    )
    subject = models.CharField(_("email subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "kind", "occasion", "language"]
        verbose_name = _("follow-up template")
        verbose_name_plural = _("follow-up templates")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "kind", "occasion", "language"],
                name="followups_template_unique_occasion",
            ),
        ]

    def __str__(self) -> str:
        occasion = f" · {self.occasion}" if self.occasion else ""
        return f"{self.get_kind_display()}{occasion} ({self.language})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from followups.texts import slot_check, text_validate

        super().clean()
        try:
            slot_check(kind=self.kind, occasion=self.occasion, language=self.language)
        except ValidationError as error:
            raise ValidationError({"occasion": error.error_list}) from None
        text_validate(kind=self.kind, subject=self.subject, body=self.body)
