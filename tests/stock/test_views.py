"""Seller pages of the stock app: answers, product page, waiting lists, scoping, dashboard card."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp
from stock.models import Cancellation, WaitlistEntry
from tests.factories import (
    BuyerFactory,
    CancellationFactory,
    ChatQuestionFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ProductVariantFactory,
)


@pytest.fixture
def catalogue(shop):
    sold = ProductFactory(
        shop=shop, sku="PSM-SAGE", name="Pashmina Sage", category="Pashmina", price=42_000, stock=0
    )
    ProductFactory(
        shop=shop, sku="PSM-TPE", name="Pashmina Taupe", category="Pashmina", price=39_000, stock=70
    )
    ProductFactory(
        shop=shop,
        sku="PSM-PLS",
        name="Pashmina Plisket",
        category="Pashmina",
        price=49_000,
        stock=4,
    )
    ProductFactory(
        shop=shop, sku="PSM-SLK", name="Pashmina Silk", category="Pashmina", price=65_000, stock=35
    )
    ProductFactory(shop=shop, sku="TAS-1", name="Tas Kanvas", category="Tas", price=42_000, stock=9)
    return sold


def test_every_stock_page_renders_for_a_seller(seller_client, catalogue, shop):
    buyer = BuyerFactory(shop=shop)
    order = OrderFactory(buyer=buyer)
    OrderLineFactory(order=order, product=catalogue)
    ChatQuestionFactory(shop=shop, product=catalogue, product_sold_out=True)
    urls = [
        reverse("stock:answer") + "?q=sage",
        reverse("stock:product_detail", args=[catalogue.pk]),
        reverse("stock:buyer_waitlist", args=[buyer.pk]),
        reverse("stock:template_list"),
        reverse("stock:cancellation_list"),
        reverse("stock:penalty_rules"),
        reverse("stock:playbook", args=[order.pk]),
        reverse("stock:chat"),
        reverse("stock:token_list"),
        reverse("dashboard"),
    ]
    for url in urls:
        response = seller_client.get(url)
        assert response.status_code == 200, url


def test_answer_for_a_sold_out_product_proposes_close_alternatives_in_the_band(
    seller_client, catalogue
):
    response = seller_client.get(
        reverse("stock:answer"), {"q": "PSM-SAGE", "question": "Ready kak?"}
    )

    answer = response.context["answer"]
    assert answer is not None and not answer.in_stock
    assert [a.product.sku for a in answer.alternatives] == [
        "PSM-TPE",
        "PSM-PLS",
    ]  # 65k is out of ±30%
    html = response.content.decode()
    reasons = re.findall(r'class="small text-muted alt-reason">(.*?)</div>', html, re.S)
    assert "Rp 3.000" in reasons[0] and "Pashmina" in reasons[0] and "70" in reasons[0]
    assert "Pashmina Taupe" in answer.text and "Tas Kanvas" not in answer.text
    assert answer.verdict["verdict"] == "ok"
    assert "https://wa.me/?text=" in html
    assert 'id="waitlist-join"' in html


def test_answer_lists_variants_when_the_buyer_asks_for_other_colours(seller_client, shop):
    product = ProductFactory(shop=shop, name="Gamis Naura", stock=25)
    ProductVariantFactory(product=product, colour="Hitam", stock=15)
    ProductVariantFactory(product=product, colour="Navy", stock=10)
    ProductVariantFactory(product=product, colour="Sage", stock=0)

    response = seller_client.get(
        reverse("stock:answer"),
        {"product": product.pk, "question": "warna lain ada?", "lang": "id"},
    )

    text = response.context["answer"].text
    assert "Hitam (15), Navy (10)" in text
    assert "Sage" in text  # listed as sold out
    assert response.context["answer"].verdict["verdict"] == "ok"


def test_answer_in_english_uses_the_english_template(seller_client, catalogue):
    response = seller_client.get(reverse("stock:answer"), {"product": catalogue.pk, "lang": "en"})
    assert "sold out" in response.context["answer"].text


def test_another_shops_product_is_a_404_everywhere(seller_client, other_shop):
    foreign = ProductFactory(shop=other_shop, stock=0)
    foreign_buyer = BuyerFactory(shop=other_shop)
    foreign_order = OrderFactory(buyer=foreign_buyer)
    assert seller_client.get(reverse("stock:answer"), {"product": foreign.pk}).status_code == 404
    assert seller_client.get(reverse("stock:product_detail", args=[foreign.pk])).status_code == 404
    assert (
        seller_client.get(reverse("stock:buyer_waitlist", args=[foreign_buyer.pk])).status_code
        == 404
    )
    assert seller_client.get(reverse("stock:playbook", args=[foreign_order.pk])).status_code == 404
    response = seller_client.post(
        reverse("stock:waitlist_join"), {"product": foreign.pk, "buyer_term": "x"}
    )
    assert response.status_code == 404
    assert not WaitlistEntry.objects.exists()


def test_search_results_are_scoped_to_the_shop(seller_client, shop, other_shop):
    ProductFactory(shop=shop, name="Bros Mutiara", sku="BRS-1")
    ProductFactory(shop=other_shop, name="Bros Emas", sku="BRS-2")
    response = seller_client.get(reverse("stock:answer"), {"q": "bros"})
    assert response.context["answer"].product.sku == "BRS-1"


def test_waitlist_join_from_the_answer_screen_by_buyer_name(seller_client, catalogue, shop):
    buyer = BuyerFactory(shop=shop, name="Siti Rahmawati")
    response = seller_client.post(
        reverse("stock:waitlist_join"),
        {
            "product": catalogue.pk,
            "buyer_term": "Siti Rahma",
            "source": "answer",
            "next": "/stock/",
        },
    )
    assert response.status_code == 302 and response.url == "/stock/"
    entry = WaitlistEntry.objects.get()
    assert (entry.buyer, entry.source) == (buyer, "answer")


def test_waitlist_join_with_a_foreign_buyer_id_is_a_404(seller_client, catalogue, other_shop):
    stranger = BuyerFactory(shop=other_shop)
    response = seller_client.post(
        reverse("stock:waitlist_join"), {"product": catalogue.pk, "buyer": stranger.pk}
    )
    assert response.status_code == 404
    assert not WaitlistEntry.objects.exists()


def test_product_page_restock_tells_the_list_and_shows_who_was_told(seller_client, catalogue, shop):
    buyers = [BuyerFactory(shop=shop) for _ in range(3)]
    for buyer in buyers:
        WaitlistEntry.objects.create(shop=shop, product=catalogue, buyer=buyer, source="seller")
    url = reverse("stock:product_detail", args=[catalogue.pk])

    response = seller_client.post(url, {"action": "stock", "quantity": "12"}, follow=True)

    assert FollowUp.objects.filter(kind="restock").count() == 3
    told = response.context["told"]
    assert [e.buyer for e in told] == buyers
    assert any("3 waiting buyer" in str(m) for m in response.context["messages"])


def test_product_page_refuses_negative_stock_and_past_restock_date(seller_client, catalogue):
    url = reverse("stock:product_detail", args=[catalogue.pk])
    response = seller_client.post(url, {"action": "stock", "quantity": "-2"})
    assert "cannot be negative" in response.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = seller_client.post(
        url, {"action": "stock", "quantity": "5", "restock_eta": yesterday}
    )
    assert "in the past" in response.content.decode()
    catalogue.refresh_from_db()
    assert (catalogue.stock, catalogue.restock_eta) == (0, None)
    assert not FollowUp.objects.exists()


def test_dashboard_shows_the_rejection_counter_with_a_warning(seller_client, shop):
    for _ in range(4):  # Bukalapak default: 5 per penalty -> the 5th crosses it.
        CancellationFactory(order=OrderFactory(buyer=BuyerFactory(shop=shop), channel="bukalapak"))
    html = seller_client.get(reverse("dashboard")).content.decode()
    card = re.search(r'id="rejections-bukalapak".*?</li>', html, re.S).group(0)
    assert 'rejection-count">4<' in card and "rejection-warning" in card
    shopee = re.search(r'id="rejections-shopee".*?</li>', html, re.S).group(0)
    assert "rejection-warning" not in shopee


def test_record_cancellation_for_unknown_order_shows_an_error_and_writes_nothing(
    seller_client, shop, other_shop
):
    foreign = OrderFactory(buyer=BuyerFactory(shop=other_shop), external_id="999", channel="shopee")
    response = seller_client.post(
        reverse("stock:cancellation_list"),
        {
            "channel": "shopee",
            "order_number": foreign.external_id,
            "initiator": "seller",
            "reason": "out_of_stock",
        },
    )
    assert response.status_code == 200
    assert "There is no Shopee order #999" in response.content.decode()
    assert not Cancellation.objects.exists()


def test_record_cancellation_leads_to_the_playbook(seller_client, shop):
    product = ProductFactory(
        shop=shop, name="Pashmina Sage", category="Pashmina", price=42_000, stock=0
    )
    ProductFactory(shop=shop, name="Pashmina Silk", category="Pashmina", price=45_000, stock=3)
    order = OrderFactory(
        buyer=BuyerFactory(shop=shop, name="Dewi Lestari"), channel="tokopedia", total=57_000
    )
    OrderLineFactory(order=order, product=product, unit_price=42_000)
    response = seller_client.post(
        reverse("stock:cancellation_list"),
        {
            "channel": "tokopedia",
            "order_number": order.external_id,
            "initiator": "seller",
            "reason": "out_of_stock",
        },
        follow=True,
    )
    book = response.context["book"]
    texts = {step.situation: step.text for step in book.steps}
    assert "Dewi" in texts["apologise"] and "stoknya ternyata habis" in texts["apologise"]
    assert "Pashmina Silk" in texts["substitute"] and "Rp 42.000" in texts["substitute"]
    assert "Rp 57.000" in texts["refund"]
    assert "Tokopedia" in texts["ask_buyer_cancel"]
    assert all(step.verdict["verdict"] == "ok" for step in book.steps if step.text)
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_buyer_page_links_to_the_buyers_waiting_lists(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    html = seller_client.get(buyer.get_absolute_url()).content.decode()
    assert reverse("stock:buyer_waitlist", args=[buyer.pk]) in html


def test_buyer_waitlist_page_adds_the_buyer_to_a_sold_out_product(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    product = ProductFactory(shop=shop, stock=0, name="Mukena Travel")
    page = reverse("stock:buyer_waitlist", args=[buyer.pk])
    assert "Mukena Travel" in seller_client.get(page).content.decode()
    response = seller_client.post(
        reverse("stock:waitlist_join"),
        {"product": product.pk, "buyer": buyer.pk, "source": "buyer_page", "next": page},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page
    entry = WaitlistEntry.objects.get()
    assert (entry.buyer, entry.product, entry.source) == (buyer, product, "buyer_page")
    assert "Mukena Travel" in response.content.decode()
