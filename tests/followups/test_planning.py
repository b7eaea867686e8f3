from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from crm.models import Channel
from customers.models import Courier, Order
from followups.models import BuyerTier, FollowUp, Kind, SkipReason
from followups.occasions import holidays_in
from followups.services import (
    care_settings_get,
    followups_plan_loyalty,
    followups_plan_orders,
    followups_promote,
    restock_notify,
)
from tests.factories import (
    BuyerFactory,
    BuyerHandleFactory,
    CourierSlowdownFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ReviewFactory,
)
from tests.followups.conftest import wib

NOON = wib(2026, 11, 24, 12, 0)


def _late_order(shop, **kwargs):
    ordered = NOON - datetime.timedelta(days=8)
    defaults = {
        "shop": shop,
        "buyer": BuyerFactory(shop=shop, name="Sari"),
        "external_id": "260311ABC",
        "ordered_at": ordered,
        "shipped_at": ordered + datetime.timedelta(days=1),
        "promised_at": ordered + datetime.timedelta(days=3),
        "delivered_at": ordered + datetime.timedelta(days=6),
        "courier": Courier.JNE,
        "tracking_number": "JNE0001234567",
        "status": Order.Status.DELIVERED,
    }
    defaults.update(kwargs)
    order = OrderFactory(**defaults)
    OrderLineFactory(order=order, product=ProductFactory(shop=shop, name="Kemeja Batik Parang"))
    return order


@time_machine.travel(NOON, tick=False)
def test_late_delivery_gets_an_apology_with_the_real_facts(shop):
    order = _late_order(shop)

    result = followups_plan_orders(shop=shop)

    followup = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert result.planned[Kind.LATE_APOLOGY] == 1
    assert followup.idempotency_key == f"late_apology:{order.pk}"
    assert followup.channel == FollowUp.Via.MARKETPLACE
    assert followup.marketplace == Channel.SHOPEE
    for fact in ("Sari", "260311ABC", "Kemeja Batik Parang", "JNE", "JNE0001234567", "3 day"):
        assert fact in followup.text, fact
    assert followup.facts["delay_days"] == 3
    assert followup.tone_verdict in {"ok", "caution"}
    # Due at once: it shows in the outbox right after the planner ran.
    assert followup.status == FollowUp.Status.DUE


@time_machine.travel(NOON, tick=False)
def test_order_not_delivered_by_the_promised_date_gets_the_overdue_apology(shop):
    order = _late_order(shop, delivered_at=None, status=Order.Status.SHIPPED)

    followups_plan_orders(shop=shop)

    followup = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert "has not arrived yet" in followup.text
    assert "5 day" in followup.text


@time_machine.travel(NOON, tick=False)
def test_on_time_order_gets_no_apology(shop):
    OrderFactory(shop=shop, buyer=BuyerFactory(shop=shop))
    followups_plan_orders(shop=shop)
    assert not FollowUp.objects.filter(kind=Kind.LATE_APOLOGY).exists()


@time_machine.travel(NOON, tick=False)
def test_planning_twice_creates_nothing_new(shop):
    _late_order(shop)
    ReviewFactory(
        order=_late_order(shop, external_id="X2"),
        rating=2,
        needs_care=True,
        posted_at=NOON - datetime.timedelta(days=1),
    )
    first = followups_plan_orders(shop=shop)
    count = FollowUp.objects.count()

    second = followups_plan_orders(shop=shop)

    assert first.total > 0
    assert second.total == 0
    assert FollowUp.objects.count() == count


@time_machine.travel(NOON, tick=False)
def test_thank_you_and_one_review_request_are_due_after_their_delays(shop):
    settings = care_settings_get(shop=shop)
    delivered = NOON - datetime.timedelta(days=1)
    order = OrderFactory(
        shop=shop,
        buyer=BuyerFactory(shop=shop),
        delivered_at=delivered,
        promised_at=delivered + datetime.timedelta(days=1),
    )

    followups_plan_orders(shop=shop)

    thanks = FollowUp.objects.get(order=order, kind=Kind.THANK_YOU)
    ask = FollowUp.objects.get(order=order, kind=Kind.REVIEW_REQUEST)
    assert thanks.due_at == delivered + datetime.timedelta(days=settings.thank_you_days)
    assert ask.due_at == delivered + datetime.timedelta(days=settings.review_request_days)
    assert FollowUp.objects.filter(order=order).count() == 2


