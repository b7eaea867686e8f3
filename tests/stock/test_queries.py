"""List pages hold their query counts whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stock.services import stock_set
from tests.factories import (
    BuyerFactory,
    CancellationFactory,
    ChatQuestionFactory,
    OrderFactory,
    ProductFactory,
    WaitlistEntryFactory,
)


def _fill(shop, n):
    product = ProductFactory(shop=shop, sku="SOLD", stock=0, category="Pashmina")
    for i in range(n):
        ProductFactory(shop=shop, stock=0 if i % 2 else 5, category="Pashmina")
        WaitlistEntryFactory(product=product, buyer=BuyerFactory(shop=shop))
        CancellationFactory(order=OrderFactory(buyer=BuyerFactory(shop=shop), channel="shopee"))
        ChatQuestionFactory(
            shop=shop,
            product=product,
            product_sold_out=True,
            received_at=timezone.now() - timedelta(hours=i % 20),
        )
    return product


@pytest.mark.parametrize("rows", [3, 30])
def test_stock_pages_query_counts_do_not_grow_with_rows(
    seller_client, shop, rows, django_assert_max_num_queries
):
    product = _fill(shop, rows)
    stock_set(product=product, quantity=4, by=None)  # everyone told: the told table fills
    pages = [
        reverse("stock:answer") + f"?product={product.pk}",
        reverse("stock:answer") + "?q=Kemeja",
        reverse("stock:product_detail", args=[product.pk]),
        reverse("stock:cancellation_list"),
        reverse("stock:chat"),
        reverse("stock:buyer_waitlist", args=[product.waitlist.first().buyer_id]),
        reverse("dashboard"),
    ]
    for url in pages:
        with django_assert_max_num_queries(16, info=url):
            assert seller_client.get(url).status_code == 200
