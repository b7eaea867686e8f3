"""Planning: turn orders, reviews, calendars and buyer histories into FollowUp rows.

Every planner is idempotent: each message carries an occasion key that is unique per shop and
rows are written with ``bulk_create(ignore_conflicts=True)``, so running a planner twice (or two
planners at once) never makes a second message for an occasion. Planners read in chunks
(keyset pagination on the primary key, ``iterator()``) and never hold a whole shop in memory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connections, router, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.db.models.constants import OnConflict
from django.utils import timezone

from crm.models import MARKETPLACES
from customers.models import Buyer, BuyerHandle, Order, OrderLine, Product, Shop
from followups.messages import message_render
from followups.models import (
    SERVICE_KINDS,
    BuyerTier,
    CareSettings,
    CourierSlowdown,
    FollowUp,
    Kind,
    MembershipTier,
    SkipReason,
)
from followups.occasions import harbolnas_on, holidays_on
from followups.services.common import (
    Route,
    care_settings_get,
    channel_pick,
    day_text,
    order_facts,
    tone_check_rendered,
)
from followups.services.templates import followup_texts_get
from followups.texts import ShopTexts
from reviews.models import Review

CHUNK = 2000
# How far back planners look: an occasion older than this is not worth a message any more.
ORDER_LOOKBACK = datetime.timedelta(days=7)
OVERDUE_LOOKBACK = datetime.timedelta(days=14)
REVIEW_LOOKBACK = datetime.timedelta(days=14)
SCHEDULED_GRACE = datetime.timedelta(days=3)
LOYALTY_HOUR = 8  # Loyalty touches are due at 08:00 on the shop's clock.
CLOSED = (Order.Status.CANCELLED, Order.Status.RETURNED)


@dataclass
class PlanResult:
    planned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Filled by restock_notify: buyer id -> that buyer's FollowUp for the occasion.
    followups: dict[int, FollowUp] = field(default_factory=dict)

    def add(self, other: PlanResult) -> None:
        for kind, n in other.planned.items():
            self.planned[kind] += n
        for reason, n in other.skipped.items():
            self.skipped[reason] += n

    @property
    def total(self) -> int:
        return sum(self.planned.values()) + sum(self.skipped.values())


class _Writer:
    """Collects new follow-ups and writes them in batches; counts only rows really inserted."""

    def __init__(self, shop: Shop, result: PlanResult) -> None:
        self.shop = shop
        self.result = result
        # The shop's wording, read once per planner run.
        self.texts = followup_texts_get(shop=shop)
        self.pending: list[FollowUp] = []

    def add(self, followup: FollowUp) -> None:
        self.pending.append(followup)
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        keys = [f.idempotency_key for f in self.pending]
        existing = set(
            FollowUp.objects.filter(shop=self.shop, idempotency_key__in=keys).values_list(
                "idempotency_key", flat=True
            )
        )
        fresh = [f for f in self.pending if f.idempotency_key not in existing]
        rows_insert(FollowUp, fresh)
        for f in fresh:
            if f.status == FollowUp.Status.SKIPPED:
                self.result.skipped[f.skip_reason] += 1
            else:
                self.result.planned[f.kind] += 1
        self.pending = []


def rows_insert(model, objects: list, *, batch: int = 500) -> None:
    """INSERT the unsaved ``objects``, skipping rows that hit a unique constraint.

    What ``bulk_create(ignore_conflicts=True)`` does, without its per-field compiler overhead
    (planning writes up to a hundred thousand rows per run): each value is prepared once with the
    field's own ``get_db_prep_save`` and the rows go out with ``executemany``.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objects:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    on_conflict = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    sql = (
        f"{connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
        f"{connection.ops.quote_name(model._meta.db_table)} ({columns}) "
        f"VALUES ({placeholders}) {on_conflict}"
    )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                    for obj in objects[start : start + batch]
                ],
            )


