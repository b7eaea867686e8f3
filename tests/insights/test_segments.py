"""Buyer segments: who is in each, the list, the CSV, the loyalty touch and shop scoping."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from followups.models import FollowUp, Kind
from followups.services import care_settings_get, followups_promote
from insights.segments import UnknownSegment, segment_buyers, segment_counts
from insights.services import segment_touch_plan
from tests.factories import (
    BuyerFactory,
    BuyerTierFactory,
    FollowUpFactory,
    MembershipTierFactory,
    OrderFactory,
    ReviewFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta, outside quiet hours
SEGMENTS = reverse("insights:segment_list")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _buyer(shop, *orders_days_ago, name=None, **kwargs):
    buyer = BuyerFactory(shop=shop, **({"name": name} if name else {}), **kwargs)
    for days in orders_days_ago:
        OrderFactory(buyer=buyer, ordered_at=NOW - timedelta(days=days))
    return buyer


def _names(shop, segment):
    return [b.name for b in segment_buyers(shop=shop, segment=segment)]


@pytest.fixture
def people(shop, other_shop):
    loyal = _buyer(shop, 5, 40, 80, name="Ayu Loyal")
    new = _buyer(shop, 10, name="Bima Baru")
    dormant = _buyer(shop, 120, 200, name="Citra Tidur")
    unhappy = _buyer(shop, 50, name="Dedi Kecewa")
    ReviewFactory(order=unhappy.orders.get(), rating=3, posted_at=NOW - timedelta(days=45))
    waiting = _buyer(shop, 60, name="Eka Komplain")
    ReviewFactory(
        order=waiting.orders.get(), rating=5, needs_care=True, posted_at=NOW - timedelta(days=55)
    )
    cared = _buyer(shop, 60, name="Fajar Dibalas")
    ReviewFactory(
        order=cared.orders.get(),
        rating=4,
        needs_care=True,
        reply_status="sent",
        replied_at=NOW - timedelta(days=50),
        posted_at=NOW - timedelta(days=55),
    )
    _buyer(other_shop, 1, 2, 3, 100, name="Lain Toko")
    return {"loyal": loyal, "new": new, "dormant": dormant, "unhappy": unhappy}


def test_segments_select_the_right_buyers(shop, people):
    assert _names(shop, "loyal") == ["Ayu Loyal"]
    assert _names(shop, "new") == ["Bima Baru"]
    assert _names(shop, "dormant") == ["Citra Tidur"]
    assert _names(shop, "at_risk") == ["Dedi Kecewa", "Eka Komplain"]


def test_a_better_later_review_takes_a_buyer_out_of_at_risk(shop, people):
    order = OrderFactory(buyer=people["unhappy"], ordered_at=NOW - timedelta(days=20))
    ReviewFactory(order=order, rating=5, posted_at=NOW - timedelta(days=15))
    assert "Dedi Kecewa" not in _names(shop, "at_risk")


def test_tier_and_tag_segments(shop, other_shop, people):
    gold = MembershipTierFactory(shop=shop, name="Gold", rank=3)
    BuyerTierFactory(buyer=people["loyal"], tier=gold)
    vip = TagFactory(shop=shop, name="VIP")
    people["new"].tags.add(vip)
    assert _names(shop, f"tier-{gold.pk}") == ["Ayu Loyal"]
    assert _names(shop, f"tag-{vip.pk}") == ["Bima Baru"]
    foreign = TagFactory(shop=other_shop, name="VIP")
    with pytest.raises(UnknownSegment):
        segment_buyers(shop=shop, segment=f"tag-{foreign.pk}")
    with pytest.raises(UnknownSegment):
        segment_buyers(shop=shop, segment="everyone")


def test_segment_counts_match_the_lists(shop, people):
    vip = TagFactory(shop=shop, name="VIP")
    people["new"].tags.add(vip)
    counts = segment_counts(shop=shop)
    assert {s.key: s.count for s in counts["behaviours"]} == {
        "loyal": 1,
        "at_risk": 2,
        "dormant": 1,
        "new": 1,
    }
    assert [(s.label, s.count) for s in counts["tags"]] == [("VIP", 1)]


def test_segment_pages_show_counts_and_a_paginated_list(seller_client, shop, people):
    response = seller_client.get(SEGMENTS)
    html = response.content.decode()
    assert 'data-segment-count="at_risk">2<' in html
    response = seller_client.get(reverse("insights:segment_detail", args=["at_risk"]))
    assert response.context["page_obj"].paginator.count == 2
    assert [b.name for b in response.context["buyers"]] == ["Dedi Kecewa", "Eka Komplain"]


def test_segment_csv_is_formula_safe(seller_client, shop):
    _buyer(shop, 10, name='=HYPERLINK("http://evil","x")')
    response = seller_client.get(reverse("insights:segment_csv", args=["new"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert rows[1][0] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][1].startswith("'+62")
    assert rows[1][3] == "1"


def test_another_shops_segment_is_404(seller_client, shop, other_shop):
    tag = TagFactory(shop=other_shop)
    assert (
        seller_client.get(reverse("insights:segment_detail", args=[f"tag-{tag.pk}"])).status_code
        == 404
    )
    assert (
        seller_client.get(reverse("insights:segment_csv", args=[f"tag-{tag.pk}"])).status_code
        == 404
    )
    assert seller_client.get(reverse("insights:segment_detail", args=["nobody"])).status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_segment_pages_run_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    for i in range(size):
        buyer = _buyer(shop, 5, 40, 80 + i)
        buyer.tags.add(TagFactory(shop=shop))
    with django_assert_max_num_queries(12):
        seller_client.get(SEGMENTS)
    with django_assert_max_num_queries(14):
        response = seller_client.get(reverse("insights:segment_detail", args=["loyal"]))
    assert response.context["page_obj"].paginator.count == size


# --- The loyalty touch --------------------------------------------------------------------------


def test_touch_plans_one_message_per_buyer_with_the_guardrails(shop, people):
    _buyer(shop, 3, name="Gita Tanpa Izin", marketing_consent=False)
    _buyer(shop, 4, name="Hadi Berhenti", opted_out_at=NOW - timedelta(days=1))

    result = segment_touch_plan(
        shop=shop, segment="new", text="Halo {buyer_name}, terima kasih dari {shop_name}!"
    )

    assert result.planned == 1
    assert dict(result.skipped) == {"no_consent": 1, "opted_out": 1}
    planned = FollowUp.objects.get(shop=shop, buyer=people["new"])
    assert planned.kind == Kind.SEGMENT_TOUCH
    assert planned.status == FollowUp.Status.PLANNED
    assert planned.text == f"Halo Bima Baru, terima kasih dari {shop.name}!"
    assert planned.idempotency_key == f"segment:new:2026-06-15:{people['new'].pk}"


def test_a_touch_goes_out_even_when_automatic_win_backs_are_off(shop, people):
    """The seller asked for this touch now: the win-back rule's switch does not gate it."""
    settings = care_settings_get(shop=shop)
    settings.winback_enabled = False
    settings.save()
    segment_touch_plan(shop=shop, segment="loyal", text="Terima kasih, {buyer_name}!")
    followups_promote(now=NOW)
    touch = FollowUp.objects.get(idempotency_key__startswith="segment:loyal")
    assert touch.status == FollowUp.Status.DUE
    assert touch.kind == Kind.SEGMENT_TOUCH


