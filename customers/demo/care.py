"""The demo shop's follow-up history: what the care rules sent, skipped or still hold.

The shop switched the order rules on ``CARE_DAYS`` days before the anchor, so orders delivered
since then have the messages the planner and the sender would have left behind: a late-delivery
apology for each late order, thank-yous, review requests for orders without a review, and a care
message for each review that needed care. Most went out (``sent``); a few were skipped with the
planner's reasons or failed; those of the last day are still ``due``, and care messages of the
last week wait for the seller's approval (``held``), as with ``care_auto_send`` off. Texts are
the shop's default templates (followups.texts) filled with the order's facts; keys are the
planner's (``<kind>:<order or review id>``), so a real planning run never duplicates them.

Rows are plain tuples for RowWriter, made from the order's own random generator after
everything else about the order, so adding this history changed no earlier column.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from crm.models import Channel
from followups.models import FollowUp, Kind, SkipReason
from followups.texts import DEFAULT_TEXTS

CARE_DAYS = 45
THANK_YOU_SHARE = 0.3
REVIEW_REQUEST_SHARE = 0.5
FAILED_SHARE = 0.01

FOLLOWUP_FIELDS = [
    "shop",
    "buyer",
    "order",
    "review",
    "kind",
    "channel",
    "marketplace",
    "recipient",
    "due_at",
    "status",
    "skip_reason",
    "subject",
    "text",
    "facts",
    "tone_verdict",
    "needs_approval",
    "attempts",
    "last_error",
    "sent_at",
    "idempotency_key",
    "created_at",
]

_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_MARKETPLACES = {Channel.SHOPEE: "Shopee", Channel.TOKOPEDIA: "Tokopedia"}
_TOPICS = {
    "delivery_delay": "pengiriman terlambat",
    "courier_service": "layanan kurir",
    "product_quality": "kualitas produk",
    "damaged": "barang rusak",
    "wrong_item": "barang tidak sesuai",
    "missing_item": "barang kurang",
    "packaging": "kemasan",
    "size_fit": "ukuran",
}


def _day(value: datetime | None) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else "-"


class CareHistory:
    """Follow-up rows for the orders of one chunk (see the module docstring)."""

    def __init__(self, *, shop_id: int, shop_name: str, anchor: datetime, dt: Any) -> None:
        self.shop_id = shop_id
        self.shop_name = shop_name
        self.anchor = anchor
        self.since = anchor - timedelta(days=CARE_DAYS)
        self.dt = dt

    def rows(
        self,
        *,
        rng: random.Random,
        order: Any,
        buyer: tuple,
        product: str,
        courier: str,
        review: tuple | None,
        review_pk: int | None,
    ) -> list[tuple[Any, ...]]:
        """The follow-ups of one order: ``buyer`` is (pk, name, email, phone, opted_out);
        ``review`` the review's (rating, topics, needs_care) if it has one."""
        delivered = order.delivered_at
        if delivered is None or delivered < self.since:
            return []
        wanted: list[tuple[str, datetime, int | None]] = []
        if order.delay:
            wanted.append((Kind.LATE_APOLOGY, delivered + timedelta(hours=1), None))
        roll = rng.random()
        if roll < THANK_YOU_SHARE:
            wanted.append((Kind.THANK_YOU, delivered + timedelta(days=2), None))
        if review is None:
            if rng.random() < REVIEW_REQUEST_SHARE:
                wanted.append((Kind.REVIEW_REQUEST, delivered + timedelta(days=5), None))
        elif review[2] and review_pk is not None:
            wanted.append((Kind.CARE, delivered + timedelta(hours=rng.randint(30, 100)), review_pk))
        if not wanted:
            return []
        buyer_pk, name, email, phone, opted_out = buyer
        channel = order.skeleton.channel
        if channel == Channel.WHATSAPP and phone:
            via, recipient, marketplace = FollowUp.Via.WHATSAPP, phone, ""
        elif email:
            via, recipient, marketplace = FollowUp.Via.EMAIL, email, ""
        elif channel in _MARKETPLACES:
            via, recipient, marketplace = FollowUp.Via.MARKETPLACE, "", channel
        elif phone:
            via, recipient, marketplace = FollowUp.Via.WHATSAPP, phone, ""
        else:
            via, recipient, marketplace = FollowUp.Via.NONE, "", ""
        facts = {
            "buyer_name": name,
            "shop_name": self.shop_name,
            "order_id": order.skeleton.external_id,
            "product": product,
            "courier": courier or "-",
            "tracking_number": order.tracking or "-",
            "marketplace": _MARKETPLACES.get(channel, "WhatsApp"),
            "promised_date": _day(order.promised_at),
            "delivered_date": _day(delivered),
            "shipped_date": _day(order.shipped_at),
            "delay_days": order.delay,
        }
        # The planner wrote them when the order was delivered (its schedule runs every hour).
        planned_at = self.dt(min(delivered + timedelta(minutes=rng.randint(5, 60)), self.anchor))
        rows = []
        for kind, due_at, for_review in wanted:
            if due_at > self.anchor + timedelta(days=3):
                continue
            occasion = "delivered" if kind == Kind.LATE_APOLOGY else ""
            subject, body = DEFAULT_TEXTS[(kind, occasion, "id")]
            kind_facts = facts
            if kind == Kind.CARE:
                rating, topics, _care = review
                kind_facts = {
                    **facts,
                    "rating": rating,
                    "topics": ", ".join(_TOPICS.get(t, t) for t in topics) or "ulasan",
                }
            status, skip, sent_at, attempts, error = self._fate(
                rng, kind=kind, due_at=due_at, via=via, opted_out=opted_out
            )
            key_pk = for_review if kind == Kind.CARE else order.pk
            rows.append(
                (
                    self.shop_id,
                    buyer_pk,
                    order.pk,
                    for_review,
                    kind,
                    via,
                    marketplace,
                    recipient,
                    self.dt(due_at),
                    status,
                    skip,
                    subject.format_map(kind_facts),
                    body.format_map(kind_facts),
                    json.dumps(kind_facts, ensure_ascii=False),
                    "ok",
                    kind == Kind.CARE,
                    attempts,
                    error,
                    self.dt(sent_at),
                    f"{kind}:{key_pk}",
                    planned_at,
                )
            )
        return rows

    def _fate(
        self, rng: random.Random, *, kind: str, due_at: datetime, via: str, opted_out: bool
    ) -> tuple[str, str, datetime | None, int, str]:
        """(status, skip reason, sent at, attempts, last error) as of the anchor."""
        if opted_out:
            return FollowUp.Status.SKIPPED, SkipReason.OPTED_OUT, None, 0, ""
        if via == FollowUp.Via.NONE:
            return FollowUp.Status.SKIPPED, SkipReason.NO_CHANNEL, None, 0, ""
        age = self.anchor - due_at
        if kind == Kind.CARE and age < timedelta(days=7):
            return FollowUp.Status.HELD, "", None, 0, ""
        if age < timedelta(0):
            return FollowUp.Status.PLANNED, "", None, 0, ""
        if age < timedelta(days=1):
            return FollowUp.Status.DUE, "", None, 0, ""
        roll = rng.random()
        if roll < FAILED_SHARE and via == FollowUp.Via.EMAIL:
            return FollowUp.Status.FAILED, "", None, 3, "550 5.1.1 Mailbox unavailable"
        if kind == Kind.REVIEW_REQUEST and roll < 0.1:
            return FollowUp.Status.SKIPPED, SkipReason.ALREADY_REVIEWED, None, 0, ""
        if roll < 0.03:
            return FollowUp.Status.SKIPPED, SkipReason.STALE, None, 0, ""
        sent_at = min(due_at + timedelta(minutes=rng.randint(1, 90)), self.anchor)
        return FollowUp.Status.SENT, "", sent_at, 1, ""
