"""The one place stock changes: ``stock_set``. A 0 -> >0 change is a restock and tells the list."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Product, Shop
from stock.models import ProductVariant, RestockEvent, Source, StockSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

STOCK_MAX = 1_000_000


@dataclass(frozen=True)
class StockChange:
    product: Product
    variant: ProductVariant | None
    before: int  # the product's stock before
    after: int  # the product's stock after
    event: RestockEvent | None  # set when this change was a restock
    notified: int  # buyers on the waiting list given a restock message
    skipped: int  # buyers told nothing (opted out, no channel) though their entry was due


def _quantity_clean(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        try:
            quantity = int(str(quantity).strip())
        except (TypeError, ValueError):
            raise ValidationError(
                _("Stock must be a whole number, got %(value)s."),
                code="invalid_stock",
                params={"value": quantity},
            ) from None
    if quantity < 0:
        raise ValidationError(
            _("Stock cannot be negative (%(value)s): use 0 for sold out."),
            code="negative_stock",
            params={"value": quantity},
        )
    if quantity > STOCK_MAX:
        raise ValidationError(
            _("Stock of %(value)s is more than %(max)s: is there a typo?"),
            code="stock_too_large",
            params={"value": quantity, "max": STOCK_MAX},
        )
    return quantity


def stock_set(
    *,
    product: Product,
    variant: ProductVariant | None = None,
    quantity: int,
    by: AbstractBaseUser | None,
    source: str = Source.SELLER,
    now: datetime.datetime | None = None,
) -> StockChange:
    """Set the stock of a product (or one of its variants) and handle a restock.

    A product with variants takes its stock from them: set a variant, and the product's stock
    becomes their sum. When the product, or the variant, goes from 0 to more than 0, a
    RestockEvent is written and the buyers waiting for it get one restock follow-up each, in
    the order they joined, all in one transaction. The product row is locked first, so two
    workers setting the same product queue up and only one of them sees the transition.
    """
    quantity = _quantity_clean(quantity)
    if variant is not None and variant.product_id != product.pk:
        raise ValidationError(
            _("That variant belongs to another product."), code="variant_of_another_product"
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        before = locked.stock
        variant_before = None
        if variant is None:
            if ProductVariant.objects.filter(product=locked).exists():
                raise ValidationError(
                    _(
                        "%(product)s has variants: its stock is the sum of theirs. "
                        "Set the stock of a variant instead."
                    ),
                    code="has_variants",
                    params={"product": locked.name},
                )
            after = quantity
        else:
            locked_variant = ProductVariant.objects.select_for_update().get(pk=variant.pk)
            variant_before = locked_variant.stock
            ProductVariant.objects.filter(pk=variant.pk).update(stock=quantity, updated_at=now)
            variant.stock = quantity
            after = (
                ProductVariant.objects.filter(product=locked).aggregate(total=Sum("stock"))["total"]
                or 0
            )
        Product.objects.filter(pk=locked.pk).update(stock=after, updated_at=now)
        product.stock = after

        product_restocked = before == 0 and after > 0
        variant_restocked = variant is not None and variant_before == 0 and quantity > 0
        event, notified, skipped = _restock_record(
            product=locked,
            variant=variant if variant_restocked else None,
            product_restocked=product_restocked,
            stock_after=quantity if variant_restocked else after,
            source=source,
            by=by,
            now=now,
        )
    return StockChange(
        product=product,
        variant=variant,
        before=before,
        after=after,
        event=event,
        notified=notified,
        skipped=skipped,
    )


def _restock_record(
    *,
    product: Product,
    variant: ProductVariant | None,
    product_restocked: bool,
    stock_after: int,
    source: str,
    by: AbstractBaseUser | None,
    now: datetime.datetime,
) -> tuple[RestockEvent | None, int, int]:
    """Write the restock event (if this was one) and tell the waiting list. Inside the lock."""
    if not product_restocked and variant is None:
        return None, 0, 0
    from stock.services.waitlist import waitlist_notify

    event = RestockEvent.objects.create(
        shop_id=product.shop_id,
        product=product,
        variant=variant,
        product_restocked=product_restocked,
        stock_after=stock_after,
        source=source,
        by=by if by is not None and by.is_authenticated else None,
        occurred_at=now,
    )
    notified, skipped = waitlist_notify(event=event, now=now)
    return event, notified, skipped


def restock_eta_set(
    *, product: Product, eta: datetime.date | None, today: datetime.date | None = None
) -> Product:
    """Set (or clear) the restock estimate; a date in the past is refused."""
    today = today or timezone.localdate()
    if eta is not None and eta < today:
        raise ValidationError(
            _("The restock date %(date)s is in the past: pick today or a later day."),
            code="restock_date_past",
            params={"date": eta.isoformat()},
        )
    Product.objects.filter(pk=product.pk).update(restock_eta=eta, updated_at=timezone.now())
    product.restock_eta = eta
    return product


def variant_create(
    *,
    product: Product,
    colour: str = "",
    size: str = "",
    sku_suffix: str = "",
    stock: int = 0,
    by: AbstractBaseUser | None = None,
    source: str = Source.SELLER,
) -> ProductVariant:
    """Add a variant. The first variant takes over the product's stock bookkeeping."""
    colour, size = colour.strip(), size.strip()
    quantity = _quantity_clean(stock)
    if not colour and not size:
        raise ValidationError(_("A variant needs a colour or a size."), code="variant_empty")
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        first = not ProductVariant.objects.filter(product=locked).exists()
        if first and locked.stock and quantity != locked.stock:
            raise ValidationError(
                _(
                    "%(product)s has %(stock)s in stock. Its first variant must hold all of "
                    "them (%(stock)s), so the total stays right; split them afterwards."
                ),
                code="variant_stock_mismatch",
                params={"product": locked.name, "stock": locked.stock},
            )
        try:
            with transaction.atomic():
                variant = ProductVariant.objects.create(
                    shop_id=locked.shop_id,
                    product=locked,
                    colour=colour,
                    size=size,
                    sku_suffix=sku_suffix.strip(),
                    stock=quantity,
                )
        except IntegrityError:
            raise ValidationError(
                _("%(product)s already has the variant %(label)s."),
                code="variant_exists",
                params={
                    "product": locked.name,
                    "label": " / ".join(p for p in (colour, size) if p),
                },
            ) from None
        before = locked.stock
        after = ProductVariant.objects.filter(product=locked).aggregate(total=Sum("stock"))["total"]
        now = timezone.now()
        Product.objects.filter(pk=locked.pk).update(stock=after, updated_at=now)
        product.stock = after
        # A new variant has nobody waiting for it; only the product can come back here.
        _restock_record(
            product=locked,
            variant=None,
            product_restocked=before == 0 and after > 0,
            stock_after=after,
            source=source,
            by=by,
            now=now,
        )
    return variant