def _new(
    *,
    shop: Shop,
    texts: ShopTexts,
    kind: str,
    key: str,
    buyer_id: int,
    route: Route,
    facts: dict[str, object],
    due_at: datetime.datetime,
    now: datetime.datetime,
    opted_out: bool = False,
    order_id: int | None = None,
    review_id: int | None = None,
    product_id: int | None = None,
    needs_approval: bool = False,
) -> FollowUp:
    rendered = message_render(kind=kind, facts=facts, texts=texts)
    followup = FollowUp(
        shop=shop,
        buyer_id=buyer_id,
        order_id=order_id,
        review_id=review_id,
        product_id=product_id,
        kind=kind,
        channel=route.via,
        marketplace=route.marketplace,
        recipient=route.recipient,
        due_at=due_at,
        subject=rendered.subject,
        text=rendered.text,
        facts={k: v for k, v in facts.items() if v is not None},
        idempotency_key=key,
        needs_approval=needs_approval,
    )
    if opted_out:
        followup.status, followup.skip_reason = FollowUp.Status.SKIPPED, SkipReason.OPTED_OUT
        return followup
    if route.via == FollowUp.Via.NONE:
        followup.status, followup.skip_reason = FollowUp.Status.SKIPPED, SkipReason.NO_CHANNEL
        return followup
    verdict = tone_check_rendered(
        template=rendered.template, facts=facts, text=followup.text, channel=route.via
    )
    followup.tone_verdict = verdict.verdict
    followup.tone_findings = verdict.findings
    if verdict.hostile:
        followup.needs_approval = True
    if followup.needs_approval:
        followup.status = FollowUp.Status.HELD
    elif kind in SERVICE_KINDS and due_at <= now:
        # A message about an order that is due now (a late-delivery apology) goes straight to
        # the outbox: the marketing guardrails do not apply to it and opt-out was checked above.
        followup.status = FollowUp.Status.DUE
    else:
        # Marketing touches and later messages start planned: the sender's promotion step
        # applies consent, the weekly cap and quiet hours at the moment they are due.
        followup.status = FollowUp.Status.PLANNED
    return followup


