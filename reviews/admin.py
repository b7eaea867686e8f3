"""Reviews in the admin site, scoped to the manager's shops."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from crm.admin import ShopListFilter, ShopScopedAdminMixin, allowed_shop_ids, scope_queryset
from customers.models import Buyer
from reviews.models import ReplyTemplate, Review, ShopReplySettings, ToneEvent


class BuyerFilter(admin.SimpleListFilter):
    """``?buyer=<pk>``: one buyer's reviews (linked from the buyer page); shown only when used."""

    title = _("buyer")
    parameter_name = "buyer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = request.GET.get(self.parameter_name, "")
        if not value.isdigit():
            return []
        buyers = scope_queryset(Buyer.objects.filter(pk=value), allowed_shop_ids(request), "shop")
        return [(str(buyer.pk), buyer.name) for buyer in buyers]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(order__buyer_id=int(value))


class RatingFilter(admin.SimpleListFilter):
    title = _("rating")
    parameter_name = "rating"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(n), "★" * n) for n in range(5, 0, -1)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(rating=int(value))
        return queryset


@admin.register(Review)
class ReviewAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "posted_at",
        "stars",
        "short_text",
        "order",
        "buyer_name",
        "channel",
        "needs_care",
        "priority",
        "reply_status",
        "shop",
    )
    list_filter = (
        ShopListFilter,
        RatingFilter,
        "channel",
        "needs_care",
        "sentiment",
        "reply_status",
        BuyerFilter,
    )
    search_fields = ("text", "order__external_id", "order__buyer__name", "external_id")
    date_hierarchy = "posted_at"
    autocomplete_fields = ("shop", "order")
    list_select_related = ("shop", "order__buyer")
    readonly_fields = ("buyer_name", "triaged_at")
    fieldsets = (
        (None, {"fields": ("shop", "order", "buyer_name", "channel", "external_id")}),
        (None, {"fields": ("rating", "text", "posted_at")}),
        (
            _("Triage"),
            {
                "fields": ("topics", "sentiment", "needs_care", "priority", "action", "triaged_at"),
                "classes": ("collapse",),
            },
        ),
        (_("Seller reply"), {"fields": ("reply_status", "reply_text", "replied_at")}),
    )

    @admin.display(description=_("rating"), ordering="rating")
    def stars(self, obj: Review) -> str:
        return "★" * obj.rating + "☆" * (5 - obj.rating)

    @admin.display(description=_("text"))
    def short_text(self, obj: Review) -> str:
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("buyer"), ordering="order__buyer__name")
    def buyer_name(self, obj: Review) -> str:
        return obj.order.buyer.name if obj.order_id else "–"


# --- Replies: templates, the shop's offer, and the tone guard's events --------------------------


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    """Managers edit a shop's reply templates; ReplyTemplate.clean names unknown placeholders."""

    list_display = ("action", "language", "short_body", "shop", "updated_at")
    list_filter = (ShopListFilter, "action", "language")
    search_fields = ("body",)
    list_select_related = ("shop",)

    @admin.display(description=_("text"))
    def short_body(self, obj: ReplyTemplate) -> str:
        return Truncator(obj.body).chars(100)


@admin.register(ShopReplySettings)
class ShopReplySettingsAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("shop", "offer", "voucher_amount", "voucher_code")
    list_filter = (ShopListFilter, "offer")
    list_select_related = ("shop",)


class ToneEventUserFilter(admin.SimpleListFilter):
    """Filter by the seller who wrote the reply, offering only people of the manager's shops."""

    title = _("user")
    parameter_name = "user"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        events = scope_queryset(ToneEvent.objects.all(), allowed_shop_ids(request), "shop")
        users = (
            events.filter(user__isnull=False)
            .values_list("user_id", "user__username")
            .distinct()
            .order_by("user__username")
        )
        return [(str(pk), username) for pk, username in users]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(user_id=int(value))


@admin.register(ToneEvent)
class ToneEventAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    """What sellers did after the tone guard warned; overrides carry their reason. Read-only:
    the record is evidence, written only by the composer."""

    list_display = (
        "created_at",
        "outcome",
        "verdict",
        "final_verdict",
        "short_reason",
        "user",
        "shop",
        "review",
    )
    list_filter = (ShopListFilter, "outcome", ToneEventUserFilter, "verdict", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("reason", "warned_text", "final_text", "user__username")
    list_select_related = ("shop", "user", "review")
    readonly_fields = (
        "shop",
        "user",
        "review",
        "verdict",
        "findings",
        "warned_text",
        "outcome",
        "final_verdict",
        "final_text",
        "reason",
        "created_at",
    )

    @admin.display(description=_("override reason"))
    def short_reason(self, obj: ToneEvent) -> str:
        return Truncator(obj.reason).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Overrides are kept: only a superuser may remove an event.
        return request.user.is_superuser
