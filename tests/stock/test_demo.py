"""seed_demo gives the demo shop its stock story, once."""

from __future__ import annotations

import pytest

from customers.demo import demo_seed
from customers.models import Product
from stock.models import Cancellation, ChatQuestion, ProductVariant, WaitlistEntry
from stock.selectors import chat_due_soon, rejection_status, sold_out_questions
from stock.services import stock_set


@pytest.fixture
def demo(db):
    return demo_seed(slug="demo", owner="demo", buyers=80, orders=300)


def test_demo_sold_out_product_has_a_waiting_list_of_at_least_five(demo):
    product = Product.objects.get(shop=demo.shop, sku="DEMO-SOLDOUT")
    assert product.stock == 0
    entries = WaitlistEntry.objects.filter(product=product).waiting()
    assert entries.count() >= 5
    assert all(e.buyer.shop_id == demo.shop.pk for e in entries)


def test_demo_has_variants_rejections_and_chat_to_look_at(demo):
    shop = demo.shop
    naura = Product.objects.get(shop=shop, sku="GMS-NAURA-ALL")
    variants = {v.colour: v.stock for v in ProductVariant.objects.filter(product=naura)}
    assert variants == {"Hitam": 15, "Navy": 10, "Mocca": 15, "Sage": 0}
    assert naura.stock == 40
    shopee = next(s for s in rejection_status(shop=shop) if s.rule.channel == "shopee")
    assert shopee.warning  # one short of the threshold
    assert Cancellation.objects.filter(shop=shop).count() >= 5
    assert chat_due_soon(shop=shop)
    assert any(r["product__sku"] == "DEMO-SOLDOUT" for r in sold_out_questions(shop=shop))


def test_seeding_again_writes_nothing_and_keeps_a_restock(demo):
    product = Product.objects.get(shop=demo.shop, sku="DEMO-SOLDOUT")
    stock_set(product=product, quantity=5, by=None)
    counts = (
        WaitlistEntry.objects.count(),
        ProductVariant.objects.count(),
        Cancellation.objects.count(),
        ChatQuestion.objects.count(),
    )
    again = demo_seed(slug="demo", owner="demo", buyers=80, orders=300)
    assert not again.wrote_anything
    assert counts == (
        WaitlistEntry.objects.count(),
        ProductVariant.objects.count(),
        Cancellation.objects.count(),
        ChatQuestion.objects.count(),
    )
    assert Product.objects.get(pk=product.pk).stock == 5