def _keyset(queryset, *, chunk: int = CHUNK) -> Iterator[list]:
    """Rows of ``queryset`` in primary-key chunks, each chunk one query."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:chunk])
        if not rows:
            return
        yield rows
        last = rows[-1].pk if hasattr(rows[-1], "pk") else rows[-1]["pk"]


def _first_products(order_ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for order_id, name, product_name in (
        OrderLine.objects.filter(order_id__in=list(order_ids))
        .order_by("order_id", "pk")
        .values_list("order_id", "name", "product__name")
    ):
        names.setdefault(order_id, name or product_name or "")
    return names


def _handles(buyer_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for buyer_id, channel, handle in BuyerHandle.objects.filter(
        buyer_id__in=list(buyer_ids), channel__in=MARKETPLACES
    ).values_list("buyer_id", "channel", "handle"):
        found[buyer_id].setdefault(channel, handle)
    return found


# What planning reads of an order and its buyer: fewer columns, faster rows.
_ORDER_FIELDS = (
    "shop_id",
    "buyer_id",
    "channel",
    "external_id",
    "status",
    "ordered_at",
    "shipped_at",
    "promised_at",
    "delivered_at",
    "courier",
    "tracking_number",
    "buyer__name",
    "buyer__email",
    "buyer__phone",
    "buyer__opted_out_at",
)


def _plan_orders(
    *,
    shop: Shop,
    settings: CareSettings,
    kind: str,
    orders,
    now: datetime.datetime,
    due_for,
    writer: _Writer,
    extra_facts=None,
    key_for=None,
    keep=None,
) -> None:
    """Plan one message of ``kind`` per order in ``orders`` (a queryset), in chunks."""
    orders = (
        orders.exclude(Exists(FollowUp.objects.filter(order=OuterRef("pk"), kind=kind)))
        .select_related("buyer")
        .only(*_ORDER_FIELDS)
    )
    for chunk in _keyset(orders):
        if keep is not None:
            chunk = [o for o in chunk if keep(o)]
        products = _first_products(o.pk for o in chunk)
        handles = _handles(o.buyer_id for o in chunk)
        for order in chunk:
            buyer = order.buyer
            facts = {
                "buyer_name": buyer.name,
                "shop_name": shop.name,
                **order_facts(order, product=products.get(order.pk, "")),
            }
            if extra_facts:
                facts.update(extra_facts(order))
            route = channel_pick(
                settings=settings,
                email=buyer.email,
                phone=buyer.phone,
                order_channel=order.channel,
                handles=handles.get(buyer.pk),
            )
            writer.add(
                _new(
                    shop=shop,
                    texts=writer.texts,
                    kind=kind,
                    key=key_for(order) if key_for else f"{kind}:{order.pk}",
                    buyer_id=buyer.pk,
                    route=route,
                    facts=facts,
                    due_at=due_for(order),
                    now=now,
                    opted_out=buyer.opted_out_at is not None,
                    order_id=order.pk,
                )
            )


def followups_plan_orders(*, shop: Shop, now: datetime.datetime | None = None) -> PlanResult:
    """Order and review rules: late apologies, delay notices, thank-yous, review requests, care."""
    now = now or timezone.now()
    settings = care_settings_get(shop=shop)
    result = PlanResult()
    writer = _Writer(shop, result)
    orders = Order.objects.for_shop(shop).exclude(status__in=CLOSED)

    if settings.late_apology_enabled:
        late = orders.late().filter(delivered_at__gte=now - ORDER_LOOKBACK)
        _plan_orders(
            shop=shop,
            settings=settings,
            kind=Kind.LATE_APOLOGY,
            orders=late,
            now=now,
            due_for=lambda o: now,
            writer=writer,
            keep=lambda o: o.delay_days > 0,
        )
        overdue = orders.overdue(now).filter(promised_at__gte=now - OVERDUE_LOOKBACK)
        _plan_orders(
            shop=shop,
            settings=settings,
            kind=Kind.LATE_APOLOGY,
            orders=overdue,
            now=now,
            due_for=lambda o: now,
            writer=writer,
            keep=lambda o: o.delay_days > 0,
        )
        writer.flush()

    if settings.delay_notice_enabled:
        _plan_delay_notices(shop=shop, settings=settings, orders=orders, now=now, writer=writer)

    if settings.thank_you_enabled:
        delay = datetime.timedelta(days=settings.thank_you_days)
        delivered = orders.filter(delivered_at__gte=now - delay - SCHEDULED_GRACE)
        _plan_orders(
            shop=shop,
            settings=settings,
            kind=Kind.THANK_YOU,
            orders=delivered,
            now=now,
            due_for=lambda o: o.delivered_at + delay,
            writer=writer,
        )

    if settings.review_request_enabled:
        delay = datetime.timedelta(days=settings.review_request_days)
        # Only marketplace orders: a WhatsApp or Instagram order has no review page to ask for.
        unreviewed = orders.filter(
            delivered_at__gte=now - delay - SCHEDULED_GRACE, channel__in=MARKETPLACES
        ).exclude(Exists(Review.objects.filter(order=OuterRef("pk"))))
        _plan_orders(
            shop=shop,
            settings=settings,
            kind=Kind.REVIEW_REQUEST,
            orders=unreviewed,
            now=now,
            due_for=lambda o: o.delivered_at + delay,
            writer=writer,
        )

    if settings.care_enabled:
        _plan_care(shop=shop, settings=settings, now=now, writer=writer)
    writer.flush()
    return result


def _plan_delay_notices(*, shop, settings, orders, now, writer) -> None:
    today = timezone.localdate(now)
    lead = datetime.timedelta(days=settings.delay_notice_lead_days)
    slowdowns = CourierSlowdown.objects.for_shop(shop).filter(
        starts_on__lte=today + lead, ends_on__gte=today
    )
    for slowdown in slowdowns:
        # In transit or about to ship, and expected to arrive during or after the slow-down.
        affected = orders.filter(
            status__in=[Order.Status.PAID, Order.Status.SHIPPED],
            delivered_at__isnull=True,
            ordered_at__gte=now - datetime.timedelta(days=30),
        ).filter(Q(promised_at__isnull=True) | Q(promised_at__date__gte=slowdown.starts_on))
        if slowdown.courier:
            affected = affected.filter(courier=slowdown.courier)
        facts = {
            "reason": slowdown.reason,
            "slowdown_start": _day(slowdown.starts_on),
            "slowdown_end": _day(slowdown.ends_on),
        }
        _plan_orders(
            shop=shop,
            settings=settings,
            kind=Kind.DELAY_NOTICE,
            # One heads-up per order: _plan_orders leaves out orders that already had one.
            orders=affected,
            now=now,
            due_for=lambda o: now,
            writer=writer,
            extra_facts=lambda o, facts=facts: facts,
            key_for=lambda o, s=slowdown: f"{Kind.DELAY_NOTICE}:{s.pk}:{o.pk}",
        )


def _day(value: datetime.date) -> str:
    from django.conf import settings as django_settings

    return day_text(value, django_settings.LANGUAGE_CODE)


def _plan_care(*, shop, settings, now, writer) -> None:
    reviews = (
        Review.objects.for_shop(shop)
        .filter(needs_care=True, posted_at__gte=now - REVIEW_LOOKBACK)
        .exclude(Exists(FollowUp.objects.filter(review=OuterRef("pk"), kind=Kind.CARE)))
        .select_related("order", "order__buyer")
        .only("topics", "rating", "order_id", *(f"order__{f}" for f in _ORDER_FIELDS))
    )
    for chunk in _keyset(reviews):
        products = _first_products(r.order_id for r in chunk)
        handles = _handles(r.order.buyer_id for r in chunk)
        for review in chunk:
            order, buyer = review.order, review.order.buyer
            topics = _topic_words(review.topics)
            facts = {
                "buyer_name": buyer.name,
                "shop_name": shop.name,
                "topics": topics or str(review.rating) + "★",
                "rating": review.rating,
                **order_facts(order, product=products.get(order.pk, "")),
            }
            route = channel_pick(
                settings=settings,
                email=buyer.email,
                phone=buyer.phone,
                order_channel=order.channel,
                handles=handles.get(buyer.pk),
            )
            writer.add(
                _new(
                    shop=shop,
                    texts=writer.texts,
                    kind=Kind.CARE,
                    key=f"{Kind.CARE}:{review.pk}",
                    buyer_id=buyer.pk,
                    route=route,
                    facts=facts,
                    due_at=now,
                    now=now,
                    opted_out=buyer.opted_out_at is not None,
                    order_id=order.pk,
                    review_id=review.pk,
                    needs_approval=not settings.care_auto_send,
                )
            )


def _topic_words(topics: list | None) -> str | None:
    """The review's triage topics in words ("late delivery, packaging"), in the buyers' language."""
    from django.conf import settings as django_settings
    from django.utils import translation

    from reviews.inbox import TOPIC_LABELS

    with translation.override(django_settings.LANGUAGE_CODE):
        words = [str(TOPIC_LABELS.get(t, t)).lower() for t in (topics or [])]
    return ", ".join(words) or None


def _loyalty_due(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=LOYALTY_HOUR, minute=0, second=0, microsecond=0)
    return max(at, now)


def _is_birthday(birthday: datetime.date | None, today: datetime.date) -> bool:
    if birthday is None:
        return False
    if (birthday.month, birthday.day) == (today.month, today.day):
        return True
    # 29 February birthdays are greeted on 28 February in other years.
    leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    return (
        (birthday.month, birthday.day) == (2, 29)
        and not leap
        and (today.month, today.day) == (2, 28)
    )


def followups_plan_loyalty(*, shop: Shop, now: datetime.datetime | None = None) -> PlanResult:
    """Daily buyer touches: birthdays, holidays, Harbolnas, tiers, win-back, anniversaries.

    One pass over the shop's buyers in primary-key chunks; each chunk's order statistics come
    from one grouped query over that chunk's buyers, so memory stays flat for any shop size.
    """
    now = now or timezone.now()
    settings = care_settings_get(shop=shop)
    today = timezone.localdate(now)
    due_at = _loyalty_due(now)
    result = PlanResult()
    writer = _Writer(shop, result)

    holidays = (
        [h for h in holidays_on(today) if h.key in (settings.holiday_keys or [])]
        if settings.holiday_enabled
        else []
    )
    sale_day = harbolnas_on(today) if settings.harbolnas_enabled else None
    tiers = (
        list(MembershipTier.objects.for_shop(shop).order_by("-rank"))
        if settings.tiers_enabled
        else []
    )
    baselined = settings.tiers_baselined_at is not None
    winback_to = today - datetime.timedelta(days=settings.winback_days)
    winback_from = winback_to - datetime.timedelta(days=6)

    buyers = Buyer.objects.for_shop(shop).values(
        "pk", "name", "email", "phone", "birthday", "marketing_consent", "opted_out_at"
    )
    for chunk in _keyset(buyers):
        ids = [b["pk"] for b in chunk]
        stats = {
            row["buyer_id"]: row
            for row in Order.objects.filter(buyer_id__in=ids)
            .exclude(status__in=CLOSED)
            .order_by()
            .values("buyer_id")
            .annotate(
                n=Count("pk"), spend=Sum("total"), first=Min("ordered_at"), last=Max("ordered_at")
            )
        }
        states = (
            {s.buyer_id: s for s in BuyerTier.objects.filter(buyer_id__in=ids)} if tiers else {}
        )
        handles = _handles(ids)
        tier_writes: list[BuyerTier] = []
        tier_updates: list[BuyerTier] = []
        for buyer in chunk:
            pk = buyer["pk"]
            stat = stats.get(pk)
            reachable = buyer["marketing_consent"] and buyer["opted_out_at"] is None
            facts = {"buyer_name": buyer["name"], "shop_name": shop.name}

            route = channel_pick(
                settings=settings,
                email=buyer["email"],
                phone=buyer["phone"],
                handles=handles.get(pk),
            )

            def add(
                kind: str,
                key: str,
                more: dict[str, object] | None = None,
                *,
                pk: int = pk,
                route: Route = route,
                facts: dict[str, object] = facts,
            ) -> None:
                writer.add(
                    _new(
                        shop=shop,
                        texts=writer.texts,
                        kind=kind,
                        key=key,
                        buyer_id=pk,
                        route=route,
                        facts={**facts, **(more or {})},
                        due_at=due_at,
                        now=now,
                    )
                )

            if tiers and stat:
                reached = next(
                    (
                        t
                        for t in tiers
                        if (t.min_orders and stat["n"] >= t.min_orders)
                        or (t.min_spend and (stat["spend"] or 0) >= t.min_spend)
                    ),
                    None,
                )
                rank = reached.rank if reached else 0
                state = states.get(pk)
                if state is None:
                    if rank:
                        tier_writes.append(
                            BuyerTier(
                                shop=shop, buyer_id=pk, tier=reached, rank=rank, reached_at=now
                            )
                        )
                        if baselined and reachable:
                            add(
                                Kind.TIER_UP,
                                f"{Kind.TIER_UP}:{reached.pk}:{pk}",
                                {"tier_name": reached.name, "perk": reached.perk},
                            )
                elif rank > state.rank:
                    state.tier, state.rank, state.reached_at = reached, rank, now
                    tier_updates.append(state)
                    if reachable:
                        add(
                            Kind.TIER_UP,
                            f"{Kind.TIER_UP}:{reached.pk}:{pk}",
                            {"tier_name": reached.name, "perk": reached.perk},
                        )
            if not reachable:
                continue
            if settings.birthday_enabled and _is_birthday(buyer["birthday"], today):
                add(Kind.BIRTHDAY, f"{Kind.BIRTHDAY}:{today.year}:{pk}")
            for holiday in holidays:
                add(
                    Kind.HOLIDAY,
                    f"{Kind.HOLIDAY}:{holiday.date.isoformat()}:{holiday.key}:{pk}",
                    {"holiday_key": holiday.key, "holiday_name": holiday.name},
                )
            if sale_day:
                add(
                    Kind.HARBOLNAS,
                    f"{Kind.HARBOLNAS}:{today.isoformat()}:{pk}",
                    {"sale_day": sale_day},
                )
            if stat is None:
                continue
            last = timezone.localdate(stat["last"])
            if settings.winback_enabled and winback_from <= last <= winback_to:
                add(
                    Kind.WINBACK,
                    f"{Kind.WINBACK}:{last.isoformat()}:{pk}",
                    {"days_since": (today - last).days},
                )
            first = timezone.localdate(stat["first"])
            years = today.year - first.year
            if (
                settings.anniversary_enabled
                and years >= 1
                and (first.month, first.day) == (today.month, today.day)
            ):
                add(
                    Kind.ANNIVERSARY,
                    f"{Kind.ANNIVERSARY}:{today.year}:{pk}",
                    {"years": years},
                )
        if tier_writes:
            rows_insert(BuyerTier, tier_writes)
        if tier_updates:
            BuyerTier.objects.bulk_update(tier_updates, ["tier", "rank", "reached_at"])
        writer.flush()
    if tiers and not baselined:
        CareSettings.objects.filter(pk=settings.pk).update(tiers_baselined_at=now)
    writer.flush()
    return result


class WaitingEntry(Protocol):
    """A waiting-list entry as the restock hook reads it (stock.WaitlistEntry fits)."""

    pk: int
    buyer: Buyer


def restock_key(*, restock_event_id: int | str, waiting: WaitingEntry | Buyer) -> str:
    """The occasion key of one restock message: one per restock event and waiting entry.

    A buyer passed without an entry is keyed by the buyer instead (``b<buyer id>``).
    """
    who = f"b{waiting.pk}" if isinstance(waiting, Buyer) else str(waiting.pk)
    return f"{Kind.RESTOCK}:{restock_event_id}:{who}"


def restock_notify(
    *,
    product: Product,
    entries_or_buyers: Iterable[WaitingEntry | Buyer],
    restock_event_id: int | str,
    now: datetime.datetime | None = None,
) -> PlanResult:
    """Tell the buyers waiting for ``product`` that it is back in stock (hook for issue 5).

    Call it once per restock (stock going from 0 to more than 0), naming that occasion with
    ``restock_event_id``, with the waiting-list entries (or buyers) in the order they joined.
    Each buyer gets one message per restock, whatever the number of calls or workers: the key
    is ``restock:<restock_event_id>:<entry id>`` (see :func:`restock_key`), unique per shop,
    and a buyer with several entries is told once, for the first. A buyer who re-joins after
    being told is told again at the next restock, even the same day. Buyers asked for this
    message, so it needs no marketing consent and is exempt from the weekly cap; an opted-out
    buyer is still skipped.

    The result's ``followups`` maps each buyer id to its restock FollowUp (new, or the one an
    earlier call made), so callers link their entries without rebuilding keys.
    """
    now = now or timezone.now()
    shop = product.shop
    settings = care_settings_get(shop=shop)
    result = PlanResult()
    if not settings.restock_enabled:
        return result
    writer = _Writer(shop, result)
    firsts: dict[int, WaitingEntry | Buyer] = {}
    for item in entries_or_buyers:
        buyer = item if isinstance(item, Buyer) else item.buyer
        if buyer.shop_id != shop.pk:
            continue  # Never message another shop's buyer.
        firsts.setdefault(buyer.pk, item)
    keys: dict[str, int] = {}
    handles = _handles(firsts)
    for buyer_id, item in firsts.items():
        buyer = item if isinstance(item, Buyer) else item.buyer
        key = restock_key(restock_event_id=restock_event_id, waiting=item)
        keys[key] = buyer_id
        route = channel_pick(
            settings=settings, email=buyer.email, phone=buyer.phone, handles=handles.get(buyer_id)
        )
        writer.add(
            _new(
                shop=shop,
                texts=writer.texts,
                kind=Kind.RESTOCK,
                key=key,
                buyer_id=buyer_id,
                route=route,
                facts={"buyer_name": buyer.name, "shop_name": shop.name, "product": product.name},
                due_at=now,
                now=now,
                opted_out=buyer.opted_out_at is not None,
                product_id=product.pk,
            )
        )
    writer.flush()
    result.followups = {
        keys[f.idempotency_key]: f
        for f in FollowUp.objects.filter(shop=shop, idempotency_key__in=list(keys))
    }
    return result


def followups_plan(
    *, now: datetime.datetime | None = None, loyalty: bool = True, orders: bool = True
) -> PlanResult:
    """Run the planners for every shop."""
    result = PlanResult()
    for shop in Shop.objects.order_by("pk"):
        if orders:
            result.add(followups_plan_orders(shop=shop, now=now))
        if loyalty:
            result.add(followups_plan_loyalty(shop=shop, now=now))
    return result
