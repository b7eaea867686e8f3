"""Idempotency and atomicity: re-imports change nothing, a crash leaves nothing behind."""

from __future__ import annotations

import pytest

from customers.models import Buyer, BuyerHandle, Order, OrderLine, Product
from imports import engine
from imports.engine import file_import
from tests.imports.conftest import DATA, rawat_csv

pytestmark = pytest.mark.django_db


def _snapshot(shop):
    return {
        "buyers": sorted(Buyer.objects.filter(shop=shop).values_list("name", "phone", "email")),
        "handles": sorted(
            BuyerHandle.objects.filter(shop=shop).values_list("channel", "handle", "buyer__name")
        ),
        "products": sorted(Product.objects.filter(shop=shop).values_list("sku", "name", "price")),
        "orders": sorted(
            Order.objects.filter(shop=shop).values_list(
                "channel",
                "external_id",
                "buyer__name",
                "status",
                "ordered_at",
                "delivered_at",
                "courier",
                "total",
            )
        ),
        "lines": sorted(
            OrderLine.objects.filter(order__shop=shop).values_list(
                "order__external_id", "product__sku", "name", "quantity", "unit_price"
            ),
            key=str,
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "shopee_orders.xlsx",
        "tokopedia_orders.csv",
        "lazada_orders.csv",
        "bukalapak_orders.csv",
        "rawat_orders_bom_semicolon.csv",
    ],
)
def test_reimporting_the_same_file_changes_nothing(shop, name):
    first = file_import(shop=shop, path=DATA / name, dry_run=False)
    before = _snapshot(shop)
    again = file_import(shop=shop, path=DATA / name, dry_run=False)
    assert again.ok
    assert _snapshot(shop) == before
    assert again.counts["orders"].get("new", 0) == 0
    assert again.counts["orders"].get("updated", 0) == 0
    assert again.counts["orders"]["unchanged"] == first.counts["orders"]["new"]
    assert again.counts["buyers"] == {} and again.counts["products"] == {}


def test_overlapping_file_adds_only_what_is_new(shop, tmp_path):
    old = rawat_csv(
        tmp_path,
        "A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-1,Kaos,1,10000,,,,,,paid",
        "A2,shopee,12/03/2026 15:05,Budi,budi,,,SKU-1,Kaos,2,10000,,,,,,paid",
        name="week1.csv",
    )
    new = rawat_csv(
        tmp_path,
        "A2,shopee,12/03/2026 15:05,Budi,budi,,,SKU-1,Kaos,2,10000,SiCepat REG,SC1,13/03/2026 09:00,,,shipped",
        "A3,shopee,13/03/2026 08:00,Siti,siti,,,SKU-2,Topi,1,5000,,,,,,paid",
        name="week2.csv",
    )
    file_import(shop=shop, path=old, dry_run=False)
    result = file_import(shop=shop, path=new, dry_run=False)
    assert result.counts["orders"] == {"new": 1, "updated": 1}
    assert Order.objects.filter(shop=shop).count() == 3
    assert Buyer.objects.filter(shop=shop).count() == 2  # Siti matched by her handle
    a2 = Order.objects.get(external_id="A2")
    assert (a2.status, a2.courier, a2.tracking_number) == ("shipped", "sicepat", "SC1")
    assert a2.lines.count() == 1
    # The older file again must not move A2 back to "paid" nor erase its tracking number.
    again = file_import(shop=shop, path=old, dry_run=False)
    a2.refresh_from_db()
    assert (a2.status, a2.tracking_number) == ("shipped", "SC1")
    assert again.counts["orders"] == {"unchanged": 2}


def test_changed_lines_replace_the_old_ones(shop, tmp_path):
    file_import(
        shop=shop,
        path=rawat_csv(
            tmp_path, "A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-1,Kaos,1,10000,,,,,,paid"
        ),
        dry_run=False,
    )
    result = file_import(
        shop=shop,
        path=rawat_csv(
            tmp_path,
            "A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-1,Kaos,3,10000,,,,,,paid",
            "A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-2,Topi,1,5000,,,,,,paid",
            name="v2.csv",
        ),
        dry_run=False,
    )
    assert result.counts["orders"] == {"updated": 1}
    order = Order.objects.get()
    assert sorted(order.lines.values_list("name", "quantity")) == [("Kaos", 3), ("Topi", 1)]
    assert order.total == 35000


def test_dry_run_counts_like_the_import_and_writes_nothing(shop):
    dry = file_import(shop=shop, path=DATA / "tokopedia_orders.csv", dry_run=True)
    assert dry.ok and not dry.committed
    assert not Order.objects.exists() and not Buyer.objects.exists()
    real = file_import(shop=shop, path=DATA / "tokopedia_orders.csv", dry_run=False)
    assert real.counts == dry.counts


def test_order_split_across_chunks_keeps_all_its_lines(shop, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)
    rows = [
        f"A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-{i},Item {i},1,1000,,,,,,paid"
        for i in range(7)
    ]
    rows.insert(4, "B1,shopee,12/03/2026 14:05,Budi,budi,,,SKU-9,Other,1,1000,,,,,,paid")
    path = rawat_csv(tmp_path, *rows)
    result = file_import(shop=shop, path=path, dry_run=False)
    assert result.ok
    a1 = Order.objects.get(external_id="A1")
    assert a1.lines.count() == 7 and a1.total == 7000
    assert result.counts["orders"] == {"new": 2}
    again = file_import(shop=shop, path=path, dry_run=False)
    assert again.counts["orders"] == {"unchanged": 2}
    assert Order.objects.get(external_id="A1").lines.count() == 7


