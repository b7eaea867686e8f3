"""Managers' view of follow-ups, care rules, tiers and slow-downs, scoped to their shops."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crm.admin import ShopScopedAdminMixin
from followups.models import (
    BuyerTier,
    CareSettings,
    CourierSlowdown,
    FollowUp,
    FollowUpTemplate,
    MembershipTier,
)


@admin.register(FollowUp)
class FollowUpAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "kind",
        "buyer",
        "channel",
        "status",
        "skip_reason",
        "due_at",
        "sent_at",
        "shop",
    ]
    list_filter = ["status", "kind", "channel", "skip_reason"]
    search_fields = ["buyer__name", "idempotency_key", "text"]
    date_hierarchy = "due_at"
    raw_id_fields = ["buyer", "order", "review", "product", "sent_by"]
    # The workflow fields are written by the services only (claim protocol, timeline entries).
    readonly_fields = [
        "status",
        "skip_reason",
        "attempts",
        "claim_token",
        "claimed_at",
        "sent_at",
        "sent_by",
        "tone_verdict",
        "tone_findings",
        "idempotency_key",
        "last_error",
        "html",
    ]


class MembershipTierInline(ShopScopedAdminMixin, admin.TabularInline):
    model = MembershipTier
    fk_name = "shop"
    extra = 0


@admin.register(CareSettings)
class CareSettingsAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ["shop", "late_apology_enabled", "care_auto_send", "marketing_gap_days"]
    readonly_fields = ["tiers_baselined_at"]


@admin.register(MembershipTier)
class MembershipTierAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "rank", "min_orders", "min_spend", "perk", "shop"]
    list_filter = ["shop"]


@admin.register(BuyerTier)
class BuyerTierAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ["buyer", "tier", "reached_at", "shop"]
    raw_id_fields = ["buyer"]


@admin.register(CourierSlowdown)
class CourierSlowdownAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ["reason", "courier", "starts_on", "ends_on", "shop"]
    list_filter = ["courier"]
    verbose_name = _("courier slow-down")


@admin.register(FollowUpTemplate)
class FollowUpTemplateAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "occasion", "language", "subject", "shop"]
    list_filter = ["kind", "language"]
    search_fields = ["occasion", "subject", "body"]
