"""Admin pieces every app shares: shop scoping for managers, rupiah columns, shop filters.

A staff manager who is not a superuser sees and edits only the rows of their own shops. Every
admin class (and every inline) mixes in ``ShopScopedAdminMixin`` and says how its model reaches
its shop with ``shop_field``::

    @admin.register(FollowUp)
    class FollowUpAdmin(ShopScopedAdminMixin, admin.ModelAdmin):
        shop_field = "order__shop"   # default "shop"; None on the Shop admin itself

The mixin then scopes, in one place:
- the changelist, change/delete pages, bulk actions, raw-id popups and autocomplete results
  (all go through ``get_queryset``; autocomplete uses the *related* model's admin);
- foreign-key and many-to-many choices, including ``shop`` itself and users (only members of
  the manager's shops);
- saving: an object (or an inline row) whose shop is not one of the manager's shops, or that
  points at a buyer/product/order of another shop, is refused with a form error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.templatetags.rawat import format_rupiah
from customers.models import Shop

ALL_SHOPS = None  # what ``allowed_shop_ids`` returns for a superuser


def allowed_shop_ids(request: HttpRequest) -> set[int] | None:
    """The pks of the shops this admin user may touch; None means every shop (superuser).

    Cached on the request: one query per request however many fields and inlines ask.
    """
    user = request.user
    if user.is_active and user.is_superuser:
        return ALL_SHOPS
    cached = getattr(request, "_rawat_admin_shop_ids", None)
    if cached is None:
        cached = set(Shop.objects.for_user(user).values_list("pk", flat=True))
        request._rawat_admin_shop_ids = cached  # type: ignore[attr-defined]
    return cached


def shop_path_of(model: type[models.Model]) -> str | None:
    """How a model reaches its shop: None for Shop itself, "" when it has no shop at all.

    Registered admins say it with ``shop_field``; otherwise a direct ``shop`` foreign key is used.
    """
    if model is Shop:
        return None
    model_admin = admin.site._registry.get(model)
    if model_admin is not None and hasattr(model_admin, "shop_field"):
        return model_admin.shop_field
    try:
        field = model._meta.get_field("shop")
    except Exception:
        return ""
    return "shop" if getattr(field, "related_model", None) is Shop else ""


def scope_queryset(queryset: QuerySet, shop_ids: set[int] | None, path: str | None) -> QuerySet:
    """Filter a queryset to the rows whose shop is in ``shop_ids`` (None: leave it whole)."""
    if shop_ids is ALL_SHOPS or path == "":
        return queryset
    lookup = "pk__in" if path is None else f"{path}__in"
    return queryset.filter(**{lookup: shop_ids})


def shop_id_of(obj: models.Model | None, path: str | None) -> int | None:
    """The shop pk an object belongs to, following ``path`` ("shop", "order__shop", None)."""
    if obj is None:
        return None
    if path is None:
        return obj.pk if isinstance(obj, Shop) else None
    if path == "":
        return None
    *hops, last = path.split("__")
    for hop in hops:
        if getattr(obj, f"{hop}_id", True) is None:
            return None
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def related_shop_id(value: Any) -> int | None:
    """The shop of a value picked in a form (a Shop, a shop-scoped row), or None if unscoped."""
    if not isinstance(value, models.Model):
        return None
    path = shop_path_of(type(value))
    if path is None:
        return value.pk
    return shop_id_of(value, path)


def mismatched_fields(cleaned_data: dict[str, Any], shop_id: int | None) -> list[str]:
    """Fields of a form whose chosen rows belong to another shop than ``shop_id``."""
    if shop_id is None:
        return []
    wrong = []
    for name, value in cleaned_data.items():
        values: Iterable[Any] = value if isinstance(value, QuerySet | list | tuple) else [value]
        for item in values:
            other = related_shop_id(item)
            if other is not None and other != shop_id:
                wrong.append(name)
                break
    return wrong


def _check_form(
    form: forms.ModelForm, *, shop_ids: set[int] | None, path: str | None, parent: Any = None
) -> None:
    """Add errors to a form whose object would land in a foreign shop or mix two shops."""
    cleaned = form.cleaned_data
    instance = form.instance
    if path is None:
        shop_id = instance.pk
    else:
        # "shop" -> the chosen shop; "order__shop" -> the chosen order's shop.
        first = path.split("__")[0]
        if first in cleaned:
            shop_id = related_shop_id(cleaned[first])
        else:
            shop_id = shop_id_of(instance, path)
    if shop_id is None and parent is not None:
        shop_id = related_shop_id(parent)
    if shop_id is not None and shop_ids is not ALL_SHOPS and shop_id not in shop_ids:
        form.add_error(None, gettext("You can only save rows of your own shops."))
        return
    for name in mismatched_fields(cleaned, shop_id):
        form.add_error(name, gettext("This belongs to another shop."))


class ShopScopedForm(forms.ModelForm):
    """Base form of every scoped admin: refuses foreign shops and cross-shop references."""

    rawat_shop_ids: set[int] | None = ALL_SHOPS
    rawat_shop_path: str | None = "shop"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_form(self, shop_ids=self.rawat_shop_ids, path=self.rawat_shop_path)
        return cleaned


class ShopScopedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows take their shop from the parent; a row pointing into another shop is refused."""

    rawat_shop_ids: set[int] | None = ALL_SHOPS
    rawat_shop_path: str | None = "shop"

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.has_changed():
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            _check_form(
                form, shop_ids=self.rawat_shop_ids, path=self.rawat_shop_path, parent=self.instance
            )


