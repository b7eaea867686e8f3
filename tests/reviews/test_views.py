from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from crm.models import Channel
from customers.models import Courier
from reviews.models import Review
from reviews.views import review_detail
from tests.factories import BuyerFactory, OrderFactory, ReviewFactory

pytestmark = pytest.mark.django_db

REVIEW_LIST = reverse("reviews:review_list")
# Session, user, shops (middleware), then the count and the page's rows with order and buyer.
REVIEW_LIST_MAX_QUERIES = 5


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read English text; Indonesian is the site's default language."""
    settings.LANGUAGE_CODE = "en"


def _pks(response):
    return {review.pk for review in response.context["reviews"]}


@pytest.mark.parametrize(
    "url", [reverse("reviews:review_list"), reverse("reviews:review_detail", args=[1])]
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_owner_of_another_shop_gets_404_on_review_page(seller_client, other_shop):
    review = ReviewFactory(order__buyer__shop=other_shop)
    response = seller_client.get(reverse("reviews:review_detail", args=[review.pk]))
    assert response.status_code == 404


def test_review_list_never_shows_another_shops_reviews(seller_client, shop, other_shop):
    mine = ReviewFactory(order__buyer__shop=shop, text="Punyaku")
    ReviewFactory(order__buyer__shop=other_shop, text="Punya toko lain")

    for query in [{}, {"rating": 5}, {"replied": "no"}, {"needs_care": "no"}]:
        response = seller_client.get(REVIEW_LIST, query)
        assert _pks(response) == {mine.pk}, query
        assert "Punya toko lain" not in response.content.decode()


def test_review_list_filtered_by_another_shops_buyer_shows_nothing(seller_client, other_shop):
    theirs = ReviewFactory(order__buyer__shop=other_shop)
    response = seller_client.get(REVIEW_LIST, {"buyer": theirs.order.buyer_id})
    assert _pks(response) == set()


def test_review_list_filters_by_rating_and_channel(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    four_tokped = ReviewFactory(
        order=OrderFactory(buyer=buyer, channel=Channel.TOKOPEDIA), rating=4
    )
    ReviewFactory(order=OrderFactory(buyer=buyer, channel=Channel.SHOPEE), rating=4)
    ReviewFactory(order=OrderFactory(buyer=buyer, channel=Channel.TOKOPEDIA), rating=5)

    response = seller_client.get(REVIEW_LIST, {"rating": 4, "channel": "tokopedia"})

    assert _pks(response) == {four_tokped.pk}


def test_review_list_filters_by_needs_care_and_reply(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    care_waiting = ReviewFactory(order__buyer=buyer, needs_care=True)
    care_drafted = ReviewFactory(
        order__buyer=buyer, needs_care=True, reply_status=Review.ReplyStatus.DRAFTED
    )
    care_replied = ReviewFactory(
        order__buyer=buyer, needs_care=True, reply_status=Review.ReplyStatus.SENT
    )
    happy = ReviewFactory(order__buyer=buyer, needs_care=False)

    assert _pks(seller_client.get(REVIEW_LIST, {"needs_care": "yes"})) == {
        care_waiting.pk,
        care_drafted.pk,
        care_replied.pk,
    }
    assert _pks(seller_client.get(REVIEW_LIST, {"needs_care": "no"})) == {happy.pk}
    # A drafted reply has not reached the buyer yet: it still waits.
    assert _pks(seller_client.get(REVIEW_LIST, {"needs_care": "yes", "replied": "no"})) == {
        care_waiting.pk,
        care_drafted.pk,
    }
    assert _pks(seller_client.get(REVIEW_LIST, {"replied": "yes"})) == {care_replied.pk}


def test_review_list_filters_by_buyer(seller_client, shop):
    mine = ReviewFactory(order__buyer__shop=shop)
    ReviewFactory(order__buyer__shop=shop)
    response = seller_client.get(REVIEW_LIST, {"buyer": mine.order.buyer_id})
    assert _pks(response) == {mine.pk}


def test_review_list_ignores_invalid_filter_values(seller_client, shop):
    review = ReviewFactory(order__buyer__shop=shop)
    response = seller_client.get(REVIEW_LIST, {"rating": "9", "replied": "maybe"})
    assert response.status_code == 200
    assert _pks(response) == {review.pk}


def test_review_list_shows_stars_newest_first_and_paginates(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    now = timezone.now()
    reviews = [
        ReviewFactory(order__buyer=buyer, rating=3, posted_at=now - timedelta(hours=i))
        for i in range(27)
    ]

    first = seller_client.get(REVIEW_LIST)
    second = seller_client.get(REVIEW_LIST, {"page": 2})

    assert [r.pk for r in first.context["reviews"]] == [r.pk for r in reviews[:25]]
    assert [r.pk for r in second.context["reviews"]] == [r.pk for r in reviews[25:]]
    assert "3 of 5 stars" in first.content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_review_list_runs_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    buyer = BuyerFactory(shop=shop)
    for _ in range(size):
        ReviewFactory(order=OrderFactory(buyer=BuyerFactory(shop=shop)), needs_care=True)
    ReviewFactory(order__buyer=buyer)

    with django_assert_max_num_queries(REVIEW_LIST_MAX_QUERIES):
        response = seller_client.get(REVIEW_LIST, {"needs_care": "yes", "replied": "no"})
    assert len(response.context["reviews"]) == min(size, 25)


def _late_review(shop):
    buyer = BuyerFactory(shop=shop, name="Rina Wati")
    now = timezone.now()
    order = OrderFactory(
        buyer=buyer,
        courier=Courier.SICEPAT,
        promised_at=now - timedelta(days=6),
        delivered_at=now - timedelta(days=3),
    )
    return ReviewFactory(order=order, rating=4, text="Barangnya bagus, tapi kurirnya lambat.")


def test_review_page_shows_the_review_with_links_to_buyer_and_order(seller_client, shop):
    # Whichever view serves reviews:review_detail (the reply composer replaces the plain page).
    review = _late_review(shop)

    response = seller_client.get(review.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Barangnya bagus, tapi kurirnya lambat." in content
    assert review.order.buyer.get_absolute_url() in content
    assert review.order.get_absolute_url() in content


def test_plain_review_page_shows_the_order_facts(rf, owner, shop):
    review = _late_review(shop)
    request = rf.get("/")
    request.user, request.shop, request.shops = owner, shop, [shop]

    response = review_detail(request, pk=review.pk)

    content = response.content.decode()
    assert "SiCepat" in content
    assert "3 days late" in content
    assert "Barangnya bagus, tapi kurirnya lambat." in content


def test_plain_review_page_of_another_shop_is_404(rf, owner, shop, other_shop):
    review = _late_review(other_shop)
    request = rf.get("/")
    request.user, request.shop, request.shops = owner, shop, [shop]
    with pytest.raises(Http404):
        review_detail(request, pk=review.pk)
