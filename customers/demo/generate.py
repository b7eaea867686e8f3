"""The demo generator: buyers, orders, lines, reviews and timeline entries in chunks.

Determinism: every row is a pure function of the shop slug, the row's index and the shop's
creation time (the "anchor" that "the last 12 months" count back from). The keys that identify
a row (a buyer's phone, an order's channel and external id) come from the index alone, so a
chunk is checked for existence before anything else is generated, and a run with more
``--buyers/--orders`` recognises every earlier row. Everything else comes from one
``random.Random`` per row, seeded from the chunk's generator: skipping an existing row shifts
nothing.

Speed: rows are built as tuples and written with ``RowWriter`` (one executemany per table and
chunk, a transaction per chunk); reviews are triaged in memory before they are written.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from crm.models import Channel
from customers.demo import care, catalogue, parallel, people, texts
from customers.demo.writer import DateTimeAdapter, RowWriter, db_date, db_json, pk_reserve
from customers.models import (
    Buyer,
    BuyerHandle,
    Courier,
    Interaction,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from customers.phones import normalize_phone
from followups.models import FollowUp
from reviews.models import Review

try:  # the triage engine (reviews.triage.triage) may not exist in every checkout
    from reviews.triage import triage as _triage_review
except ImportError:  # pragma: no cover - depends on the checkout
    _triage_review = None

Progress = Callable[[str], None]

_M64 = (1 << 64) - 1

_COURIERS = {
    Channel.SHOPEE: {
        Courier.SPX: 40,
        Courier.JNT: 20,
        Courier.JNE: 12,
        Courier.SICEPAT: 10,
        Courier.ANTERAJA: 6,
        Courier.NINJA: 6,
        Courier.GOSEND: 3,
        Courier.POS: 3,
    },
    Channel.TOKOPEDIA: {
        Courier.JNE: 22,
        Courier.JNT: 20,
        Courier.SICEPAT: 18,
        Courier.ANTERAJA: 12,
        Courier.GOSEND: 8,
        Courier.GRAB: 6,
        Courier.NINJA: 8,
        Courier.POS: 6,
    },
    Channel.WHATSAPP: {
        Courier.JNE: 30,
        Courier.JNT: 25,
        Courier.SICEPAT: 15,
        Courier.POS: 10,
        Courier.GOSEND: 12,
        Courier.ANTERAJA: 8,
    },
}
_COURIER_LISTS = {channel: (list(c), list(c.values())) for channel, c in _COURIERS.items()}
_COURIER_NAMES = dict(Courier.choices)
_INSTANT = {Courier.GOSEND, Courier.GRAB}
TRIAGE_CACHE_MAX = 300_000
_LATE_SHARE = 0.105  # about one delivery in ten arrives after the promised date
# Shoppers buy in the evening and at lunch.
_HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 7, 9, 8, 6, 6, 6, 6, 8, 11, 13, 13, 10, 5]

BUYER_FIELDS = [
    "shop",
    "name",
    "phone",
    "email",
    "birthday",
    "notes",
    "marketing_consent",
    "opted_out_at",
]
ORDER_FIELDS = [
    "shop",
    "buyer",
    "channel",
    "external_id",
    "status",
    "ordered_at",
    "shipped_at",
    "promised_at",
    "delivered_at",
    "courier",
    "tracking_number",
    "total",
]
LINE_FIELDS = ["order", "product", "name", "quantity", "unit_price"]
INTERACTION_FIELDS = ["shop", "buyer", "order", "kind", "channel", "text", "occurred_at", "author"]
REVIEW_FIELDS = [
    "shop",
    "order",
    "channel",
    "external_id",
    "rating",
    "text",
    "posted_at",
    "topics",
    "sentiment",
    "needs_care",
    "priority",
    "action",
    "triaged_at",
    "reply_status",
    "reply_text",
    "replied_at",
]


def _mix(value: int) -> int:
    """splitmix64: a fast, well-spread hash of an integer (for index-derived keys)."""
    value = (value + 0x9E3779B97F4A7C15) & _M64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _M64
    return value ^ (value >> 31)


def _unit(salt: int, index: int, stream: int) -> float:
    """A uniform number in [0, 1) that depends only on (salt, index, stream)."""
    return _mix(salt ^ (index << 8) ^ stream) / 2**64


def _weighted_index(weights: list[int], unit: float) -> int:
    """The index a uniform ``unit`` in [0, 1) falls on, with the given weights."""
    target = unit * sum(weights)
    for index, weight in enumerate(weights):
        target -= weight
        if target < 0:
            return index
    return len(weights) - 1


def _pick(unit: float, table: list[tuple[float, str, int]]) -> tuple[str, int]:
    for threshold, kind, rating in table:
        if unit < threshold:
            return kind, rating
    return table[-1][1], table[-1][2]


def _tracking(rng: random.Random, courier: str, day: date) -> str:
    digits = rng.randrange
    if courier == Courier.JNE:
        return f"01{digits(10**13, 10**14):014d}"
    if courier == Courier.JNT:
        return f"JP{digits(10**9, 10**10):010d}"
    if courier == Courier.SICEPAT:
        return f"0040{digits(10**7, 10**8):08d}"
    if courier == Courier.ANTERAJA:
        return f"1000{digits(10**9, 10**10):010d}"
    if courier == Courier.NINJA:
        return f"NLIDAP{digits(10**7, 10**8):08d}"
    if courier == Courier.POS:
        return f"P{day:%y%m%d}{digits(10**5, 10**6):06d}"
    if courier == Courier.SPX:
        return f"SPXID0{digits(10**10, 10**11):011d}"
    if courier == Courier.GOSEND:
        return f"GK-11-{digits(10**6, 10**7):07d}"
    return f"IN-{digits(10**7, 10**8):08d}"


@dataclass(frozen=True)
class _Skeleton:
    """What identifies order ``index``: computed from the index alone, without any RNG."""

    index: int
    buyer: int
    channel: str
    ordered_at: datetime
    external_id: str


@dataclass
class _ChunkRows:
    """A chunk of new orders and what belongs to them, as complete rows for RowWriter."""

    stop: int
    orders: list[tuple]
    lines: list[tuple]
    reviews: list[tuple]
    interactions: list[tuple]
    followups: list[tuple]
    triaged: int


@dataclass
class _Order:
    """An order about to be written, with what its lines, review and chats need."""

    skeleton: _Skeleton
    rng: random.Random
    buyer_pk: int
    buyer_name: str
    status: str
    shipped_at: datetime | None
    promised_at: datetime | None
    delivered_at: datetime | None
    courier: str
    tracking: str
    items: list[tuple[int, int]]
    total: int
    delay: int
    pk: int = 0

    def row(self, shop_id: int, db_datetime: DateTimeAdapter) -> tuple[Any, ...]:
        s = self.skeleton
        return (
            shop_id,
            self.buyer_pk,
            s.channel,
            s.external_id,
            self.status,
            db_datetime(s.ordered_at),
            db_datetime(self.shipped_at),
            db_datetime(self.promised_at),
            db_datetime(self.delivered_at),
            self.courier,
            self.tracking,
            self.total,
        )


class Seeder:
    def __init__(self, *, shop: Shop, owner: AbstractBaseUser, chunk_size: int, say: Progress):
        self.shop = shop
        self.owner = owner
        self.chunk_size = max(100, chunk_size)
        self.say = say
        self.salt = int(hashlib.sha256(shop.slug.encode()).hexdigest()[:12], 16)
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        # "The last 12 months" count back from the moment the shop was first seeded.
        self.anchor = timezone.localtime(shop.created_at, self.tz)
        self.dt = DateTimeAdapter(self.tz, self.anchor)
        self.double_days = [
            day
            for year in (self.anchor.year - 1, self.anchor.year)
            for month in range(1, 13)
            if timedelta(days=2)
            <= self.anchor.date() - (day := date(year, month, month))
            <= timedelta(days=364)
        ]
        self.items = catalogue.CATALOGUE
        self.products: list[int | None] = []
        self.tags: dict[str, int] = {}
        self._by_channel: tuple[int, dict[str, list[int]]] | None = None
        self._json_cache: dict[tuple[str, ...], Any] = {}
        self._topics: dict[Any, tuple[str, ...]] = {}
        self._triage_cache: dict[tuple[int, str, int], tuple[Any, ...]] = {}
        self.triaged = 0

    # -- products and tags ------------------------------------------------------------------

    def products_ensure(self) -> int:
        existing = set(Product.objects.for_shop(self.shop).values_list("sku", flat=True))
        missing = [
            Product(
                shop=self.shop,
                sku=item.sku,
                name=item.name,
                category=item.category,
                price=item.price,
                stock=item.stock,
                restock_eta=(
                    self.anchor.date() + timedelta(days=item.restock_days)
                    if item.restock_days
                    else None
                ),
            )
            for item in self.items
            if item.sku not in existing
        ]
        Product.objects.bulk_create(missing)
        by_sku = dict(Product.objects.for_shop(self.shop).values_list("sku", "pk"))
        self.products = [by_sku.get(item.sku) for item in self.items]
        return len(missing)

    def tags_ensure(self) -> int:
        existing = {
            name.lower() for name in Tag.objects.for_shop(self.shop).values_list("name", flat=True)
        }
        missing = [
            Tag(shop=self.shop, name=name)
            for name in catalogue.TAGS
            if name.lower() not in existing
        ]
        Tag.objects.bulk_create(missing)
        self.tags = {
            name.lower(): pk
            for pk, name in Tag.objects.for_shop(self.shop).values_list("pk", "name")
        }
        return len(missing)

    # -- buyers ------------------------------------------------------------------------------

    def phone(self, index: int) -> str:
        return "+62" + people.phone_digits(index, self.salt)

    def buyer_channel(self, index: int) -> str:
        """Where buyer ``index`` usually shops; also the channel of order ``index``."""
        roll = _unit(self.salt, index, 1)
        if roll < 0.52:
            return Channel.SHOPEE
        if roll < 0.84:
            return Channel.TOKOPEDIA
        return Channel.WHATSAPP

    def _buyers_by_channel(self, buyer_count: int) -> dict[str, list[int]]:
        if self._by_channel is None or self._by_channel[0] != buyer_count:
            groups: dict[str, list[int]] = {
                Channel.SHOPEE: [],
                Channel.TOKOPEDIA: [],
                Channel.WHATSAPP: [],
            }
            for index in range(buyer_count):
                groups[self.buyer_channel(index)].append(index)
            self._by_channel = (buyer_count, groups)
        return self._by_channel[1]

    def buyers_ensure(self, count: int) -> dict[str, int]:
        created = {"buyers": 0, "handles": 0, "buyer_tags": 0, "buyer_notes": 0}
        writers = {
            "buyers": RowWriter(Buyer, BUYER_FIELDS, self.now),
            "handles": RowWriter(BuyerHandle, ["shop", "buyer", "channel", "handle"], self.now),
            "buyer_tags": RowWriter(Buyer.tags.through, ["buyer", "tag"], self.now),
            "buyer_notes": RowWriter(Interaction, INTERACTION_FIELDS, self.now),
        }
        for start in range(0, count, self.chunk_size):
            indexes = range(start, min(count, start + self.chunk_size))
            phones = [self.phone(index) for index in indexes]
            existing = set(
                Buyer.objects.for_shop(self.shop)
                .filter(phone__in=phones)
                .order_by()  # no ORDER BY: let the (shop, phone) index answer
                .values_list("phone", flat=True)
            )
            if len(existing) == len(phones):
                continue
            rng = random.Random(f"{self.shop.slug}:buyers:{start // self.chunk_size}")
            with transaction.atomic():
                counts = self._buyers_chunk(rng, indexes, existing, writers)
            for key, value in counts.items():
                created[key] += value
            self.say(f"buyers {indexes.stop:,}/{count:,}")
        return created

    def _buyers_chunk(
        self,
        rng: random.Random,
        indexes: range,
        existing: set[str],
        writers: dict[str, RowWriter],
    ) -> dict[str, int]:
        shop_id = self.shop.pk
        anchor_day = self.anchor.date()
        rows = []
        extras = []
        for index in indexes:
            # One RNG per buyer, seeded from the chunk's: skipping a buyer shifts nothing.
            rng_buyer = random.Random(rng.getrandbits(64))
            if self.phone(index) in existing:
                continue
            person = people.person_make(rng_buyer)
            digits = people.phone_digits(index, self.salt)
            # Typed the way sellers receive numbers; normalised as Buyer.save() would.
            phone = normalize_phone(people.phone_raw(rng_buyer, digits))
            email = ""
            if rng_buyer.random() < 0.4:
                email = people.email_make(rng_buyer, person, index + 7)
            birthday = None
            if rng_buyer.random() < 0.35:
                birthday = date(
                    rng_buyer.randint(1968, 2006),
                    rng_buyer.randint(1, 12),
                    rng_buyer.randint(1, 28),
                )
            opted_out_at = None
            consent = rng_buyer.random() < 0.65
            if rng_buyer.random() < 0.03:
                consent = False
                opted_out_at = self._at(
                    anchor_day - timedelta(days=rng_buyer.randint(1, 200)), rng_buyer
                )
            notes = texts.note_buyer(rng_buyer) if rng_buyer.random() < 0.05 else ""
            handles = self._handles(rng_buyer, person, index)
            tags = self._buyer_tags(rng_buyer, person)
            note = texts.note_buyer(rng_buyer) if rng_buyer.random() < 0.06 else ""
            noted_at = self._at(anchor_day - timedelta(days=rng_buyer.randint(1, 300)), rng_buyer)
            rows.append(
                (
                    shop_id,
                    person.name,
                    phone,
                    email,
                    db_date(birthday),
                    notes,
                    consent,
                    self.dt(opted_out_at),
                )
            )
            extras.append((phone, handles, tags, note, noted_at))
        writers["buyers"].write(rows)
        pks = dict(
            Buyer.objects.for_shop(self.shop)
            .filter(phone__in=[extra[0] for extra in extras])
            .order_by()
            .values_list("phone", "pk")
        )
        handles_rows, tag_rows, note_rows = [], [], []
        for phone, handles, tags, note, noted_at in extras:
            buyer_pk = pks[phone]
            handles_rows.extend((shop_id, buyer_pk, channel, handle) for channel, handle in handles)
            tag_rows.extend((buyer_pk, self.tags[name.lower()]) for name in tags)
            if note:
                note_rows.append(
                    (
                        shop_id,
                        buyer_pk,
                        None,
                        Interaction.Kind.NOTE,
                        "",
                        note,
                        self.dt(noted_at),
                        self.owner.pk,
                    )
                )
        return {
            "buyers": len(rows),
            "handles": writers["handles"].write(handles_rows),
            "buyer_tags": writers["buyer_tags"].write(tag_rows),
            "buyer_notes": writers["buyer_notes"].write(note_rows),
        }

    def _handles(
        self, rng: random.Random, person: people.Person, index: int
    ) -> list[tuple[str, str]]:
        number = index + 7
        channel = self.buyer_channel(index)
        handles = []
        if channel in (Channel.SHOPEE, Channel.TOKOPEDIA):
            handles.append((channel, people.handle_make(rng, person, number)))
            other = Channel.TOKOPEDIA if channel == Channel.SHOPEE else Channel.SHOPEE
            if rng.random() < 0.25:
                handles.append((other, people.handle_make(rng, person, number)))
        if rng.random() < (0.5 if channel == Channel.WHATSAPP else 0.18):
            handles.append((Channel.INSTAGRAM, people.handle_make(rng, person, number)))
        return handles

    def _buyer_tags(self, rng: random.Random, person: people.Person) -> list[str]:
        tags = []
        if person.group == "sundanese" and rng.random() < 0.5:
            tags.append("Bandung")
        outside_java = {"batak", "minang", "bugis_makassar", "manado", "balinese"}
        if person.group in outside_java and rng.random() < 0.7:
            tags.append("Luar Jawa")
        for name, share in (
            ("Suka diskon", 0.12),
            ("Reseller", 0.04),
            ("Dropshipper", 0.03),
            ("VIP", 0.03),
            ("Langganan", 0.10),
        ):
            if rng.random() < share:
                tags.append(name)
        return tags

    # -- orders ------------------------------------------------------------------------------

    def _skeleton(self, index: int, buyer_count: int) -> _Skeleton:
        """Order ``index``'s identity. Channel, date and external id depend on the index only,
        never on the number of buyers, so a larger top-up run recognises every earlier order."""
        salt = self.salt
        # Order i < buyer count is buyer i's first order, on the channel buyer i prefers
        # (the same function of i), so every buyer has ordered at least once.
        channel = self.buyer_channel(index)
        if index < buyer_count:
            buyer = index
        else:
            # Most repeat orders come from buyers who prefer this channel; the first 15% of
            # them are loyal customers who come back again and again.
            pool: list[int] | range = self._buyers_by_channel(buyer_count)[channel]
            if not pool or _unit(salt, index, 4) >= 0.8:
                pool = range(buyer_count)
            if _unit(salt, index, 2) < 0.4:
                pool = pool[: max(1, len(pool) * 15 // 100)]
            buyer = pool[int(_unit(salt, index, 3) * len(pool))]
        if self.double_days and _unit(salt, index, 6) < 0.08:
            # Harbolnas (9.9, 10.10, 11.11, 12.12 ...) bring a rush of orders.
            day = self.double_days[int(_unit(salt, index, 7) * len(self.double_days))]
        else:
            # More orders recently: a shop that grew over the year.
            age = 364 * (1 - math.sqrt(_unit(salt, index, 7)))
            day = self.anchor.date() - timedelta(days=int(age))
        hour = _weighted_index(_HOUR_WEIGHTS, _unit(salt, index, 8))
        seconds = int(_unit(salt, index, 9) * 3600)
        ordered_at = datetime.combine(day, time(hour), self.tz) + timedelta(seconds=seconds)
        if ordered_at > self.anchor:
            ordered_at -= timedelta(days=1)
        if channel == Channel.SHOPEE:
            code = people.base36(people.scrambled(index, 36**8, salt % 36**8), 8)
            external_id = f"{ordered_at:%y%m%d}{code}"
        elif channel == Channel.TOKOPEDIA:
            code = people.scrambled(index, 10**10, salt % 10**10)
            external_id = f"INV/{ordered_at:%Y%m%d}/MPL/{code:010d}"
        else:
            external_id = f"WA-{ordered_at:%y%m}-{index + 1:05d}"
        return _Skeleton(index, buyer, channel, ordered_at, external_id)

    def orders_ensure(self, count: int, buyer_count: int, jobs: int = 1) -> dict[str, int]:
        """Orders ``0 .. count - 1`` with their lines, reviews, timeline entries and follow-ups.

        Chunks without any existing order (all of a first run's) are made in ``jobs`` worker
        processes with ids reserved up front, and written here in chunk order. A chunk that
        already holds some orders (an earlier, smaller run ended inside it) is completed by
        ``_orders_chunk``, which reads the ids back. Both give the same rows but for their ids.
        """
        created = {"orders": 0, "lines": 0, "reviews": 0, "interactions": 0, "followups": 0}
        if not count:
            return created
        rows = (
            Buyer.objects.for_shop(self.shop)
            .order_by()
            .values_list("phone", "pk", "name", "email", "opted_out_at")
        )
        by_phone = {
            phone: (pk, name, email, phone, opted_out is not None)
            for phone, pk, name, email, opted_out in rows
        }
        self.buyers = [by_phone.get(self.phone(index)) for index in range(buyer_count)]
        del by_phone, rows
        self._buyers_by_channel(buyer_count)  # once, before the workers inherit it
        writers = {
            "orders": RowWriter(Order, ORDER_FIELDS, self.now),
            "lines": RowWriter(OrderLine, LINE_FIELDS, self.now),
            "reviews": RowWriter(Review, REVIEW_FIELDS, self.now),
            "interactions": RowWriter(Interaction, INTERACTION_FIELDS, self.now),
            "followups": RowWriter(FollowUp, care.FOLLOWUP_FIELDS, self.now),
        }
        self.care = care.CareHistory(
            shop_id=self.shop.pk, shop_name=self.shop.name, anchor=self.anchor, dt=self.dt
        )
        # A shop without orders (a first run) has nothing to recognise: no lookups per chunk.
        fresh = not Order.objects.for_shop(self.shop).exists()
        new_starts = []
        for start in range(0, count, self.chunk_size):
            if fresh:
                new_starts.append(start)
                continue
            skeletons = self._skeletons(start, count, buyer_count)
            existing = set(self._order_pks(skeletons))
            if not existing:
                new_starts.append(start)
                continue
            if len(existing) == len(skeletons):
                continue
            with transaction.atomic():
                counts = self._orders_chunk(self._chunk_rng(start), skeletons, existing, writers)
            for key, value in counts.items():
                created[key] += value
            self.say(f"orders {skeletons[-1].index + 1:,}/{count:,}")
        if new_starts:
            self._orders_new(new_starts, count, buyer_count, jobs, writers, created)
        return created

    def _orders_new(
        self,
        starts: list[int],
        count: int,
        buyer_count: int,
        jobs: int,
        writers: dict[str, RowWriter],
        created: dict[str, int],
    ) -> None:
        """The chunks beginning at ``starts``, none of whose orders exist yet."""
        # Order i gets id order_base + i and its review (if any) review_base + i: gaps where
        # an order or a review is not made, never a clash, and nothing to read back.
        first, stop = starts[0], min(count, starts[-1] + self.chunk_size)
        order_base = pk_reserve(Order, stop - first) - first
        review_base = pk_reserve(Review, stop - first) - first
        with_ids = {
            "orders": RowWriter(Order, ["id", *ORDER_FIELDS], self.now),
            "reviews": RowWriter(Review, ["id", *REVIEW_FIELDS], self.now),
        }
        self._new_chunk_args = (count, buyer_count, order_base, review_base, writers, with_ids)
        for chunk in parallel.ordered_map(self._new_chunk, starts, jobs=jobs):
            with transaction.atomic():
                counts = {
                    "orders": with_ids["orders"].write_complete(chunk.orders),
                    "lines": writers["lines"].write_complete(chunk.lines),
                    "reviews": with_ids["reviews"].write_complete(chunk.reviews),
                    "interactions": writers["interactions"].write_complete(chunk.interactions),
                    "followups": writers["followups"].write_complete(chunk.followups),
                }
            for key, value in counts.items():
                created[key] += value
            self.triaged += chunk.triaged
            self.say(f"orders {chunk.stop:,}/{count:,}")

    def _new_chunk(self, start: int) -> _ChunkRows:
        """The rows of the chunk at ``start``, ready to write; runs in a worker process."""
        count, buyer_count, order_base, review_base, writers, with_ids = self._new_chunk_args
        triaged = self.triaged
        skeletons = self._skeletons(start, count, buyer_count)
        orders = self._orders_make(self._chunk_rng(start), skeletons, set())
        for order in orders:
            order.pk = order_base + order.skeleton.index
        shop_id = self.shop.pk
        order_rows = [(order.pk, *order.row(shop_id, self.dt)) for order in orders]
        lines, reviews, interactions, reviewed = self._dependents(orders)
        review_pks = {}
        for order, review in zip(orders, reviews, strict=True):
            if review is not None:
                review_pks[order.pk] = review_base + order.skeleton.index
        review_rows = [
            (review_pks[order.pk], *review)
            for order, review in zip(orders, reviews, strict=True)
            if review is not None
        ]
        followups = self._followup_rows(orders, reviewed, review_pks)
        # The caller adds the chunk's count, whether it ran here or in a worker process.
        triaged, self.triaged = self.triaged - triaged, triaged
        return _ChunkRows(
            stop=skeletons[-1].index + 1,
            orders=with_ids["orders"].complete(order_rows),
            lines=writers["lines"].complete(lines),
            reviews=with_ids["reviews"].complete(review_rows),
            interactions=writers["interactions"].complete(interactions),
            followups=writers["followups"].complete(followups),
            triaged=triaged,
        )

    def _chunk_rng(self, start: int) -> random.Random:
        return random.Random(f"{self.shop.slug}:orders:{start // self.chunk_size}")

    def _skeletons(self, start: int, count: int, buyer_count: int) -> list[_Skeleton]:
        stop = min(count, start + self.chunk_size)
        return [self._skeleton(index, buyer_count) for index in range(start, stop)]

    def _order_pks(self, skeletons: list[_Skeleton]) -> dict[tuple[str, str], int]:
        """Existing orders among the skeletons, by (channel, external id).

        One query per channel, so each uses the (shop, channel, external_id) unique index.
        """
        by_channel: dict[str, list[str]] = {}
        for skeleton in skeletons:
            by_channel.setdefault(skeleton.channel, []).append(skeleton.external_id)
        found = {}
        for channel, external_ids in by_channel.items():
            rows = (
                Order.objects.for_shop(self.shop)
                .filter(channel=channel, external_id__in=external_ids)
                .order_by()  # the Meta ordering would make SQLite walk the date index instead
                .values_list("external_id", "pk")
            )
            found.update(((channel, external_id), pk) for external_id, pk in rows)
        return found

    def _at(self, day: date, rng: random.Random, start: int = 9, end: int = 20) -> datetime:
        moment = datetime.combine(day, time(rng.randint(start, end), rng.randrange(60)), self.tz)
        return min(moment, self.anchor)

    def _orders_make(
        self, rng: random.Random, skeletons: list[_Skeleton], existing: set[tuple[str, str]]
    ) -> list[_Order]:
        orders: list[_Order] = []
        for skeleton in skeletons:
            # One RNG per order, seeded from the chunk's: skipping an existing order (a top-up
            # run) leaves every other order exactly as a fresh run would make it.
            rng_order = random.Random(rng.getrandbits(64))
            if (skeleton.channel, skeleton.external_id) in existing:
                continue
            order = self._order_make(rng_order, skeleton)
            if order is not None:
                orders.append(order)
        return orders

    def _dependents(
        self, orders: list[_Order]
    ) -> tuple[list[tuple], list[tuple | None], list[tuple], dict[int, tuple]]:
        """Lines, reviews (None for an order without one, else a row without its id), timeline
        entries, and (rating, topics, needs care) by order id of the orders (with their ids)."""
        lines, reviews, interactions = [], [], []
        reviewed: dict[int, tuple] = {}
        for order in orders:
            for item_index, quantity in order.items:
                item = self.items[item_index]
                lines.append((order.pk, self.products[item_index], item.name, quantity, item.price))
            main = self.items[order.items[0][0]]
            review = self._review_row(order, main)
            reviews.append(review)
            if review is not None:
                # (rating, topics, needs care) for the care message.
                reviewed[order.pk] = (review[4], self._topics[review[7]], review[9])
            interactions.extend(self._interaction_rows(order, main))
        return lines, reviews, interactions, reviewed

    def _orders_chunk(
        self,
        rng: random.Random,
        skeletons: list[_Skeleton],
        existing: set[tuple[str, str]],
        writers: dict[str, RowWriter],
    ) -> dict[str, int]:
        shop_id = self.shop.pk
        orders = self._orders_make(rng, skeletons, existing)
        before = Order.objects.aggregate(m=Max("pk"))["m"] or 0
        writers["orders"].write(order.row(shop_id, self.dt) for order in orders)
        # The new ids: one range read on the primary key, not a lookup per external id.
        pks = {
            (channel, external_id): pk
            for pk, channel, external_id in Order.objects.filter(shop=self.shop, pk__gt=before)
            .order_by()
            .values_list("pk", "channel", "external_id")
        }
        for order in orders:
            order.pk = pks[order.skeleton.channel, order.skeleton.external_id]
        lines, reviews, interactions, reviewed = self._dependents(orders)
        counts = {
            "orders": len(orders),
            "lines": writers["lines"].write(lines),
            "reviews": writers["reviews"].write(review for review in reviews if review),
            "interactions": writers["interactions"].write(interactions),
        }
        # The ids of the reviews that get a care message.
        since = self.care.since
        cared = [pk for pk, review in reviewed.items() if review[2]]
        review_pks = dict(
            Review.objects.filter(order_id__in=cared).order_by().values_list("order_id", "pk")
            if any(o.delivered_at and o.delivered_at >= since for o in orders)
            else ()
        )
        counts["followups"] = writers["followups"].write(
            self._followup_rows(orders, reviewed, review_pks)
        )
        return counts

    def _followup_rows(
        self, orders: list[_Order], reviewed: dict[int, tuple], review_pks: dict[int, int]
    ) -> list[tuple]:
        """The care history of the chunk's orders (customers.demo.care)."""
        since = self.care.since
        rows: list[tuple] = []
        for order in orders:
            if order.delivered_at is None or order.delivered_at < since:
                continue
            rows.extend(
                self.care.rows(
                    rng=order.rng,
                    order=order,
                    buyer=self.buyers[order.skeleton.buyer],
                    product=self.items[order.items[0][0]].name,
                    courier=_COURIER_NAMES.get(order.courier, ""),
                    review=reviewed.get(order.pk),
                    review_pk=review_pks.get(order.pk),
                )
            )
        return rows

    def _order_make(self, rng: random.Random, skeleton: _Skeleton) -> _Order | None:
        """The order for a skeleton; None if its buyer was deleted since the first run."""
        item_count = 1 + _weighted_index([65, 25, 10], rng.random())
        items = []
        for _line in range(item_count):
            item_index = min(len(self.items) - 1, int(len(self.items) * rng.random() ** 1.7))
            quantity = 1 + _weighted_index([80, 15, 5], rng.random())
            items.append((item_index, quantity))
        total = sum(self.items[i].price * quantity for i, quantity in items)

        couriers, weights = _COURIER_LISTS[skeleton.channel]
        courier = rng.choices(couriers, weights=weights)[0]
        ordered_at = skeleton.ordered_at
        instant = courier in _INSTANT
        ship_delay = 0 if instant else _weighted_index([30, 55, 15], rng.random())
        eta = 0 if instant else 2 + _weighted_index([35, 35, 20, 10], rng.random())
        ship_day = ordered_at.date() + timedelta(days=ship_delay)
        shipped_at = max(
            ordered_at + timedelta(minutes=30),
            datetime.combine(ship_day, time(rng.randint(13, 18), rng.randrange(60)), self.tz),
        )
        promised_at = datetime.combine(ship_day + timedelta(days=eta), time(23, 59), self.tz)
        if rng.random() < _LATE_SHARE:
            days_late = 1 + _weighted_index([35, 25, 18, 12, 10], rng.random())
            delivered_day = promised_at.date() + timedelta(days=days_late)
        else:
            delivered_day = ship_day + timedelta(days=rng.randint(min(1, eta), eta))
        delivered_at: datetime | None = datetime.combine(
            delivered_day, time(rng.randint(9, 20), rng.randrange(60)), self.tz
        )
        if delivered_at <= shipped_at:
            delivered_at = shipped_at + timedelta(hours=2)
        tracking = _tracking(rng, courier, ship_day)
        fate = rng.random()

        status = Order.Status.COMPLETED
        if fate < 0.04:
            status = Order.Status.CANCELLED
            shipped_at = delivered_at = None
            courier, tracking = "", ""
        elif shipped_at > self.anchor:
            status = Order.Status.PAID
            shipped_at = delivered_at = None
            tracking = ""
        elif delivered_at > self.anchor:
            status = Order.Status.SHIPPED
            delivered_at = None
        elif fate < 0.065:
            status = Order.Status.RETURNED
        elif self.anchor - delivered_at < timedelta(days=2):
            status = Order.Status.DELIVERED
        buyer = self.buyers[skeleton.buyer] if skeleton.buyer < len(self.buyers) else None
        if buyer is None:
            return None
        # As Order.delay_days computes it: Jakarta dates (all times here are Jakarta times).
        delay = max((delivered_at.date() - promised_at.date()).days, 0) if delivered_at else 0
        return _Order(
            skeleton=skeleton,
            rng=rng,
            buyer_pk=buyer[0],
            buyer_name=buyer[1],
            status=status,
            shipped_at=shipped_at,
            promised_at=promised_at,
            delivered_at=delivered_at,
            courier=courier,
            tracking=tracking,
            items=items,
            total=total,
            delay=delay,
        )

    def _review_row(self, order: _Order, item: catalogue.CatalogueItem) -> tuple | None:
        rng = order.rng
        roll, kind_roll = rng.random(), rng.random()
        if order.status not in (Order.Status.COMPLETED, Order.Status.RETURNED):
            return None
        channel = order.skeleton.channel
        share = 0.06 if channel == Channel.WHATSAPP else 0.55
        if order.status == Order.Status.RETURNED:
            share = 0.85
        if roll >= share:
            return None
        if order.status == Order.Status.RETURNED:
            kind = self._complaint_kind(rng, item)
            rating = 1 if kind_roll < 0.6 else 2
        elif order.delay:
            kind, rating = _pick(
                kind_roll,
                [
                    (0.45, texts.LATE_ONLY, 4),
                    (0.60, texts.LATE_ANGRY, 3),
                    (0.66, texts.LATE_ANGRY, 2),
                    (0.92, texts.PRAISE, 5),
                    (1.00, texts.EMPTY, 5),
                ],
            )
        else:
            kind, rating = _pick(
                kind_roll,
                [
                    (0.58, texts.PRAISE, 5),
                    (0.66, texts.EMPTY, 5),
                    (0.76, texts.PRAISE, 4),
                    (0.84, texts.PRAISE_NIT, 4),
                    (0.90, "complaint", 3),
                    (0.94, "complaint", 2),
                    (1.00, "complaint", 1),
                ],
            )
            if kind == "complaint":
                kind = self._complaint_kind(rng, item)
        text = texts.review_text(
            rng,
            kind=kind,
            product_name=item.name,
            category=item.category,
            colour=item.colour,
            sized=item.sized,
            delay_days=order.delay,
            courier=_COURIER_NAMES.get(order.courier, ""),
        )
        posted_at = order.delivered_at + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 12))
        if posted_at > self.anchor:
            return None
        reply_status, reply, replied_at = Review.ReplyStatus.NONE, "", None
        if self.anchor - posted_at > timedelta(days=7) and rng.random() < 0.5:
            reply_status = Review.ReplyStatus.SENT
            reply = texts.reply_text(
                rng, positive=rating >= 4, name=order.buyer_name, shop=self.shop.name
            )
            replied_at = posted_at + timedelta(hours=rng.randint(1, 40))
        triage = self._triage(rating, text, order.delay)
        return (
            self.shop.pk,
            order.pk,
            channel,
            f"R-{order.skeleton.external_id}"[:64],
            rating,
            text,
            self.dt(posted_at),
            *triage,
            reply_status,
            reply,
            self.dt(replied_at),
        )

    def _triage(self, rating: int, text: str, delay: int) -> tuple[Any, ...]:
        """Triage fields (topics .. triaged_at) from the engine, or empty if it is absent."""
        if _triage_review is None:
            return (self._json(()), "", False, 0, "", None)
        self.triaged += 1
        key = (rating, text, delay)
        found = self._triage_cache.get(key)
        if found is None:
            # A third of the composed texts repeat (same product, same words): the engine runs
            # once per distinct review. The cache is bounded: past it, every review is triaged.
            result = _triage_review(rating=rating, text=text, delay_days=delay)
            found = (
                self._json(tuple(result.topics)),
                result.sentiment,
                result.needs_care,
                result.priority,
                result.action,
                self.dt(self.now),
            )
            if len(self._triage_cache) < TRIAGE_CACHE_MAX:
                self._triage_cache[key] = found
        return found

    def _json(self, topics: tuple[str, ...]) -> Any:
        if topics not in self._json_cache:
            self._json_cache[topics] = value = db_json(list(topics))
            self._topics[value] = topics
        return self._json_cache[topics]

    def _complaint_kind(self, rng: random.Random, item: catalogue.CatalogueItem) -> str:
        if item.sized and rng.random() < 0.4:
            return texts.WRONG_SIZE
        return rng.choice([texts.DAMAGED, texts.WRONG_ITEM, texts.QUALITY])

    def _interaction_rows(self, order: _Order, item: catalogue.CatalogueItem) -> list[tuple]:
        rng = order.rng
        roll = rng.random()
        anchor = self.anchor
        shop_id, owner_id = self.shop.pk, self.owner.pk
        channel = order.skeleton.channel
        courier = _COURIER_NAMES.get(order.courier, "")
        rows: list[tuple] = []

        def entry(kind: str, text: str, at: datetime, *, by_owner: bool = False) -> None:
            if at <= anchor:
                rows.append(
                    (
                        shop_id,
                        order.buyer_pk,
                        order.pk,
                        kind,
                        "" if by_owner else channel,
                        text,
                        self.dt(at),
                        owner_id if by_owner else None,
                    )
                )

        overdue = order.delivered_at is None and order.shipped_at and order.promised_at < anchor
        if (order.delay or overdue) and roll < 0.35:
            entry(
                Interaction.Kind.CHAT,
                texts.chat_late(rng, tracking=order.tracking, courier=courier),
                order.promised_at + timedelta(hours=rng.randint(10, 30)),
            )
        if order.status == Order.Status.RETURNED:
            asked = order.delivered_at + timedelta(hours=rng.randint(3, 30))
            entry(Interaction.Kind.CHAT, texts.chat_return(rng), asked)
            entry(
                Interaction.Kind.NOTE,
                texts.return_note(rng, courier=courier or "JNE"),
                asked + timedelta(hours=2),
                by_owner=True,
            )
        if channel == Channel.WHATSAPP and roll < 0.3:
            entry(
                Interaction.Kind.CHAT,
                texts.chat_before(rng, product_name=item.name),
                order.skeleton.ordered_at - timedelta(minutes=rng.randint(20, 240)),
            )
        if 0.5 < roll < 0.52:
            entry(
                Interaction.Kind.NOTE,
                texts.note_order(rng),
                order.skeleton.ordered_at + timedelta(hours=1),
                by_owner=True,
            )
        if 0.6 < roll < 0.61 and order.shipped_at:
            entry(
                Interaction.Kind.CALL,
                texts.call_note(rng),
                order.shipped_at + timedelta(hours=20),
                by_owner=True,
            )
        return rows
