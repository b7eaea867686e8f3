"""seed_demo's worker processes (``jobs``): the same rows as one process, ids aside."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models

from customers.demo import demo_seed, parallel
from customers.demo.writer import pk_reserve
from customers.models import (
    Buyer,
    BuyerHandle,
    Interaction,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from followups.models import FollowUp
from reviews.models import Review
from tests.factories import OrderFactory, ReviewFactory

MODELS = [Buyer, BuyerHandle, Buyer.tags.through, Product, Tag, Order, OrderLine, Review]
MODELS += [Interaction, FollowUp]
MOMENT = "2026-03-10 08:00 +0700"


def _natural_keys() -> dict[type[models.Model], dict[int, object]]:
    orders = {
        pk: (channel, ext)
        for pk, channel, ext in Order.objects.values_list("pk", "channel", "external_id")
    }
    return {
        Shop: dict(Shop.objects.values_list("pk", "slug")),
        Buyer: dict(Buyer.objects.values_list("pk", "phone")),
        Product: dict(Product.objects.values_list("pk", "sku")),
        Tag: dict(Tag.objects.values_list("pk", "name")),
        get_user_model(): dict(get_user_model().objects.values_list("pk", "username")),
        Order: orders,
        Review: {pk: orders[order] for pk, order in Review.objects.values_list("pk", "order")},
    }


def _content() -> dict[str, list[str]]:
    """Every row of the seeded tables with ids left out and references by natural key."""
    keys = _natural_keys()
    content = {}
    for model in MODELS:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        rows = []
        for values in model.objects.values_list(*(field.attname for field in fields)):
            row = []
            for field, value in zip(fields, values, strict=True):
                if field.is_relation and value is not None:
                    value = keys[field.related_model][value]
                elif field.name == "idempotency_key":  # "<kind>:<order or review id>"
                    kind, pk = value.split(":")
                    value = (kind, keys[Review if kind == "care" else Order][int(pk)])
                row.append(value)
            rows.append(repr(row))
        content[model._meta.label] = sorted(rows)
    return content


def _seed_twice(first: dict, second: dict) -> tuple[dict, dict]:
    """The content after seeding with ``first``'s arguments, then again after a fresh seed
    with ``second``'s, at the same moment (the shop's creation time anchors the data)."""
    results = []
    for kwargs in (first, second):
        with time_machine.travel(MOMENT, tick=False):
            for step in kwargs["steps"]:
                demo_seed(slug="kembar", owner="kembar", chunk_size=100, **step)
        results.append(_content())
        Shop.objects.filter(slug="kembar").delete()
    return results[0], results[1]


def test_worker_processes_make_the_same_rows_as_one_process(db):
    serial, workers = _seed_twice(
        {"steps": [{"buyers": 150, "orders": 730, "jobs": 1}]},
        {"steps": [{"buyers": 150, "orders": 730, "jobs": 2}]},
    )

    assert len(serial["customers.Order"]) == 730
    assert serial["reviews.Review"] and serial["followups.FollowUp"]
    assert workers == serial


def test_top_up_with_workers_matches_one_process_also_inside_a_started_chunk(db):
    # 250 orders end inside the chunk 200..299: it is completed by reading ids back, the
    # chunks after it are made by the workers.
    serial, workers = _seed_twice(
        {
            "steps": [
                {"buyers": 90, "orders": 250, "jobs": 1},
                {"buyers": 90, "orders": 720, "jobs": 1},
            ]
        },
        {
            "steps": [
                {"buyers": 90, "orders": 250, "jobs": 2},
                {"buyers": 90, "orders": 720, "jobs": 2},
            ]
        },
    )

    assert len(serial["customers.Order"]) == 720
    assert workers == serial


def test_second_run_with_workers_writes_nothing(db):
    with time_machine.travel(MOMENT, tick=False):
        demo_seed(slug="kembar", owner="kembar", buyers=60, orders=450, chunk_size=100, jobs=2)
        before = _content()
        ids = sorted(Order.objects.values_list("pk", flat=True))

        again = demo_seed(
            slug="kembar", owner="kembar", buyers=60, orders=450, chunk_size=100, jobs=2
        )

    assert not again.wrote_anything
    assert _content() == before
    assert sorted(Order.objects.values_list("pk", flat=True)) == ids


def test_orders_made_after_a_seed_with_workers_get_new_ids(db):
    demo_seed(slug="kembar", owner="kembar", buyers=30, orders=300, chunk_size=100, jobs=2)
    seeded = set(Order.objects.values_list("pk", flat=True))
    reviews = set(Review.objects.values_list("pk", flat=True))

    order = OrderFactory()
    review = ReviewFactory()

    assert order.pk > max(seeded)
    assert review.pk > max(reviews)


def test_reserved_ids_are_skipped_by_later_inserts(db):
    first = pk_reserve(Order, 1000)

    order = OrderFactory()

    assert order.pk >= first + 1000
    assert pk_reserve(Order, 10) > order.pk


def test_workers_refuse_the_database(db):
    Order.objects.exists()  # the parent's connection is open when the workers start

    results = list(parallel.ordered_map(_query_in_worker, [1, 2, 3], jobs=2))

    assert results == ["refused"] * 3
    assert Order.objects.count() == 0  # the parent's connection still works


def _query_in_worker(item: int) -> str:
    try:
        Order.objects.count()
    except RuntimeError as error:
        return "refused" if re.search("must not use the database", str(error)) else str(error)
    return "queried"


def test_ordered_map_keeps_the_order_of_the_items(db):
    assert list(parallel.ordered_map(_square, list(range(20)), jobs=2)) == [
        n * n for n in range(20)
    ]


def _square(number: int) -> int:
    return number * number


@pytest.mark.parametrize("jobs", [0, 65])
def test_bad_jobs_are_refused_and_write_nothing(db, jobs):
    with pytest.raises(ValidationError) as error:
        demo_seed(slug="kembar", owner="kembar", buyers=5, orders=5, jobs=jobs)

    assert error.value.code == "invalid_jobs"
    assert not Shop.objects.exists()
