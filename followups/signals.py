"""Receivers: an inbound chat that says STOP / BERHENTI opts the buyer out, whoever logged it."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from customers.models import Interaction


@receiver(post_save, sender=Interaction, dispatch_uid="followups_inbound_stop")
def inbound_stop(sender, instance: Interaction, created: bool, **kwargs) -> None:
    if not created or instance.kind != Interaction.Kind.CHAT:
        return
    if (instance.data or {}).get("direction") != "inbound":
        return
    from followups.services.outbox import buyer_opt_out, is_stop_reply

    if is_stop_reply(instance.text):
        buyer_opt_out(buyer=instance.buyer, source="reply", by=instance.author)
