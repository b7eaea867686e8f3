from __future__ import annotations

import pytest
from django.urls import reverse

from crm.middleware import SESSION_KEY
from tests.factories import BuyerFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("shop_switch")
BUYER_LIST = reverse("customers:buyer_list")


@pytest.fixture
def two_shop_client(seller_client, owner, other_shop):
    """The owner of `shop`, also staff of `other_shop`."""
    MembershipFactory(shop=other_shop, user=owner, role="staff")
    return seller_client


def test_switching_shop_changes_what_the_lists_show(two_shop_client, shop, other_shop):
    BuyerFactory(shop=shop, name="Pembeli Toko A")
    BuyerFactory(shop=other_shop, name="Pembeli Toko B")

    response = two_shop_client.post(SWITCH, {"shop": other_shop.pk, "next": BUYER_LIST})

    assert response.status_code == 302
    assert response.url == BUYER_LIST
    assert two_shop_client.session[SESSION_KEY] == other_shop.pk
    names = [b.name for b in two_shop_client.get(BUYER_LIST).context["buyers"]]
    assert names == ["Pembeli Toko B"]


def test_the_switcher_appears_only_for_members_of_several_shops(seller_client, owner, other_shop):
    assert f'action="{SWITCH}"' not in seller_client.get(BUYER_LIST).content.decode()
    MembershipFactory(shop=other_shop, user=owner, role="staff")
    assert f'action="{SWITCH}"' in seller_client.get(BUYER_LIST).content.decode()


def test_switching_to_a_shop_one_is_not_a_member_of_is_404(seller_client, shop, other_shop):
    response = seller_client.post(SWITCH, {"shop": other_shop.pk})
    assert response.status_code == 404
    assert seller_client.session.get(SESSION_KEY) != other_shop.pk
    assert seller_client.get(reverse("dashboard")).context["current_shop"] == shop


@pytest.mark.parametrize("value", ["", "abc", "1 OR 1=1", "-1"])
def test_switching_with_a_malformed_shop_id_is_404(seller_client, value):
    assert seller_client.post(SWITCH, {"shop": value}).status_code == 404


def test_switch_ignores_a_next_url_on_another_host(two_shop_client, other_shop):
    response = two_shop_client.post(
        SWITCH, {"shop": other_shop.pk, "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_switch_needs_post(two_shop_client, other_shop):
    assert two_shop_client.get(SWITCH, {"shop": other_shop.pk}).status_code == 405


def test_switch_needs_login(client, other_shop):
    response = client.post(SWITCH, {"shop": other_shop.pk})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_losing_the_membership_falls_back_to_a_remaining_shop(
    two_shop_client, owner, shop, other_shop
):
    two_shop_client.post(SWITCH, {"shop": other_shop.pk})
    other_shop.memberships.filter(user=owner).delete()

    response = two_shop_client.get(BUYER_LIST)

    assert response.context["current_shop"] == shop
