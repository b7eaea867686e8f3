"""Writes: a one-off loyalty touch to every buyer of a segment, through the follow-up engine."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import BuyerHandle, Shop
from followups.messages import render_safe
from followups.models import FollowUp, Kind, SkipReason
from followups.services import care_settings_get, channel_pick
from followups.services.common import tone_check, tone_check_rendered
from insights.segments import segment_buyers, segment_get

# A seller's touch to a segment is a marketing message with its own kind: the weekly marketing
# cap, consent, opt-out and quiet hours apply, but no care-rule switch (the seller asked for it
# just now), and the dashboard counts it apart from the automatic win-backs.
TOUCH_KIND = Kind.SEGMENT_TOUCH
TOUCH_MAX_LENGTH = 1000
CHUNK = 2000
DEFAULT_TOUCH_TEXT = gettext_lazy(
    "Hi {buyer_name}, thank you for shopping at {shop_name}! We have new things we think you "
    "will like. Come and have a look, and reply here if we can help."
)
TOUCH_SUBJECT = gettext_lazy("A note from {shop_name}")


@dataclass
class TouchResult:
    planned: int = 0
    already: int = 0  # the buyer already has this segment's touch today
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def segment_touch_key(*, segment: str, day: datetime.date, buyer_id: int) -> str:
    return f"segment:{segment}:{day.isoformat()}:{buyer_id}"


def segment_touch_plan(
    *, shop: Shop, segment: str, text: str, now: datetime.datetime | None = None
) -> TouchResult:
    """Plan one message to every buyer of ``segment``, at most one per buyer, segment and day.

    Guardrails: opted-out buyers and buyers without marketing consent are skipped here with the
    follow-up engine's reasons; the rest start ``planned`` and go through
    ``followups_promote`` like every marketing touch, which checks opt-out and consent again,
    the shop's weekly marketing cap and quiet hours when they fall due.
    The text may use {buyer_name} and {shop_name}; a hostile text is refused and writes nothing.
    """
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the message to send."), code="empty_text")
    if len(text) > TOUCH_MAX_LENGTH:
        raise ValidationError(
            _("Keep the message under %(n)s characters.") % {"n": TOUCH_MAX_LENGTH},
            code="text_too_long",
        )
    if tone_check(text).hostile:
        raise ValidationError(
            _("This message reads as hostile to buyers; please rephrase it."), code="hostile"
        )
    segment_get(shop=shop, segment=segment)  # UnknownSegment before anything is written
    settings = care_settings_get(shop=shop)
    today = timezone.localdate(now)
    subject_template = str(TOUCH_SUBJECT)
    result = TouchResult()
    buyers = segment_buyers(shop=shop, segment=segment, now=now, details=False).values(
        "pk", "name", "email", "phone", "marketing_consent", "opted_out_at"
    )
    with transaction.atomic():
        last = 0
        while True:
            chunk = list(buyers.filter(pk__gt=last).order_by("pk")[:CHUNK])
            if not chunk:
                break
            last = chunk[-1]["pk"]
            ids = [b["pk"] for b in chunk]
            handles: dict[int, dict[str, str]] = defaultdict(dict)
            for buyer_id, channel, handle in BuyerHandle.objects.filter(
                buyer_id__in=ids
            ).values_list("buyer_id", "channel", "handle"):
                handles[buyer_id][channel] = handle
            keys = {
                b["pk"]: segment_touch_key(segment=segment, day=today, buyer_id=b["pk"])
                for b in chunk
            }
            existing = set(
                FollowUp.objects.filter(shop=shop, idempotency_key__in=keys.values()).values_list(
                    "idempotency_key", flat=True
                )
            )
            rows = []
            for buyer in chunk:
                key = keys[buyer["pk"]]
                if key in existing:
                    result.already += 1
                    continue
                rows.append(
                    _followup(shop, settings, buyer, handles, key, text, subject_template, now)
                )
            FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
            for row in rows:
                if row.status == FollowUp.Status.SKIPPED:
                    result.skipped[row.skip_reason] += 1
                else:
                    result.planned += 1
    return result


def _followup(shop, settings, buyer, handles, key, text, subject_template, now) -> FollowUp:
    facts = {"buyer_name": buyer["name"], "shop_name": shop.name}
    route = channel_pick(
        settings=settings,
        email=buyer["email"],
        phone=buyer["phone"],
        handles=handles.get(buyer["pk"]),
    )
    followup = FollowUp(
        shop=shop,
        buyer_id=buyer["pk"],
        kind=TOUCH_KIND,
        channel=route.via,
        marketplace=route.marketplace,
        recipient=route.recipient,
        due_at=now,
        subject=render_safe(subject_template, facts),
        text=render_safe(text, facts),
        facts={**facts, "segment": key.split(":")[1]},
        idempotency_key=key,
        status=FollowUp.Status.PLANNED,
    )
    if buyer["opted_out_at"] is not None:
        followup.status, followup.skip_reason = FollowUp.Status.SKIPPED, SkipReason.OPTED_OUT
    elif not buyer["marketing_consent"]:
        followup.status, followup.skip_reason = FollowUp.Status.SKIPPED, SkipReason.NO_CONSENT
    elif route.via == FollowUp.Via.NONE:
        followup.status, followup.skip_reason = FollowUp.Status.SKIPPED, SkipReason.NO_CHANNEL
    else:
        verdict = tone_check_rendered(
            template=text, facts=facts, text=followup.text, channel=route.via
        )
        followup.tone_verdict = verdict.verdict
        followup.tone_findings = verdict.findings
        followup.needs_approval = verdict.hostile
    return followup
