"""Cancellations and the shop's own penalty rules."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Channel
from customers.models import Order, Shop
from stock.models import Cancellation, PenaltyRule

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def cancellation_record(
    *,
    shop: Shop,
    order_number: str,
    channel: str,
    initiator: str,
    reason: str,
    note: str = "",
    occurred_at: datetime.datetime | None = None,
    by: AbstractBaseUser | None = None,
) -> Cancellation:
    """Record that an order of ``shop`` was cancelled, by whom and why; marks it cancelled.

    The order is looked up by its number and channel inside the shop only: an unknown number (or
    another shop's) is refused with code ``order_not_found``; a second record for the same order
    with ``already_cancelled``. Nothing is written on an error.
    """
    order_number = (order_number or "").strip().lstrip("#")
    if channel not in Channel.values:
        raise ValidationError(
            _("Unknown channel %(channel)s."), code="invalid_channel", params={"channel": channel}
        )
    if initiator not in Cancellation.Initiator.values:
        raise ValidationError(
            _("Unknown initiator %(value)s: use seller, buyer or marketplace."),
            code="invalid_initiator",
            params={"value": initiator},
        )
    if reason not in Cancellation.Reason.values:
        raise ValidationError(
            _("Unknown reason %(value)s."), code="invalid_reason", params={"value": reason}
        )
    if not order_number:
        raise ValidationError(_("Give the order number."), code="order_number_missing")
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            _("The cancellation time is in the future."), code="cancelled_in_future"
        )
    order = Order.objects.for_shop(shop).filter(channel=channel, external_id=order_number).first()
    if order is None:
        raise ValidationError(
            _("There is no %(channel)s order #%(number)s in this shop."),
            code="order_not_found",
            params={"channel": Channel(channel).label, "number": order_number},
        )
    try:
        with transaction.atomic():
            cancellation = Cancellation.objects.create(
                shop=shop,
                order=order,
                channel=order.channel,
                initiator=initiator,
                reason=reason,
                note=note.strip()[:300],
                occurred_at=occurred_at,
                recorded_by=by if by is not None and by.is_authenticated else None,
            )
            Order.objects.filter(pk=order.pk).update(
                status=Order.Status.CANCELLED, updated_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(
            _("Order #%(number)s already has a cancellation recorded."),
            code="already_cancelled",
            params={"number": order_number},
        ) from None
    return cancellation


def penalty_rule_save(
    *,
    shop: Shop,
    channel: str,
    window_days: int,
    threshold: int,
    penalty: str,
    repeats: bool = True,
) -> PenaltyRule:
    """Set the shop's own rule for a channel (replacing the default)."""
    if channel not in Channel.values:
        raise ValidationError(
            _("Unknown channel %(channel)s."), code="invalid_channel", params={"channel": channel}
        )
    if not 1 <= window_days <= 365:
        raise ValidationError(
            _("The window must be between 1 and 365 days."), code="invalid_window"
        )
    if not 1 <= threshold <= 1000:
        raise ValidationError(
            _("Rejections per penalty must be between 1 and 1000."), code="invalid_threshold"
        )
    if not penalty.strip():
        raise ValidationError(_("Say what the penalty is."), code="penalty_missing")
    rule, _created = PenaltyRule.objects.update_or_create(
        shop=shop,
        channel=channel,
        defaults={
            "window_days": window_days,
            "threshold": threshold,
            "penalty": penalty.strip()[:200],
            "repeats": repeats,
        },
    )
    return rule


def penalty_rule_reset(*, shop: Shop, channel: str) -> int:
    """Go back to the documented default for a channel."""
    deleted, _detail = PenaltyRule.objects.filter(shop=shop, channel=channel).delete()
    return deleted
