from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Buyer, Order
from customers.phones import normalize_phone
from tests.factories import (
    BuyerFactory,
    BuyerHandleFactory,
    OrderFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 812.3456.7890", "+6281234567890"),
        ("(021) 5551234", "+62215551234"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_plus_62_form(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+1 415 555 0100", "0812-abc-7890", "08123"])
def test_a_phone_that_is_not_indonesian_is_refused_with_a_reason(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.code == "invalid_phone"
    assert raw in str(excinfo.value.messages[0])


def test_saving_a_buyer_with_a_bad_phone_writes_nothing(shop):
    with pytest.raises(ValidationError):
        Buyer.objects.create(shop=shop, name="Siti", phone="99999")
    assert not Buyer.objects.exists()


def test_the_database_refuses_a_phone_outside_the_plus_62_form(shop):
    buyer = BuyerFactory(shop=shop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Buyer.objects.filter(pk=buyer.pk).update(phone="0812345678")


def test_the_same_order_number_twice_on_one_channel_is_refused(shop):
    order = OrderFactory(buyer__shop=shop)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(buyer=order.buyer, channel=order.channel, external_id=order.external_id)


def test_the_same_order_number_on_another_channel_or_shop_is_fine(shop, other_shop):
    order = OrderFactory(buyer__shop=shop, channel="shopee", external_id="X1")
    OrderFactory(buyer=order.buyer, channel="tokopedia", external_id="X1")
    OrderFactory(buyer__shop=other_shop, channel="shopee", external_id="X1")
    assert Order.objects.filter(external_id="X1").count() == 3


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused_by_the_database(shop, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(order__buyer__shop=shop, rating=rating)


def test_a_handle_belongs_to_one_buyer_per_channel_whatever_the_case(shop):
    BuyerHandleFactory(buyer__shop=shop, channel="shopee", handle="SitiAminah")
    with pytest.raises(IntegrityError), transaction.atomic():
        BuyerHandleFactory(buyer__shop=shop, channel="shopee", handle="@sitiaminah")


def test_delay_is_the_days_between_promised_and_delivered_dates(shop):
    order = OrderFactory(buyer__shop=shop)
    # Jakarta calendar dates count, not 24-hour periods: promised at 10:00 WIB, delivered three
    # days later at 12:00 WIB is 3 days late whatever the hour the suite runs at.
    order.promised_at = timezone.localtime(order.promised_at).replace(hour=10, minute=0)
    order.delivered_at = order.promised_at + timedelta(days=3, hours=2)
    assert order.delay_days == 3
    order.delivered_at = order.promised_at + timedelta(days=2, hours=15)  # 01:00 WIB, day 3
    assert order.delay_days == 3
    assert order.is_late
    order.delivered_at = order.promised_at - timedelta(days=1)
    assert order.delay_days == 0
    assert not order.is_late


def test_buyer_totals_come_from_their_orders_and_reviews(shop):
    buyer = BuyerFactory(shop=shop)
    first = OrderFactory(buyer=buyer, total=100_000)
    OrderFactory(buyer=buyer, total=50_000, ordered_at=first.ordered_at + timedelta(days=30))
    OrderFactory(buyer=buyer, total=999_000, status=Order.Status.CANCELLED)
    ReviewFactory(order=first, rating=4)
    ReviewFactory(order=first, rating=5)
    BuyerFactory(shop=shop)  # a buyer with nothing must not disturb the figures

    stats = Buyer.objects.with_stats().get(pk=buyer.pk)

    assert stats.order_count == 2
    assert stats.total_spend == 150_000
    assert stats.first_order_at == first.ordered_at
    assert stats.last_order_at == first.ordered_at + timedelta(days=30)
    assert stats.average_rating == pytest.approx(4.5)


def test_a_buyer_without_orders_has_zero_totals(shop):
    buyer = BuyerFactory(shop=shop)
    stats = Buyer.objects.with_stats().get(pk=buyer.pk)
    assert (stats.order_count, stats.total_spend, stats.average_rating) == (0, 0, None)


def test_search_finds_buyers_by_name_phone_and_handle(shop, other_shop):
    siti = BuyerFactory(shop=shop, name="Siti Aminah", phone="081234567890")
    budi = BuyerFactory(shop=shop, name="Budi Santoso", phone="085711112222")
    BuyerHandleFactory(buyer=budi, channel="tokopedia", handle="budi_jaya")
    BuyerFactory(shop=other_shop, name="Siti Lain", phone="081234567890")

    buyers = Buyer.objects.for_shop(shop)
    assert list(buyers.search("siti")) == [siti]
    assert list(buyers.search("0812 3456")) == [siti]
    assert list(buyers.search("+6285711112222")) == [budi]
    assert list(buyers.search("@budi_jaya")) == [budi]


def test_a_parcel_arriving_later_on_the_promised_day_is_not_late(shop):
    from django.utils import timezone

    promised = timezone.make_aware(timezone.datetime(2026, 3, 12, 9, 0))
    on_the_day = OrderFactory(
        buyer__shop=shop, promised_at=promised, delivered_at=promised + timedelta(hours=8)
    )
    next_day = OrderFactory(
        buyer__shop=shop, promised_at=promised, delivered_at=promised + timedelta(days=1)
    )
    assert not on_the_day.is_late
    assert list(Order.objects.late()) == [next_day]
    assert next_day.delay_days == 1


def test_a_buyer_form_accepts_a_phone_typed_the_local_way(shop):
    from django.forms import modelform_factory

    form_class = modelform_factory(Buyer, fields=["shop", "name", "phone"])
    form = form_class(data={"shop": shop.pk, "name": "Siti", "phone": "+62 812-3456-7890"})
    assert form.is_valid(), form.errors
    assert form.save().phone == "+6281234567890"

    form = form_class(data={"shop": shop.pk, "name": "Siti", "phone": "12345"})
    assert not form.is_valid()
    assert "12345" in form.errors["phone"][0]
