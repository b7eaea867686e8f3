"""What the Product admin (customers/admin.py) mixes in so that stock goes through stock_set.

An admin save that changes a product's stock, on the change page or in the changelist's
editable column, calls ``stock.services.stock_set`` instead of writing the column: a restock
from 0 tells the waiting list exactly once, as on every other path. A signal comparing old and
new stock was the alternative; it would miss ``QuerySet.update`` and bulk writes, fire again on
stock_set's own writes, and could not report errors on the form. The explicit call does neither.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.admin import ShopScopedForm
from stock.models import Source


class ProductStockAdminForm(ShopScopedForm):
    """Refuses, on the form: negative stock, a stock for a product with variants, a past ETA."""

    def clean_stock(self) -> int:
        stock = self.cleaned_data.get("stock")
        if stock is not None and stock < 0:
            raise ValidationError(
                _("Stock cannot be negative: use 0 for sold out."), code="negative_stock"
            )
        instance = self.instance
        if (
            instance.pk and "stock" in self.changed_data and instance.variants.exists()  # type: ignore[attr-defined]
        ):
            raise ValidationError(
                _("This product has variants: change their stock on the variants page."),
                code="has_variants",
            )
        return stock

    def clean_restock_eta(self) -> Any:
        eta = self.cleaned_data.get("restock_eta")
        if eta is not None and "restock_eta" in self.changed_data and eta < timezone.localdate():
            raise ValidationError(
                _("The restock date is in the past: pick today or a later day."),
                code="restock_date_past",
            )
        return eta


class ProductStockAdminMixin:
    """Mix in before ShopScopedAdminMixin on the Product admin."""

    form = ProductStockAdminForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change or "stock" not in form.changed_data:
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            return
        if not self._in_scope(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        from stock.services import stock_set

        with transaction.atomic():
            result = stock_set(
                product=obj, quantity=obj.stock, by=request.user, source=Source.ADMIN
            )
            # The other fields; the stock column already holds the same value.
            super().save_model(request, obj, form, change)  # type: ignore[misc]
        if result.event is not None:
            self.message_user(  # type: ignore[attr-defined]
                request,
                _(
                    "%(product)s is back in stock: %(n)d waiting buyer(s) get a message in the outbox."
                )
                % {"product": obj.name, "n": result.notified},
                messages.SUCCESS,
            )
