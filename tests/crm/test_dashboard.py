from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from customers.models import Order
from reviews.models import Review
from tests.factories import BuyerFactory, OrderFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
# Wednesday 2026-03-11 10:00 in Jakarta; the week started on Monday 2026-03-09 00:00 WIB,
# which is Sunday 2026-03-08 17:00 UTC.
NOW = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
MONDAY_MIDNIGHT_WIB = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read English text; Indonesian is the site's default language."""
    settings.LANGUAGE_CODE = "en"


def _late_order(buyer, delivered_at, **kwargs):
    return OrderFactory(
        buyer=buyer,
        ordered_at=delivered_at - timedelta(days=6),
        promised_at=delivered_at - timedelta(days=2),
        delivered_at=delivered_at,
        **kwargs,
    )


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_a_shop_sees_the_no_shop_page(client):
    client.force_login(UserFactory())
    assert client.get(DASHBOARD).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_what_waits_for_the_seller_in_this_shop_only(
    seller_client, shop, other_shop
):
    buyer = BuyerFactory(shop=shop)
    ReviewFactory(order__buyer=buyer, rating=5)  # waiting, happy
    ReviewFactory(order__buyer=buyer, rating=4, needs_care=True)  # waiting, 4-star complaint
    ReviewFactory(  # a draft is not a reply yet
        order__buyer=buyer, rating=2, needs_care=True, reply_status=Review.ReplyStatus.DRAFTED
    )
    ReviewFactory(  # replied: not waiting
        order__buyer=buyer, rating=4, needs_care=True, reply_status=Review.ReplyStatus.SENT
    )
    _late_order(buyer, MONDAY_MIDNIGHT_WIB + timedelta(minutes=1))  # late this week
    _late_order(buyer, MONDAY_MIDNIGHT_WIB - timedelta(minutes=1))  # late last week
    OrderFactory(buyer=buyer, ordered_at=NOW - timedelta(days=1))  # on time
    OrderFactory(  # not delivered, past the promise
        buyer=buyer,
        status=Order.Status.SHIPPED,
        promised_at=NOW - timedelta(days=1),
        delivered_at=None,
    )
    BuyerFactory(shop=shop)
    other_buyer = BuyerFactory(shop=other_shop)
    ReviewFactory(order__buyer=other_buyer, rating=4, needs_care=True)
    _late_order(other_buyer, NOW - timedelta(hours=1))

    counts = seller_client.get(DASHBOARD).context["counts"]

    assert counts["reviews_waiting"] == 3
    assert counts["needs_care_waiting"] == 2
    assert counts["four_star_complaints"] == 1
    assert counts["late_this_week"] == 1
    assert counts["overdue"] == 1
    assert counts["buyers"] == 2


def test_a_big_backlog_shows_as_more_than_the_cap(seller_client, shop, monkeypatch):
    # A big shop's years of unanswered reviews are counted up to crm.counting.COUNT_CAP
    # (10,000), not read in full on every visit; a cap of 3 shows the same on a few rows.
    monkeypatch.setattr("crm.counting.COUNT_CAP", 3)
    buyer = BuyerFactory(shop=shop)
    ReviewFactory.create_batch(3, order__buyer=buyer, rating=4, needs_care=True)
    ReviewFactory.create_batch(
        2, order__buyer=buyer, rating=5, reply_status=Review.ReplyStatus.DRAFTED
    )

    response = seller_client.get(DASHBOARD)

    counts = response.context["counts"]
    assert counts["reviews_waiting"] == 4  # "more than 3"
    assert counts["needs_care_waiting"] == 3 and counts["four_star_complaints"] == 3
    content = response.content.decode()
    assert '<div class="display-6">3+</div>' in content
    assert '<div class="display-6">3</div>' in content
    assert "3 with a complaint" in content


@time_machine.travel(NOW, tick=False)
def test_each_count_links_to_the_list_that_shows_the_same_rows(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    ReviewFactory(order__buyer=buyer, rating=4, needs_care=True)
    ReviewFactory(order__buyer=buyer, rating=4, needs_care=False)
    ReviewFactory(order__buyer=buyer, rating=1, needs_care=True, reply_status="sent")
    _late_order(buyer, NOW - timedelta(hours=2))
    _late_order(buyer, NOW - timedelta(days=9))

    response = seller_client.get(DASHBOARD)
    counts = response.context["counts"]
    content = response.content.decode().replace("&amp;", "&")

    links = {
        "reviews_waiting": reverse("reviews:review_list") + "?replied=no",
        "four_star_complaints": reverse("reviews:review_list")
        + "?rating=4&needs_care=yes&replied=no",
        "late_this_week": reverse("customers:order_list")
        + "?late=delivered&delivered_since=2026-03-09",
        "buyers": reverse("customers:buyer_list"),
    }
    for key, url in links.items():
        assert f'href="{url}"' in content, key
        listed = seller_client.get(url).context["page_obj"].paginator.count
        assert listed == counts[key], key


@time_machine.travel(NOW, tick=False)
def test_dashboard_lists_waiting_complaints_and_late_orders(seller_client, shop, other_shop):
    buyer = BuyerFactory(shop=shop, name="Agus Salim")
    ReviewFactory(order__buyer=buyer, needs_care=True, rating=4, text="Kurir JNE telat 3 hari")
    ReviewFactory(order__buyer=buyer, needs_care=True, reply_status="sent", text="Sudah dibalas")
    ReviewFactory(order__buyer__shop=other_shop, needs_care=True, text="Toko lain")
    late = _late_order(buyer, NOW - timedelta(days=1), external_id="LATE-77")

    response = seller_client.get(DASHBOARD)

    content = response.content.decode()
    assert "Kurir JNE telat 3 hari" in content
    assert "Sudah dibalas" not in content
    assert "Toko lain" not in content
    assert [o.pk for o in response.context["late_orders"]] == [late.pk]
    assert "LATE-77" in content
    assert "2 days late" in content


def test_dashboard_runs_a_fixed_number_of_queries(
    seller_client, shop, django_assert_max_num_queries
):
    for _ in range(20):
        buyer = BuyerFactory(shop=shop)
        ReviewFactory(order__buyer=buyer, needs_care=True)
        _late_order(buyer, datetime.now(UTC) - timedelta(days=1))
    # 10 for the counts and lists (the review counts are one query of capped counts, the
    # complaints list reads each waiting reply status on its own index range), 4 for the
    # rejection counter
    # (stock.selectors.rejection_status: rules, cancellations, the rollup's coverage and the
    # live orders; a fifth for the stored days once a rollup exists, held by
    # tests/insights/test_page_queries.py).
    with django_assert_max_num_queries(14):
        seller_client.get(DASHBOARD)
