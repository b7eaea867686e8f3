"""Shops, the people who run them, their buyers, products and orders.

Every seller-facing row hangs off a Shop. Scoping is one idea in one place: the ``for_user``
queryset methods below, used by every view, selector and admin class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.dbfunctions import LocalDate
from crm.models import Channel, TimeStampedModel
from customers.phones import normalize_phone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class ShopQuerySet(models.QuerySet["Shop"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> ShopQuerySet:
        """The shops this user is a member of (owner or staff)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class ShopScopedQuerySet(models.QuerySet):
    """Rows that belong to a shop, seen through a user's memberships."""

    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> ShopScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(shop__in=Shop.objects.for_user(user).values("pk"))

    def for_shop(self, shop: Shop) -> ShopScopedQuerySet:
        return self.filter(shop=shop)


class Shop(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    channels = models.JSONField(
        _("channels"),
        default=list,
        blank=True,
        help_text=_("The channels this shop sells on, e.g. shopee, tokopedia, whatsapp."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="shops", blank=True
    )

    objects = ShopQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        ordering = ["shop", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "user"], name="customers_membership_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop} ({self.get_role_display()})"


class Tag(TimeStampedModel):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=40)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "shop", name="customers_tag_unique_name_per_shop"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BuyerQuerySet(ShopScopedQuerySet):
    def search(self, term: str) -> BuyerQuerySet:
        """Buyers whose name, phone, email or any channel handle contains the term."""
        term = term.strip()
        if not term:
            return self
        condition = (
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(
                pk__in=BuyerHandle.objects.filter(handle__icontains=term.lstrip("@")).values(
                    "buyer_id"
                )
            )
        )
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) >= 4:
            # "0812 3456" and "+62812..." should find the same buyer as the stored +62 form.
            national = digits[2:] if digits.startswith("62") else digits.lstrip("0")
            condition |= Q(phone__contains=national)
        return self.filter(condition)

    def with_stats(self) -> BuyerQuerySet:
        """Annotate order count, total spend, first/last order and average rating given.

        Subqueries, not joins, so the aggregates never multiply each other.
        """
        orders = Order.objects.filter(buyer=models.OuterRef("pk")).exclude(
            status__in=[Order.Status.CANCELLED, Order.Status.RETURNED]
        )
        from reviews.models import Review

        ratings = Review.objects.filter(order__buyer=models.OuterRef("pk"))
        return self.annotate(
            order_count=_subquery_aggregate(orders, models.Count("pk"), models.IntegerField(), 0),
            total_spend=_subquery_aggregate(
                orders, models.Sum("total"), models.BigIntegerField(), 0
            ),
            first_order_at=_subquery_aggregate(
                Order.objects.filter(buyer=models.OuterRef("pk")),
                models.Min("ordered_at"),
                models.DateTimeField(),
            ),
            last_order_at=_subquery_aggregate(
                Order.objects.filter(buyer=models.OuterRef("pk")),
                models.Max("ordered_at"),
                models.DateTimeField(),
            ),
            average_rating=_subquery_aggregate(ratings, models.Avg("rating"), models.FloatField()),
        )


def _subquery_aggregate(
    queryset: models.QuerySet,
    aggregate: models.Aggregate,
    output: models.Field,
    default: object = None,
) -> models.Expression:
    """One aggregate of a correlated queryset as a scalar subquery."""
    grouped = (
        queryset.order_by()
        .annotate(_group=models.Value(1))
        .values("_group")
        .annotate(value=aggregate)
        .values("value")
    )
    expression: models.Expression = models.Subquery(grouped, output_field=output)
    if default is not None:
        expression = Coalesce(expression, models.Value(default), output_field=output)
    return expression


