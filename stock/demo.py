"""Stock demo data for ``seed_demo``: waiting lists, variants, cancellations, chat questions.

Called by customers.demo.seed.demo_seed after the products, buyers and orders exist. Each part
is written only when the shop has none of it yet, so re-running seed_demo changes nothing (and
never undoes a restock the seller did in the meantime). Waiting lists, variants and
cancellations go through the services, so they obey the same rules as real data.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from customers.models import Buyer, Order, Product, Shop
from stock.models import Cancellation, ChatQuestion, ProductVariant, Source, WaitlistEntry
from stock.services import (
    cancellation_record,
    variant_create,
    waitlist_join,
)

SOLD_OUT_SKU = "DEMO-SOLDOUT"
WAITING_BUYERS = 6
# A product whose colours live in one listing: "warna lain ada?" gets its variants.
VARIANT_SKU = "GMS-NAURA-ALL"
VARIANTS = [("Hitam", 15), ("Navy", 10), ("Mocca", 15), ("Sage", 0)]
QUESTIONS = [
    "Ready kak?",
    "Kak, warna lain ada?",
    "Masih ada stoknya kak?",
    "Kapan restok kak?",
    "Bisa dikirim hari ini?",
    "Ukuran XL ready?",
    "Is this still available?",
    "Bahannya adem ga kak?",
]


def stock_demo_seed(*, shop: Shop) -> dict[str, int]:
    """Add the stock demo rows the shop does not have yet; counts of what was written."""
    rng = random.Random(f"{shop.slug}:stock")
    created = {"waiting-list entries": 0, "variants": 0, "cancellations": 0, "chat questions": 0}
    buyers = list(
        Buyer.objects.for_shop(shop)
        .filter(opted_out_at__isnull=True)
        .exclude(phone="", email="")
        .order_by("pk")[:40]
    )
    if not buyers:
        return created
    now = timezone.now()
    with transaction.atomic():
        created["waiting-list entries"] = _waitlists(shop, buyers, now)
        created["variants"] = _variants(shop, buyers, now)
        created["cancellations"] = _cancellations(shop, now)
        created["chat questions"] = _chat(shop, rng, now)
    return created


def _waitlists(shop: Shop, buyers: list[Buyer], now) -> int:
    count = 0
    for sku, take in ((SOLD_OUT_SKU, WAITING_BUYERS), ("MKN-TRV-PNK", 2)):
        product = Product.objects.for_shop(shop).filter(sku=sku, stock=0).first()
        if product is None or WaitlistEntry.objects.filter(product=product).exists():
            continue
        picked = buyers[:take] if sku == SOLD_OUT_SKU else buyers[take * 5 : take * 6]
        for index, buyer in enumerate(picked):
            joined = now - timedelta(days=6 - index, hours=index * 3)
            _entry, was_created = waitlist_join(
                product=product, buyer=buyer, source=Source.DEMO, now=joined
            )
            count += was_created
    return count


def _variants(shop: Shop, buyers: list[Buyer], now) -> int:
    product = Product.objects.for_shop(shop).filter(sku=VARIANT_SKU).first()
    if product is None or ProductVariant.objects.filter(product=product).exists():
        return 0
    if product.stock != sum(stock for _colour, stock in VARIANTS):
        return 0  # The seller changed its stock: leave it alone.
    from stock.services import stock_set

    # The first variant takes over the product's whole stock; the others come with their own,
    # then the first is set to its share. No variant goes from 0 to more: no restock events.
    (first_colour, first_stock), *others = VARIANTS
    made = [
        variant_create(
            product=product,
            colour=first_colour,
            sku_suffix="-" + first_colour[:3].upper(),
            stock=product.stock,
            source=Source.DEMO,
        )
    ]
    for colour, stock in others:
        made.append(
            variant_create(
                product=product,
                colour=colour,
                sku_suffix="-" + colour[:3].upper(),
                stock=stock,
                source=Source.DEMO,
            )
        )
    stock_set(product=product, variant=made[0], quantity=first_stock, by=None, source=Source.DEMO)
    sage = made[-1]
    waitlist_join(
        product=product,
        variant=sage,
        buyer=buyers[-1],
        source=Source.DEMO,
        now=now - timedelta(days=1),
    )
    return len(made)


def _cancellations(shop: Shop, now) -> int:
    if Cancellation.objects.filter(shop=shop).exists():
        return 0
    plan = [
        # channel, initiator, reason: Shopee one short of its default threshold (a warning).
        ("shopee", "seller", "out_of_stock"),
        ("shopee", "seller", "out_of_stock"),
        ("shopee", "seller", "address_problem"),
        ("shopee", "seller", "out_of_stock"),
        ("shopee", "seller", "buyer_request"),
        ("tokopedia", "seller", "out_of_stock"),
        ("tokopedia", "buyer", "buyer_request"),
    ]
    open_statuses = [Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED]
    count = 0
    for index, (channel, initiator, reason) in enumerate(plan):
        order = (
            Order.objects.for_shop(shop)
            .filter(channel=channel, status__in=open_statuses, cancellation__isnull=True)
            .order_by("-ordered_at", "-pk")
            .first()
        )
        if order is None:
            continue
        cancellation_record(
            shop=shop,
            order_number=order.external_id,
            channel=channel,
            initiator=initiator,
            reason=reason,
            occurred_at=now - timedelta(days=index % 6, hours=index),
        )
        count += 1
    return count


def _chat(shop: Shop, rng: random.Random, now) -> int:
    """45 questions of the last week, written in one bulk insert (a few queries, not hundreds:
    seed_demo holds its query budget). Each row is built valid: responses after receipt."""
    if ChatQuestion.objects.filter(shop=shop).exists():
        return 0
    products = {p.sku: p for p in Product.objects.for_shop(shop)}
    skus = sorted(products)
    sold_out = [sku for sku in skus if products[sku].stock == 0]
    rows = []
    for index in range(45):
        received = now - timedelta(minutes=rng.randint(20, 7 * 24 * 60))
        if index < 3:  # a few about to miss the 12-hour mark
            received = now - timedelta(hours=10, minutes=20 + 30 * index)
        if index < 6 or (sold_out and rng.random() < 0.2):
            sku = SOLD_OUT_SKU if index % 2 == 0 or not sold_out else rng.choice(sold_out)
        else:
            sku = rng.choice(skus) if skus else ""
        product = products.get(sku)
        question = ChatQuestion(
            shop=shop,
            channel=rng.choice(["shopee", "shopee", "tokopedia", "whatsapp", "instagram"]),
            external_id=f"demo-{index}",
            product=product,
            product_sold_out=product is not None and product.stock == 0,
            text=rng.choice(QUESTIONS),
            received_at=received,
            source=Source.DEMO,
        )
        roll = rng.random()
        if index >= 3 and roll < 0.65:
            question.responded_at = received + timedelta(minutes=rng.randint(3, 100))
            question.human_responded_at = question.responded_at
        elif index >= 3 and roll < 0.8:
            question.responded_at = received + timedelta(seconds=5)
            question.response_automatic = True
            human = received + timedelta(hours=rng.uniform(2, 16))
            question.human_responded_at = human if human < now else None
        elif index >= 3 and roll < 0.9:
            late = received + timedelta(hours=rng.uniform(12.5, 20))
            if late < now:
                question.responded_at = question.human_responded_at = late
        rows.append(question)
    ChatQuestion.objects.bulk_create(rows)
    return len(rows)
