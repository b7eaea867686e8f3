"""Backup zip and restore: nothing lost, into an empty shop, scoped downloads, daily rotation."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from crm.schedules import SCHEDULES
from customers.models import Interaction, Shop
from imports.backup import backup_models, backup_rotate, backups_list, shop_export, shop_restore
from tests.factories import (
    BuyerFactory,
    BuyerHandleFactory,
    InteractionFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ReviewFactory,
    TagFactory,
)
from tests.http import close_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_shop(shop, owner, other_shop):
    vip, new = TagFactory(shop=shop, name="VIP"), TagFactory(shop=shop, name="Baru")
    siti = BuyerFactory(
        shop=shop, name="Siti", birthday=datetime(1990, 5, 17).date(), notes="suka hitam"
    )
    siti.tags.set([vip, new])
    budi = BuyerFactory(
        shop=shop, name="Budi", phone="", email="", opted_out_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    BuyerHandleFactory(shop=shop, buyer=siti, channel="shopee", handle="siti88")
    kaos = ProductFactory(shop=shop, sku="KAOS-1", name="Kaos", price=89000, stock=4)
    for buyer in (siti, budi, siti):
        order = OrderFactory(shop=shop, buyer=buyer, courier="jnt", tracking_number="JT1")
        OrderLineFactory(order=order, product=kaos, quantity=2, unit_price=89000)
        OrderLineFactory(order=order, product=None, name="Bonus stiker", quantity=1, unit_price=0)
    review = ReviewFactory(
        shop=shop, order=order, rating=2, text="Telat", topics=["late", "packaging"]
    )
    InteractionFactory(
        shop=shop, buyer=siti, order=order, author=owner, data={"via": "wa", "n": [1, 2]}
    )
    InteractionFactory(shop=shop, buyer=budi, order=None, author=None, text="Catatan")
    # Another shop's rows must stay out of the backup.
    BuyerFactory(shop=other_shop, name="Orang lain")
    return shop, review


def _rows(shop):
    """Every row of every backed-up model, in pk order, as field values (pks left in)."""
    result = {}
    for model, path in backup_models():
        fields = [f for f in model._meta.concrete_fields if f.related_model is not Shop]
        result[model] = (
            fields,
            [
                [getattr(obj, f.attname) for f in fields]
                for obj in model._default_manager.filter(**{path: shop}).order_by("pk")
            ],
        )
    return result


def _assert_same(old_shop, new_shop):
    old, new = _rows(old_shop), _rows(new_shop)
    id_maps = {}
    for model, (fields, old_rows) in old.items():
        new_rows = new[model][1]
        assert len(old_rows) == len(new_rows), model
        pk_index = fields.index(model._meta.pk)
        id_maps[model] = {o[pk_index]: n[pk_index] for o, n in zip(old_rows, new_rows, strict=True)}
    for model, (fields, old_rows) in old.items():
        for old_row, new_row in zip(old_rows, new[model][1], strict=True):
            for field, a, b in zip(fields, old_row, new_row, strict=True):
                if field.primary_key:
                    continue
                if field.is_relation and field.related_model in id_maps and a is not None:
                    a = id_maps[field.related_model][a]
                assert a == b, (model, field.name, a, b)
        for m2m in model._meta.local_many_to_many:
            if m2m.related_model not in id_maps:
                continue
            through = m2m.remote_field.through
            src, dst = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            old_pairs = {
                (id_maps[model][a], id_maps[m2m.related_model][b])
                for a, b in through.objects.filter(
                    **{f"{src}_id__in": list(id_maps[model])}
                ).values_list(f"{src}_id", f"{dst}_id")
            }
            new_pairs = set(
                through.objects.filter(
                    **{f"{src}_id__in": list(id_maps[model].values())}
                ).values_list(f"{src}_id", f"{dst}_id")
            )
            assert old_pairs == new_pairs, m2m
    return old


def test_round_trip_loses_nothing(filled_shop, tmp_path):
    shop, _review = filled_shop
    target = tmp_path / "backup.zip"
    manifest = shop_export(shop=shop, target=target)
    assert manifest["schema_version"] == 1
    assert manifest["counts"]["customers.buyer.csv"] == 2
    assert manifest["counts"]["customers.buyer.tags.csv"] == 2
    restored, _counts = shop_restore(source=target, slug="toko-baru")
    compared = _assert_same(shop, restored)
    assert sum(len(rows) for _fields, rows in compared.values()) >= 18
    note = Interaction.objects.get(shop=restored, data__via="wa")
    assert note.author.username == "owner_a"


def test_backup_covers_models_other_apps_add():
    labels = {model._meta.label_lower for model, _path in backup_models()}
    assert {
        "customers.buyer",
        "customers.orderline",
        "reviews.review",
        "customers.interaction",
    } <= labels
    assert "customers.membership" not in labels and "imports.importrun" not in labels
    # Parents come before children.
    order = [m._meta.label_lower for m, _p in backup_models()]
    assert order.index("customers.order") < order.index("customers.orderline")
    assert order.index("customers.buyer") < order.index("customers.order")


def test_commands_export_and_restore(filled_shop, tmp_path):
    shop, _review = filled_shop
    out = tmp_path / "out.zip"
    call_command("export_shop", shop.slug, str(out), stdout=io.StringIO())
    call_command("import_shop", str(out), "--into", "restored", stdout=io.StringIO())
    _assert_same(shop, Shop.objects.get(slug="restored"))


def test_restore_refuses_a_shop_with_data(filled_shop, other_shop, tmp_path):
    shop, _review = filled_shop
    out = tmp_path / "out.zip"
    shop_export(shop=shop, target=out)
    with pytest.raises(ValidationError, match="already has data"):
        shop_restore(source=out, slug=other_shop.slug)


def test_restore_refuses_a_damaged_backup(filled_shop, tmp_path):
    shop, _review = filled_shop
    out = tmp_path / "out.zip"
    shop_export(shop=shop, target=out)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(damaged, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "customers.buyer.csv":
                data = data.replace(b"Siti", b"Sita")
            copy.writestr(item, data)
    with pytest.raises(ValidationError, match="checksum"):
        shop_restore(source=damaged, slug="baru")
    assert not Shop.objects.filter(slug="baru").exists()


def test_not_a_backup(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"hello")
    with pytest.raises(ValidationError, match="not a Rawat backup"):
        shop_restore(source=path, slug="baru")


def test_daily_backups_keep_the_last_n(shop, settings, time_machine):
    settings.BACKUP_KEEP = 3
    for day in range(1, 6):
        time_machine.move_to(datetime(2026, 3, day, 20, 0, tzinfo=UTC))
        backup_rotate(shop=shop)
    names = [b["name"] for b in backups_list(shop=shop)]
    assert names == [f"rawat-{shop.slug}-202603{d:02d}-200000.zip" for d in (5, 4, 3)]
    with zipfile.ZipFile(settings.MEDIA_ROOT / "backups" / shop.slug / names[0]) as archive:
        assert json.loads(archive.read("manifest.json"))["shop"]["slug"] == shop.slug


def test_backup_schedule_is_registered():
    spec = next(s for s in SCHEDULES if s.name == "imports.backups_daily")
    assert spec.func == "imports.tasks.backups_daily"
    from imports.tasks import backups_daily

    assert callable(backups_daily)


def test_seller_downloads_a_backup_of_her_shop_only(seller_client, filled_shop):
    shop, _review = filled_shop
    response = seller_client.post(reverse("imports:backup_download"))
    data = b"".join(response.streaming_content)
    close_response(response)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("manifest.json"))["shop"]["slug"] == shop.slug
        buyers = archive.read("customers.buyer.csv").decode()
    assert "Siti" in buyers and "Orang lain" not in buyers


def test_another_shops_backup_file_is_404(seller_client, shop, other_shop):
    theirs = backup_rotate(shop=other_shop)
    mine = backup_rotate(shop=shop)
    assert seller_client.get(reverse("imports:backup_file", args=[theirs.name])).status_code == 404
    sneaky = reverse("imports:backup_list") + "..%2F..%2F" + other_shop.slug + "%2F" + theirs.name
    assert seller_client.get(sneaky).status_code == 404
    response = seller_client.get(reverse("imports:backup_file", args=[mine.name]))
    assert response.status_code == 200
    close_response(response)
    page = seller_client.get(reverse("imports:backup_list")).content.decode()
    assert mine.name in page and theirs.name not in page
