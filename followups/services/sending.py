"""Sending: promote planned messages past the guardrails, then send due emails exactly once.

The email protocol is claim, send, mark sent:

1. claim: ``UPDATE ... SET status='sending', claim_token=T WHERE pk=X AND status='due'``. Only
   one worker's UPDATE can match, so two senders, a django-q retry, or a restarted worker never
   both own a message.
2. send through Django's email backend.
3. mark sent: ``UPDATE ... SET status='sent' WHERE pk=X AND claim_token=T`` and put the message on
   the buyer's timeline, in one transaction.

A worker killed between 1 and 3 leaves the message in ``sending``. SMTP is not idempotent (a
resend is a second email in the buyer's inbox) and we cannot tell whether the server accepted
it, so a stale email claim is never retried automatically: after ``STALE_AFTER`` it is moved to
``failed`` with a note, and the seller decides in the outbox (resend, or mark as sent). Claims
are taken one message at a time, so at most one message per killed worker ends up there.
WhatsApp and marketplace-chat messages are sent by the seller, who marks them sent with the same
conditional update; there is nothing to recover for them.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Buyer
from followups.messages import email_bodies
from followups.models import (
    MARKETING_KINDS,
    CareSettings,
    FollowUp,
    Kind,
    SkipReason,
)
from followups.services.common import (
    care_settings_get,
    in_quiet_hours,
    interaction_record,
    tone_check,
)
from followups.unsubscribe import unsubscribe_url
from reviews.models import Review

logger = logging.getLogger(__name__)

# Longer than django-q's task timeout (240 s): a claim this old belongs to a dead worker.
STALE_AFTER = datetime.timedelta(seconds=300)
MAX_ATTEMPTS = 3
RETRY_DELAY = datetime.timedelta(minutes=5)
# Greetings are about a day; after a long downtime they are skipped, not sent late.
MARKETING_STALE = datetime.timedelta(days=2)
PROMOTE_CHUNK = 1000
SEND_PAGE = 200

_RULE_SWITCH = {
    Kind.LATE_APOLOGY: "late_apology_enabled",
    Kind.DELAY_NOTICE: "delay_notice_enabled",
    Kind.THANK_YOU: "thank_you_enabled",
    Kind.REVIEW_REQUEST: "review_request_enabled",
    Kind.CARE: "care_enabled",
    Kind.RESTOCK: "restock_enabled",
    Kind.BIRTHDAY: "birthday_enabled",
    Kind.HOLIDAY: "holiday_enabled",
    Kind.HARBOLNAS: "harbolnas_enabled",
    Kind.TIER_UP: "tiers_enabled",
    Kind.WINBACK: "winback_enabled",
    Kind.ANNIVERSARY: "anniversary_enabled",
}


@dataclass
class SendResult:
    promoted: int = 0
    held: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    recovered: int = 0
    skipped: Counter = field(default_factory=Counter)


def _settings_by_shop() -> dict[int, CareSettings]:
    return {s.shop_id: s for s in CareSettings.objects.select_related("shop")}


def _quiet_shops(now: datetime.datetime) -> set[int]:
    return {
        shop_id for shop_id, s in _settings_by_shop().items() if in_quiet_hours(settings=s, now=now)
    }


def followups_promote(*, now: datetime.datetime | None = None) -> SendResult:
    """Planned messages whose time has come become due (or held, or skipped with a reason).

    Guardrails, in order: opted out, marketing without consent, rule switched off, the order
    closed or already reviewed, a stale greeting, the weekly marketing cap. Shops in quiet hours
    are left alone: their messages stay planned until the quiet hours end.
    """
    now = now or timezone.now()
    result = SendResult()
    settings = _settings_by_shop()
    quiet = {pk for pk, s in settings.items() if in_quiet_hours(settings=s, now=now)}
    last = 0
    while True:
        chunk = list(
            FollowUp.objects.filter(status=FollowUp.Status.PLANNED, due_at__lte=now, pk__gt=last)
            .exclude(shop_id__in=quiet)
            .select_related("buyer", "order")
            .order_by("pk")[:PROMOTE_CHUNK]
        )
        if not chunk:
            break
        last = chunk[-1].pk
        _promote_chunk(chunk, settings=settings, now=now, result=result)
    result.deferred = FollowUp.objects.filter(
        status__in=[FollowUp.Status.PLANNED, FollowUp.Status.DUE],
        due_at__lte=now,
        shop_id__in=quiet,
    ).count()
    return result


def _promote_chunk(
    chunk: list[FollowUp], *, settings: dict[int, CareSettings], now, result: SendResult
) -> None:
    """Decide and write one chunk, holding its marketing buyers' locks (the weekly cap).

    The cap is "read the buyer's recent marketing messages, then promote one": two promoters
    doing that at once for the same buyer (each holding a different greeting) would both read
    "nothing recent" and both promote. So the read and the writes happen in one transaction
    that first locks the chunk's marketing buyers: ``SELECT ... FOR UPDATE`` on their Buyer
    rows, in primary-key order (no deadlock) on PostgreSQL; on SQLite, ``transaction_mode
    IMMEDIATE`` (crm/settings.py) makes the transaction take the database's write lock at
    BEGIN, so promoters run one after the other and each reads what the previous committed.
    The second promoter then finds the first one's message and skips its own (marketing_cap).
    """
    with transaction.atomic():
        buyer_ids = sorted({f.buyer_id for f in chunk if f.kind in MARKETING_KINDS})
        if buyer_ids:
            list(
                Buyer.objects.select_for_update()
                .filter(pk__in=buyer_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        # Under the lock: only what is still planned (another promoter may have decided some).
        still = set(
            FollowUp.objects.filter(
                pk__in=[f.pk for f in chunk], status=FollowUp.Status.PLANNED
            ).values_list("pk", flat=True)
        )
        _promote_locked(
            [f for f in chunk if f.pk in still],
            buyer_ids=buyer_ids,
            settings=settings,
            now=now,
            result=result,
        )


def _promote_locked(
    chunk: list[FollowUp],
    *,
    buyer_ids: list[int],
    settings: dict[int, CareSettings],
    now,
    result: SendResult,
) -> None:
    # Buyers who already have a marketing touch in (or going out in) their shop's window.
    widest = max((s.marketing_gap_days for s in settings.values()), default=7)
    recent: dict[int, list[FollowUp]] = {}
    for other in (
        FollowUp.objects.filter(
            buyer_id__in=buyer_ids,
            kind__in=MARKETING_KINDS,
        )
        .filter(
            Q(status__in=[FollowUp.Status.SENT], sent_at__gte=now - datetime.timedelta(days=widest))
            | Q(status__in=[FollowUp.Status.DUE, FollowUp.Status.SENDING, FollowUp.Status.HELD])
        )
        .only("pk", "buyer_id", "status", "sent_at", "due_at")
    ):
        recent.setdefault(other.buyer_id, []).append(other)
    reviewed = set(
        Review.objects.filter(order_id__in={f.order_id for f in chunk if f.order_id}).values_list(
            "order_id", flat=True
        )
    )
    decided: dict[tuple[str, str], list[int]] = {}
    for followup in sorted(chunk, key=lambda f: (f.due_at, f.pk)):
        shop_settings = settings.get(followup.shop_id) or care_settings_get(shop=followup.shop)
        status, reason = _decide(followup, shop_settings, now, recent, reviewed)
        decided.setdefault((status, reason), []).append(followup.pk)
        if (
            status in (FollowUp.Status.DUE, FollowUp.Status.HELD)
            and followup.kind in MARKETING_KINDS
        ):
            followup.status = status
            recent.setdefault(followup.buyer_id, []).append(followup)
    for (status, reason), pks in decided.items():
        FollowUp.objects.filter(pk__in=pks, status=FollowUp.Status.PLANNED).update(
            status=status, skip_reason=reason, updated_at=now
        )
        if status == FollowUp.Status.SKIPPED:
            result.skipped[reason] += len(pks)
        elif status == FollowUp.Status.HELD:
            result.held += len(pks)
        else:
            result.promoted += len(pks)


def _decide(
    followup: FollowUp,
    settings: CareSettings,
    now: datetime.datetime,
    recent: dict[int, list[FollowUp]],
    reviewed: set[int],
) -> tuple[str, str]:
    skipped = FollowUp.Status.SKIPPED
    buyer = followup.buyer
    if buyer.opted_out_at is not None:
        return skipped, SkipReason.OPTED_OUT
    marketing = followup.kind in MARKETING_KINDS
    if marketing and not buyer.marketing_consent:
        return skipped, SkipReason.NO_CONSENT
    switch = _RULE_SWITCH.get(followup.kind)  # a seller's segment touch has no rule switch
    if switch and not getattr(settings, switch):
        return skipped, SkipReason.RULE_OFF
    if followup.order_id and followup.order.status in (
        followup.order.Status.CANCELLED,
        followup.order.Status.RETURNED,
    ):
        return skipped, SkipReason.ORDER_CLOSED
    if followup.kind == Kind.REVIEW_REQUEST and followup.order_id in reviewed:
        return skipped, SkipReason.ALREADY_REVIEWED
    if marketing and now - followup.due_at > MARKETING_STALE:
        return skipped, SkipReason.STALE
    if marketing:
        gap = datetime.timedelta(days=settings.marketing_gap_days)
        for other in recent.get(followup.buyer_id, []):
            if other.pk == followup.pk:
                continue
            if other.status != FollowUp.Status.SENT or (
                other.sent_at and other.sent_at >= now - gap
            ):
                return skipped, SkipReason.MARKETING_CAP
    if followup.needs_approval:
        return FollowUp.Status.HELD, ""
    return FollowUp.Status.DUE, ""


def followups_recover_stale(
    *, now: datetime.datetime | None = None, stale_after: datetime.timedelta = STALE_AFTER
) -> int:
    """Email claims older than ``stale_after`` go to failed for the seller to review.

    See the module docstring: an email claimed by a worker that died may or may not have gone
    out, and a second email is worse than asking the seller.
    """
    now = now or timezone.now()
    return FollowUp.objects.filter(
        status=FollowUp.Status.SENDING, claimed_at__lte=now - stale_after
    ).update(
        status=FollowUp.Status.FAILED,
        last_error=_(
            "The sender stopped while sending this email, so it may or may not have arrived. "
            "Check with the buyer, then resend it or mark it as sent."
        ),
        updated_at=now,
    )


def _claim(followup: FollowUp, *, now: datetime.datetime) -> uuid.UUID | None:
    """The atomic conditional UPDATE that makes this worker the message's only sender."""
    token = uuid.uuid4()
    claimed = FollowUp.objects.filter(
        pk=followup.pk, status=FollowUp.Status.DUE, updated_at=followup.updated_at
    ).update(
        status=FollowUp.Status.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return token if claimed == 1 else None


def _email_message(followup: FollowUp, connection) -> EmailMultiAlternatives:
    link = unsubscribe_url(buyer_id=followup.buyer_id)
    plain, html = email_bodies(
        text=followup.text, shop_name=followup.shop.name, unsubscribe_url=link
    )
    followup.html = html
    message = EmailMultiAlternatives(
        subject=followup.subject,
        body=plain,
        to=[followup.recipient],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Rawat-FollowUp": str(followup.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def followups_send_due(
    *,
    now: datetime.datetime | None = None,
    limit: int = 1000,
    stale_after: datetime.timedelta = STALE_AFTER,
) -> SendResult:
    """Promote what is due, then send up to ``limit`` due emails, oldest first, each once."""
    now = now or timezone.now()
    result = followups_promote(now=now)
    result.recovered = followups_recover_stale(now=now, stale_after=stale_after)
    quiet = _quiet_shops(now)
    due = (
        FollowUp.objects.filter(
            status=FollowUp.Status.DUE, channel=FollowUp.Via.EMAIL, due_at__lte=now
        )
        .exclude(shop_id__in=quiet)
        .select_related("buyer", "shop")
        .order_by("due_at", "pk")
    )
    connection = None
    try:
        # Listed in pages of SEND_PAGE (one query each); each message is then claimed alone.
        last: tuple[datetime.datetime, int] | None = None
        remaining = limit
        while remaining > 0:
            page = due
            if last is not None:
                page = page.filter(Q(due_at__gt=last[0]) | Q(due_at=last[0], pk__gt=last[1]))
            followups = list(page[: min(SEND_PAGE, remaining)])
            if not followups:
                break
            last = (followups[-1].due_at, followups[-1].pk)
            remaining -= len(followups)
            if connection is None:
                connection = get_connection()
                connection.open()
            for followup in followups:
                _send_one(followup, connection=connection, result=result)
    finally:
        if connection is not None:
            connection.close()
    return result


def _send_one(followup: FollowUp, *, connection, result: SendResult) -> None:
    now = timezone.now()
    # Claimed only if nobody changed it since it was listed (another sender, an opt-out that
    # skipped it, the seller's edit): then the row we hold is what gets sent.
    token = _claim(followup, now=now)
    if token is None:
        return
    followup.attempts += 1
    if followup.buyer.opted_out_at is not None:
        FollowUp.objects.filter(pk=followup.pk, claim_token=token).update(
            status=FollowUp.Status.SKIPPED, skip_reason=SkipReason.OPTED_OUT
        )
        result.skipped[SkipReason.OPTED_OUT] += 1
        return
    verdict = tone_check(followup.text, followup.channel)
    if verdict.hostile:
        FollowUp.objects.filter(pk=followup.pk, claim_token=token).update(
            status=FollowUp.Status.HELD,
            needs_approval=True,
            tone_verdict=verdict.verdict,
            tone_findings=verdict.findings,
        )
        result.held += 1
        return
    try:
        message = _email_message(followup, connection)
        message.send()
    except Exception as error:
        logger.warning("follow-up %s: email failed: %s", followup.pk, error)
        failed = followup.attempts >= MAX_ATTEMPTS
        FollowUp.objects.filter(pk=followup.pk, claim_token=token).update(
            status=FollowUp.Status.FAILED if failed else FollowUp.Status.DUE,
            due_at=followup.due_at if failed else now + RETRY_DELAY,
            last_error=str(error)[:1000],
            claim_token=None,
        )
        result.failed += failed
        return
    sent_at = timezone.now()
    with transaction.atomic():
        marked = FollowUp.objects.filter(
            pk=followup.pk, claim_token=token, status=FollowUp.Status.SENDING
        ).update(
            status=FollowUp.Status.SENT, sent_at=sent_at, html=followup.html, updated_at=sent_at
        )
        if marked:
            followup.sent_at = sent_at
            interaction_record(followup=followup)
    result.sent += marked
