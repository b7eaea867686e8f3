"""The audit trail in the admin: read-only, a manager sees only the entries of their shops.

django-auditlog registers its own (unscoped) admin for the log entry model; it is replaced here
by one built on crm.admin.ShopScopedAdminMixin, like every other Rawat admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.tracking import tracked_models
from crm.admin import ShopListFilter, ShopScopedAdminMixin, allowed_shop_ids, scope_queryset

if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


class ModelFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "model"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        types = ContentType.objects.get_for_models(*tracked_models())
        return sorted(
            ((ct.pk, str(model._meta.verbose_name).capitalize()) for model, ct in types.items()),
            key=lambda item: item[1],
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(content_type_id=int(value))


class WhoFilter(admin.SimpleListFilter):
    """The people, jobs and commands that changed something in the manager's shops."""

    title = _("who")
    parameter_name = "who"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        entries = scope_queryset(AuditEntry.objects.all(), allowed_shop_ids(request), "shop")
        labels = entries.order_by("actor_label").values_list("actor_label", flat=True).distinct()
        return [(label, label or "system") for label in labels[:200]]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset if value is None else queryset.filter(actor_label=value)


@admin.register(AuditEntry)
class AuditEntryAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
    shop_field = "shop"
    date_hierarchy = "timestamp"
    list_display = ("timestamp", "shop_name", "who", "action", "what", "object_link", "summary")
    list_filter = (ShopListFilter, ModelFilter, WhoFilter, "action", "timestamp")
    list_select_related = ("content_type", "shop", "actor")
    search_fields = ("object_repr", "actor_label", "changes")
    fields = (
        "timestamp",
        "shop_name",
        "who",
        "action",
        "what",
        "object_link",
        "changes_table",
        "remote_addr",
        "cid",
    )
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("shop"), ordering="shop__name")
    def shop_name(self, entry: AuditEntry) -> str:
        return entry.shop.name if entry.shop_id and entry.shop else "—"

    @admin.display(description=_("who"), ordering="actor_label")
    def who(self, entry: AuditEntry) -> str:
        return entry.actor_label or (entry.actor.get_username() if entry.actor else "system")

    @admin.display(description=_("what"), ordering="content_type")
    def what(self, entry: AuditEntry) -> str:
        model = entry.content_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model

    @admin.display(description=_("object"))
    def object_link(self, entry: AuditEntry) -> str:
        model = entry.content_type.model_class()
        if model is None or entry.action == AuditEntry.Action.DELETE:
            return entry.object_repr
        try:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                args=[entry.object_id if entry.object_id is not None else entry.object_pk],
            )
        except NoReverseMatch:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)

    def _changes(self, entry: AuditEntry) -> list[tuple[str, str, str]]:
        rows = []
        for name, change in (entry.changes_dict or {}).items():
            if isinstance(change, dict):  # a many-to-many change: objects added or removed
                sign = "+" if change.get("operation") == "add" else "−"
                rows.append((name, "", f"{sign} " + ", ".join(map(str, change.get("objects", [])))))
            else:
                old, new = (list(change) + ["", ""])[:2]
                rows.append((name, str(old), str(new)))
        return rows

    @admin.display(description=_("changes"))
    def summary(self, entry: AuditEntry) -> str:
        return ", ".join(name for name, _old, _new in self._changes(entry))

    @admin.display(description=_("changes (old → new)"))
    def changes_table(self, entry: AuditEntry) -> str:
        rows = self._changes(entry)
        if not rows:
            return "—"
        return format_html(
            '<table class="audit-changes"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            _("field"),
            _("old"),
            _("new"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
