"""Writes about buyers: timeline entries a seller adds by hand."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Buyer, Interaction, Order

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TEXT_MAX_LENGTH = 5000


def interaction_create(
    *,
    buyer: Buyer,
    kind: str,
    text: str,
    author: AbstractBaseUser | None,
    occurred_at: datetime | None = None,
    order: Order | None = None,
    channel: str = "",
    data: dict[str, Any] | None = None,
) -> Interaction:
    """Add an entry (note, chat, call, ...) to a buyer's timeline, in the buyer's shop.

    The text is stripped; an empty one, an unknown kind, or an order of another buyer is refused
    with a ValidationError and nothing is written.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The note is empty: write something first."), code="empty_text")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("The note is too long: at most %(limit)d characters."),
            code="text_too_long",
            params={"limit": TEXT_MAX_LENGTH},
        )
    if kind not in Interaction.Kind.values:
        raise ValidationError(
            _("%(kind)s is not a kind of timeline entry."),
            code="invalid_kind",
            params={"kind": kind},
        )
    if order is not None and order.buyer_id != buyer.pk:
        raise ValidationError(
            _("That order belongs to another buyer."), code="order_of_another_buyer"
        )
    return Interaction.objects.create(
        shop_id=buyer.shop_id,
        buyer=buyer,
        order=order,
        kind=kind,
        channel=channel,
        text=text,
        occurred_at=occurred_at or timezone.now(),
        author=author if author is not None and author.is_authenticated else None,
        data=data or {},
    )
