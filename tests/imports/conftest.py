from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads, progress files and backups go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the source language), whatever the default language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def q_sync(settings, monkeypatch):
    """django-q2 runs tasks in-process during this test (no cluster needed).

    django-q2 copies Q_CLUSTER into its Conf class when first imported, so the override is
    mirrored there too.
    """
    from django_q.conf import Conf

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    monkeypatch.setattr(Conf, "SYNC", True)


RAWAT_HEADER = (
    "order_id,channel,ordered_at,buyer_name,buyer_handle,buyer_phone,buyer_email,sku,"
    "product_name,quantity,unit_price,courier,tracking_number,shipped_at,promised_at,"
    "delivered_at,status"
)


def rawat_csv(
    tmp_path: Path, *rows: str, name: str = "orders.csv", header: str = RAWAT_HEADER
) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
