"""Admin for the stock app: every model shop-scoped; writes that matter go through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.admin import ShopListFilter, ShopScopedAdminMixin, ShopScopedForm
from stock.models import (
    ApiToken,
    Cancellation,
    ChatQuestion,
    MessageTemplate,
    PenaltyRule,
    ProductVariant,
    RestockEvent,
    Source,
    StockSettings,
    WaitlistEntry,
)


class VariantAdminForm(ShopScopedForm):
    def clean_stock(self) -> int:
        stock = self.cleaned_data.get("stock")
        if stock is not None and stock < 0:
            raise ValidationError(
                _("Stock cannot be negative: use 0 for sold out."), code="negative_stock"
            )
        return stock

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        product = cleaned.get("product")
        # The first variant takes over the product's stock; it must hold all of it.
        if (
            product is not None
            and not self.instance.pk
            and product.stock
            and cleaned.get("stock") != product.stock
            and not product.variants.exists()
        ):
            self.add_error(
                "stock",
                _("The product has %(n)d in stock: its first variant must hold all of them.")
                % {"n": product.stock},
            )
        return cleaned


@admin.register(ProductVariant)
class ProductVariantAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    form = VariantAdminForm
    list_display = ("product", "colour", "size", "sku_suffix", "stock", "shop")
    list_filter = (ShopListFilter,)
    search_fields = ("product__name", "product__sku", "colour", "size")
    autocomplete_fields = ("product",)
    exclude = ("shop",)
    list_select_related = ("product", "shop")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """New variants via variant_create, stock changes via stock_set (restock -> messages)."""
        from stock.services import stock_set, variant_create

        obj.shop_id = obj.product.shop_id
        if not self._in_scope(request, obj):
            raise PermissionDenied
        if not change:
            created = variant_create(
                product=obj.product,
                colour=obj.colour,
                size=obj.size,
                sku_suffix=obj.sku_suffix,
                stock=obj.stock,
                by=request.user,
                source=Source.ADMIN,
            )
            obj.pk = created.pk
            return
        with transaction.atomic():
            result = None
            if "stock" in form.changed_data:
                result = stock_set(
                    product=obj.product,
                    variant=obj,
                    quantity=obj.stock,
                    by=request.user,
                    source=Source.ADMIN,
                )
            super().save_model(request, obj, form, change)
        if result is not None and result.event is not None:
            self.message_user(
                request,
                _("Back in stock: %(n)d waiting buyer(s) get a message in the outbox.")
                % {"n": result.notified},
                messages.SUCCESS,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # The product's stock stays the sum of what is left.
        from stock.services.stock import product_stock_resum

        product = obj.product
        with transaction.atomic():
            super().delete_model(request, obj)
            product_stock_resum(product=product)


class WaitlistAdminForm(ShopScopedForm):
    def clean(self) -> dict[str, Any]:
        from stock.services.waitlist import waitlist_join_check

        cleaned = super().clean()
        product, buyer = cleaned.get("product"), cleaned.get("buyer")
        if product is not None and buyer is not None and not self.errors:
            try:
                waitlist_join_check(product=product, buyer=buyer, variant=cleaned.get("variant"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    form = WaitlistAdminForm
    list_display = ("product", "variant", "buyer", "joined_at", "told_at", "source", "shop")
    list_filter = (ShopListFilter, "source", ("told_at", admin.EmptyFieldListFilter))
    search_fields = ("product__name", "product__sku", "buyer__name")
    autocomplete_fields = ("product", "buyer")
    raw_id_fields = ("variant",)
    fields = ("product", "variant", "buyer", "joined_at", "told_at", "restock_event", "followup")
    readonly_fields = ("joined_at", "told_at", "restock_event", "followup")
    list_select_related = ("product", "variant", "buyer", "shop")
    date_hierarchy = "joined_at"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Entries are a record: add or delete them; who was told is written by restocks only.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from stock.services import waitlist_join

        obj.shop_id = obj.product.shop_id
        if not self._in_scope(request, obj):
            raise PermissionDenied
        entry, _created = waitlist_join(
            product=obj.product,
            variant=obj.variant,
            buyer=obj.buyer,
            source=Source.ADMIN,
            by=request.user,
        )
        obj.pk = entry.pk


@admin.register(RestockEvent)
class RestockEventAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("product", "variant", "stock_after", "source", "by", "occurred_at", "notified")
    list_filter = (ShopListFilter, "source")
    search_fields = ("product__name", "product__sku")
    date_hierarchy = "occurred_at"
    list_select_related = ("product", "variant", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Cancellation)
class CancellationAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "channel", "initiator", "reason", "occurred_at", "shop")
    list_filter = (ShopListFilter, "channel", "initiator", "reason")
    search_fields = ("order__external_id", "order__buyer__name", "note")
    autocomplete_fields = ("order",)
    exclude = ("shop", "channel")
    readonly_fields = ("recorded_by",)
    date_hierarchy = "occurred_at"
    list_select_related = ("order", "shop")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.shop_id, obj.channel = obj.order.shop_id, obj.order.channel
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PenaltyRule)
class PenaltyRuleAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("channel", "threshold", "window_days", "penalty", "repeats", "shop")
    list_filter = (ShopListFilter, "channel")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("situation", "language", "shop", "updated_at")
    list_filter = (ShopListFilter, "situation", "language")
    search_fields = ("body",)


@admin.register(StockSettings)
class StockSettingsAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("shop", "price_band_pct", "max_alternatives")


@admin.register(ChatQuestion)
class ChatQuestionAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "received_at",
        "channel",
        "text",
        "product",
        "responded_at",
        "response_automatic",
        "human_responded_at",
        "source",
    )
    list_filter = (ShopListFilter, "channel", "source", "response_automatic", "product_sold_out")
    search_fields = ("text", "buyer_handle", "external_id")
    autocomplete_fields = ("product", "buyer")
    date_hierarchy = "received_at"
    list_select_related = ("product",)


@admin.register(ApiToken)
class ApiTokenAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "prefix", "shop", "created_by", "last_used_at", "revoked_at")
    list_filter = (ShopListFilter,)
    readonly_fields = ("prefix", "token_hash", "created_by", "last_used_at")
    fields = ("shop", "name", "prefix", "token_hash", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Tokens are made on the seller page, where the raw value is shown once.

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        from stock.services import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token)
