"""Pieces every app shares: the timestamped base model and the sales channels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Channel(models.TextChoices):
    """Where a seller meets buyers. Orders and reviews come from the first six."""

    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    LAZADA = "lazada", "Lazada"
    BUKALAPAK = "bukalapak", "Bukalapak"
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


MARKETPLACES = (Channel.SHOPEE, Channel.TOKOPEDIA, Channel.LAZADA, Channel.BUKALAPAK)
