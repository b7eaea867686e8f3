from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from followups.models import Kind
from followups.selectors import care_reorder_comparison, followup_outcomes
from followups.services import care_settings_get
from tests.factories import BuyerFactory, FollowUpFactory, OrderFactory, ReviewFactory
from tests.followups.conftest import wib


def test_outcomes_count_planned_sent_failed_and_skips_by_reason_per_kind(shop, other_shop):
    buyer = BuyerFactory(shop=shop)
    FollowUpFactory(buyer=buyer, kind=Kind.HOLIDAY, status="sent", sent_at=timezone.now())
    FollowUpFactory(buyer=buyer, kind=Kind.HOLIDAY, status="skipped", skip_reason="marketing_cap")
    FollowUpFactory(buyer=buyer, kind=Kind.HOLIDAY, status="skipped", skip_reason="no_consent")
    FollowUpFactory(buyer=buyer, kind=Kind.THANK_YOU, status="failed")
    FollowUpFactory(buyer=buyer, kind=Kind.THANK_YOU, status="due")
    FollowUpFactory(
        buyer=BuyerFactory(shop=other_shop),
        kind=Kind.HOLIDAY,
        status="sent",
        sent_at=timezone.now(),
    )

    outcomes = followup_outcomes(shop=shop)

    assert outcomes[Kind.HOLIDAY] == {
        "planned": 3,
        "sent": 1,
        "failed": 0,
        "open": 0,
        "skipped": {"marketing_cap": 1, "no_consent": 1},
    }
    assert outcomes[Kind.THANK_YOU]["failed"] == 1 and outcomes[Kind.THANK_YOU]["open"] == 1


def test_reorder_after_care_is_compared_with_similar_buyers_without_care(shop):
    now = timezone.now()
    delivered = now - datetime.timedelta(days=100)

    def late_order(buyer):
        return OrderFactory(
            shop=shop,
            buyer=buyer,
            ordered_at=delivered - datetime.timedelta(days=6),
            promised_at=delivered - datetime.timedelta(days=2),
            delivered_at=delivered,
        )

    cared_back, cared_gone, plain_back, plain_gone = (BuyerFactory(shop=shop) for _ in range(4))
    for buyer in (cared_back, cared_gone):
        order = late_order(buyer)
        FollowUpFactory(
            buyer=buyer, order=order, kind=Kind.LATE_APOLOGY, status="sent", sent_at=delivered
        )
    late_order(plain_back)
    late_order(plain_gone)
    for buyer in (cared_back, plain_back):
        OrderFactory(
            shop=shop,
            buyer=buyer,
            ordered_at=delivered + datetime.timedelta(days=20),
            promised_at=None,
            delivered_at=None,
        )
    # A care review: the buyer came back after the follow-up.
    review = ReviewFactory(
        order=late_order(BuyerFactory(shop=shop)), needs_care=True, rating=2, posted_at=delivered
    )
    FollowUpFactory(
        buyer=review.order.buyer, review=review, kind=Kind.CARE, status="sent", sent_at=delivered
    )
    OrderFactory(
        shop=shop,
        buyer=review.order.buyer,
        ordered_at=delivered + datetime.timedelta(days=59),
        promised_at=None,
        delivered_at=None,
    )

    result = care_reorder_comparison(shop=shop)

    late = result["late_delivery"]
    assert (late["with_followup"].buyers, late["with_followup"].reordered) == (2, 1)
    # plain_back and plain_gone, and the care-review buyer's late order (no apology sent)
    assert late["without_followup"].buyers == 3
    assert late["without_followup"].reordered == 2
    care = result["needs_care_review"]
    assert (care["with_followup"].buyers, care["with_followup"].reordered) == (1, 1)
    assert care["with_followup"].rate == 1.0 and care["without_followup"].rate is None


def test_setup_schedules_creates_the_followup_schedules_once(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"followups.plan_orders", "followups.send_due", "followups.plan_loyalty"} <= names
    assert Schedule.objects.filter(name__startswith="followups.").count() == 3
    send = Schedule.objects.get(name="followups.send_due")
    assert (send.schedule_type, send.minutes) == (Schedule.MINUTES, 1)
    assert Schedule.objects.get(name="followups.plan_orders").minutes == 15


def test_loyalty_cron_runs_at_eight_on_the_jakarta_clock(db):
    call_command("setup_schedules")
    loyalty = Schedule.objects.get(name="followups.plan_loyalty")
    with time_machine.travel(wib(2027, 3, 9, 23, 0), tick=False):
        next_run = loyalty.calculate_next_run()
    assert next_run == wib(2027, 3, 10, 8, 0)
    assert next_run.astimezone(datetime.UTC).hour == 1


def test_django_q_settings_are_safe_for_buyer_facing_jobs():
    q = settings.Q_CLUSTER
    assert q["timeout"] < q["retry"]
    assert 0 < q["max_attempts"] < 10
    assert q["catch_up"] is False
    assert "orm" in q or "redis" in q


def test_plan_and_send_commands_print_counts_and_are_idempotent(shop, capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    care = care_settings_get(shop=shop)
    care.channel_order = "email,whatsapp,marketplace"
    care.save()
    noon = wib(2026, 11, 24, 12, 0)
    buyer = BuyerFactory(shop=shop)
    OrderFactory(
        shop=shop,
        buyer=buyer,
        ordered_at=noon - datetime.timedelta(days=8),
        promised_at=noon - datetime.timedelta(days=5),
        delivered_at=noon - datetime.timedelta(days=2),
    )
    with time_machine.travel(noon, tick=False):
        call_command("plan_followups")
        first = capsys.readouterr().out
        call_command("plan_followups")
        second = capsys.readouterr().out
        call_command("send_due_followups")
        sent = capsys.readouterr().out
        call_command("send_due_followups")
        again = capsys.readouterr().out
    assert "late_apology: 1" in first
    assert "planned: 0" in second and "skipped: 0" in second
    assert "sent: 2" in sent  # the apology and the thank-you (2 days after delivery)
    assert "sent: 0" in again and "due now: 0" in again
