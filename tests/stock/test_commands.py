"""set_stock, import_stock and import_chat_questions."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from customers.models import Product
from followups.models import FollowUp
from stock.models import ChatQuestion, RestockEvent
from tests.factories import (
    BuyerFactory,
    ProductFactory,
    ProductVariantFactory,
    WaitlistEntryFactory,
)


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def waiting(shop):
    product = ProductFactory(shop=shop, sku="DEMO-SOLDOUT", stock=0)
    for _ in range(3):
        WaitlistEntryFactory(product=product, buyer=BuyerFactory(shop=shop))
    return product


def test_set_stock_prints_notified_and_tells_nobody_twice(waiting, shop):
    out = _run("set_stock", "--shop", shop.slug, "DEMO-SOLDOUT", "6")
    assert "notified: 3" in out and "0 -> 6" in out
    again = _run("set_stock", "--shop", shop.slug, "DEMO-SOLDOUT", "9")
    assert "notified: 0" in again
    assert FollowUp.objects.filter(kind="restock").count() == 3
    assert RestockEvent.objects.get().source == "command"


def test_set_stock_by_variant_sku(shop):
    product = ProductFactory(shop=shop, sku="GMS", stock=0)
    variant = ProductVariantFactory(product=product, colour="Sage", sku_suffix="-SGE", stock=0)
    WaitlistEntryFactory(product=product, variant=variant, buyer=BuyerFactory(shop=shop))
    out = _run("set_stock", "--shop", shop.slug, "GMS-SGE", "2")
    assert "notified: 1" in out
    assert Product.objects.get(pk=product.pk).stock == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("DEMO-SOLDOUT", "-1"), "cannot be negative"),
        (("DEMO-SOLDOUT", "banyak"), "whole number"),
        (("NOPE", "3"), "No product or variant with the SKU NOPE"),
    ],
)
def test_set_stock_bad_input_is_a_clear_error_and_writes_nothing(waiting, shop, args, message):
    with pytest.raises(CommandError, match=message):
        _run("set_stock", "--shop", shop.slug, *args)
    assert Product.objects.get(pk=waiting.pk).stock == 0
    assert not FollowUp.objects.exists()


def test_set_stock_unknown_shop(waiting):
    with pytest.raises(CommandError, match="No shop"):
        _run("set_stock", "--shop", "nope", "DEMO-SOLDOUT", "1")


def test_set_stock_cannot_reach_another_shops_product(waiting, other_shop):
    with pytest.raises(CommandError, match="No product"):
        _run("set_stock", "--shop", other_shop.slug, "DEMO-SOLDOUT", "5")


def test_import_stock_applies_all_rows_or_none(waiting, shop, tmp_path):
    other = ProductFactory(shop=shop, sku="OTHER", stock=4)
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    past = (timezone.localdate() - timedelta(days=5)).isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"sku,stock,restock_eta\nOTHER,10,{future}\nDEMO-SOLDOUT,5,{past}\nX,-1,\n")
    with pytest.raises(CommandError) as error:
        _run("import_stock", "--shop", shop.slug, str(bad))
    assert "Line 3" in str(error.value) and "Line 4" in str(error.value)
    assert Product.objects.get(pk=other.pk).stock == 4 and not FollowUp.objects.exists()

    good = tmp_path / "good.csv"
    good.write_text(f"sku,stock,restock_eta\nOTHER,10,{future}\nDEMO-SOLDOUT,5,\n")
    out = _run("import_stock", "--shop", shop.slug, str(good))
    assert "notified: 3" in out
    other.refresh_from_db()
    assert (other.stock, other.restock_eta.isoformat()) == (10, future)
    assert RestockEvent.objects.get().source == "import"


def test_import_chat_questions_command(shop, tmp_path):
    ProductFactory(shop=shop, sku="DEMO-SOLDOUT", stock=0)
    path = tmp_path / "chat.csv"
    path.write_text(
        "channel,received_at,text,responded_at,response_automatic,product_sku,external_id\n"
        "shopee,2026-01-05 09:00,Ready kak?,2026-01-05 09:20,no,DEMO-SOLDOUT,m1\n"
        "tokopedia,2026-01-05T10:00:00+07:00,Warna lain ada?,2026-01-05T10:00:05+07:00,yes,,m2\n"
    )
    out = _run("import_chat_questions", "--shop", shop.slug, str(path))
    assert "created: 2" in out
    first = ChatQuestion.objects.get(external_id="m1")
    assert first.product_sold_out and first.human_responded_at == first.responded_at
    second = ChatQuestion.objects.get(external_id="m2")
    assert second.response_automatic and second.human_responded_at is None
    # Re-importing the same file creates nothing new.
    assert "created: 0, updated: 2" in _run("import_chat_questions", "--shop", shop.slug, str(path))


def test_import_chat_questions_bad_line_names_it_and_writes_nothing(shop, tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text(
        "channel,received_at,text\n"
        "shopee,2026-01-05 09:00,Ready kak?\n"
        "friendster,2026-01-05 09:00,Halo\n"
        "shopee,kemarin,Halo\n"
    )
    with pytest.raises(CommandError) as error:
        _run("import_chat_questions", "--shop", shop.slug, str(path))
    assert "Line 3" in str(error.value) and "friendster" in str(error.value)
    assert "Line 4" in str(error.value) and "kemarin" in str(error.value)
    assert not ChatQuestion.objects.exists()
