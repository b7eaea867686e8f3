"""The daily rollup behind the care dashboard counts exactly what the live queries count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from customers.demo import demo_seed
from customers.models import Order, Shop
from customers.selectors import jakarta_midnight
from followups.models import FollowUp
from followups.selectors import care_reorder_comparison
from insights.models import DeliveryDay, ReviewDay, RollupState
from insights.rollup import rollup_refresh
from insights.selectors import CHARTS, Filters, care_comparison, insights_charts
from reviews.models import Review
from tests.factories import BuyerFactory, FollowUpFactory, OrderFactory, ReviewFactory

pytestmark = pytest.mark.django_db

SEEDED = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta


@pytest.fixture
def shop():
    with time_machine.travel(SEEDED, tick=False):
        return demo_seed(slug="rollup", owner="rollup", buyers=60, orders=900).shop


def _ranges(today: date) -> list[Filters]:
    return [
        Filters.default(today),
        Filters(start=today - timedelta(days=364), end=today),
        Filters(start=today - timedelta(days=200), end=today - timedelta(days=40)),
        Filters(start=today - timedelta(days=120), end=today, channel="shopee"),
        Filters(start=today - timedelta(days=90), end=today, channel="whatsapp"),
    ]


def _charts(shop: Shop, filters: Filters) -> dict:
    return {
        key: (chart.rows, chart.summary)
        for key, chart in insights_charts(shop=shop, filters=filters).items()
    }


def _live(shop: Shop, filters: Filters) -> dict:
    """The same charts with no rollup at all: every count from the base tables."""
    state = RollupState.objects.filter(shop=shop)
    saved = list(state.values_list("through", flat=True))
    state.update(through=None)
    try:
        return _charts(shop, filters)
    finally:
        if saved:
            state.update(through=saved[0])


def _live_comparison(shop: Shop) -> dict:
    """The live comparison with the rollup's cutoff: problems before the day 60 days ago."""
    day = timezone.localdate(timezone.now() - timedelta(days=60))
    cutoff = jakarta_midnight(day) - timedelta(microseconds=1)
    return care_reorder_comparison(shop=shop, now=cutoff + timedelta(days=60))


def test_the_seeded_shop_has_every_kind_of_problem_and_care(shop):
    assert Review.objects.filter(shop=shop, needs_care=True).exists()
    assert Order.objects.for_shop(shop).late().exists()
    sent = FollowUp.objects.filter(shop=shop, status=FollowUp.Status.SENT)
    assert sent.filter(kind="care").exists() and sent.filter(kind="late_apology").exists()


