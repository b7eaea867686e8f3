"""The waiting list ("Ingatkan Saya"): joining it, and telling it about a restock."""

from __future__ import annotations

import copy
import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Buyer, Product
from followups.models import FollowUp
from followups.services import restock_notify
from stock.models import ProductVariant, RestockEvent, Source, WaitlistEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def waitlist_join(
    *,
    product: Product,
    buyer: Buyer,
    variant: ProductVariant | None = None,
    source: str = Source.SELLER,
    by: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> tuple[WaitlistEntry, bool]:
    """Put a buyer on a sold-out product's (or variant's) waiting list; (entry, created).

    Any importer can call it. Joining twice returns the open entry. Refused with a code: a buyer
    of another shop, a variant of another product, an item in stock, an opted-out buyer.
    """
    waitlist_join_check(product=product, buyer=buyer, variant=variant)
    if source not in Source.values:
        raise ValidationError(
            _("Unknown source %(source)s."), code="invalid_source", params={"source": source}
        )
    open_entries = WaitlistEntry.objects.waiting().filter(product=product, buyer=buyer)
    open_entries = (
        open_entries.filter(variant=variant)
        if variant
        else open_entries.filter(variant__isnull=True)
    )
    existing = open_entries.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                shop_id=product.shop_id,
                product=product,
                variant=variant,
                buyer=buyer,
                source=source,
                joined_at=now or timezone.now(),
                added_by=by if by is not None and by.is_authenticated else None,
            )
    except IntegrityError:  # The same buyer joined at the same moment from elsewhere.
        return open_entries.get(), False
    return entry, True


def waitlist_join_check(
    *, product: Product, buyer: Buyer, variant: ProductVariant | None = None
) -> None:
    """The rules of joining (also used by the admin form): raise ValidationError with a code."""
    if buyer.shop_id != product.shop_id:
        raise ValidationError(
            _("%(buyer)s is a buyer of another shop."),
            code="buyer_of_another_shop",
            params={"buyer": buyer.name},
        )
    if variant is not None and variant.product_id != product.pk:
        raise ValidationError(
            _("That variant belongs to another product."), code="variant_of_another_product"
        )
    if buyer.opted_out_at is not None:
        raise ValidationError(
            _("%(buyer)s asked to get no messages, so we cannot tell them about a restock."),
            code="buyer_opted_out",
            params={"buyer": buyer.name},
        )
    item_stock = variant.stock if variant is not None else product.stock
    if item_stock > 0:
        raise ValidationError(
            _("%(item)s is in stock (%(stock)s): no need to wait."),
            code="in_stock",
            params={
                "item": f"{product.name} – {variant.label}" if variant else product.name,
                "stock": item_stock,
            },
        )


def waitlist_notify(
    *, event: RestockEvent, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Tell the buyers waiting for ``event``'s product or variant; (notified, skipped).

    Called by stock_set inside its transaction, with the product row locked. Each open entry is
    told at most once: it is linked to the follow-up it got and closed (``told_at``), so a later
    call for the same restock finds nothing open. Entries get their messages in join order.
    """
    now = now or timezone.now()
    product = event.product
    which = Q()
    if event.product_restocked:
        which |= Q(variant__isnull=True)
    if event.variant_id:
        which |= Q(variant_id=event.variant_id)
    entries = list(
        WaitlistEntry.objects.waiting()
        .filter(which, product=product)
        .select_related("buyer")
        .select_for_update(of=("self",))
        .order_by("joined_at", "pk")
    )
    if not entries:
        return 0, 0
    subject = product
    if event.variant_id and not event.product_restocked:
        # The message names the variant that came back ("... – Sage / L").
        subject = copy.copy(product)
        subject.name = f"{product.name} – {event.variant.label}"
    # The hook names the occasion by this restock, tells each buyer once (for their first
    # entry) and hands back each buyer's follow-up, new or made by an earlier call.
    followups = restock_notify(
        product=subject, entries_or_buyers=entries, restock_event_id=event.pk, now=now
    ).followups
    notified = skipped = 0
    told: list[WaitlistEntry] = []
    for entry in entries:
        followup = followups.get(entry.buyer_id)
        if followup is None:
            continue  # The shop turned restock messages off: the entry keeps waiting.
        entry.told_at, entry.restock_event, entry.followup = now, event, followup
        told.append(entry)
        if followup.status == FollowUp.Status.SKIPPED:
            skipped += 1
        else:
            notified += 1
    WaitlistEntry.objects.bulk_update(told, ["told_at", "restock_event", "followup"])
    RestockEvent.objects.filter(pk=event.pk).update(notified=notified)
    event.notified = notified
    return notified, skipped
