"""stock_set: the one place stock changes, restock transitions and the waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import Product
from followups.models import CareSettings, FollowUp
from stock.models import RestockEvent, WaitlistEntry
from stock.selectors import waitlist_entries
from stock.services import stock_set, variant_create, waitlist_join
from stock.services.waitlist import waitlist_notify
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ProductVariantFactory,
)


@pytest.fixture
def sold_out(shop):
    return ProductFactory(shop=shop, sku="SOLD", name="Pashmina Sage", stock=0)


def _join(product, n, **kwargs):
    buyers = []
    start = timezone.now() - timedelta(days=3)
    for i in range(n):
        buyer = BuyerFactory(shop=product.shop, name=f"Waiting {i}")
        waitlist_join(product=product, buyer=buyer, now=start + timedelta(minutes=i), **kwargs)
        buyers.append(buyer)
    return buyers


def test_restock_from_zero_tells_everyone_waiting_once_in_join_order(sold_out, owner):
    buyers = _join(sold_out, 4)

    change = stock_set(product=sold_out, quantity=7, by=owner)

    assert (change.before, change.after, change.notified) == (0, 7, 4)
    followups = list(FollowUp.objects.filter(kind="restock").order_by("pk"))
    assert [f.buyer_id for f in followups] == [b.pk for b in buyers]
    assert all(sold_out.name in f.text for f in followups)
    entries = list(WaitlistEntry.objects.order_by("joined_at"))
    assert all(e.told_at and e.restock_event_id == change.event.pk for e in entries)
    assert [e.followup_id for e in entries] == [f.pk for f in followups]
    assert Product.objects.get(pk=sold_out.pk).stock == 7


def test_setting_stock_again_or_raising_it_tells_nobody_twice(sold_out, owner):
    _join(sold_out, 2)
    stock_set(product=sold_out, quantity=3, by=owner)
    again = stock_set(product=sold_out, quantity=3, by=owner)
    more = stock_set(product=sold_out, quantity=10, by=owner)

    assert (again.event, again.notified, more.event, more.notified) == (None, 0, None, 0)
    assert FollowUp.objects.filter(kind="restock").count() == 2
    assert RestockEvent.objects.count() == 1


def test_a_buyer_who_rejoins_after_selling_out_is_told_at_the_next_restock(sold_out, owner):
    (buyer,) = _join(sold_out, 1)
    day1 = timezone.now() - timedelta(days=2)
    stock_set(product=sold_out, quantity=2, by=owner, now=day1)
    stock_set(product=sold_out, quantity=0, by=owner, now=day1 + timedelta(hours=1))
    waitlist_join(product=sold_out, buyer=buyer)

    change = stock_set(product=sold_out, quantity=5, by=owner)

    assert change.notified == 1
    assert FollowUp.objects.filter(kind="restock", buyer=buyer).count() == 2
    assert WaitlistEntry.objects.filter(buyer=buyer, told_at__isnull=False).count() == 2


def test_a_buyer_who_rejoins_after_being_told_gets_a_second_message_the_same_day(sold_out, owner):
    (buyer,) = _join(sold_out, 1)
    morning = timezone.now() - timedelta(hours=3)
    first = stock_set(product=sold_out, quantity=2, by=owner, now=morning)
    stock_set(product=sold_out, quantity=0, by=owner, now=morning + timedelta(minutes=30))
    waitlist_join(product=sold_out, buyer=buyer, now=morning + timedelta(minutes=40))

    second = stock_set(product=sold_out, quantity=5, by=owner, now=morning + timedelta(hours=1))

    assert (first.notified, second.notified) == (1, 1)
    followups = list(FollowUp.objects.filter(kind="restock", buyer=buyer).order_by("pk"))
    entries = list(WaitlistEntry.objects.filter(buyer=buyer).order_by("joined_at"))
    assert [e.followup_id for e in entries] == [f.pk for f in followups]
    assert [e.restock_event_id for e in entries] == [first.event.pk, second.event.pk]
    assert [f.idempotency_key for f in followups] == [
        f"restock:{first.event.pk}:{entries[0].pk}",
        f"restock:{second.event.pk}:{entries[1].pk}",
    ]


def test_the_same_restock_processed_twice_tells_each_buyer_once(sold_out, owner):
    buyers = _join(sold_out, 3)
    change = stock_set(product=sold_out, quantity=4, by=owner)
    # A second worker (or a retry) handling the same restock, its entries still open.
    WaitlistEntry.objects.update(told_at=None, followup=None, restock_event=None)

    notified, _skipped = waitlist_notify(event=change.event)

    assert (change.notified, notified) == (3, 3)
    per_buyer = [FollowUp.objects.filter(kind="restock", buyer=b).count() for b in buyers]
    assert per_buyer == [1, 1, 1]
    assert all(e.followup_id for e in WaitlistEntry.objects.all())


def test_negative_stock_is_refused_and_nothing_changes(sold_out, owner):
    _join(sold_out, 1)
    with pytest.raises(ValidationError) as error:
        stock_set(product=sold_out, quantity=-1, by=owner)
    assert error.value.code == "negative_stock"
    assert Product.objects.get(pk=sold_out.pk).stock == 0
    assert not FollowUp.objects.exists() and not RestockEvent.objects.exists()


def test_not_a_number_is_refused(sold_out, owner):
    with pytest.raises(ValidationError) as error:
        stock_set(product=sold_out, quantity="lima", by=owner)
    assert error.value.code == "invalid_stock"


def test_product_stock_is_the_sum_of_its_variants(shop, owner):
    product = ProductFactory(shop=shop, stock=0)
    red = variant_create(product=product, colour="Merah", stock=4)
    blue = variant_create(product=product, colour="Biru", stock=0)
    stock_set(product=product, variant=blue, quantity=6, by=owner)

    assert Product.objects.get(pk=product.pk).stock == 10
    stock_set(product=product, variant=red, quantity=0, by=owner)
    assert Product.objects.get(pk=product.pk).stock == 6


def test_a_product_with_variants_refuses_a_direct_stock(shop, owner):
    product = ProductFactory(shop=shop, stock=0)
    variant_create(product=product, colour="Merah", stock=0)
    with pytest.raises(ValidationError) as error:
        stock_set(product=product, quantity=5, by=owner)
    assert error.value.code == "has_variants"


def test_first_variant_must_hold_the_existing_stock(shop):
    product = ProductFactory(shop=shop, stock=8)
    with pytest.raises(ValidationError) as error:
        variant_create(product=product, colour="Merah", stock=3)
    assert error.value.code == "variant_stock_mismatch"
    assert not product.variants.exists()


def test_variant_restock_tells_that_variants_list_and_the_products_list(shop, owner):
    product = ProductFactory(shop=shop, stock=0, name="Gamis Aira")
    sage = ProductVariantFactory(product=product, colour="Sage", stock=0)
    navy = ProductVariantFactory(product=product, colour="Navy", stock=0)
    sage_fan = BuyerFactory(shop=shop)
    navy_fan = BuyerFactory(shop=shop)
    anyone = BuyerFactory(shop=shop)
    waitlist_join(product=product, variant=sage, buyer=sage_fan)
    waitlist_join(product=product, variant=navy, buyer=navy_fan)
    waitlist_join(product=product, buyer=anyone)

    change = stock_set(product=product, variant=sage, quantity=3, by=owner)

    told = set(FollowUp.objects.filter(kind="restock").values_list("buyer_id", flat=True))
    assert told == {sage_fan.pk, anyone.pk}
    assert change.notified == 2
    assert WaitlistEntry.objects.get(buyer=navy_fan).told_at is None
    # Later the navy one comes back: only its own list is told; the product was already in stock.
    later = stock_set(product=product, variant=navy, quantity=1, by=owner)
    assert later.notified == 1
    navy_message = FollowUp.objects.get(buyer=navy_fan)
    assert "Gamis Aira – Navy" in navy_message.text


def test_opted_out_buyers_cannot_join_and_skipped_messages_are_counted(sold_out, owner):
    buyer = BuyerFactory(shop=sold_out.shop, opted_out_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        waitlist_join(product=sold_out, buyer=buyer)
    assert error.value.code == "buyer_opted_out"

    unreachable = BuyerFactory(shop=sold_out.shop, email="", phone="")
    waitlist_join(product=sold_out, buyer=unreachable)
    change = stock_set(product=sold_out, quantity=1, by=owner)
    assert (change.notified, change.skipped) == (0, 1)
    entry = WaitlistEntry.objects.get(buyer=unreachable)
    assert entry.followup.status == FollowUp.Status.SKIPPED and entry.told_at


def test_with_restock_messages_turned_off_the_list_keeps_waiting(sold_out, owner):
    CareSettings.objects.create(shop=sold_out.shop, restock_enabled=False)
    _join(sold_out, 2)
    change = stock_set(product=sold_out, quantity=4, by=owner)
    assert change.notified == 0
    assert WaitlistEntry.objects.waiting().count() == 2


def test_waitlist_join_refuses_a_buyer_of_another_shop(sold_out, other_shop):
    stranger = BuyerFactory(shop=other_shop)
    with pytest.raises(ValidationError) as error:
        waitlist_join(product=sold_out, buyer=stranger)
    assert error.value.code == "buyer_of_another_shop"
    assert not WaitlistEntry.objects.exists()


def test_waitlist_join_refuses_an_item_in_stock_and_is_idempotent(sold_out, shop):
    buyer = BuyerFactory(shop=shop)
    in_stock = ProductFactory(shop=shop, stock=3)
    with pytest.raises(ValidationError) as error:
        waitlist_join(product=in_stock, buyer=buyer)
    assert error.value.code == "in_stock"
    first, created = waitlist_join(product=sold_out, buyer=buyer)
    second, created_again = waitlist_join(product=sold_out, buyer=buyer, source="import")
    assert created and not created_again and first.pk == second.pk


def test_bought_after_is_true_only_for_an_order_within_14_days_of_being_told(sold_out, owner):
    quick, slow, never = _join(sold_out, 3)
    told_at = timezone.now() - timedelta(days=20)
    stock_set(product=sold_out, quantity=5, by=owner, now=told_at)
    for buyer, days in ((quick, 2), (slow, 16)):
        order = OrderFactory(buyer=buyer, ordered_at=told_at + timedelta(days=days))
        OrderLineFactory(order=order, product=sold_out)

    bought = {e.buyer_id: e.bought_after for e in waitlist_entries(shop=sold_out.shop)}

    assert bought == {quick.pk: True, slow.pk: False, never.pk: False}
