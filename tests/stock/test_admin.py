"""Admin: a restock in the Product admin tells the waiting list exactly once; scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.managers import managers_group_ensure
from customers.models import Membership, Product
from followups.models import FollowUp
from stock.models import ProductVariant, RestockEvent, WaitlistEntry
from tests.factories import (
    BuyerFactory,
    MembershipFactory,
    ProductFactory,
    ProductVariantFactory,
    UserFactory,
    WaitlistEntryFactory,
)


@pytest.fixture
def manager_client(client, shop):
    user = UserFactory(username="manager_a", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    client.force_login(user)
    return client


@pytest.fixture
def waiting_product(shop):
    product = ProductFactory(shop=shop, sku="DEMO-SOLDOUT", name="Pashmina Sage", stock=0)
    for i in range(5):
        WaitlistEntryFactory(
            product=product,
            buyer=BuyerFactory(shop=shop, name=f"Buyer {i}"),
            joined_at=timezone.now() - timedelta(hours=10 - i),
        )
    return product


def _change_data(product, **overrides):
    data = {
        "shop": product.shop_id,
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "price": product.price,
        "stock": product.stock,
        "restock_eta": product.restock_eta.isoformat() if product.restock_eta else "",
    }
    data.update(overrides)
    return data


def test_admin_restock_puts_one_message_per_waiting_buyer_in_the_outbox(
    manager_client, waiting_product
):
    url = reverse("admin:customers_product_change", args=[waiting_product.pk])

    response = manager_client.post(url, _change_data(waiting_product, stock=12))
    assert response.status_code == 302, response.content.decode()[:2000]
    # Saving the page again (stock unchanged) and a second raise tell nobody again.
    manager_client.post(url, _change_data(waiting_product, stock=12, name="Pashmina Sage Baru"))
    manager_client.post(url, _change_data(waiting_product, stock=20, name="Pashmina Sage Baru"))

    followups = list(FollowUp.objects.filter(kind="restock").order_by("pk"))
    entries = list(WaitlistEntry.objects.order_by("joined_at"))
    assert len(followups) == 5
    assert [f.buyer_id for f in followups] == [e.buyer_id for e in entries]
    assert RestockEvent.objects.get().source == "admin"
    product = Product.objects.get(pk=waiting_product.pk)
    assert (product.stock, product.name) == (20, "Pashmina Sage Baru")


def test_changelist_editable_stock_column_goes_through_the_service(manager_client, waiting_product):
    url = reverse("admin:customers_product_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": waiting_product.pk,
        "form-0-stock": "3",
        "form-0-restock_eta": "",
        "_save": "Save",
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    assert FollowUp.objects.filter(kind="restock").count() == 5
    assert RestockEvent.objects.count() == 1


def test_admin_refuses_negative_stock_and_past_restock_date(manager_client, waiting_product):
    url = reverse("admin:customers_product_change", args=[waiting_product.pk])
    response = manager_client.post(url, _change_data(waiting_product, stock=-3))
    assert response.status_code == 200 and "cannot be negative" in response.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = manager_client.post(url, _change_data(waiting_product, restock_eta=yesterday))
    assert response.status_code == 200 and "in the past" in response.content.decode()
    assert Product.objects.get(pk=waiting_product.pk).stock == 0
    assert not FollowUp.objects.exists()


def test_admin_product_with_variants_takes_stock_from_the_variants(manager_client, shop):
    product = ProductFactory(shop=shop, stock=0)
    variant = ProductVariantFactory(product=product, colour="Sage", stock=0)
    WaitlistEntryFactory(product=product, variant=variant, buyer=BuyerFactory(shop=shop))
    url = reverse("admin:customers_product_change", args=[product.pk])
    response = manager_client.post(url, _change_data(product, stock=5))
    assert "has variants" in response.content.decode()

    variant_url = reverse("admin:stock_productvariant_change", args=[variant.pk])
    response = manager_client.post(
        variant_url,
        {"product": product.pk, "colour": "Sage", "size": "", "sku_suffix": "", "stock": 4},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Product.objects.get(pk=product.pk).stock == 4
    assert FollowUp.objects.filter(kind="restock").count() == 1


def test_admin_waitlist_entry_for_a_buyer_of_another_shop_is_refused(client, shop, other_shop):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    product = ProductFactory(shop=shop, stock=0)
    stranger = BuyerFactory(shop=other_shop)
    response = client.post(
        reverse("admin:stock_waitlistentry_add"),
        {"product": product.pk, "buyer": stranger.pk, "variant": ""},
    )
    assert response.status_code == 200
    assert "buyer of another shop" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_admin_waitlist_entry_add_uses_the_service(manager_client, shop):
    product = ProductFactory(shop=shop, stock=0)
    buyer = BuyerFactory(shop=shop)
    response = manager_client.post(
        reverse("admin:stock_waitlistentry_add"),
        {"product": product.pk, "buyer": buyer.pk, "variant": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = WaitlistEntry.objects.get()
    assert (entry.shop_id, entry.source) == (shop.pk, "admin")


def test_manager_sees_only_their_shops_stock_rows(manager_client, shop, other_shop):
    mine = ProductVariantFactory(product=ProductFactory(shop=shop), colour="Merah")
    theirs = ProductVariantFactory(product=ProductFactory(shop=other_shop), colour="Biru")
    entry = WaitlistEntryFactory(product=ProductFactory(shop=other_shop, stock=0))
    response = manager_client.get(reverse("admin:stock_productvariant_changelist"))
    listed = {v.pk for v in response.context["cl"].queryset}
    assert listed == {mine.pk}
    for url in (
        reverse("admin:stock_productvariant_change", args=[theirs.pk]),
        reverse("admin:stock_waitlistentry_change", args=[entry.pk]),
    ):
        assert manager_client.get(url).status_code in (302, 403, 404)
    assert ProductVariant.objects.count() == 2


def test_every_stock_admin_page_renders(manager_client):
    for name in (
        "productvariant",
        "waitlistentry",
        "restockevent",
        "cancellation",
        "penaltyrule",
        "messagetemplate",
        "stocksettings",
        "chatquestion",
        "apitoken",
    ):
        assert manager_client.get(reverse(f"admin:stock_{name}_changelist")).status_code == 200