def product_stock_resum(*, product: Product) -> int:
    """After a variant is deleted: the product's stock is the sum of the variants left.

    Only goes down or stays (a deleted variant takes its stock with it), so it is never a
    restock. A product whose last variant went keeps 0 and its own stock from then on.
    """
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        total = ProductVariant.objects.filter(product=locked).aggregate(total=Sum("stock"))["total"]
        total = total or 0
        if total != locked.stock:
            Product.objects.filter(pk=locked.pk).update(stock=total, updated_at=timezone.now())
        product.stock = total
    return total


def item_by_sku(*, shop: Shop, sku: str) -> tuple[Product, ProductVariant | None]:
    """The product with this SKU, or the variant whose product SKU + suffix is it."""
    sku = (sku or "").strip()
    product = Product.objects.for_shop(shop).filter(sku=sku).first()
    if product is not None:
        return product, None
    prefixes = [sku[:i] for i in range(1, len(sku))]
    candidates = (
        ProductVariant.objects.for_shop(shop)
        .filter(product__sku__in=prefixes)
        .exclude(sku_suffix="")
        .select_related("product")
    )
    for variant in candidates:
        if variant.sku == sku:
            return variant.product, variant
    raise ValidationError(
        _("No product or variant with the SKU %(sku)s in %(shop)s."),
        code="product_not_found",
        params={"sku": sku, "shop": shop.name},
    )


def stock_import(*, shop: Shop, content: str) -> dict[str, int]:
    """Stock levels from CSV text (sku, stock, optional restock_eta), all checked first.

    One bad line (unknown SKU, negative or non-numeric stock, a date in the past, a product
    with variants given one stock) and nothing is written; the error names every bad line.
    Each row goes through stock_set, so restocks tell their waiting lists.
    """
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    if "sku" not in header or "stock" not in header:
        raise ValidationError(
            _("The CSV needs the columns sku and stock in its first line."),
            code="missing_columns",
        )
    rows: list[tuple[Product, ProductVariant | None, int, object]] = []
    errors: list[ValidationError] = []
    today = timezone.localdate()
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        try:
            product, variant = item_by_sku(shop=shop, sku=row.get("sku", ""))
            quantity = _quantity_clean(row.get("stock", ""))
            eta: object = ...
            if "restock_eta" in row:
                eta = None
                if row["restock_eta"]:
                    try:
                        eta = datetime.date.fromisoformat(row["restock_eta"])
                    except ValueError:
                        raise ValidationError(
                            _("restock_eta %(value)s is not a date like 2026-03-10."),
                            code="invalid_date",
                            params={"value": row["restock_eta"]},
                        ) from None
                    if eta < today:
                        raise ValidationError(
                            _("The restock date %(date)s is in the past."),
                            code="restock_date_past",
                            params={"date": row["restock_eta"]},
                        )
            if variant is None and product.variants.exists():  # type: ignore[attr-defined]
                raise ValidationError(
                    _("%(sku)s has variants: give each variant's SKU instead."),
                    code="has_variants",
                    params={"sku": product.sku},
                )
            rows.append((product, variant, quantity, eta))
        except ValidationError as error:
            for message in error.messages:
                errors.append(
                    ValidationError(
                        _("Line %(line)d: %(message)s"),
                        code="invalid_row",
                        params={"line": line, "message": message},
                    )
                )
    if errors:
        raise ValidationError(errors)
    result = {"updated": 0, "restocked": 0, "notified": 0}
    with transaction.atomic():
        for product, variant, quantity, eta in rows:
            if eta is not ...:
                restock_eta_set(product=product, eta=eta, today=today)  # type: ignore[arg-type]
            change = stock_set(
                product=product, variant=variant, quantity=quantity, by=None, source=Source.IMPORT
            )
            result["updated"] += 1
            result["restocked"] += change.event is not None
            result["notified"] += change.notified
    return result


def stock_settings_get(*, shop: Shop) -> StockSettings:
    found = StockSettings.objects.filter(shop=shop).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return StockSettings.objects.create(shop=shop)
    except IntegrityError:
        return StockSettings.objects.get(shop=shop)
