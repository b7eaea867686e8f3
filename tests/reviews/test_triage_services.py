"""Triage stored on reviews: one at a time, in bulk chunks with order facts, and the safety net."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reviews.models import Review
from reviews.services import review_triage, reviews_triage, reviews_triage_bulk
from reviews.tasks import triage_pending
from tests.factories import OrderFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def late_order(shop, days=3):
    order = OrderFactory(buyer__shop=shop)
    order.delivered_at = order.promised_at + timedelta(days=days)
    order.save()
    return order


def test_review_triage_saves_the_result_on_the_review(shop):
    review = ReviewFactory(order__buyer__shop=shop, rating=2, text="Barang datang pecah")
    result = review_triage(review=review)
    review.refresh_from_db()
    assert review.topics == result.topics == ["damaged"]
    assert review.needs_care and review.sentiment == "negative"
    assert review.action == "replace_or_refund"
    assert review.priority == result.priority > 0
    assert review.triaged_at is not None


def test_order_facts_make_a_silent_four_star_review_a_delay_case(shop):
    review = ReviewFactory(order=late_order(shop), rating=4, text="Sesuai pesanan")
    review_triage(review=review)
    review.refresh_from_db()
    assert review.topics == ["delivery_delay"]
    assert review.needs_care and review.action == "delay_explanation"


def test_bulk_triage_works_in_chunks_with_few_queries(shop, django_assert_max_num_queries):
    for _ in range(5):
        ReviewFactory(order=late_order(shop), rating=4, text="Bagus")
    for _ in range(4):
        ReviewFactory(order__buyer__shop=shop, rating=5, text="Mantap, cepat!")
    # Per chunk of 2: one SELECT with the order joined and one UPDATE (plus savepoints).
    with django_assert_max_num_queries(5 * 4 + 2):
        done = reviews_triage_bulk(shop=shop, chunk_size=2)
    assert done == 9
    reviews = Review.objects.filter(shop=shop)
    assert reviews.filter(triaged_at__isnull=True).count() == 0
    assert reviews.filter(needs_care=True, topics=["delivery_delay"]).count() == 5
    assert reviews.filter(needs_care=False, action="thank").count() == 4


def test_bulk_triage_skips_triaged_reviews_unless_forced(shop):
    review = ReviewFactory(order__buyer__shop=shop, rating=1, text="Rusak")
    assert reviews_triage_bulk(shop=shop) == 1
    assert reviews_triage_bulk(shop=shop) == 0
    Review.objects.filter(pk=review.pk).update(text="Mantap sekali", rating=5)
    assert reviews_triage_bulk(shop=shop, force=True) == 1
    review.refresh_from_db()
    assert not review.needs_care


def test_bulk_triage_is_scoped_to_the_shop_and_accepts_a_list(shop, other_shop):
    mine = ReviewFactory(order__buyer__shop=shop, rating=2, text="Telat")
    theirs = ReviewFactory(order__buyer__shop=other_shop, rating=2, text="Telat")
    assert reviews_triage_bulk(shop=shop) == 1
    theirs.refresh_from_db()
    assert theirs.triaged_at is None
    assert reviews_triage_bulk(reviews=[theirs, mine]) == 1


def test_demo_seed_name_and_schedule_task_triage_pending_reviews(shop):
    ReviewFactory(order__buyer__shop=shop, rating=3, text="Lama")
    assert reviews_triage is reviews_triage_bulk
    assert triage_pending() == 1
    assert triage_pending() == 0


def test_bad_chunk_size_is_refused(shop):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        reviews_triage_bulk(shop=shop, chunk_size=0)
    assert excinfo.value.code == "chunk_size"


def test_triage_schedule_is_registered():
    from crm.schedules import SCHEDULES

    spec = next(s for s in SCHEDULES if s.name == "reviews.triage_pending")
    assert spec.func == "reviews.tasks.triage_pending"
