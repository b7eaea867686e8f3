"""Buyer-page helpers that read only what the page already loaded (no extra queries)."""

from __future__ import annotations

import datetime

from django import template
from django.core.exceptions import ObjectDoesNotExist

from customers.models import Interaction

register = template.Library()

# Timeline entries where the shop and the buyer actually talked (not notes or system events).
CONTACT_KINDS = frozenset(
    {
        Interaction.Kind.CHAT,
        Interaction.Kind.CALL,
        Interaction.Kind.FOLLOWUP,
        Interaction.Kind.REPLY,
    }
)


@register.filter
def last_contact(history) -> datetime.datetime | None:
    """The newest chat, call, sent follow-up or review reply in a loaded BuyerHistory."""
    times = [i.occurred_at for i in history.interactions if i.kind in CONTACT_KINDS]
    times += [r.replied_at for r in history.reviews if r.reply_status == "sent" and r.replied_at]
    times += [f.sent_at for f in history.followups if f.status == "sent" and f.sent_at]
    return max(times, default=None)


@register.filter
def buyer_tier(buyer):
    """The membership tier a buyer reached (``tier_state`` select_related), or None."""
    try:
        state = buyer.tier_state
    except ObjectDoesNotExist:
        return None
    return state.tier if state is not None else None