def test_review_request_is_skipped_when_the_review_came_first(shop):
    delivered = timezone.now() - datetime.timedelta(days=6)
    order = OrderFactory(
        shop=shop, buyer=BuyerFactory(shop=shop), delivered_at=delivered, promised_at=delivered
    )
    followups_plan_orders(shop=shop)
    ReviewFactory(order=order, posted_at=timezone.now())

    # Two days later at 10:00 WIB, outside quiet hours whatever the hour the suite runs at.
    later = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=10, minute=0)
    with time_machine.travel(later, tick=False):
        result = followups_promote()

    ask = FollowUp.objects.get(order=order, kind=Kind.REVIEW_REQUEST)
    assert ask.status == FollowUp.Status.SKIPPED
    assert ask.skip_reason == SkipReason.ALREADY_REVIEWED
    assert result.skipped[SkipReason.ALREADY_REVIEWED] == 1


@time_machine.travel(NOON, tick=False)
def test_review_needing_care_is_held_for_approval_and_never_promoted(shop):
    review = ReviewFactory(
        order=_late_order(shop),
        rating=3,
        needs_care=True,
        topics=["packaging"],
        posted_at=NOON - datetime.timedelta(hours=3),
    )

    followups_plan_orders(shop=shop)
    followups_promote()

    care = FollowUp.objects.get(review=review)
    assert care.kind == Kind.CARE
    assert care.status == FollowUp.Status.HELD
    assert care.needs_approval
    assert "packaging" in care.text


@time_machine.travel(NOON, tick=False)
def test_care_messages_go_straight_to_due_when_the_shop_allows_it(shop):
    settings = care_settings_get(shop=shop)
    settings.care_auto_send = True
    settings.save()
    review = ReviewFactory(
        order=_late_order(shop),
        rating=2,
        needs_care=True,
        posted_at=NOON - datetime.timedelta(hours=3),
    )
    followups_plan_orders(shop=shop)
    followups_promote()
    assert FollowUp.objects.get(review=review).status == FollowUp.Status.DUE


@time_machine.travel(NOON, tick=False)
def test_switched_off_rule_plans_nothing(shop):
    settings = care_settings_get(shop=shop)
    settings.late_apology_enabled = False
    settings.save()
    _late_order(shop)
    followups_plan_orders(shop=shop)
    assert not FollowUp.objects.filter(kind=Kind.LATE_APOLOGY).exists()


@time_machine.travel(NOON, tick=False)
def test_buyer_without_any_channel_is_skipped_with_the_reason(shop):
    buyer = BuyerFactory(shop=shop, email="", phone="")
    order = _late_order(shop, buyer=buyer, channel=Channel.OTHER)
    followups_plan_orders(shop=shop)
    followup = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert followup.status == FollowUp.Status.SKIPPED
    assert followup.skip_reason == SkipReason.NO_CHANNEL
    assert followup.skip_reason_text


@time_machine.travel(NOON, tick=False)
def test_opted_out_buyer_gets_a_skipped_apology_that_says_why(shop):
    buyer = BuyerFactory(shop=shop, opted_out_at=NOON - datetime.timedelta(days=30))
    _late_order(shop, buyer=buyer)
    followups_plan_orders(shop=shop)
    followup = FollowUp.objects.get(buyer=buyer, kind=Kind.LATE_APOLOGY)
    assert (followup.status, followup.skip_reason) == ("skipped", SkipReason.OPTED_OUT)


@time_machine.travel(NOON, tick=False)
def test_channel_preference_picks_email_first_when_the_shop_wants_it(shop):
    settings = care_settings_get(shop=shop)
    settings.channel_order = "email,whatsapp,marketplace"
    settings.save()
    order = _late_order(shop)
    followups_plan_orders(shop=shop)
    followup = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert (followup.channel, followup.recipient) == ("email", order.buyer.email)