def test_touch_twice_the_same_day_plans_nothing_new(shop, people):
    segment_touch_plan(shop=shop, segment="loyal", text="Terima kasih, {buyer_name}!")
    again = segment_touch_plan(shop=shop, segment="loyal", text="Terima kasih, {buyer_name}!")
    assert again.planned == 0 and again.already == 1
    assert FollowUp.objects.filter(shop=shop).count() == 1


def test_the_weekly_marketing_cap_applies_when_the_touch_falls_due(shop, people):
    FollowUpFactory(
        buyer=people["loyal"],
        kind=Kind.BIRTHDAY,
        status="sent",
        sent_at=NOW - timedelta(days=2),
        due_at=NOW - timedelta(days=2),
    )
    segment_touch_plan(shop=shop, segment="loyal", text="Terima kasih, {buyer_name}!")
    followups_promote(now=NOW)
    touch = FollowUp.objects.get(idempotency_key__startswith="segment:loyal")
    assert touch.status == FollowUp.Status.SKIPPED
    assert touch.skip_reason == "marketing_cap"


def test_hostile_or_empty_touch_text_is_refused_and_writes_nothing(shop, people):
    with pytest.raises(ValidationError) as error:
        segment_touch_plan(shop=shop, segment="loyal", text="Dasar pembeli bodoh, beli lagi!")
    assert error.value.code == "hostile"
    with pytest.raises(ValidationError) as error:
        segment_touch_plan(shop=shop, segment="loyal", text="   ")
    assert error.value.code == "empty_text"
    assert not FollowUp.objects.exists()


def test_touch_button_plans_for_the_segment_and_reports(seller_client, shop, people):
    response = seller_client.post(
        reverse("insights:segment_detail", args=["dormant"]),
        {"text": "Halo {buyer_name}, kami kangen!"},
        follow=True,
    )
    assert response.status_code == 200
    assert FollowUp.objects.filter(shop=shop, buyer=people["dormant"]).count() == 1
    assert "Planned 1" in response.content.decode()


def test_touch_never_reaches_another_shops_buyers(shop, other_shop, people):
    segment_touch_plan(shop=shop, segment="loyal", text="Terima kasih, {buyer_name}!")
    assert not FollowUp.objects.filter(shop=other_shop).exists()
    assert not FollowUp.objects.filter(buyer__shop=other_shop).exists()
