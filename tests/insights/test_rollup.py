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
