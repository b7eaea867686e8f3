"""``manage.py seed_demo``: a realistic Indonesian demo shop, idempotent, fast in bulk."""

from __future__ import annotations

import hashlib
import re
import types
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from customers.demo import DEFAULT_BUYERS, DEFAULT_ORDERS, demo_seed, generate
from customers.demo.catalogue import SOLD_OUT_SKU
from customers.managers import MANAGERS_GROUP
from customers.models import (
    Buyer,
    BuyerHandle,
    Courier,
    Interaction,
    Membership,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from reviews import services as review_services
from reviews.models import Review
from tests.factories import ShopFactory, UserFactory

MODELS = [Shop, Membership, Tag, Buyer, Buyer.tags.through, BuyerHandle, Product, Order, OrderLine]
MODELS += [Interaction, Review, get_user_model()]
LATE_WORDS = re.compile(r"telat|terlambat|lambat|molor|lelet|late|longer than promised", re.I)


def _snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every column (updated_at included) of every model."""
    result = {}
    for model in MODELS:
        rows = sorted(map(repr, model.objects.order_by("pk").values_list()))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[model._meta.label] = (len(rows), digest)
    return result


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(db):
    output = _seed()
    return Shop.objects.get(slug="demo"), output


def test_default_size_meets_the_issue(demo):
    shop, _ = demo

    assert DEFAULT_BUYERS >= 200 and DEFAULT_ORDERS >= 1000
    assert Buyer.objects.for_shop(shop).count() == DEFAULT_BUYERS
    assert Order.objects.for_shop(shop).count() == DEFAULT_ORDERS


def test_demo_owner_and_manager_can_log_in_and_are_printed(demo):
    shop, output = demo
    owner = get_user_model().objects.get(username="demo")
    manager = get_user_model().objects.get(username="manager")

    assert owner.check_password("demo")
    assert not owner.is_staff
    assert Membership.objects.get(shop=shop, user=owner).role == Membership.Role.OWNER
    assert manager.check_password("manager")
    assert manager.is_staff and not manager.is_superuser
    assert manager.groups.filter(name=MANAGERS_GROUP).exists()
    assert Membership.objects.get(shop=shop, user=manager).role == Membership.Role.STAFF
    assert "demo / demo" in output
    assert "manager / manager" in output


def test_second_run_changes_nothing(demo):
    before = _snapshot()

    output = _seed()

    assert _snapshot() == before
    assert "nothing was changed" in output


def test_orders_span_twelve_months_channels_and_real_couriers(demo):
    shop, _ = demo
    orders = Order.objects.for_shop(shop)
    now = timezone.now()

    assert set(orders.values_list("channel", flat=True)) == {"shopee", "tokopedia", "whatsapp"}
    couriers = set(orders.exclude(courier="").values_list("courier", flat=True))
    assert {Courier.JNE, Courier.JNT, Courier.SICEPAT, Courier.ANTERAJA, Courier.SPX} <= couriers
    oldest = orders.order_by("ordered_at").first().ordered_at
    newest = orders.order_by("-ordered_at").first().ordered_at
    assert now - timedelta(days=366) <= oldest < now - timedelta(days=300)
    assert now - timedelta(days=3) <= newest <= now
    statuses = set(orders.values_list("status", flat=True))
    assert {"completed", "cancelled", "returned"} <= statuses
    assert not orders.exclude(status="cancelled").filter(
        tracking_number="", shipped_at__isnull=False
    )
    assert not orders.filter(delivered_at__gt=now)


def test_about_ten_percent_of_deliveries_are_late_by_one_to_five_days(demo):
    shop, _ = demo
    delivered = Order.objects.for_shop(shop).filter(delivered_at__isnull=False)
    late = list(delivered.late())

    assert 0.07 <= len(late) / delivered.count() <= 0.14
    assert {order.delay_days for order in late} <= {1, 2, 3, 4, 5}


def test_reviews_have_every_rating_and_natural_varied_text(demo):
    shop, _ = demo
    reviews = Review.objects.for_shop(shop)
    texts = [text for text in reviews.values_list("text", flat=True) if text]

    assert set(reviews.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    assert len(set(texts)) > 0.9 * len(texts), "composed, not a handful of fixed strings"
    assert any(re.search(r"\b(bgt|kak|udah)\b", text) for text in texts)  # casual
    assert any("Terima kasih" in text or "Sangat direkomendasikan" in text for text in texts)
    english = [text for text in texts if re.search(r"\b(the|and|was)\b", text)]
    assert 0 < len(english) < 0.15 * len(texts)


def test_four_star_late_courier_reviews_are_on_really_late_orders(demo):
    shop, _ = demo
    reviews = Review.objects.for_shop(shop).select_related("order")
    four_star_late = [r for r in reviews.filter(rating=4) if LATE_WORDS.search(r.text)]

    assert len(four_star_late) >= 10
    for review in four_star_late:
        assert review.order.delay_days > 0, review.text
        numbers = {int(n) for n in re.findall(r"(\d+) (?:hari|days)", review.text)}
        assert numbers <= {review.order.delay_days}, review.text
    on_time = [r for r in reviews if r.order.delay_days == 0 and LATE_WORDS.search(r.text)]
    assert on_time == []


def test_low_ratings_complain_about_damage_size_or_wrong_item(demo):
    shop, _ = demo
    low = Review.objects.for_shop(shop).filter(rating__lte=3).exclude(text="")
    texts = " ".join(low.values_list("text", flat=True)).lower()

    for word in ("penyok", "ukuran", "dikirim", "bahannya"):
        assert word in texts


def test_buyers_are_indonesian_with_normalised_phones_handles_and_details(demo):
    shop, _ = demo
    buyers = Buyer.objects.for_shop(shop)

    assert not buyers.exclude(phone__regex=r"^\+628\d{9,11}$").exists()
    assert buyers.values("phone").distinct().count() == buyers.count()
    names = " ".join(buyers.values_list("name", flat=True))
    assert re.search(r"Sitompul|Nainggolan|Siregar|Hutapea|Lubis|Nasution|Simanjuntak", names)
    assert re.search(r"Asep|Euis|Ujang|Neng|Cecep|Dadang", names)
    assert re.search(r"Wijaya|Tanoto|Halim|Gunawan|Kurniawan|Susanto|Salim", names)
    assert buyers.filter(birthday__isnull=False).exists()
    assert buyers.filter(birthday__isnull=True).exists()
    assert buyers.filter(marketing_consent=True).exists()
    assert buyers.filter(opted_out_at__isnull=False, marketing_consent=False).exists()
    assert buyers.annotate(tag_count=Count("tags")).filter(tag_count__gt=0).exists()
    channels = set(BuyerHandle.objects.for_shop(shop).values_list("channel", flat=True))
    assert {"shopee", "tokopedia"} <= channels
    assert Interaction.objects.for_shop(shop).filter(kind="chat").exists()
    assert Interaction.objects.for_shop(shop).filter(kind="note").exists()


def test_catalogue_has_sold_out_product_with_restock_eta(demo):
    shop, _ = demo
    products = Product.objects.for_shop(shop)
    sold_out = products.get(sku=SOLD_OUT_SKU)

    assert products.count() >= 35
    assert sold_out.stock == 0
    assert sold_out.restock_eta > timezone.localdate()
    assert products.filter(stock=0).count() >= 3
    assert not OrderLine.objects.filter(order__shop=shop, product__isnull=True).exists()
    line_totals = {
        order.pk: order.total
        for order in Order.objects.for_shop(shop).prefetch_related("lines")
        if order.total != sum(line.subtotal for line in order.lines.all())
    }
    assert line_totals == {}


def test_second_shop_side_by_side_with_its_own_owner(demo):
    demo_shop, _ = demo

    output = _seed("--shop", "toko-budi", "--owner", "budi", "--buyers", "30", "--orders", "60")

    shop = Shop.objects.get(slug="toko-budi")
    budi = get_user_model().objects.get(username="budi")
    assert budi.check_password("budi")
    assert Membership.objects.get(shop=shop, user=budi).role == Membership.Role.OWNER
    assert not Membership.objects.filter(shop=demo_shop, user=budi).exists()
    assert not Membership.objects.filter(shop=shop, user__username="manager").exists()
    assert Buyer.objects.for_shop(shop).count() == 30
    assert Order.objects.for_shop(shop).count() == 60
    assert Buyer.objects.for_shop(demo_shop).count() == DEFAULT_BUYERS
    assert "budi / budi" in output
    assert "toko-budi-manager / toko-budi-manager" in output


def test_larger_runs_top_up_only_the_missing_rows(db):
    demo_seed(slug="besar", owner="besar", buyers=120, orders=300, chunk_size=100)
    first_orders = set(Order.objects.values_list("external_id", flat=True))

    report = demo_seed(slug="besar", owner="besar", buyers=250, orders=700, chunk_size=100)

    assert report.created["buyers"] == 130
    assert report.created["orders"] == 400
    assert Buyer.objects.count() == 250
    assert first_orders < set(Order.objects.values_list("external_id", flat=True))
    before = _snapshot()
    again = demo_seed(slug="besar", owner="besar", buyers=250, orders=700, chunk_size=100)
    assert not again.wrote_anything
    assert _snapshot() == before


def test_same_moment_same_data(db):
    def seed_and_fingerprint():
        with time_machine.travel("2026-03-10 08:00 +0700", tick=False):
            demo_seed(slug="sama", owner="sama", buyers=40, orders=120)
        shop = Shop.objects.get(slug="sama")
        fingerprint = sorted(
            Order.objects.for_shop(shop).values_list(
                "external_id", "buyer__phone", "status", "ordered_at", "delivered_at", "total"
            )
        )
        reviews = sorted(Review.objects.for_shop(shop).values_list("order__external_id", "text"))
        return fingerprint, reviews

    first = seed_and_fingerprint()
    Shop.objects.filter(slug="sama").delete()
    second = seed_and_fingerprint()

    assert first == second


def test_bulk_generation_runs_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(400):
        demo_seed(slug="cepat", owner="cepat", buyers=300, orders=2000)
    assert Order.objects.count() == 2000


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"buyers": 0}, "invalid_buyers"),
        ({"orders": -1}, "invalid_orders"),
        ({"slug": "Toko B!"}, "invalid_slug"),
        ({"slug": "toko-x", "owner": "bad name!"}, "invalid_username"),
        ({"slug": "toko-x", "owner": "sama", "manager": "sama"}, "same_user"),
    ],
)
def test_bad_arguments_are_refused_with_a_code_and_write_nothing(db, kwargs, code):
    with pytest.raises(ValidationError) as error:
        demo_seed(**kwargs)

    assert error.value.code == code
    assert not Shop.objects.exists()
    assert not get_user_model().objects.exists()


def test_command_turns_bad_options_into_a_command_error(db):
    with pytest.raises(CommandError):
        _seed("--buyers", "0")

    assert not Shop.objects.exists()


def test_existing_shop_of_somebody_else_is_refused(db):
    ShopFactory(slug="toko-orang")
    UserFactory(username="siapa")

    with pytest.raises(ValidationError) as error:
        demo_seed(slug="toko-orang", owner="siapa", buyers=5, orders=5)

    assert error.value.code == "shop_taken"
    assert not Buyer.objects.exists()


def test_reviews_are_triaged_in_memory_by_the_engine(db, monkeypatch):
    seen = []

    def fake_triage(*, rating, text, delay_days):
        seen.append((rating, delay_days))
        topics = ["delivery_delay"] if delay_days else []
        return types.SimpleNamespace(
            topics=topics,
            sentiment="negative" if rating <= 2 else "positive",
            needs_care=rating <= 4,
            priority=50 if rating <= 4 else 0,
            action="delay_explanation" if delay_days else "thank",
        )

    monkeypatch.setattr(generate, "_triage_review", fake_triage)

    report = demo_seed(slug="triase", owner="triase", buyers=30, orders=90)

    reviews = Review.objects.select_related("order")
    # The engine runs once per distinct (rating, text, delay): composed texts repeat.
    assert 0 < len(seen) <= reviews.count()
    assert not reviews.filter(triaged_at__isnull=True).exists()
    for review in reviews:
        assert review.topics == (["delivery_delay"] if review.order.delay_days else [])
        assert review.needs_care == (review.rating <= 4)
    assert str(reviews.count()) in report.triage


def test_bulk_triage_service_is_called_when_engine_is_absent(db, monkeypatch):
    calls = []
    monkeypatch.setattr(generate, "_triage_review", None)
    monkeypatch.setattr(
        review_services, "reviews_triage_bulk", lambda *, shop: calls.append(shop.slug) or 7
    )

    first = demo_seed(slug="triase", owner="triase", buyers=30, orders=90)
    second = demo_seed(slug="triase", owner="triase", buyers=30, orders=90)

    assert calls == ["triase"]
    assert "7" in first.triage
    assert second.triage == ""
