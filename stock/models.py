"""Stock: product variants, restocks and waiting lists, cancellations, chat questions.

One place changes stock: ``stock.services.stock_set``. It keeps ``Product.stock`` equal to the
sum of the product's variants, records every 0 -> >0 transition as a RestockEvent and tells the
waiting list through the follow-up engine, so a restock is a single well-defined event whoever
caused it (seller page, admin, import, ``manage.py set_stock``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Channel, TimeStampedModel
from customers.models import Buyer, Order, Product, Shop, ShopScopedQuerySet


class Source(models.TextChoices):
    """Where a write came from; shown on restocks, waiting-list entries and chat questions."""

    SELLER = "seller", _("Seller page")
    ANSWER = "answer", _("Stock-answer screen")
    BUYER_PAGE = "buyer_page", _("Buyer page")
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Import")
    COMMAND = "command", _("Command")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class StockSettings(TimeStampedModel):
    """A shop's knobs for stock answers."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="stock_settings")
    price_band_pct = models.PositiveSmallIntegerField(
        _("alternatives' price band (±%)"),
        default=30,
        help_text=_("Alternatives cost at most this many percent more or less than the product."),
    )
    max_alternatives = models.PositiveSmallIntegerField(_("alternatives to offer"), default=3)

    class Meta:
        ordering = ["shop"]
        verbose_name = _("stock settings")
        verbose_name_plural = _("stock settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_band_pct__lte=100), name="stock_settings_band_lte_100"
            ),
            models.CheckConstraint(
                condition=Q(max_alternatives__lte=3), name="stock_settings_max_alternatives_lte_3"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Stock settings of %(shop)s") % {"shop": self.shop})


class ProductVariant(TimeStampedModel):
    """A colour and/or size of a product with its own stock ("warna lain ada?")."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="product_variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    colour = models.CharField(_("colour"), max_length=40, blank=True)
    size = models.CharField(_("size"), max_length=20, blank=True)
    sku_suffix = models.CharField(
        _("SKU suffix"), max_length=20, blank=True, help_text=_("e.g. -RED-L; added to the SKU.")
    )
    stock = models.IntegerField(_("stock"), default=0)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["product", "colour", "size", "pk"]
        verbose_name = _("product variant")
        verbose_name_plural = _("product variants")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "colour", "size"], name="stock_variant_unique_per_product"
            ),
            models.CheckConstraint(condition=Q(stock__gte=0), name="stock_variant_stock_gte_0"),
            models.CheckConstraint(
                condition=~Q(colour="") | ~Q(size=""), name="stock_variant_colour_or_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} – {self.label}"

    @property
    def label(self) -> str:
        return " / ".join(part for part in (self.colour, self.size) if part)

    @property
    def sku(self) -> str:
        return f"{self.product.sku}{self.sku_suffix}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.product_id and not self.shop_id:
            self.shop_id = self.product.shop_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class RestockEvent(TimeStampedModel):
    """A product or variant went from 0 to more than 0: one row per transition."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="restock_events")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="restock_events")
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="restock_events",
    )
    product_restocked = models.BooleanField(_("product back in stock"), default=False)
    stock_after = models.PositiveIntegerField(_("stock after"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="restock_events",
        verbose_name=_("by"),
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    notified = models.PositiveIntegerField(_("buyers told"), default=0)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("restock")
        verbose_name_plural = _("restocks")

    def __str__(self) -> str:
        what = (
            f"{self.product.name} – {self.variant.label}" if self.variant_id else self.product.name
        )
        return f"{what} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class WaitlistEntryQuerySet(ShopScopedQuerySet):
    def waiting(self) -> WaitlistEntryQuerySet:
        return self.filter(told_at__isnull=True)


class WaitlistEntry(TimeStampedModel):
    """A buyer who asked "Ingatkan Saya": tell me when it is back.

    An entry is told once (``told_at``, ``followup``, ``restock_event``) and then stays as the
    record; a buyer who wants the next restock too joins again with a new entry.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="waitlist_entries")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="waitlist")
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, null=True, blank=True, related_name="waitlist"
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="waitlist_entries")
    source = models.CharField(_("added from"), max_length=12, choices=Source.choices)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    restock_event = models.ForeignKey(
        RestockEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    followup = models.ForeignKey(
        "followups.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        verbose_name=_("restock message"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        verbose_name=_("added by"),
    )

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        constraints = [
            # One open entry per buyer and product (or variant); told entries stay as history.
            models.UniqueConstraint(
                fields=["product", "buyer"],
                condition=Q(told_at__isnull=True, variant__isnull=True),
                name="stock_waitlist_one_open_per_product",
            ),
            models.UniqueConstraint(
                fields=["variant", "buyer"],
                condition=Q(told_at__isnull=True, variant__isnull=False),
                name="stock_waitlist_one_open_per_variant",
            ),
        ]
        indexes = [
            # Restock: a product's open entries in join order.
            models.Index(fields=["product", "told_at", "joined_at"], name="stock_waitlist_open"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ← {self.product.name}"


class Cancellation(TimeStampedModel):
    """An order cancelled or rejected: who started it, why, on which channel."""

    class Initiator(models.TextChoices):
        SELLER = "seller", _("Seller (rejected)")
        BUYER = "buyer", _("Buyer")
        MARKETPLACE = "marketplace", _("Marketplace")

    class Reason(models.TextChoices):
        OUT_OF_STOCK = "out_of_stock", _("Out of stock")
        BUYER_REQUEST = "buyer_request", _("Buyer's request")
        ADDRESS_PROBLEM = "address_problem", _("Address problem")
        OTHER = "other", _("Other")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="cancellations")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="cancellation")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    initiator = models.CharField(_("started by"), max_length=12, choices=Initiator.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cancellations",
        verbose_name=_("recorded by"),
    )

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        indexes = [
            # Dashboard rejection counter: a shop's cancellations per channel in a window.
            models.Index(fields=["shop", "channel", "occurred_at"], name="stock_cancel_window"),
        ]

    def __str__(self) -> str:
        return f"{self.order} ({self.get_reason_display()})"

    @property
    def counts_against_seller(self) -> bool:
        """A rejection the marketplace penalises: seller-started, not at the buyer's request."""
        return self.initiator == self.Initiator.SELLER and self.reason != self.Reason.BUYER_REQUEST


class PenaltyRule(TimeStampedModel):
    """A shop's own version of a channel's penalty rule (overrides stock.penalties)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="penalty_rules")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    threshold = models.PositiveSmallIntegerField(
        _("rejections per penalty"), help_text=_("Seller rejections in the window that cost one.")
    )
    penalty = models.CharField(_("penalty"), max_length=200)
    repeats = models.BooleanField(
        _("every further batch costs again"),
        default=True,
        help_text=_("On: each further batch of rejections costs another penalty."),
    )

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "channel"]
        verbose_name = _("penalty rule")
        verbose_name_plural = _("penalty rules")
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel"], name="stock_penaltyrule_unique"),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="stock_penalty_threshold"),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="stock_penalty_window"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.threshold}/{self.window_days}d"


class MessageTemplate(TimeStampedModel):
    """A shop's text for one stock situation or playbook step, in one language.

    The same pattern as reviews.ReplyTemplate (per shop, situation, language; placeholders
    checked on save), with its own situations and placeholders (stock.templating).
    """

    class Situation(models.TextChoices):
        IN_STOCK = "in_stock", _("Answer: in stock")
        VARIANTS = "variants", _("Answer: the variants")
        SOLD_OUT = "sold_out", _("Answer: sold out")
        ALTERNATIVES = "alternatives", _("Answer: alternatives")
        WAITLIST_OFFER = "waitlist_offer", _("Answer: offer the waiting list")
        APOLOGISE = "apologise", _("Playbook: apologise and say why")
        SUBSTITUTE = "substitute", _("Playbook: offer a substitute")
        ASK_BUYER_CANCEL = "ask_buyer_cancel", _("Playbook: ask the buyer to cancel")
        MARKETPLACE_SUPPORT = "marketplace_support", _("Playbook: ask the marketplace's support")
        REFUND = "refund", _("Playbook: refund in full with shipping")

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="stock_templates")
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN
    )
    body = models.TextField(_("text"))

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "situation", "language"]
        verbose_name = _("stock message template")
        verbose_name_plural = _("stock message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "situation", "language"], name="stock_template_unique_situation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_situation_display()} ({self.language})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from stock.templating import template_validate

        super().clean()
        try:
            template_validate(self.body)
        except ValidationError as error:
            raise ValidationError({"body": error.error_list}) from None


class ChatQuestionQuerySet(ShopScopedQuerySet):
    def unanswered(self) -> ChatQuestionQuerySet:
        """Still waiting for a person's reply (an automatic one does not count)."""
        return self.filter(human_responded_at__isnull=True)


class ChatQuestion(TimeStampedModel):
    """An inbound buyer question and when it was first answered."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="chat_questions")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_id = models.CharField(
        _("message id"), max_length=100, blank=True, help_text=_("The chat's own id, if any.")
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_questions"
    )
    buyer_handle = models.CharField(_("buyer"), max_length=150, blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_questions"
    )
    product_sold_out = models.BooleanField(
        _("asked while sold out"),
        default=False,
        help_text=_("The product had no stock when the question came in."),
    )
    text = models.TextField(_("question"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    response_automatic = models.BooleanField(_("first response was automatic"), default=False)
    human_responded_at = models.DateTimeField(
        _("first personal response at"), null=True, blank=True
    )
    source = models.CharField(_("logged from"), max_length=12, choices=Source.choices)

    objects = ChatQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("chat question")
        verbose_name_plural = _("chat questions")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"],
                condition=~Q(external_id=""),
                name="stock_chatquestion_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True)
                | Q(responded_at__gte=models.F("received_at")),
                name="stock_chatquestion_response_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(human_responded_at__isnull=True)
                | Q(human_responded_at__gte=models.F("received_at")),
                name="stock_chatquestion_human_after_receipt",
            ),
        ]
        indexes = [
            # Chat performance page: a shop's questions in a date range.
            models.Index(fields=["shop", "received_at"], name="stock_chat_shop_received"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.text[:40]}"


class ApiToken(TimeStampedModel):
    """A per-shop token for the chat-question endpoint; only its SHA-256 is stored."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("starts with"), max_length=12)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
