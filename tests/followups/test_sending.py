from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import Interaction
from followups.models import FollowUp, Kind, SkipReason
from followups.services import (
    buyer_opt_out,
    care_settings_get,
    followup_approve,
    followup_edit,
    followup_mark_sent,
    followup_resend,
    followups_promote,
    followups_recover_stale,
    followups_send_due,
)
from tests.factories import BuyerFactory, FollowUpFactory
from tests.followups.conftest import wib

MORNING = wib(2026, 11, 24, 10, 0)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@time_machine.travel(MORNING, tick=False)
def test_due_email_is_sent_with_html_text_and_unsubscribe_and_lands_on_the_timeline(shop):
    followup = FollowUpFactory(
        buyer=BuyerFactory(shop=shop, email="sari@example.com"), text="Halo Sari,\n\nTerima kasih!"
    )

    result = followups_send_due()

    assert result.sent == 1
    [message] = mail.outbox
    assert message.to == ["sari@example.com"]
    assert "Terima kasih!" in message.body
    assert "/followups/u/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<p" in html and "Terima kasih!" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SENT
    assert followup.sent_at == timezone.now()
    assert followup.attempts == 1
    entry = Interaction.objects.get(kind=Interaction.Kind.FOLLOWUP)
    assert entry.buyer_id == followup.buyer_id and entry.data["followup_id"] == followup.pk


@time_machine.travel(MORNING, tick=False)
def test_sending_twice_sends_nothing_twice(shop):
    FollowUpFactory.create_batch(3, buyer=BuyerFactory(shop=shop))
    first = followups_send_due()
    second = followups_send_due()
    assert (first.sent, second.sent) == (3, 0)
    assert len(mail.outbox) == 3
    assert Interaction.objects.filter(kind="followup").count() == 3


@time_machine.travel(MORNING, tick=False)
def test_message_claimed_by_another_worker_is_left_alone(shop):
    followup = FollowUpFactory(
        buyer=BuyerFactory(shop=shop),
        status=FollowUp.Status.SENDING,
        claim_token=uuid.uuid4(),
        claimed_at=timezone.now(),
    )
    assert followups_send_due().sent == 0
    assert mail.outbox == []
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SENDING


def test_stale_email_claim_goes_to_failed_for_review_never_resent_automatically(shop):
    with time_machine.travel(MORNING, tick=False):
        followup = FollowUpFactory(
            buyer=BuyerFactory(shop=shop),
            status=FollowUp.Status.SENDING,
            claim_token=uuid.uuid4(),
            claimed_at=timezone.now(),
        )
    with time_machine.travel(MORNING + datetime.timedelta(minutes=4), tick=False):
        assert followups_recover_stale() == 0
    with time_machine.travel(MORNING + datetime.timedelta(minutes=6), tick=False):
        result = followups_send_due()
    followup.refresh_from_db()
    assert result.recovered == 1 and result.sent == 0 and mail.outbox == []
    assert followup.status == FollowUp.Status.FAILED
    assert "may or may not" in followup.last_error

    with time_machine.travel(MORNING + datetime.timedelta(minutes=7), tick=False):
        followup_resend(followup=followup)
        assert followups_send_due().sent == 1


