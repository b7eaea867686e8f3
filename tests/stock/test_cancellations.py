"""Cancellations, penalty rules and the rejection counter's warning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from customers.models import Order
from stock.models import Cancellation, PenaltyRule
from stock.penalties import DEFAULT_PENALTIES
from stock.selectors import penalty_rules_effective, rejection_status
from stock.services import cancellation_record, penalty_rule_reset, penalty_rule_save
from tests.factories import BuyerFactory, CancellationFactory, OrderFactory


def _reject(shop, channel, n, *, reason="out_of_stock", initiator="seller", days_ago=0):
    for _ in range(n):
        order = OrderFactory(buyer=BuyerFactory(shop=shop), channel=channel)
        CancellationFactory(
            order=order,
            reason=reason,
            initiator=initiator,
            occurred_at=timezone.now() - timedelta(days=days_ago),
        )


def _status(shop, channel):
    return next(s for s in rejection_status(shop=shop) if s.rule.channel == channel)


def test_every_marketplace_has_a_documented_default_and_unsure_ones_are_marked():
    assert set(DEFAULT_PENALTIES) == {"shopee", "tokopedia", "lazada", "bukalapak"}
    assert (
        DEFAULT_PENALTIES["bukalapak"].threshold == 5
        and not DEFAULT_PENALTIES["bukalapak"].assumption
    )
    assert DEFAULT_PENALTIES["shopee"].assumption and DEFAULT_PENALTIES["tokopedia"].assumption
    assert "OVL" in str(DEFAULT_PENALTIES["lazada"].penalty)


@pytest.mark.parametrize(
    ("count", "warning", "penalties", "left"),
    [
        (0, False, 0, 5),
        (3, False, 0, 2),
        (4, True, 0, 1),
        (5, False, 1, 5),
        (9, True, 1, 1),
        (10, False, 2, 5),
    ],
)
def test_bukalapak_warns_exactly_when_the_next_rejection_crosses_the_threshold(
    shop, count, warning, penalties, left
):
    _reject(shop, "bukalapak", count)
    status = _status(shop, "bukalapak")
    assert (status.counted, status.warning, status.penalties, status.left) == (
        count,
        warning,
        penalties,
        left,
    )


def test_lazada_ovl_does_not_repeat_once_reached(shop):
    _reject(shop, "lazada", 2)
    assert _status(shop, "lazada").warning  # 3 in 7 days -> OVL
    _reject(shop, "lazada", 2)
    status = _status(shop, "lazada")
    assert (status.penalties, status.left, status.warning) == (1, 0, False)


def test_buyer_requested_rejections_cost_no_point_but_count_in_the_rate(shop):
    _reject(shop, "bukalapak", 4, reason="buyer_request")
    _reject(shop, "bukalapak", 2, initiator="buyer", reason="other")
    _reject(shop, "bukalapak", 1)
    status = _status(shop, "bukalapak")
    assert (status.counted, status.buyer_requested) == (1, 4)
    assert not status.warning
    assert status.orders == 7
    assert status.rejection_pct == pytest.approx(round(100 * 5 / 7, 1))


def test_rejections_outside_the_window_drop_out(shop):
    _reject(shop, "bukalapak", 4, days_ago=31)
    _reject(shop, "bukalapak", 1, days_ago=2)
    assert _status(shop, "bukalapak").counted == 1


def test_shop_override_replaces_the_default_rule(shop):
    penalty_rule_save(shop=shop, channel="shopee", window_days=14, threshold=2, penalty="Poin")
    _reject(shop, "shopee", 1)
    status = _status(shop, "shopee")
    assert status.rule.overridden and status.rule.threshold == 2 and status.warning
    penalty_rule_reset(shop=shop, channel="shopee")
    assert not _status(shop, "shopee").rule.overridden


def test_another_shops_rules_and_rejections_do_not_leak(shop, other_shop):
    penalty_rule_save(shop=other_shop, channel="bukalapak", window_days=7, threshold=1, penalty="x")
    _reject(other_shop, "bukalapak", 4)
    status = _status(shop, "bukalapak")
    assert (status.counted, status.rule.overridden) == (0, False)
    assert all(not r.overridden for r in penalty_rules_effective(shop=shop))


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"window_days": 0}, "invalid_window"),
        ({"threshold": 0}, "invalid_threshold"),
        ({"penalty": " "}, "penalty_missing"),
        ({"channel": "friendster"}, "invalid_channel"),
    ],
)
def test_penalty_rule_bad_values_are_refused(shop, kwargs, code):
    values = {"channel": "shopee", "window_days": 7, "threshold": 5, "penalty": "Poin", **kwargs}
    with pytest.raises(ValidationError) as error:
        penalty_rule_save(shop=shop, **values)
    assert error.value.code == code
    assert not PenaltyRule.objects.exists()


def test_cancellation_of_an_order_that_does_not_exist_is_refused(shop, other_shop):
    foreign = OrderFactory(buyer=BuyerFactory(shop=other_shop), channel="shopee")
    for number in ("NOPE-1", foreign.external_id):
        with pytest.raises(ValidationError) as error:
            cancellation_record(
                shop=shop, order_number=number, channel="shopee", initiator="seller", reason="other"
            )
        assert error.value.code == "order_not_found"
    assert not Cancellation.objects.exists()
    foreign.refresh_from_db()
    assert foreign.status != Order.Status.CANCELLED


def test_cancellation_is_recorded_once_and_marks_the_order(shop, owner):
    order = OrderFactory(buyer=BuyerFactory(shop=shop), channel="lazada", status="paid")
    cancellation = cancellation_record(
        shop=shop,
        order_number=f"#{order.external_id}",
        channel="lazada",
        initiator="seller",
        reason="out_of_stock",
        by=owner,
    )
    assert (cancellation.channel, cancellation.recorded_by) == ("lazada", owner)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    with pytest.raises(ValidationError) as error:
        cancellation_record(
            shop=shop,
            order_number=order.external_id,
            channel="lazada",
            initiator="buyer",
            reason="other",
        )
    assert error.value.code == "already_cancelled"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("initiator", "robot", "invalid_initiator"), ("reason", "bored", "invalid_reason")],
)
def test_cancellation_bad_choices(shop, field, value, code):
    order = OrderFactory(buyer=BuyerFactory(shop=shop))
    values = {"initiator": "seller", "reason": "other", field: value}
    with pytest.raises(ValidationError) as error:
        cancellation_record(
            shop=shop, order_number=order.external_id, channel=order.channel, **values
        )
    assert error.value.code == code


def test_penalty_rules_page_saves_and_resets(seller_client, shop):
    url = reverse("stock:penalty_rules")
    seller_client.post(
        url,
        {
            "channel": "tokopedia",
            "window_days": "10",
            "threshold": "3",
            "penalty": "Turun skor",
            "repeats": "on",
        },
    )
    rule = PenaltyRule.objects.get(shop=shop)
    assert (rule.window_days, rule.threshold, rule.repeats) == (10, 3, True)
    response = seller_client.post(
        url, {"channel": "tokopedia", "window_days": "0", "threshold": "3", "penalty": "x"}
    )
    assert response.status_code == 200
    assert PenaltyRule.objects.get(shop=shop).window_days == 10
    seller_client.post(url, {"channel": "tokopedia", "reset": "1"})
    assert not PenaltyRule.objects.exists()


def test_playbook_is_in_english_on_request_and_every_step_passes_the_tone_guard(
    seller_client, shop
):
    order = OrderFactory(buyer=BuyerFactory(shop=shop, name="Rina"), channel="shopee", total=90_000)
    response = seller_client.get(
        reverse("stock:playbook", args=[order.pk]), {"lang": "en", "reason": "address_problem"}
    )
    book = response.context["book"]
    apologise = book.steps[0].text
    assert "Rina" in apologise and "courier cannot reach" in apologise
    assert all(step.verdict["verdict"] == "ok" for step in book.steps if step.text)
