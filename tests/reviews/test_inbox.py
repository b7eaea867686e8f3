"""The review inbox: needs-care first, filters, scoping and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.factories import OrderFactory, OrderLineFactory, ReviewFactory

URL = reverse("reviews:review_inbox")


def _review(shop, **fields):
    order = OrderFactory(buyer__shop=shop, channel=fields.pop("order_channel", "shopee"))
    OrderLineFactory(order=order)
    return ReviewFactory(order=order, **fields)


def _ids(response):
    return [review.pk for review in response.context["reviews"]]


def test_inbox_lists_needs_care_first_then_priority_then_newest(seller_client, shop):
    now = timezone.now()
    happy_new = _review(shop, rating=5, posted_at=now)
    care_low = _review(shop, rating=4, needs_care=True, priority=1, posted_at=now - timedelta(1))
    care_high_old = _review(
        shop, rating=2, needs_care=True, priority=3, posted_at=now - timedelta(5)
    )
    care_high_new = _review(
        shop, rating=3, needs_care=True, priority=3, posted_at=now - timedelta(2)
    )
    response = seller_client.get(URL)
    assert response.status_code == 200
    assert _ids(response) == [care_high_new.pk, care_high_old.pk, care_low.pk, happy_new.pk]


def test_inbox_shows_topics_delay_and_draft(seller_client, shop):
    order = OrderFactory(buyer__shop=shop, buyer__name="Sari Wulandari")
    order.delivered_at = order.promised_at + timedelta(days=3)
    order.save()
    OrderLineFactory(order=order, product__name="Kemeja Batik Parang", name="")
    ReviewFactory(
        order=order,
        rating=4,
        text="Kurirnya lama banget",
        needs_care=True,
        topics=["delivery_delay", "courier_service"],
        reply_status=Review.ReplyStatus.DRAFTED,
        reply_text="Halo Kak Sari, mohon maaf pesanannya datang terlambat 3 hari.",
    )
    body = seller_client.get(URL).content.decode()
    assert "Late delivery" in body or "Pengiriman" in body
    assert "topic-delivery_delay" in body and "topic-courier_service" in body
    assert "3 days late" in body or "3 hari" in body
    assert "mohon maaf pesanannya datang terlambat 3 hari" in body
    assert "Kemeja Batik Parang" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rating": "4"}, {"four"}),
        ({"topic": "delivery_delay"}, {"four", "late_two"}),
        ({"topic": "damaged"}, {"damaged"}),
        ({"channel": "tokopedia"}, {"damaged"}),
        ({"replied": "yes"}, {"sent"}),
        ({"replied": "no"}, {"four", "late_two", "damaged"}),
        ({"rating": "bogus", "topic": "nope"}, {"four", "late_two", "damaged", "sent"}),
    ],
)
def test_inbox_filters(seller_client, shop, query, expected):
    reviews = {
        "four": _review(shop, rating=4, topics=["delivery_delay"], needs_care=True),
        "late_two": _review(shop, rating=2, topics=["courier_service", "delivery_delay"]),
        "damaged": _review(
            shop, rating=1, topics=["damaged"], order_channel="tokopedia", channel="tokopedia"
        ),
        "sent": _review(shop, rating=5, topics=[], reply_status=Review.ReplyStatus.SENT),
    }
    response = seller_client.get(URL, query)
    assert response.status_code == 200
    names = {name for name, review in reviews.items() if review.pk in _ids(response)}
    assert names == expected


def test_inbox_shows_only_the_current_shop(seller_client, shop, other_shop):
    mine = _review(shop, rating=3)
    _review(other_shop, rating=1, needs_care=True, priority=9)
    assert _ids(seller_client.get(URL)) == [mine.pk]


def test_inbox_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [5, 100])
def test_inbox_query_count_does_not_grow_with_reviews(
    seller_client, shop, count, django_assert_max_num_queries
):
    for n in range(count):
        _review(shop, rating=1 + n % 5, needs_care=n % 2 == 0, topics=["delivery_delay"])
    # Session, user, shops; three counts, eight index-ordered id lists (reviews.inbox.InboxRows),
    # the page's rows and their order lines: sixteen, for 5 reviews as for 100.
    with django_assert_max_num_queries(16):
        response = seller_client.get(URL)
    assert response.status_code == 200
    assert len(_ids(response)) == min(count, 25)


def test_inbox_paginates(seller_client, shop):
    for _ in range(30):
        _review(shop)
    response = seller_client.get(URL, {"page": 2})
    assert len(_ids(response)) == 5


def test_late_delivery_reviews_with_a_drafted_apology_lead_the_care_still_owed(seller_client, shop):
    now = timezone.now()
    damaged = _review(
        shop, rating=1, needs_care=True, priority=90, action="replace_or_refund", posted_at=now
    )
    late_four_star = _review(
        shop,
        rating=4,
        needs_care=True,
        priority=30,
        action="delay_explanation",
        topics=["delivery_delay"],
        posted_at=now - timedelta(days=3),
    )
    answered_late = _review(
        shop,
        rating=4,
        needs_care=True,
        priority=30,
        action="delay_explanation",
        reply_status="sent",
        posted_at=now,
    )
    happy = _review(shop, rating=5, posted_at=now)

    ids = _ids(seller_client.get(URL))

    assert ids == [late_four_star.pk, damaged.pk, answered_late.pk, happy.pk]