@time_machine.travel(NOON, tick=False)
def test_courier_slowdown_warns_buyers_with_parcels_on_that_courier(shop):
    today = timezone.localdate()
    slowdown = CourierSlowdownFactory(
        shop=shop,
        courier=Courier.JNE,
        starts_on=today + datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=9),
        reason="Arus mudik Lebaran",
    )
    in_transit = {
        "status": Order.Status.SHIPPED,
        "delivered_at": None,
        "ordered_at": NOON - datetime.timedelta(days=1),
        "promised_at": NOON + datetime.timedelta(days=3),
    }
    jne = OrderFactory(shop=shop, buyer=BuyerFactory(shop=shop), courier=Courier.JNE, **in_transit)
    sicepat = OrderFactory(
        shop=shop, buyer=BuyerFactory(shop=shop), courier=Courier.SICEPAT, **in_transit
    )
    delivered = OrderFactory(shop=shop, buyer=BuyerFactory(shop=shop), courier=Courier.JNE)

    followups_plan_orders(shop=shop)
    followups_plan_orders(shop=shop)

    notices = FollowUp.objects.filter(kind=Kind.DELAY_NOTICE)
    assert [n.order_id for n in notices] == [jne.pk]
    notice = notices.get()
    assert notice.idempotency_key == f"delay_notice:{slowdown.pk}:{jne.pk}"
    assert "Arus mudik Lebaran" in notice.text
    assert not FollowUp.objects.filter(
        order__in=[sicepat, delivered], kind=Kind.DELAY_NOTICE
    ).exists()


@time_machine.travel(NOON, tick=False)
def test_restock_hook_notifies_each_waiting_buyer_once_and_only_in_the_shop(shop, other_shop):
    product = ProductFactory(shop=shop, name="Tas Rotan")
    waiting = [BuyerFactory(shop=shop), BuyerFactory(shop=shop, marketing_consent=False)]
    stranger = BuyerFactory(shop=other_shop)

    first = restock_notify(
        product=product, entries_or_buyers=waiting + [stranger], restock_event_id=41
    )
    again = restock_notify(product=product, entries_or_buyers=waiting, restock_event_id=41)

    restocks = FollowUp.objects.filter(kind=Kind.RESTOCK)
    assert first.planned[Kind.RESTOCK] == 2
    assert again.total == 0
    assert {f.buyer_id for f in restocks} == {b.pk for b in waiting}
    assert all("Tas Rotan" in f.text for f in restocks)
    followups_promote()
    # The buyer asked for it: no marketing consent needed.
    assert set(restocks.values_list("status", flat=True)) == {"due"}
    assert {b: f.pk for b, f in again.followups.items()} == {f.buyer_id: f.pk for f in restocks}


@time_machine.travel(NOON, tick=False)
def test_restock_hook_keys_each_message_by_the_restock_not_the_day(shop):
    product = ProductFactory(shop=shop, name="Tas Rotan")
    buyer = BuyerFactory(shop=shop)

    first = restock_notify(product=product, entries_or_buyers=[buyer], restock_event_id=7)
    same = restock_notify(product=product, entries_or_buyers=[buyer, buyer], restock_event_id=7)
    # Sold out and restocked again the same day: a new occasion, a new message.
    second = restock_notify(product=product, entries_or_buyers=[buyer], restock_event_id=8)

    assert (first.planned[Kind.RESTOCK], same.total, second.planned[Kind.RESTOCK]) == (1, 0, 1)
    keys = set(FollowUp.objects.filter(kind=Kind.RESTOCK).values_list("idempotency_key", flat=True))
    assert keys == {f"restock:7:b{buyer.pk}", f"restock:8:b{buyer.pk}"}
    assert same.followups[buyer.pk].pk == first.followups[buyer.pk].pk


def _idul_fitri(year: int) -> datetime.date:
    return next(h.date for h in holidays_in(year) if h.key == "idul_fitri")


