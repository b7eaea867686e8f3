"""What sellers do with follow-ups: edit, approve, mark sent, skip, cancel; and opt-outs."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change
from crm.models import Channel
from customers.models import Buyer, Interaction
from followups.models import FollowUp, SkipReason
from followups.services.common import interaction_record, tone_check

# A reply that starts with one of these words is an opt-out ("STOP", "berhenti ya kak").
_STOP = re.compile(r"^\W*(stop|berhenti|unsubscribe|unreg)\b", re.IGNORECASE)

Status = FollowUp.Status


def is_stop_reply(text: str) -> bool:
    return bool(_STOP.match(text or ""))


def whatsapp_link(followup: FollowUp) -> str:
    """The wa.me click-to-chat link with the text prefilled (the seller presses send)."""
    return followup.wa_link


def _changed(followup: FollowUp, updated: int) -> None:
    if not updated:
        followup.refresh_from_db()
        raise ValidationError(
            _("This follow-up is %(status)s now; nothing was changed."),
            code="conflict",
            params={"status": followup.get_status_display().lower()},
        )


def followup_edit(*, followup: FollowUp, text: str, subject: str = "", by=None) -> FollowUp:
    """Save the seller's wording. Hostile wording is kept but held, with the tone findings."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The message cannot be empty."), code="empty")
    if not followup.is_open:
        raise ValidationError(
            _("Only a message that has not gone out can be edited."), code="not_open"
        )
    verdict = tone_check(text, followup.channel)
    followup.text = text
    if subject.strip():
        followup.subject = subject.strip()
    followup.tone_verdict = verdict.verdict
    followup.tone_findings = verdict.findings
    fields = ["text", "subject", "tone_verdict", "tone_findings", "updated_at"]
    if verdict.hostile:
        followup.status = Status.HELD
        followup.needs_approval = True
        fields += ["status", "needs_approval"]
    followup.save(update_fields=fields)
    return followup


def followup_approve(*, followup: FollowUp, by=None) -> FollowUp:
    """A held message becomes due; hostile wording must be changed first."""
    if tone_check(followup.text, followup.channel).hostile:
        raise ValidationError(
            _("This message reads as hostile. Change the wording before approving it."),
            code="hostile",
        )
    updated = FollowUp.objects.filter(pk=followup.pk, status=Status.HELD).update(
        status=Status.DUE, needs_approval=False, updated_at=timezone.now()
    )
    _changed(followup, updated)
    followup.refresh_from_db()
    # Releasing a held message overrides the hold: the audit trail names who did it.
    audit_change(
        instance=followup,
        changes={"status": (Status.HELD, Status.DUE), "needs_approval": (True, False)},
    )
    return followup


def followup_mark_sent(*, followup: FollowUp, by=None) -> FollowUp:
    """The seller sent it by hand (WhatsApp, marketplace chat) or confirms an uncertain email.

    Conditional on the status, so a double click or two open tabs record it once.
    """
    if followup.tone_verdict == "hostile":
        raise ValidationError(
            _("This message reads as hostile and cannot be marked sent."), code="hostile"
        )
    if followup.buyer.opted_out_at is not None:
        raise ValidationError(_("The buyer opted out of messages."), code="opted_out")
    allowed = [Status.DUE]
    if followup.channel == FollowUp.Via.EMAIL:
        allowed = [Status.FAILED]  # The sender sends due emails; a seller confirms failed ones.
    now = timezone.now()
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=followup.pk, status__in=allowed).update(
            status=Status.SENT, sent_at=now, sent_by=by, updated_at=now
        )
        _changed(followup, updated)
        followup.refresh_from_db()
        interaction_record(followup=followup, by=by)
    return followup


def _finish(followup: FollowUp, *, status: str, reason: str = "") -> FollowUp:
    updated = FollowUp.objects.filter(
        pk=followup.pk, status__in=[Status.PLANNED, Status.HELD, Status.DUE, Status.FAILED]
    ).update(status=status, skip_reason=reason, updated_at=timezone.now())
    _changed(followup, updated)
    followup.refresh_from_db()
    return followup


def followup_skip(*, followup: FollowUp, by=None) -> FollowUp:
    return _finish(followup, status=Status.SKIPPED, reason=SkipReason.BY_SELLER)


def followup_cancel(*, followup: FollowUp, by=None) -> FollowUp:
    return _finish(followup, status=Status.CANCELLED)


def followup_resend(*, followup: FollowUp, by=None) -> FollowUp:
    """A failed email goes back to due (the seller checked that it did not arrive)."""
    updated = FollowUp.objects.filter(pk=followup.pk, status=Status.FAILED).update(
        status=Status.DUE, claim_token=None, last_error="", updated_at=timezone.now()
    )
    _changed(followup, updated)
    followup.refresh_from_db()
    return followup


BULK_ACTIONS = {
    "mark_sent": followup_mark_sent,
    "skip": followup_skip,
    "cancel": followup_cancel,
}


def followups_bulk(*, queryset, ids: list[int], action: str, by=None) -> tuple[int, int]:
    """Apply one action to the chosen follow-ups of ``queryset`` (already scoped to the shop).

    Returns (done, refused): a message whose status does not allow the action is left alone.
    """
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    service = BULK_ACTIONS[action]
    done = refused = 0
    for followup in queryset.filter(pk__in=ids).select_related("buyer"):
        try:
            service(followup=followup, by=by)
            done += 1
        except ValidationError:
            refused += 1
    return done, refused


def buyer_opt_out(*, buyer: Buyer, source: str, by=None) -> int:
    """Honour an opt-out at once: mark the buyer and skip every open message to them.

    Returns the number of messages skipped. Running it again changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        first_time = Buyer.objects.filter(pk=buyer.pk, opted_out_at__isnull=True).update(
            opted_out_at=now, updated_at=now
        )
        skipped = (
            FollowUp.objects.filter(buyer=buyer)
            .filter(Q(status__in=[Status.PLANNED, Status.HELD, Status.DUE, Status.FAILED]))
            .update(status=Status.SKIPPED, skip_reason=SkipReason.OPTED_OUT, updated_at=now)
        )
        if first_time:
            audit_change(instance=buyer, changes={"opted_out_at": (None, now)})
            Interaction.objects.create(
                shop_id=buyer.shop_id,
                buyer=buyer,
                kind=Interaction.Kind.SYSTEM,
                text=_("Opted out of messages (%(source)s).") % {"source": source},
                author=by,
                data={"opt_out": source},
            )
    buyer.opted_out_at = Buyer.objects.only("opted_out_at").get(pk=buyer.pk).opted_out_at
    return skipped


def inbound_reply_record(
    *, buyer: Buyer, text: str, by=None, channel: str = Channel.WHATSAPP
) -> Interaction:
    """Log what a buyer wrote back; a STOP / BERHENTI reply opts them out."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write what the buyer replied."), code="empty")
    interaction = Interaction.objects.create(
        shop_id=buyer.shop_id,
        buyer=buyer,
        kind=Interaction.Kind.CHAT,
        channel=channel,
        text=text,
        author=by,
        data={"direction": "inbound"},
    )
    # The post_save receiver in followups.signals applies the STOP rule.
    return interaction
