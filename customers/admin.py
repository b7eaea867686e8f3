"""The admin site for managers: shops, buyers, products and orders, scoped to their shops."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from crm.admin import (
    ShopListFilter,
    ShopScopedAdminMixin,
    ShopScopedForm,
    ShopScopedInlineMixin,
    rupiah_column,
)
from crm.templatetags.rawat import format_rupiah
from customers.models import (
    Buyer,
    BuyerHandle,
    Interaction,
    Membership,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from customers.phones import normalize_phone
from reviews.models import Review
from stock.admin_product import ProductStockAdminMixin

admin.site.site_header = _("Rawat administration")
admin.site.site_title = _("Rawat admin")
admin.site.index_title = _("Shops, buyers, orders and reviews")

# How many of a buyer's reviews the buyer page lists before linking to the full list.
BUYER_PAGE_REVIEWS = 20


# ---------------------------------------------------------------------------------------------
# Filters


class OptedOutFilter(admin.SimpleListFilter):
    title = _("messages")
    parameter_name = "messages"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("consent", _("Agrees to marketing")),
            ("no_consent", _("No marketing consent")),
            ("opted_out", _("Opted out")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "consent":
            return queryset.filter(marketing_consent=True, opted_out_at__isnull=True)
        if self.value() == "no_consent":
            return queryset.filter(marketing_consent=False, opted_out_at__isnull=True)
        if self.value() == "opted_out":
            return queryset.filter(opted_out_at__isnull=False)
        return queryset


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("late", _("Delivered late")),
            ("overdue", _("Overdue (not delivered yet)")),
            ("on_time", _("Delivered on time")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # The changelist queryset is already an OrderQuerySet scoped to the user's shops:
        # filter it directly rather than through a subquery over every shop's orders.
        if self.value() == "late":
            return queryset.late()
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "on_time":
            late = queryset.late().values("pk")
            return queryset.filter(delivered_at__isnull=False).exclude(pk__in=late)
        return queryset


class StockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("sold_out", _("Sold out")),
            ("low", _("Low (1–5)")),
            ("available", _("Available")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "sold_out":
            return queryset.filter(stock=0)
        if self.value() == "low":
            return queryset.filter(stock__gte=1, stock__lte=5)
        if self.value() == "available":
            return queryset.filter(stock__gt=0)
        return queryset


# ---------------------------------------------------------------------------------------------
# Shops and the people who run them


class MembershipInline(ShopScopedInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role")


@admin.register(Shop)
class ShopAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    shop_field = None  # a shop is its own shop
    list_display = ("name", "slug", "channels", "member_count", "buyer_count", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(member_total=Count("memberships", distinct=True))
            .order_by("name")  # GROUP BY drops the Meta ordering; autocomplete paginates
        )

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj: Shop) -> int:
        return obj.member_total

    @admin.display(description=_("buyers"))
    def buyer_count(self, obj: Shop) -> int:
        # One count per shop row; managers have a handful of shops, so no annotation join
        # multiplying memberships by buyers.
        return obj.buyers.count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A manager who created a shop would not be a member of it and could not see it again;
        # shops are opened by a superuser (or by `seed_demo`).
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a shop deletes every buyer, order and review in it.
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "shop", "role", "created_at")
    list_filter = (ShopListFilter, "role")
    search_fields = ("user__username", "user__first_name", "user__last_name", "shop__name")
    autocomplete_fields = ("shop",)  # users: a scoped select, managers cannot browse all users
    list_select_related = ("user", "shop")


@admin.register(Tag)
class TagAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "shop", "buyer_count")
    list_filter = (ShopListFilter,)
    search_fields = ("name",)
    autocomplete_fields = ("shop",)
    list_select_related = ("shop",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(buyer_total=Count("buyers"))
            .order_by("name")  # GROUP BY drops the Meta ordering; autocomplete paginates
        )

    @admin.display(description=_("buyers"), ordering="buyer_total")
    def buyer_count(self, obj: Tag) -> int:
        return obj.buyer_total


# ---------------------------------------------------------------------------------------------
# Buyers


class BuyerHandleInline(ShopScopedInlineMixin, admin.TabularInline):
    model = BuyerHandle
    extra = 0
    fields = ("channel", "handle")


class BuyerOrderInline(ShopScopedInlineMixin, admin.TabularInline):
    """The buyer's orders, read-only; each links to its order page."""

    model = Order
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("orders")
    fields = ("ordered_at", "channel", "status", "courier", "delay", "total_rp")
    readonly_fields = fields

    @admin.display(description=_("delay"))
    def delay(self, obj: Order) -> str:
        days = obj.delay_days
        return (
            ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
            if days
            else "–"
        )

    total_rp = rupiah_column("total", _("total"))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InteractionInline(ShopScopedInlineMixin, admin.TabularInline):
    """Notes, chats and calls about the buyer: the manual part of the timeline."""

    model = Interaction
    fk_name = "buyer"
    extra = 0
    fields = ("occurred_at", "kind", "channel", "text", "order", "author")
    # Read-only here: an editable FK per row would query its choices once per row. New notes
    # get the signed-in user as author; linking a note to an order is done on its own page.
    readonly_fields = ("order", "author")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
    }
    verbose_name_plural = _("timeline entries")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("order", "author")


