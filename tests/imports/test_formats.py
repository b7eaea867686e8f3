"""Each supported layout, from a small real-looking sample file in tests/data/imports/."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from customers.models import Buyer, BuyerHandle, Order, Product
from imports.engine import file_import
from imports.mappings import mapping_detect, mappings_for_shop, shipped_mappings
from imports.models import MappingOverride
from reviews.models import Review
from tests.factories import BuyerFactory, OrderFactory
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db


def _import(shop, name, **kwargs):
    result = file_import(shop=shop, path=DATA / name, dry_run=False, **kwargs)
    assert result.ok, (result.message, result.errors)
    return result


def test_shopee_xlsx_with_indonesian_headers(shop):
    result = _import(shop, "shopee_orders.xlsx")
    assert result.format == "shopee"
    assert result.counts["orders"] == {"new": 3, "skipped_rows": 1}  # "Belum Bayar" is skipped
    order = Order.objects.get(shop=shop, external_id="2603120001ABCD")
    assert order.channel == "shopee"
    assert order.status == Order.Status.COMPLETED
    assert order.courier == "spx"
    assert order.tracking_number == "SPXID0123456789"
    assert order.total == 173000  # Total Pembayaran
    assert order.ordered_at == datetime(2026, 3, 12, 7, 5, tzinfo=UTC)
    assert order.delivered_at == datetime(2026, 3, 16, 3, 12, tzinfo=UTC)
    lines = sorted(order.lines.values_list("product__sku", "name", "quantity", "unit_price"))
    assert lines == [
        ("KAOS-01-M-HTM", "Kaos Polos Katun Combed 30s (Hitam, M)", 2, 79000),
        ("TOPI-01", "Topi Baseball Bordir (Navy)", 1, 35000),  # falls back to SKU Induk
    ]
    buyer = order.buyer
    assert buyer.name == "Siti Aminah"
    assert buyer.phone == ""  # the masked number is not kept
    assert buyer.handles.get().handle == "sitiaminah88"
    assert not Order.objects.filter(external_id="2603130003IJKL").exists()
    # Lines without any SKU keep their name and no product.
    bag = Order.objects.get(external_id="2603140004MNOP").lines.get()
    assert (bag.product, bag.name) == (None, "Tas Kanvas Serbaguna")


def test_tokopedia_csv_day_first_times(shop):
    result = _import(shop, "tokopedia_orders.csv")
    assert result.format == "tokopedia"
    order = Order.objects.get(external_id="578123456789012345")
    assert order.ordered_at == datetime(2026, 3, 12, 7, 5, tzinfo=UTC)
    assert order.shipped_at == datetime(2026, 3, 13, 2, 0, tzinfo=UTC)
    assert order.delivered_at == datetime(2026, 3, 15, 4, 20, tzinfo=UTC)
    assert (order.status, order.courier, order.total) == ("completed", "jnt", 91000)
    assert order.buyer.phone == "+6281311112222"
    assert Order.objects.get(external_id="578123456789012346").status == "shipped"
    # Same buyer handle on two orders: one buyer.
    assert Buyer.objects.filter(shop=shop, name="Andi Pratama").count() == 1
    assert Order.objects.get(external_id="578123456789012347").status == "cancelled"


def test_lazada_and_bukalapak_unverified_mappings_import(shop):
    assert not shipped_mappings()["lazada"].verified
    assert not shipped_mappings()["bukalapak"].verified
    _import(shop, "lazada_orders.csv")
    _import(shop, "bukalapak_orders.csv")  # semicolons
    lazada = Order.objects.get(channel="lazada", external_id="400123456789")
    assert (lazada.status, lazada.courier) == ("delivered", "other")
    assert lazada.buyer.email == "putri.ayu@example.com"
    assert lazada.lines.get().unit_price == 89000  # "89,000.00"
    bukalapak = Order.objects.get(channel="bukalapak", external_id="260312ABC")
    assert (bukalapak.status, bukalapak.courier, bukalapak.total) == ("delivered", "jne", 190000)
    assert bukalapak.buyer.phone == "+6281244445555"


def test_rawat_csv_with_bom_and_semicolons(shop):
    result = _import(shop, "rawat_orders_bom_semicolon.csv")
    assert result.format == "rawat"
    order = Order.objects.get(channel="whatsapp", external_id="WA-001")
    assert order.total == 3 * 125000 + 15000
    assert order.promised_at == datetime(2026, 3, 15, 17, 0, tzinfo=UTC)
    assert order.buyer.phone == "+6281377778888"
    instagram = Order.objects.get(channel="instagram", external_id="IG-002")
    assert instagram.courier == "gosend"
    assert BuyerHandle.objects.get(buyer=instagram.buyer).handle == "rudi.h"


def test_rawat_csv_in_windows_1252(shop):
    _import(shop, "rawat_orders_cp1252.csv")
    order = Order.objects.get(external_id="WA-101")
    assert order.buyer.name == "Andr\u00e9 O\u2019Neil"
    assert order.lines.get().name == "Kaos \u201cPremium\u201d"


def test_buyers_file_then_orders_match_by_phone(shop):
    result = _import(shop, "rawat_buyers.csv")
    assert result.counts["buyers"] == {"new": 2}
    sri = Buyer.objects.get(shop=shop, name="Sri Wahyuni")
    assert sri.marketing_consent is True
    assert sorted(sri.tags.values_list("name", flat=True)) == ["Reseller", "VIP"]
    assert str(sri.birthday) == "1990-05-17"
    _import(shop, "rawat_orders_bom_semicolon.csv")
    assert Order.objects.get(external_id="WA-001").buyer == sri
    again = _import(shop, "rawat_buyers.csv")
    assert again.counts["buyers"] == {"unchanged": 2}


def test_reviews_file_attaches_to_imported_orders(shop):
    _import(shop, "rawat_orders_bom_semicolon.csv")
    result = _import(shop, "rawat_reviews.csv")
    assert result.counts["reviews"] == {"new": 2}
    review = Review.objects.get(external_id="R-2")
    assert (review.rating, review.order.external_id) == (2, "IG-002")
    assert result.review_ids == sorted(Review.objects.values_list("pk", flat=True))
    assert _import(shop, "rawat_reviews.csv").counts["reviews"] == {"unchanged": 2}


def test_buyer_matched_by_handle_before_phone(shop):
    known = BuyerFactory(shop=shop, name="Budi (lama)", phone="081298765432")
    _import(shop, "shopee_orders.xlsx")
    assert Order.objects.get(external_id="2603130002EFGH").buyer == known
    assert BuyerHandle.objects.get(buyer=known).handle == "budi.s"


def test_a_shop_override_mapping_follows_a_renamed_column(shop, tmp_path):
    text = (
        (DATA.parent / ".." / ".." / "imports" / "mappings" / "shopee.toml").resolve().read_text()
    )
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        "Nomor Pesanan,Waktu Pesanan Dibuat,Nama Produk,Jumlah,Harga Awal\n"
        "X1,2026-03-12 14:05,Kaos,1,Rp10.000\n"
    )
    failed = file_import(shop=shop, path=renamed, dry_run=False)
    assert "No. Pesanan" in failed.message and not Order.objects.exists()
    MappingOverride.objects.create(
        shop=shop,
        name="shopee",
        content=text.replace(
            'order_id = ["No. Pesanan"]', 'order_id = ["No. Pesanan", "Nomor Pesanan"]'
        ),
    )
    _import(shop, renamed)
    assert Order.objects.get().external_id == "X1"


def test_another_shops_override_is_not_used(shop, other_shop):
    MappingOverride.objects.create(
        shop=other_shop,
        name="custom",
        content='name="custom"\n[columns]\norder_id=["Nomor"]\nrequired=[]\n',
    )
    assert "custom" not in mappings_for_shop(shop.pk)


def test_unknown_layout_names_the_missing_required_columns():
    with pytest.raises(Exception) as info:
        mapping_detect(["No. Pesanan", "Jumlah"], mappings=shipped_mappings())
    message = " ".join(info.value.messages)
    assert "Shopee" in message and "Waktu Pesanan Dibuat" in message


def test_existing_order_gets_updated_not_duplicated(shop):
    _import(shop, "tokopedia_orders.csv")
    order = Order.objects.get(external_id="578123456789012346")
    assert order.status == "shipped"
    OrderFactory(shop=shop, channel="shopee", external_id="578123456789012346")
    assert Order.objects.filter(external_id="578123456789012346").count() == 2  # other channel
    assert Product.objects.filter(shop=shop).count() == 3
