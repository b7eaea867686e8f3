"""Fault (c): the cluster is down for 72 hours, then starts again.

With ``catch_up`` off (Q_CLUSTER), django-q2's scheduler runs each overdue schedule once and
moves it to its next slot in the future: one catch-up run, not one per missed minute or day.
The planners it starts are idempotent (one FollowUp per shop and occasion key), so even the
same planner run twice (the catch-up run plus a task queued before the crash) writes one
greeting per buyer per occasion, and greetings whose day passed during the outage are not sent
late (missed days are not planned; MARKETING_STALE skips stale ones).
"""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils.module_loading import import_string
from django_q.brokers import get_broker
from django_q.models import OrmQ, Schedule
from django_q.scheduler import scheduler
from django_q.signing import SignedPackage

from crm.schedules import SCHEDULES
from crm.services import schedules_setup
from followups.models import ChannelOrder, FollowUp, Kind
from tests.factories import BuyerFactory, CareSettingsFactory, OrderFactory

pytestmark = pytest.mark.slow

WIB = ZoneInfo("Asia/Jakarta")
CRASH = datetime.datetime(2027, 8, 14, 8, 30, tzinfo=WIB)  # after that day's 08:00 planner
BACK = CRASH + datetime.timedelta(hours=72)  # 17 August: Independence Day (kemerdekaan)


def _queued() -> list[dict]:
    return [SignedPackage.loads(row.payload) for row in OrmQ.objects.order_by("pk")]


def _run(tasks: list[dict]) -> None:
    """What a worker does with each task: call the function with its arguments."""
    for task in tasks:
        import_string(task["func"])(*task["args"], **task["kwargs"])


def test_a_72_hour_outage_runs_each_schedule_once_and_greets_each_buyer_once(
    shop, settings, tmp_path, monkeypatch
):
    # The scheduler first closes "old" connections, as a long-lived cluster process must; here
    # that would close the test's own transaction (on PostgreSQL), so it is left open.
    monkeypatch.setattr("django_q.scheduler.close_old_django_connections", lambda: None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path  # the daily backup job writes its zip here
    CareSettingsFactory(shop=shop, channel_order=ChannelOrder.EMAIL_FIRST)
    buyers = BuyerFactory.create_batch(4, shop=shop, birthday=datetime.date(1990, 3, 1))
    sari = BuyerFactory(shop=shop, name="Sari", birthday=datetime.date(1992, 8, 17))
    budi = BuyerFactory(shop=shop, name="Budi", birthday=datetime.date(1991, 8, 15))  # missed
    BuyerFactory(shop=shop, marketing_consent=False)  # never greeted
    consenting = [*buyers, sari, budi]
    broker = get_broker()

    with time_machine.travel(CRASH, tick=False):
        schedules_setup()
        scheduler(broker=broker)  # the last run before the crash
        OrmQ.objects.all().delete()  # ...whose tasks the workers finished
        queued_before_crash = [
            {"func": "followups.tasks.plan_loyalty", "args": (), "kwargs": {}},
            {"func": "followups.tasks.plan_orders", "args": (), "kwargs": {}},
        ]
        # An order delivered during the outage: its thank-you must be planned once.
        order = OrderFactory(
            buyer=buyers[0],
            status="delivered",
            ordered_at=CRASH - datetime.timedelta(days=3),
            delivered_at=CRASH + datetime.timedelta(hours=12),
        )

    with time_machine.travel(BACK, tick=False):
        overdue = set(Schedule.objects.filter(next_run__lt=BACK).values_list("name", flat=True))
        assert overdue == {spec.name for spec in SCHEDULES}  # every one missed runs

        scheduler(broker=broker)
        catch_up = _queued()
        assert Counter(t["func"] for t in catch_up) == Counter(spec.func for spec in SCHEDULES)
        # Each schedule moved to a slot in the future: the next cycles add nothing.
        assert all(s.next_run > BACK for s in Schedule.objects.all())
        scheduler(broker=broker)
        scheduler(broker=broker)
        assert len(_queued()) == len(SCHEDULES)

        # The catch-up run, plus the planners queued before the crash delivered late.
        _run(catch_up + queued_before_crash)
        # The next minute's send_due (the schedule's next slot) sends what they planned.
        _run([t for t in catch_up if t["func"] == "followups.tasks.send_due"])

    greetings = FollowUp.objects.filter(kind__in=[Kind.HOLIDAY, Kind.BIRTHDAY])
    per_occasion = Counter((f.buyer_id, f.kind, f.idempotency_key) for f in greetings)
    assert set(per_occasion.values()) == {1}
    holiday = greetings.filter(kind=Kind.HOLIDAY)
    assert sorted(holiday.values_list("buyer_id", flat=True)) == sorted(b.pk for b in consenting)
    assert all(
        ":2027-08-17:kemerdekaan:" in key
        for key in holiday.values_list("idempotency_key", flat=True)
    )
    # Sari's birthday is today: greeted once; Budi's passed during the outage: not late.
    assert list(greetings.filter(kind=Kind.BIRTHDAY).values_list("buyer_id", flat=True)) == [
        sari.pk
    ]
    thanks = FollowUp.objects.filter(kind=Kind.THANK_YOU, order=order)
    assert thanks.count() == 1

    # One catch-up send: each buyer gets at most one greeting email (the weekly marketing cap
    # lets Sari's birthday or holiday greeting through, not both), each email once.
    greeted = Counter(
        message.to[0]
        for message in mail.outbox
        if message.extra_headers["X-Rawat-FollowUp"]
        and int(message.extra_headers["X-Rawat-FollowUp"])
        in set(greetings.values_list("pk", flat=True))
    )
    assert greeted == Counter({b.email: 1 for b in consenting})
    sent_ids = Counter(m.extra_headers["X-Rawat-FollowUp"] for m in mail.outbox)
    assert set(sent_ids.values()) == {1}
    assert thanks.get().status == FollowUp.Status.SENT