class BuyerAdminForm(ShopScopedForm):
    def clean_phone(self) -> str:
        # Normalise before model validation: the +62 CHECK constraint is validated on the form.
        return normalize_phone(self.cleaned_data.get("phone", ""))


@admin.register(Buyer)
class BuyerAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    form = BuyerAdminForm
    list_display = (
        "name",
        "phone",
        "shop",
        "orders",
        "total_spend_rp",
        "last_order",
        "rating",
        "marketing_consent",
    )
    list_filter = (
        ShopListFilter,
        OptedOutFilter,
        ("tags", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "phone", "email", "handles__handle")
    date_hierarchy = "created_at"
    autocomplete_fields = ("shop", "tags")
    list_select_related = ("shop",)
    readonly_fields = ("stats", "reviews_list")
    inlines = [BuyerHandleInline, InteractionInline, BuyerOrderInline]
    fieldsets = (
        (None, {"fields": ("shop", "name", "phone", "email", "birthday", "tags", "notes")}),
        (_("Messages"), {"fields": ("marketing_consent", "opted_out_at")}),
        (_("History"), {"fields": ("stats", "reviews_list")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_stats()

    @admin.display(description=_("orders"), ordering="order_count")
    def orders(self, obj: Buyer) -> int:
        return obj.order_count

    total_spend_rp = rupiah_column("total_spend", _("total spend"))

    @admin.display(description=_("last order"), ordering="last_order_at")
    def last_order(self, obj: Buyer) -> Any:
        return obj.last_order_at

    @admin.display(description=_("avg. rating"), ordering="average_rating")
    def rating(self, obj: Buyer) -> str:
        return f"{obj.average_rating:.1f} ★" if obj.average_rating is not None else "–"

    @admin.display(description=_("summary"))
    def stats(self, obj: Buyer) -> str:
        if obj.pk is None:
            return "–"
        return gettext(
            "%(orders)s orders, %(spend)s spent, first order %(first)s, last order %(last)s"
        ) % {
            "orders": obj.order_count,
            "spend": format_rupiah(obj.total_spend),
            "first": obj.first_order_at.date().isoformat() if obj.first_order_at else "–",
            "last": obj.last_order_at.date().isoformat() if obj.last_order_at else "–",
        }

    @admin.display(description=_("reviews"))
    def reviews_list(self, obj: Buyer) -> str:
        """The buyer's reviews, newest first, read-only; each links to its review page.

        Reviews hang off orders, so they cannot be an inline of the buyer.
        """
        if obj.pk is None:
            return "–"
        reviews = Review.objects.filter(order__buyer=obj).select_related("order")
        total = reviews.count()
        if not total:
            return gettext("No reviews yet.")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:reviews_review_change", args=[review.pk]),
                    "★" * review.rating,
                    review.posted_at.date().isoformat(),
                    review.get_channel_display(),
                    Truncator(review.text).chars(120),
                    review.get_reply_status_display(),
                )
                for review in reviews[:BUYER_PAGE_REVIEWS]
            ),
        )
        all_link = format_html(
            '<a href="{}?buyer={}">{}</a>',
            reverse("admin:reviews_review_changelist"),
            obj.pk,
            ngettext("%(count)d review in the review list", "All %(count)d reviews", total)
            % {"count": total},
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table><p>{}</p>",
            gettext("Rating"),
            gettext("Posted"),
            gettext("Channel"),
            gettext("Text"),
            gettext("Reply"),
            rows,
            all_link,
        )


@admin.register(BuyerHandle)
class BuyerHandleAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("handle", "channel", "buyer", "shop")
    list_filter = (ShopListFilter, "channel")
    search_fields = ("handle", "buyer__name")
    autocomplete_fields = ("shop", "buyer")
    list_select_related = ("buyer", "shop")


# ---------------------------------------------------------------------------------------------
# Products and orders


@admin.register(Product)
class ProductAdmin(ProductStockAdminMixin, ShopScopedAdminMixin, admin.ModelAdmin):
    # Stock changes go through stock.services.stock_set (restocks tell the waiting list).
    list_display = ("sku", "name", "category", "price_rp", "stock", "restock_eta", "shop")
    list_filter = (ShopListFilter, StockFilter, "category")
    list_editable = ("stock", "restock_eta")
    search_fields = ("sku", "name", "category")
    date_hierarchy = "created_at"
    autocomplete_fields = ("shop",)
    list_select_related = ("shop",)

    price_rp = rupiah_column("price", _("price"))


class OrderLineInline(ShopScopedInlineMixin, admin.TabularInline):
    model = OrderLine
    shop_field = "order__shop"
    extra = 0
    fields = ("product", "name", "quantity", "unit_price", "subtotal_rp")
    readonly_fields = ("subtotal_rp",)
    autocomplete_fields = ("product",)

    @admin.display(description=_("subtotal"))
    def subtotal_rp(self, obj: OrderLine) -> str:
        return format_rupiah(obj.subtotal) if obj.pk else "–"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("product")


class OrderReviewInline(ShopScopedInlineMixin, admin.StackedInline):
    model = Review
    extra = 0
    fields = (
        "rating",
        "text",
        "posted_at",
        "external_id",
        ("reply_status", "replied_at"),
        "reply_text",
    )
    verbose_name_plural = _("reviews")


@admin.register(Order)
class OrderAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "external_id",
        "channel",
        "buyer",
        "status",
        "ordered_at",
        "courier",
        "delivered_at",
        "delay",
        "total_rp",
        "shop",
    )
    list_filter = (ShopListFilter, "channel", "status", DeliveryFilter, "courier")
    search_fields = ("external_id", "tracking_number", "buyer__name", "buyer__phone")
    date_hierarchy = "ordered_at"
    autocomplete_fields = ("shop", "buyer")
    list_select_related = ("shop", "buyer")
    readonly_fields = ("delay",)
    inlines = [OrderLineInline, OrderReviewInline]
    fieldsets = (
        (None, {"fields": ("shop", "buyer", "channel", "external_id", "status", "total")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "ordered_at",
                    "shipped_at",
                    "promised_at",
                    "delivered_at",
                    "delay",
                    "courier",
                    "tracking_number",
                )
            },
        ),
    )

    total_rp = rupiah_column("total", _("total"))

    @admin.display(description=_("delay"))
    def delay(self, obj: Order) -> str:
        if obj.pk is None:
            return "–"
        days = obj.delay_days
        return (
            ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
            if days
            else "–"
        )


@admin.register(OrderLine)
class OrderLineAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    shop_field = "order__shop"
    list_display = ("order", "display_name", "product", "quantity", "unit_price_rp", "subtotal_rp")
    list_filter = (ShopListFilter,)
    search_fields = ("order__external_id", "name", "product__sku", "product__name")
    autocomplete_fields = ("order", "product")
    list_select_related = ("order", "product")

    unit_price_rp = rupiah_column("unit_price", _("unit price"))

    @admin.display(description=_("subtotal"))
    def subtotal_rp(self, obj: OrderLine) -> str:
        return format_rupiah(obj.subtotal)


# ---------------------------------------------------------------------------------------------
# Timeline


@admin.register(Interaction)
class InteractionAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "buyer", "order", "channel", "short_text", "author")
    list_filter = (ShopListFilter, "kind", "channel")
    search_fields = ("text", "buyer__name", "order__external_id")
    date_hierarchy = "occurred_at"
    # author: a scoped select (members of the manager's shops); managers cannot browse users.
    autocomplete_fields = ("shop", "buyer", "order")
    list_select_related = ("buyer", "order", "author", "shop")

    @admin.display(description=_("text"))
    def short_text(self, obj: Interaction) -> str:
        return Truncator(obj.text).chars(80)