def test_a_crash_half_way_leaves_the_database_as_it_was(shop, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 5)
    rows = [
        f"A{i},shopee,12/03/2026 14:05,B{i},b{i},,,SKU-{i},Item,1,1000,,,,,,paid" for i in range(30)
    ]
    path = rawat_csv(tmp_path, *rows)
    real_write = engine.OrdersImporter._orders_write
    calls = {"n": 0}

    def dying(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # two chunks are written already
            raise RuntimeError("disk on fire")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(engine.OrdersImporter, "_orders_write", dying)
    with pytest.raises(RuntimeError):
        file_import(shop=shop, path=path, dry_run=False)
    assert calls["n"] == 3
    assert not Order.objects.exists()
    assert not Buyer.objects.exists()
    assert not Product.objects.exists()


def test_other_shops_rows_are_never_matched(shop, other_shop, tmp_path):
    path = rawat_csv(
        tmp_path, "A1,shopee,12/03/2026 14:05,Siti,siti,081234567890,,SKU-1,Kaos,1,10000,,,,,,paid"
    )
    file_import(shop=other_shop, path=path, dry_run=False)
    result = file_import(shop=shop, path=path, dry_run=False)
    assert result.counts["orders"] == {"new": 1}
    assert result.counts["buyers"] == {"new": 1}
    assert Order.objects.filter(shop=shop).get().buyer.shop == shop


def test_handles_match_without_case_even_with_non_ascii_letters(shop, tmp_path):
    first = rawat_csv(
        tmp_path, "A1,shopee,12/03/2026 14:05,Özil,Özil_88,,,SKU-1,Kaos,1,10000,,,,,,paid"
    )
    second = rawat_csv(
        tmp_path,
        "A2,shopee,13/03/2026 14:05,Özil,ÖZIL_88,,,SKU-1,Kaos,1,10000,,,,,,paid",
        "A3,shopee,14/03/2026 14:05,Özil,Özil_88,,,SKU-1,Kaos,1,10000,,,,,,paid",
        name="second.csv",
    )
    assert file_import(shop=shop, path=first, dry_run=False).ok
    result = file_import(shop=shop, path=second, dry_run=False)
    assert result.ok, result.message
    assert Order.objects.get(external_id="A3").buyer == Order.objects.get(external_id="A1").buyer
    # Whatever the database folds, the unique index and the import agree: no crash, no duplicate.
    assert BuyerHandle.objects.filter(shop=shop, handle__iexact="Özil_88").count() >= 1


def test_buyers_are_found_again_in_later_chunks(shop, tmp_path, monkeypatch):
    # Chunks of 2 lines: each buyer comes back in later chunks, once with another letter case,
    # and Siti's phone number first appears in her third order.
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    rows = []
    for i in range(8):
        handle = ("siti", "budi")[i % 2] if i != 6 else "SITI"
        phone = "081234567890" if i == 4 else ""
        rows.append(
            f"A{i},shopee,12/03/2026 14:05,{handle.title()},{handle},{phone},,SKU-1,Kaos,1,1000,"
            ",,,,,paid"
        )
    path = rawat_csv(tmp_path, *rows)
    result = file_import(shop=shop, path=path, dry_run=False)
    assert result.ok, result.errors
    assert result.counts["buyers"] == {"new": 2, "updated": 1}
    assert Buyer.objects.filter(shop=shop).count() == 2
    assert BuyerHandle.objects.filter(shop=shop).count() == 2
    siti = Buyer.objects.get(shop=shop, handles__handle="siti")
    assert siti.phone == "+6281234567890"
    assert set(Order.objects.filter(buyer=siti).values_list("external_id", flat=True)) == {
        "A0",
        "A2",
        "A4",
        "A6",
    }
    again = file_import(shop=shop, path=path, dry_run=False)
    assert again.counts["buyers"] == {} and again.counts["orders"] == {"unchanged": 8}


def test_an_import_leaves_the_garbage_collector_as_it_found_it(shop, tmp_path, monkeypatch):
    # The import collects garbage less often while it runs (see engine._few_collections): the
    # process must get its own settings back, after a good file and after a crash.
    import gc

    before = gc.get_threshold()
    seen = []
    real_write = engine.OrdersImporter._orders_write

    def watching(self, *args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(engine.OrdersImporter, "_orders_write", watching)
    path = rawat_csv(tmp_path, "A1,shopee,12/03/2026 14:05,Siti,siti,,,SKU-1,Kaos,1,1000,,,,,,paid")
    assert file_import(shop=shop, path=path, dry_run=False).ok
    assert seen == [max(before[0], engine.IMPORT_GC_THRESHOLD)]
    assert gc.get_threshold() == before

    def dying(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.OrdersImporter, "_orders_write", dying)
    with pytest.raises(RuntimeError):
        file_import(shop=shop, path=path, dry_run=False)
    assert gc.get_threshold() == before