class _ScopedFormfieldsMixin:
    """Foreign-key and many-to-many choices limited to the user's shops (shared by inlines)."""

    shop_field: str | None = "shop"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return scope_queryset(queryset, allowed_shop_ids(request), self.shop_field)

    def _scoped_choices(
        self, db_field: models.Field, request: HttpRequest, queryset: QuerySet | None
    ) -> QuerySet | None:
        shop_ids = allowed_shop_ids(request)
        if shop_ids is ALL_SHOPS:
            return queryset
        model = db_field.related_model
        if queryset is None:
            queryset = model._default_manager.all()
        if model is get_user_model() or model._meta.label == settings.AUTH_USER_MODEL:
            # Managers pick among the people of their own shops, never the whole user table.
            return queryset.filter(memberships__shop__in=shop_ids).distinct()
        return scope_queryset(queryset, shop_ids, shop_path_of(model))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        kwargs["queryset"] = self._scoped_choices(db_field, request, kwargs.get("queryset"))
        if kwargs["queryset"] is None:
            del kwargs["queryset"]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        kwargs["queryset"] = self._scoped_choices(db_field, request, kwargs.get("queryset"))
        if kwargs["queryset"] is None:
            del kwargs["queryset"]
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _in_scope(self, request: HttpRequest, obj: models.Model | None) -> bool:
        shop_ids = allowed_shop_ids(request)
        if obj is None or shop_ids is ALL_SHOPS or self.shop_field == "":
            return True
        shop_id = shop_id_of(obj, self.shop_field)
        return shop_id is None or shop_id in shop_ids

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]


class ShopScopedAdminMixin(_ScopedFormfieldsMixin):
    """Mix into every ModelAdmin of a shop-owned model (see the module docstring)."""

    form = ShopScopedForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        return type(
            form.__name__,
            (form,),
            {"rawat_shop_ids": allowed_shop_ids(request), "rawat_shop_path": self.shop_field},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form already refused this; a direct call (an action, a custom view) must not slip.
        if not self._in_scope(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows that carry their own ``shop`` get the parent's shop."""
        parent_shop_id = related_shop_id(form.instance)
        instances = formset.save(commit=False)
        for instance in instances:
            if parent_shop_id and hasattr(instance, "shop_id") and not instance.shop_id:
                instance.shop_id = parent_shop_id
            if instance.pk is None and hasattr(instance, "author_id") and not instance.author_id:
                instance.author_id = request.user.pk  # a note typed in the admin is the user's
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


class ShopScopedInlineMixin(_ScopedFormfieldsMixin):
    """Mix into every inline; ``shop_field`` is the inline model's path to its shop."""

    formset = ShopScopedInlineFormSet

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        return type(
            formset.__name__,
            (formset,),
            {"rawat_shop_ids": allowed_shop_ids(request), "rawat_shop_path": self.shop_field},
        )


class ShopListFilter(admin.SimpleListFilter):
    """Filter by shop, offering only the user's shops; hidden when there is only one."""

    title = _("shop")
    parameter_name = "shop"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        shops = scope_queryset(Shop.objects.all(), allowed_shop_ids(request), None)
        return [(shop.pk, shop.name) for shop in shops.order_by("name")]

    def has_output(self) -> bool:
        # Hidden for a one-shop manager, but still applied when the URL asks for a shop.
        return len(self.lookup_choices) > 1 or self.value() is not None

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            shop_id = int(value)
        except (TypeError, ValueError):
            return queryset.none()
        path = getattr(self, "_path", "shop")
        return queryset.filter(**{"pk" if path is None else path: shop_id})

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self._path = getattr(model_admin, "shop_field", "shop")
        super().__init__(request, params, model, model_admin)


def rupiah_column(field: str, description: str | Any) -> Any:
    """A changelist column showing an integer rupiah field as "Rp 125.000", sortable."""

    @admin.display(description=description, ordering=field)
    def column(self: Any, obj: Any) -> str:
        return format_rupiah(getattr(obj, field))

    column.__name__ = f"{field}_rp"
    return column
