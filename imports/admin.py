from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from customers.models import Shop
from imports.models import ImportRun, MappingOverride

try:
    from crm.admin import ShopListFilter, ShopScopedAdminMixin
except ImportError:  # pragma: no cover - the shared mixin landed after this app was written

    class ShopScopedAdminMixin:  # type: ignore[no-redef]
        shop_field = "shop"

        def get_queryset(self, request: HttpRequest) -> QuerySet:
            queryset = super().get_queryset(request)  # type: ignore[misc]
            if request.user.is_superuser:
                return queryset
            return queryset.filter(shop__in=Shop.objects.for_user(request.user))

    ShopListFilter = "shop"  # type: ignore[assignment,misc]


@admin.register(ImportRun)
class ImportRunAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "shop",
        "file_name",
        "format",
        "status",
        "processed_rows",
        "error_count",
        "created_by",
    )
    list_filter = ("status", "format", ShopListFilter)
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"
    readonly_fields = (
        "shop",
        "created_by",
        "file",
        "file_name",
        "sha256",
        "size",
        "requested_format",
        "format",
        "kind",
        "status",
        "processed_rows",
        "total_rows",
        "counts",
        "errors",
        "error_count",
        "message",
        "checked_at",
        "committed_at",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are made by uploads and the import_orders command


@admin.register(MappingOverride)
class MappingOverrideAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    list_display = ("shop", "name", "updated_at")
    list_filter = (ShopListFilter,)
    fieldsets = (
        (
            None,
            {
                "fields": ("shop", "name", "content"),
                "description": _(
                    "Copy a file from imports/mappings/ (e.g. shopee.toml), add the header your "
                    "export now uses to the right list, and paste it here. Imports for this shop "
                    "use it from the next upload on."
                ),
            },
        ),
    )
