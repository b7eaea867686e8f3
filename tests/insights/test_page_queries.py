"""Every seller page a big shop clicks through runs the same number of queries at any size.

Two demo shops (seed_demo's generator: buyers, orders, reviews, late deliveries, follow-ups,
drafts), one eight times the other; each page is requested as the owner at both sizes, with and
without the dashboard rollup, and must run exactly as many queries at both. The counts are also
held at a fixed ceiling, so a page that gains a query per row fails here before it reaches a shop
with a million orders (bench/pages_bench.py measures those).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from customers.demo import demo_seed
from customers.models import Order
from insights.rollup import rollup_refresh

pytestmark = pytest.mark.django_db

SEEDED = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)
# The ceiling per page: session, user and shop (3) plus what the page itself reads.
PAGES = {
    "dashboard": ("/", 16),
    "insights": ("/insights/", 22),
    "segments": ("/insights/segments/", 9),
    "inbox": ("/reviews/inbox/", 16),
    "buyers": ("/buyers/", 7),
    "buyer": ("/buyers/{buyer}/", 14),
    "outbox": ("/followups/", 8),
    "outbox_sent": ("/followups/?status=sent", 8),
}


def _shop(slug: str, buyers: int, orders: int):
    with time_machine.travel(SEEDED, tick=False):
        report = demo_seed(slug=slug, owner=slug, buyers=buyers, orders=orders)
    shop = report.shop
    busiest = (
        Order.objects.filter(shop=shop)
        .values("buyer")
        .annotate(n=Count("pk"))
        .order_by("-n", "buyer")
        .values_list("buyer", flat=True)
        .first()
    )
    return shop, busiest


@pytest.fixture
def shops():
    return [_shop("kecil", 20, 100), _shop("besar", 80, 800)]


def _queries(client, shop, busiest) -> dict[str, int]:
    client.force_login(shop.memberships.get(role="owner").user)
    counts = {}
    for key, (path, _ceiling) in PAGES.items():
        client.get(path.format(buyer=busiest))  # warm: the session's first write, caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path.format(buyer=busiest))
        assert response.status_code == 200, (key, response.status_code)
        counts[key] = len(captured.captured_queries)
    return counts


@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rollup"])
def test_every_page_runs_the_same_queries_for_a_shop_eight_times_bigger(client, shops, rolled_up):
    with time_machine.travel(SEEDED + timedelta(hours=2), tick=False):
        if rolled_up:
            for shop, _busiest in shops:
                rollup_refresh(shop=shop)
        small, large = (_queries(client, shop, busiest) for shop, busiest in shops)

    assert small == large
    for key, (_path, ceiling) in PAGES.items():
        assert large[key] <= ceiling, (key, large[key])


def test_the_bigger_shop_really_is_bigger(shops):
    (small, _), (large, _) = shops
    assert Order.objects.filter(shop=large).count() == 8 * Order.objects.filter(shop=small).count()
    assert large.reviews.count() > 4 * small.reviews.count()
    assert large.followups.count() > 4 * small.followups.count() > 0