@time_machine.travel(MORNING, tick=False)
def test_backend_error_keeps_the_message_and_retries_then_fails(shop, settings, monkeypatch):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop))

    def broken(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    for minutes in (0, 6, 12):
        with time_machine.travel(MORNING + datetime.timedelta(minutes=minutes), tick=False):
            followups_send_due()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.FAILED
    assert followup.attempts == 3
    assert "smtp down" in followup.last_error


@time_machine.travel(wib(2026, 11, 24, 22, 30), tick=False)
def test_quiet_hours_defer_emails_until_the_morning(shop):
    care_settings_get(shop=shop)
    FollowUpFactory(buyer=BuyerFactory(shop=shop))
    planned = FollowUpFactory(buyer=BuyerFactory(shop=shop), status=FollowUp.Status.PLANNED)

    result = followups_send_due()

    assert result.sent == 0 and result.deferred == 2 and mail.outbox == []
    planned.refresh_from_db()
    assert planned.status == FollowUp.Status.PLANNED
    with time_machine.travel(wib(2026, 11, 25, 7, 59), tick=False):
        assert followups_send_due().sent == 0
    with time_machine.travel(wib(2026, 11, 25, 8, 0), tick=False):
        assert followups_send_due().sent == 2


@time_machine.travel(wib(2026, 11, 24, 23, 0), tick=False)
def test_quiet_hours_follow_the_shop_settings(shop):
    settings = care_settings_get(shop=shop)
    settings.quiet_start = datetime.time(23, 30)
    settings.save()
    FollowUpFactory(buyer=BuyerFactory(shop=shop))
    assert followups_send_due().sent == 1


@time_machine.travel(MORNING, tick=False)
def test_one_marketing_touch_per_week_but_order_care_is_exempt(shop):
    care_settings_get(shop=shop)
    buyer = BuyerFactory(shop=shop)
    FollowUpFactory(
        buyer=buyer,
        kind=Kind.HOLIDAY,
        status="sent",
        sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    greeting = FollowUpFactory(buyer=buyer, kind=Kind.HARBOLNAS, status="planned")
    apology = FollowUpFactory(buyer=buyer, kind=Kind.LATE_APOLOGY, status="planned")

    result = followups_promote()

    greeting.refresh_from_db()
    apology.refresh_from_db()
    assert (greeting.status, greeting.skip_reason) == ("skipped", SkipReason.MARKETING_CAP)
    assert apology.status == "due"
    assert result.skipped[SkipReason.MARKETING_CAP] == 1


@time_machine.travel(MORNING, tick=False)
def test_two_greetings_due_together_only_the_first_goes(shop):
    care_settings_get(shop=shop)
    buyer = BuyerFactory(shop=shop)
    birthday = FollowUpFactory(
        buyer=buyer,
        kind=Kind.BIRTHDAY,
        status="planned",
        due_at=timezone.now() - datetime.timedelta(minutes=2),
    )
    holiday = FollowUpFactory(
        buyer=buyer,
        kind=Kind.HOLIDAY,
        status="planned",
        due_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    followups_promote()
    assert FollowUp.objects.get(pk=birthday.pk).status == "due"
    assert FollowUp.objects.get(pk=holiday.pk).skip_reason == SkipReason.MARKETING_CAP


@time_machine.travel(MORNING, tick=False)
def test_marketing_gap_is_a_shop_setting(shop):
    settings = care_settings_get(shop=shop)
    settings.marketing_gap_days = 2
    settings.save()
    buyer = BuyerFactory(shop=shop)
    FollowUpFactory(
        buyer=buyer,
        kind=Kind.HOLIDAY,
        status="sent",
        sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    greeting = FollowUpFactory(buyer=buyer, kind=Kind.BIRTHDAY, status="planned")
    followups_promote()
    greeting.refresh_from_db()
    assert greeting.status == "due"


@time_machine.travel(MORNING, tick=False)
def test_consent_withdrawn_after_planning_skips_the_greeting(shop):
    buyer = BuyerFactory(shop=shop)
    greeting = FollowUpFactory(buyer=buyer, kind=Kind.HOLIDAY, status="planned")
    buyer.marketing_consent = False
    buyer.save()
    followups_promote()
    greeting.refresh_from_db()
    assert (greeting.status, greeting.skip_reason) == ("skipped", SkipReason.NO_CONSENT)


@time_machine.travel(MORNING, tick=False)
def test_greeting_left_over_from_a_long_downtime_is_skipped_as_stale(shop):
    greeting = FollowUpFactory(
        buyer=BuyerFactory(shop=shop),
        kind=Kind.HOLIDAY,
        status="planned",
        due_at=timezone.now() - datetime.timedelta(days=3),
    )
    followups_promote()
    greeting.refresh_from_db()
    assert greeting.skip_reason == SkipReason.STALE


@time_machine.travel(MORNING, tick=False)
def test_opt_out_skips_every_open_message_at_once_and_blocks_sending(shop):
    buyer = BuyerFactory(shop=shop)
    due = FollowUpFactory(buyer=buyer)
    planned = FollowUpFactory(buyer=buyer, status="planned")
    sent = FollowUpFactory(buyer=buyer, status="sent", sent_at=timezone.now())

    assert buyer_opt_out(buyer=buyer, source="seller") == 2
    assert buyer_opt_out(buyer=buyer, source="seller") == 0

    assert followups_send_due().sent == 0
    for followup, status in ((due, "skipped"), (planned, "skipped"), (sent, "sent")):
        followup.refresh_from_db()
        assert followup.status == status
    assert due.skip_reason == SkipReason.OPTED_OUT
    assert Interaction.objects.filter(buyer=buyer, kind="system").count() == 1


@time_machine.travel(MORNING, tick=False)
def test_hostile_text_is_never_sent_and_goes_back_with_findings(shop, hostile_words):
    hostile_words.append("dasar pembeli bodoh")
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), text="Kak, dasar pembeli bodoh.")

    result = followups_send_due()

    followup.refresh_from_db()
    assert result.sent == 0 and mail.outbox == []
    assert followup.status == FollowUp.Status.HELD
    assert followup.tone_verdict == "hostile" and followup.tone_findings
    with pytest.raises(ValidationError) as error:
        followup_approve(followup=followup)
    assert error.value.code == "hostile"

    followup_edit(followup=followup, text="Kak, mohon maaf atas keterlambatannya.")
    followup_approve(followup=followup)
    assert followups_send_due().sent == 1


@time_machine.travel(MORNING, tick=False)
def test_seller_edit_with_hostile_words_is_held(shop, hostile_words):
    hostile_words.append("goblok")
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    followup_edit(followup=followup, text="Dasar goblok")
    followup.refresh_from_db()
    assert followup.status == "held"
    with pytest.raises(ValidationError):
        followup_mark_sent(followup=followup)


@time_machine.travel(MORNING, tick=False)
def test_whatsapp_message_is_marked_sent_once_by_the_seller(shop, owner):
    buyer = BuyerFactory(shop=shop, phone="0812-3456-7890")
    followup = FollowUpFactory(
        buyer=buyer, channel="whatsapp", recipient=buyer.phone, text="Halo kak & terima kasih?"
    )
    assert (
        followup.wa_link == "https://wa.me/6281234567890?text=Halo%20kak%20%26%20terima%20kasih%3F"
    )
    assert followups_send_due().sent == 0  # the sender never touches WhatsApp messages

    followup_mark_sent(followup=followup, by=owner)
    with pytest.raises(ValidationError) as error:
        followup_mark_sent(followup=followup, by=owner)

    assert error.value.code == "conflict"
    followup.refresh_from_db()
    assert followup.sent_by == owner
    assert Interaction.objects.filter(kind="followup", channel="whatsapp").count() == 1


@time_machine.travel(MORNING, tick=False)
def test_real_tone_guard_holds_an_insulting_edit_with_its_findings(shop):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    followup_edit(followup=followup, text="Dasar pembeli bodoh, baca deskripsi dong!")
    followup.refresh_from_db()
    assert followup.status == "held" and followup.tone_verdict == "hostile"
    assert followup.tone_findings[0]["excerpt"]
