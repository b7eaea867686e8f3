"""Signed, non-expiring unsubscribe tokens: the buyer id, signed with SECRET_KEY and a salt."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "followups.unsubscribe"


def unsubscribe_token(*, buyer_id: int) -> str:
    return signing.dumps(buyer_id, salt=_SALT, compress=False)


def unsubscribe_buyer_id(token: str) -> int | None:
    """The buyer id a token was made for, or None when it was tampered with."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(*, buyer_id: int) -> str:
    base = getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"
    path = reverse("followups:unsubscribe", args=[unsubscribe_token(buyer_id=buyer_id)])
    return base.rstrip("/") + path
