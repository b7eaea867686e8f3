"""The buyer page header shows the membership tier and the last contact, without extra queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import (
    BuyerFactory,
    BuyerTierFactory,
    InteractionFactory,
    MembershipTierFactory,
    OrderFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _header(response):
    html = response.content.decode()
    tier = html[html.index('id="buyer-tier"') :].split("</dd>")[0]
    contact = html[html.index('id="buyer-last-contact"') :].split("</dd>")[0]
    return tier, contact


def test_header_shows_tier_and_the_newest_real_contact(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    BuyerTierFactory(buyer=buyer, tier=MembershipTierFactory(shop=shop, name="Gold"))
    InteractionFactory(buyer=buyer, kind="chat", occurred_at=NOW - timedelta(days=9))
    InteractionFactory(buyer=buyer, kind="note", occurred_at=NOW - timedelta(days=1))
    order = OrderFactory(buyer=buyer, ordered_at=NOW - timedelta(days=20))
    ReviewFactory(
        order=order,
        reply_status="sent",
        replied_at=datetime(2026, 6, 10, 3, tzinfo=UTC),
        posted_at=NOW - timedelta(days=6),
    )

    tier, contact = _header(seller_client.get(buyer.get_absolute_url()))

    assert "Gold" in tier
    assert "10 Jun 2026" in contact  # the review reply, not the later note


def test_header_without_tier_or_contact_shows_dashes(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    InteractionFactory(buyer=buyer, kind="note")
    tier, contact = _header(seller_client.get(buyer.get_absolute_url()))
    assert tier.endswith("–") and contact.endswith("–")


def test_tier_costs_no_extra_query(seller_client, shop, django_assert_max_num_queries):
    buyer = BuyerFactory(shop=shop)
    BuyerTierFactory(buyer=buyer, tier=MembershipTierFactory(shop=shop, name="Silver"))
    InteractionFactory(buyer=buyer, kind="call")
    with django_assert_max_num_queries(11):
        response = seller_client.get(buyer.get_absolute_url())
    assert "Silver" in _header(response)[0]
