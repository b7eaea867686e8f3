"""Fixtures shared by every test: two shops with their owners, so scoping is always at hand."""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, ShopFactory, UserFactory


@pytest.fixture
def shop(db):
    return ShopFactory(name="Toko Rawat A", slug="toko-a")


@pytest.fixture
def other_shop(db):
    return ShopFactory(name="Toko Lain B", slug="toko-b")


@pytest.fixture
def owner(shop):
    user = UserFactory(username="owner_a")
    MembershipFactory(shop=shop, user=user)
    return user


@pytest.fixture
def other_owner(other_shop):
    user = UserFactory(username="owner_b")
    MembershipFactory(shop=other_shop, user=user)
    return user


@pytest.fixture
def seller_client(client, owner):
    """A browser signed in as the owner of `shop`."""
    client.force_login(owner)
    return client