def test_idul_fitri_2027_greeting_goes_to_consenting_buyers_on_the_day(shop):
    day = _idul_fitri(2027)  # from the holidays package, not a hard-coded date
    yes = BuyerFactory(shop=shop, marketing_consent=True)
    no = BuyerFactory(shop=shop, marketing_consent=False)
    BuyerHandleFactory(buyer=yes, channel=Channel.TOKOPEDIA, handle="yes_tokped")

    eve = day - datetime.timedelta(days=1)
    with time_machine.travel(wib(eve.year, eve.month, eve.day, 8, 0), tick=False):
        assert followups_plan_loyalty(shop=shop).planned.get(Kind.HOLIDAY, 0) == 0
    with time_machine.travel(wib(day.year, day.month, day.day, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
        followups_plan_loyalty(shop=shop)

    greeting = FollowUp.objects.get(kind=Kind.HOLIDAY)
    assert greeting.buyer == yes
    assert greeting.idempotency_key == f"holiday:{day.isoformat()}:idul_fitri:{yes.pk}"
    assert "Idul Fitri" in greeting.text
    assert (greeting.channel, greeting.marketplace, greeting.recipient) == (
        "marketplace",
        "tokopedia",
        "yes_tokped",
    )
    assert not FollowUp.objects.filter(buyer=no).exists()


def test_each_holiday_has_its_own_greeting(shop):
    BuyerFactory(shop=shop)
    texts = {}
    for key in ("natal", "imlek", "tahun_baru", "idul_adha"):
        day = next(h.date for h in holidays_in(2027) if h.key == key)
        with time_machine.travel(wib(day.year, day.month, day.day, 9, 0), tick=False):
            followups_plan_loyalty(shop=shop)
        texts[key] = FollowUp.objects.get(kind=Kind.HOLIDAY, facts__holiday_key=key).text
    assert len(set(texts.values())) == 4
    assert "Merry Christmas" in texts["natal"]
    assert "Gong Xi Fa Cai" in texts["imlek"]


def test_harbolnas_greeting_on_11_11(shop):
    buyer = BuyerFactory(shop=shop)
    with time_machine.travel(wib(2026, 11, 11, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
    greeting = FollowUp.objects.get(kind=Kind.HARBOLNAS)
    assert greeting.buyer == buyer and "11.11" in greeting.text


def test_birthday_greeting_on_the_day_only(shop):
    buyer = BuyerFactory(shop=shop, birthday=datetime.date(1990, 6, 15))
    with time_machine.travel(wib(2027, 6, 14, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
    assert not FollowUp.objects.filter(kind=Kind.BIRTHDAY).exists()
    with time_machine.travel(wib(2027, 6, 15, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
    assert FollowUp.objects.get(kind=Kind.BIRTHDAY).buyer == buyer


def test_29_february_birthday_is_greeted_on_28_february(shop):
    BuyerFactory(shop=shop, birthday=datetime.date(2000, 2, 29))
    with time_machine.travel(wib(2027, 2, 28, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
    assert FollowUp.objects.filter(kind=Kind.BIRTHDAY).count() == 1


def test_moving_up_a_tier_brings_a_thank_you_with_the_perk_once(shop):
    buyer = BuyerFactory(shop=shop)
    start = wib(2026, 5, 4, 8, 0)  # no holiday, no sale day
    for i in range(2):
        OrderFactory(
            shop=shop,
            buyer=buyer,
            total=100_000,
            ordered_at=start - datetime.timedelta(days=20 + i),
        )
    with time_machine.travel(start, tick=False):
        followups_plan_loyalty(shop=shop)  # first run: records tiers silently
    assert not FollowUp.objects.filter(kind=Kind.TIER_UP).exists()

    OrderFactory(shop=shop, buyer=buyer, total=100_000, ordered_at=start)
    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        followups_plan_loyalty(shop=shop)
        followups_plan_loyalty(shop=shop)

    tier_up = FollowUp.objects.get(kind=Kind.TIER_UP)
    assert "Bronze" in tier_up.text and "gift wrapping" in tier_up.text
    assert BuyerTier.objects.get(buyer=buyer).tier.name == "Bronze"


def test_big_spender_reaches_a_tier_by_spend(shop):
    buyer = BuyerFactory(shop=shop)
    with time_machine.travel(wib(2026, 5, 4, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)  # baseline with no buyers in any tier
        OrderFactory(shop=shop, buyer=buyer, total=6_000_000, ordered_at=timezone.now())
        followups_plan_loyalty(shop=shop)
    assert BuyerTier.objects.get(buyer=buyer).tier.name == "Gold"
    assert "Gold" in FollowUp.objects.get(kind=Kind.TIER_UP).text


def test_quiet_buyer_gets_one_win_back_message(shop):
    settings = care_settings_get(shop=shop)
    buyer = BuyerFactory(shop=shop)
    today = wib(2026, 5, 4, 8, 0)
    OrderFactory(
        shop=shop, buyer=buyer, ordered_at=today - datetime.timedelta(days=settings.winback_days)
    )
    for offset in range(3):
        with time_machine.travel(today + datetime.timedelta(days=offset), tick=False):
            followups_plan_loyalty(shop=shop)
    winback = FollowUp.objects.get(kind=Kind.WINBACK)
    assert str(settings.winback_days) in winback.text


def test_first_purchase_anniversary(shop):
    buyer = BuyerFactory(shop=shop)
    OrderFactory(shop=shop, buyer=buyer, ordered_at=wib(2024, 5, 4, 15, 0))
    OrderFactory(shop=shop, buyer=buyer, ordered_at=wib(2026, 4, 1, 15, 0))
    with time_machine.travel(wib(2026, 5, 4, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)
    anniversary = FollowUp.objects.get(kind=Kind.ANNIVERSARY)
    assert anniversary.facts["years"] == 2


@time_machine.travel(NOON, tick=False)
def test_review_request_only_for_marketplace_orders(shop):
    delivered = NOON - datetime.timedelta(days=1)
    wa = OrderFactory(
        shop=shop,
        buyer=BuyerFactory(shop=shop),
        channel=Channel.WHATSAPP,
        delivered_at=delivered,
        promised_at=delivered,
    )
    followups_plan_orders(shop=shop)
    assert FollowUp.objects.filter(order=wa, kind=Kind.THANK_YOU).exists()
    assert not FollowUp.objects.filter(order=wa, kind=Kind.REVIEW_REQUEST).exists()


@time_machine.travel(NOON, tick=False)
def test_invoice_number_in_a_private_chat_is_not_flagged_as_personal_data(shop):
    delivered = NOON - datetime.timedelta(days=1)
    order = OrderFactory(
        shop=shop,
        buyer=BuyerFactory(shop=shop),
        channel=Channel.TOKOPEDIA,
        external_id="INV/20261114/MPL/0801851545",
        delivered_at=delivered,
        promised_at=delivered,
    )
    followups_plan_orders(shop=shop)
    ask = FollowUp.objects.get(order=order, kind=Kind.REVIEW_REQUEST)
    assert ask.tone_verdict != "hostile" and ask.status != FollowUp.Status.HELD


@time_machine.travel(NOON, tick=False)
def test_care_message_names_the_review_topics_in_words(shop):
    review = ReviewFactory(
        order=_late_order(shop),
        rating=2,
        needs_care=True,
        topics=["delivery_delay", "packaging"],
        posted_at=NOON - datetime.timedelta(hours=1),
    )
    followups_plan_orders(shop=shop)
    care = FollowUp.objects.get(review=review)
    assert "delivery_delay" not in care.text
    assert "packaging" in care.text.lower()


@time_machine.travel(NOON, tick=False)
def test_hostile_word_in_a_product_name_holds_the_planned_message(shop):
    order = _late_order(shop)
    line = order.lines.get()
    line.product.name = "Kaos Dasar Pembeli Bodoh"
    line.product.save()
    line.name = ""
    line.save()
    followups_plan_orders(shop=shop)
    apology = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert apology.status == FollowUp.Status.HELD and apology.tone_verdict == "hostile"
    assert apology.tone_findings
