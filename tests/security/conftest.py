"""Fixtures of the security suite: two shops with every model, a seller of A signed in."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.security.graph import MARKER_A, MARKER_B, shop_graph_build


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and backups go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def graph_a(shop, owner):
    return shop_graph_build(shop=shop, marker=MARKER_A, label="a", user=owner)


@pytest.fixture
def graph_b(other_shop, other_owner):
    from imports.backup import backup_rotate, backups_list

    graph = shop_graph_build(shop=other_shop, marker=MARKER_B, label="b", user=other_owner)
    backup_rotate(shop=other_shop)
    graph["backup_name"] = backups_list(shop=other_shop)[0]["name"]
    return graph