class Buyer(TimeStampedModel):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="buyers")
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(
        _("phone"),
        # Room for what people type ("+62 812-3456-7890"); stored as +62 and digits only.
        max_length=20,
        blank=True,
        help_text=_("Indonesian number; 08xx, 62xx and +62xx are all accepted."),
    )
    email = models.EmailField(_("email"), blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, related_name="buyers", blank=True, verbose_name=_("tags"))
    notes = models.TextField(_("notes"), blank=True)
    marketing_consent = models.BooleanField(
        _("agrees to marketing messages"),
        default=False,
        help_text=_("Greetings and promotions go only to buyers who agreed."),
    )
    opted_out_at = models.DateTimeField(
        _("opted out at"),
        null=True,
        blank=True,
        help_text=_("Set when the buyer asked to receive no more messages (STOP / BERHENTI)."),
    )

    objects = BuyerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__startswith="+62"),
                name="customers_buyer_phone_e164_id",
            )
        ]
        indexes = [
            # Buyer list: the shop's buyers by name, paginated.
            models.Index(fields=["shop", "name"], name="customers_buyer_shop_name"),
            # Import matching and search by phone within a shop.
            models.Index(fields=["shop", "phone"], name="customers_buyer_shop_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error}) from None

    def save(self, *args: object, **kwargs: object) -> None:
        # Every write path (forms, admin, imports, scripts) stores the same canonical form.
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("customers:buyer_detail", args=[self.pk])

    @property
    def is_opted_out(self) -> bool:
        return self.opted_out_at is not None


class BuyerHandle(TimeStampedModel):
    """A buyer's username on one channel; at most one buyer per handle and channel in a shop."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="buyer_handles")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="handles")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    handle = models.CharField(_("handle"), max_length=100)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "handle"]
        verbose_name = _("buyer handle")
        verbose_name_plural = _("buyer handles")
        constraints = [
            models.UniqueConstraint(
                "shop", "channel", Lower("handle"), name="customers_buyerhandle_unique_per_channel"
            ),
            models.CheckConstraint(condition=~Q(handle=""), name="customers_buyerhandle_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.handle}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.handle = self.handle.strip().lstrip("@")
        if self.buyer_id and not self.shop_id:
            self.shop_id = self.buyer.shop_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Product(TimeStampedModel):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=80, blank=True)
    price = models.PositiveIntegerField(_("price (Rp)"), default=0)
    stock = models.IntegerField(_("stock"), default=0)
    restock_eta = models.DateField(_("restock estimate"), null=True, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="customers_product_unique_sku"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="customers_product_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gte=0), name="customers_product_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class Courier(models.TextChoices):
    JNE = "jne", "JNE"
    JNT = "jnt", "J&T Express"
    SICEPAT = "sicepat", "SiCepat"
    ANTERAJA = "anteraja", "AnterAja"
    NINJA = "ninja", "Ninja Xpress"
    POS = "pos", "Pos Indonesia"
    SPX = "spx", "SPX Express"
    GOSEND = "gosend", "GoSend"
    GRAB = "grabexpress", "GrabExpress"
    OTHER = "other", _("Other")


class OrderQuerySet(ShopScopedQuerySet):
    def late(self) -> OrderQuerySet:
        """Orders delivered on a later (Jakarta) day than the promised one.

        The same rule as Order.delay_days: a parcel that arrives in the evening of the promised
        day is on time.
        """
        return (
            self.filter(
                delivered_at__isnull=False,
                promised_at__isnull=False,
                delivered_at__gt=F("promised_at"),
            )
            .alias(delivered_day=LocalDate("delivered_at"), promised_day=LocalDate("promised_at"))
            .filter(delivered_day__gt=F("promised_day"))
        )

    def overdue(self, now: object | None = None) -> OrderQuerySet:
        """Orders not delivered yet whose promised date has passed."""
        return self.filter(
            delivered_at__isnull=True,
            promised_at__lt=now or timezone.now(),
            status__in=[Order.Status.PAID, Order.Status.SHIPPED],
        )


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        RETURNED = "returned", _("Returned")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="orders")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_id = models.CharField(_("order number"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PAID
    )
    ordered_at = models.DateTimeField(_("ordered at"))
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    promised_at = models.DateTimeField(_("promised delivery"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    courier = models.CharField(_("courier"), max_length=20, choices=Courier.choices, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    total = models.BigIntegerField(_("total (Rp)"), default=0)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"], name="customers_order_unique_external_id"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="customers_order_total_gte_0"),
        ]
        indexes = [
            # Order list: the shop's newest orders first. With the channel, it answers the
            # rejection counter's orders per channel over 30 days without reading the table.
            models.Index(
                fields=["shop", "-ordered_at", "channel"], name="customers_order_ordered_chan"
            ),
            # Buyer page and buyer stats: one buyer's orders by date.
            models.Index(fields=["buyer", "-ordered_at"], name="customers_order_buyer_ordered"),
            # Dashboard: deliveries in a date range; with the promised time, "late this week"
            # is counted from the index alone.
            models.Index(
                fields=["shop", "delivered_at", "promised_at"],
                name="customers_order_delivered_prom",
            ),
            # Dashboard: orders overdue (still paid or shipped, not delivered, promised time
            # passed): every condition of the count is a column, so SQLite prefers this index.
            models.Index(
                fields=["shop", "status", "delivered_at", "promised_at"],
                name="customers_order_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("customers:order_detail", args=[self.pk])

    @property
    def delay_days(self) -> int:
        """Whole days between the promised and the actual delivery date (Jakarta dates), 0 if on time.

        For an order not delivered yet, the days it is overdue so far.
        """
        if self.promised_at is None:
            return 0
        end = self.delivered_at
        if end is None:
            if self.status not in (self.Status.PAID, self.Status.SHIPPED):
                return 0
            end = timezone.now()
        promised = timezone.localdate(self.promised_at)
        actual = timezone.localdate(end)
        return max((actual - promised).days, 0)

    @property
    def is_late(self) -> bool:
        if self.promised_at is None or self.delivered_at is None:
            return False
        return self.delay_days > 0


class OrderLine(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    name = models.CharField(
        _("product name"), max_length=200, blank=True, help_text=_("Free text when no product.")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.BigIntegerField(_("unit price (Rp)"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="customers_orderline_qty_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="customers_orderline_price_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False) | ~Q(name=""),
                name="customers_orderline_product_or_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.display_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.name and self.product_id:
            self.name = self.product.name
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return self.name or (self.product.name if self.product_id else "")

    @property
    def subtotal(self) -> int:
        return self.quantity * self.unit_price


class Interaction(TimeStampedModel):
    """A timeline entry: a note, chat, call, sent follow-up or reply, or a system event."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CHAT = "chat", _("Chat")
        CALL = "call", _("Call")
        FOLLOWUP = "followup", _("Follow-up")
        REPLY = "reply", _("Review reply")
        SYSTEM = "system", _("System")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="interactions")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="interactions")
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    text = models.TextField(_("text"))
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("author"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [
            # Buyer timeline: one buyer's entries by time.
            models.Index(fields=["buyer", "-occurred_at"], name="customers_interaction_buyer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