def test_rollup_plus_today_live_equals_the_live_counts(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        result = rollup_refresh(shop=shop)
        assert result.review_rows > 0 and result.delivery_rows > 0
        assert ReviewDay.objects.filter(shop=shop).exists()
        assert not ReviewDay.objects.filter(shop=shop, day__gte=timezone.localdate()).exists()
        for filters in _ranges(timezone.localdate()):
            assert _charts(shop, filters) == _live(shop, filters), filters
        assert care_comparison(shop=shop) == _live_comparison(shop)


def test_changes_after_a_refresh_show_today_and_reach_old_days_at_the_next_refresh(shop):
    later = SEEDED + timedelta(days=3)
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
    with time_machine.travel(later, tick=False):
        today = timezone.localdate()
        # Today: a new late delivery with a review that needs care. Shown without a refresh.
        buyer = BuyerFactory(shop=shop)
        fresh = OrderFactory(
            buyer=buyer,
            courier="jne",
            ordered_at=later - timedelta(days=6),
            promised_at=later - timedelta(days=3),
            delivered_at=later - timedelta(minutes=30),
        )
        ReviewFactory(
            order=fresh, rating=2, needs_care=True, posted_at=later - timedelta(minutes=5)
        )
        before = _charts(shop, Filters.default(today))["funnel"][0][0]
        # Old days: a late reply to a 150-day-old complaint, care sent for it, and an order
        # imported for a day long rolled up.
        old = (
            Review.objects.filter(
                shop=shop, needs_care=True, posted_at__lt=later - timedelta(days=150)
            )
            .exclude(reply_status="sent")
            .select_related("order")
            .first()
        )
        old.reply_status, old.replied_at = "sent", later
        old.save()
        FollowUpFactory(
            shop=shop,
            buyer=old.order.buyer,
            review=old,
            order=old.order,
            kind="care",
            status="sent",
            sent_at=later,
            idempotency_key=f"care:{old.pk}:test",
        )
        OrderFactory(
            buyer=old.order.buyer,
            ordered_at=old.posted_at + timedelta(days=5),
            promised_at=old.posted_at + timedelta(days=8),
            delivered_at=old.posted_at + timedelta(days=9),
        )
        year = Filters(start=today - timedelta(days=364), end=today)
        assert before[1] == _live(shop, Filters.default(today))["funnel"][0][0][1]

        rollup_refresh(shop=shop)

        for filters in [*_ranges(today), year]:
            assert _charts(shop, filters) == _live(shop, filters), filters
        assert care_comparison(shop=shop) == _live_comparison(shop)


def test_a_full_rebuild_forgets_deleted_rows(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
        Order.objects.filter(shop=shop, delivered_at__lt=SEEDED - timedelta(days=200)).delete()
        rollup_refresh(shop=shop, full=True)
        filters = Filters(
            start=timezone.localdate() - timedelta(days=364), end=timezone.localdate()
        )
        assert _charts(shop, filters) == _live(shop, filters)


def test_the_rollup_belongs_to_its_shop(shop):
    with time_machine.travel(SEEDED, tick=False):
        other = demo_seed(slug="rollup-b", owner="rollup-b", buyers=20, orders=200).shop
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
        rollup_refresh(shop=other)
        for one in (shop, other):
            filters = Filters(
                start=timezone.localdate() - timedelta(days=364), end=timezone.localdate()
            )
            assert _charts(one, filters) == _live(one, filters)
        mine = sum(ReviewDay.objects.filter(shop=shop).values_list("reviews", flat=True))
        assert mine == Review.objects.filter(shop=shop, posted_at__lt=timezone.now()).count() - (
            Review.objects.filter(shop=shop, posted_at__date__gte=timezone.localdate()).count()
        )
        assert DeliveryDay.objects.filter(shop=other).exists()


def test_refresh_command_rolls_up_every_shop(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        call_command("insights_refresh", verbosity=0)
        state = RollupState.objects.get(shop=shop)
        assert state.through == timezone.localdate()
        assert state.refreshed_at is not None
        assert ReviewDay.objects.filter(shop=shop).exists()


def test_every_chart_is_covered(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
        assert set(_charts(shop, Filters.default())) == set(CHARTS)


def _planned(chart_rows: list[list]) -> int:
    return sum(row[1] for row in chart_rows)


def test_the_follow_up_chart_counts_the_chosen_days_and_channel(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
        today = timezone.localdate()
        filters = Filters(
            start=today - timedelta(days=40), end=today - timedelta(days=5), channel="shopee"
        )
        expected = FollowUp.objects.filter(
            shop=shop,
            created_at__gte=filters.since,
            created_at__lt=filters.until,
            marketplace="shopee",
        )
        assert expected.count() > 0
        everywhere = FollowUp.objects.filter(shop=shop, created_at__gte=filters.since)
        assert everywhere.count() > expected.count()
        chart = insights_charts(shop=shop, filters=filters, only="followups")["followups"]
        assert _planned(chart.rows) == expected.count()
        sent = {row[0]: row[2] for row in chart.rows}
        assert sum(sent.values()) == expected.filter(status="sent").count()


def test_an_old_follow_up_changed_after_a_refresh_moves_at_the_next_refresh(shop):
    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
    # A month later, a follow-up created 65 days before is older than the days every
    # refresh recounts: only its updated_at brings its day back.
    with time_machine.travel(SEEDED + timedelta(days=30), tick=False):
        old = (
            FollowUp.objects.filter(
                shop=shop, status="sent", created_at__lt=SEEDED - timedelta(days=35)
            )
            .order_by("created_at")
            .first()
        )
        day = timezone.localdate(old.created_at)
        filters = Filters(start=day, end=day)
        before = insights_charts(shop=shop, filters=filters, only="followups")["followups"]
        FollowUp.objects.filter(pk=old.pk).update(status="failed", updated_at=timezone.now())
        rollup_refresh(shop=shop)
        after = insights_charts(shop=shop, filters=filters, only="followups")["followups"]
        assert sum(row[2] for row in after.rows) == sum(row[2] for row in before.rows) - 1
        assert _charts(shop, filters) == _live(shop, filters)


def test_the_tone_chart_counts_the_chosen_days_and_channel(shop):
    from reviews.models import ToneEvent

    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        today = timezone.localdate()
        shopee = Review.objects.filter(shop=shop, channel="shopee").first()
        tokopedia = Review.objects.filter(shop=shop, channel="tokopedia").first()
        for review, days_ago in ((shopee, 1), (tokopedia, 1), (shopee, 30)):
            ToneEvent.objects.create(
                shop=shop,
                review=review,
                verdict="hostile",
                outcome="edited",
                created_at=timezone.now() - timedelta(days=days_ago),
            )

        def edited(filters: Filters) -> int:
            chart = insights_charts(shop=shop, filters=filters, only="tone")["tone"]
            return chart.summary["counts"]["edited"]

        assert edited(Filters(start=today - timedelta(days=60), end=today)) == 3
        assert edited(Filters(start=today - timedelta(days=60), end=today, channel="shopee")) == 2
        assert edited(Filters(start=today - timedelta(days=60), end=today - timedelta(days=7))) == 1


def test_orders_per_channel_adds_stored_days_and_live_edges_exactly(shop):
    from insights.rollup import orders_per_channel

    with time_machine.travel(SEEDED + timedelta(hours=1), tick=False):
        rollup_refresh(shop=shop)
    now = SEEDED + timedelta(days=2, hours=3, minutes=17)
    with time_machine.travel(now, tick=False):
        # An order placed after the refresh: counted live.
        OrderFactory(buyer=BuyerFactory(shop=shop), channel="shopee", ordered_at=now)
        starts = {
            "shopee": now - timedelta(days=7),
            "tokopedia": now - timedelta(days=30, minutes=1),
            "whatsapp": now - timedelta(hours=5),
        }
        counts = orders_per_channel(shop=shop, starts=starts, until=now)
        for channel, start in starts.items():
            expected = Order.objects.filter(
                shop=shop, channel=channel, ordered_at__gt=start, ordered_at__lte=now
            ).count()
            assert counts[channel] == expected, channel
        assert counts["shopee"] and counts["tokopedia"]  # windows with stored days
