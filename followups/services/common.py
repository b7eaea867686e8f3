"""Pieces every follow-up workflow shares: the shop's settings, channels, tone and quiet hours."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.models import MARKETPLACES, Channel
from customers.models import Buyer, Courier, Interaction, Order, Shop
from followups.models import CareSettings, FollowUp, MembershipTier

DEFAULT_TIERS = (
    # name, rank, min_orders, min_spend, perk
    ("Bronze", 1, 3, 500_000, "free gift wrapping on every order"),
    ("Silver", 2, 6, 2_000_000, "5% off every order"),
    ("Gold", 3, 12, 5_000_000, "10% off and free shipping"),
)


def care_settings_get(*, shop: Shop) -> CareSettings:
    """The shop's care settings, created with the defaults (and default tiers) on first use."""
    found = CareSettings.objects.filter(shop=shop).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = CareSettings.objects.create(shop=shop)
            if not MembershipTier.objects.filter(shop=shop).exists():
                MembershipTier.objects.bulk_create(
                    MembershipTier(
                        shop=shop,
                        name=name,
                        rank=rank,
                        min_orders=orders,
                        min_spend=spend,
                        perk=perk,
                    )
                    for name, rank, orders, spend, perk in DEFAULT_TIERS
                )
            return created
    except IntegrityError:  # Another worker created them first.
        return CareSettings.objects.get(shop=shop)


def in_quiet_hours(*, settings: CareSettings, now: datetime.datetime | None = None) -> bool:
    """True inside the shop's quiet hours, read on the Asia/Jakarta clock (TIME_ZONE)."""
    local = timezone.localtime(now or timezone.now()).time()
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_until(*, settings: CareSettings, now: datetime.datetime) -> datetime.datetime:
    """When the current quiet hours end (the next quiet_end on the local clock)."""
    local = timezone.localtime(now)
    end = local.replace(
        hour=settings.quiet_end.hour, minute=settings.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += datetime.timedelta(days=1)
    return end


@dataclass(frozen=True)
class Route:
    via: str
    marketplace: str = ""
    recipient: str = ""


def channel_pick(
    *,
    settings: CareSettings,
    email: str,
    phone: str,
    order_channel: str = "",
    handles: Mapping[str, str] | None = None,
) -> Route:
    """The first usable channel in the shop's preference order, or Via.NONE.

    A message about a marketplace order goes to that marketplace's chat when the shop prefers
    chat; without an order, the chat of any marketplace the buyer has a handle on is usable.
    """
    handles = handles or {}
    for via in settings.channels():
        if via == FollowUp.Via.EMAIL and email:
            return Route(FollowUp.Via.EMAIL, recipient=email)
        if via == FollowUp.Via.WHATSAPP and phone:
            return Route(FollowUp.Via.WHATSAPP, recipient=phone)
        if via == FollowUp.Via.MARKETPLACE:
            if order_channel in MARKETPLACES:
                return Route(
                    FollowUp.Via.MARKETPLACE,
                    marketplace=order_channel,
                    recipient=handles.get(order_channel, ""),
                )
            for marketplace in MARKETPLACES:
                if marketplace in handles:
                    return Route(
                        FollowUp.Via.MARKETPLACE,
                        marketplace=marketplace,
                        recipient=handles[marketplace],
                    )
    return Route(FollowUp.Via.NONE)


@dataclass(frozen=True)
class ToneResult:
    verdict: str
    hostile: bool
    findings: list


# Every follow-up is a private message to one buyer, checked as one by the tone guard: a phone
# number or an order number in it is not "personal data on a public page". Marketplace chat has
# its own private "chat" entry in crm/tone/data/channels.json.
_TONE_CHANNEL = {"email": "email", "whatsapp": "whatsapp", "marketplace": "chat"}


@lru_cache(maxsize=4096)
def _tone_cached(text: str, channel: str = "") -> ToneResult:
    from crm import tone

    result = tone.check(text, channel=_TONE_CHANNEL.get(channel, "chat"))
    data = result.as_dict()
    findings = []
    for finding in data.get("findings", []):
        finding = dict(finding)
        if "excerpt" not in finding and "start" in finding and "end" in finding:
            finding["excerpt"] = text[finding["start"] : finding["end"]]
        findings.append(finding)
    return ToneResult(verdict=str(result.verdict), hostile=bool(result.hostile), findings=findings)


def tone_check(text: str, channel: str = "") -> ToneResult:
    """The tone guard's verdict on a private message to a buyer (cached: greetings repeat)."""
    return _tone_cached(text, channel)


_OK = ToneResult(verdict="ok", hostile=False, findings=[])
# Facts made of words a person wrote; the rest (order numbers, tracking codes, dates, counts)
# are system identifiers and carry no tone.
_WORDS = (
    "buyer_name",
    "shop_name",
    "product",
    "topics",
    "reason",
    "tier_name",
    "perk",
    "holiday_name",
    "courier",
)


@lru_cache(maxsize=65536)
def _piece_ok(piece: str, channel: str) -> bool:
    return _tone_cached.__wrapped__(piece, channel).verdict == "ok"


def tone_check_rendered(
    *, template: str, facts: Mapping[str, object], text: str, channel: str = ""
) -> ToneResult:
    """The verdict on a message rendered from one of our templates, checked piece by piece.

    Planning renders tens of thousands of messages from a dozen templates; what differs between
    them is the facts (names, products, reasons). So the template and each distinct fact are
    checked once (cached); only when one of them is not plainly "ok" is the whole text checked,
    which also gives the findings their positions in the real text. The email sender checks the
    whole text again before sending.
    """
    pieces = [template] + [
        str(facts[name]) for name in _WORDS if isinstance(facts.get(name), str) and facts[name]
    ]
    if all(_piece_ok(piece, channel) for piece in pieces):
        return _OK
    return tone_check(text, channel)


def interaction_record(*, followup: FollowUp, by=None) -> Interaction:
    """Put a sent follow-up on the buyer's timeline."""
    if followup.channel == FollowUp.Via.EMAIL:
        channel = Channel.EMAIL
    elif followup.channel == FollowUp.Via.WHATSAPP:
        channel = Channel.WHATSAPP
    else:
        channel = followup.marketplace or Channel.OTHER
    return Interaction.objects.create(
        shop_id=followup.shop_id,
        buyer_id=followup.buyer_id,
        order_id=followup.order_id,
        kind=Interaction.Kind.FOLLOWUP,
        channel=channel,
        text=followup.text,
        occurred_at=followup.sent_at or timezone.now(),
        author=by,
        data={
            "followup_id": followup.pk,
            "followup_kind": followup.kind,
            "via": followup.channel,
            "subject": followup.subject,
        },
    )


@lru_cache(maxsize=256)
def _label(choices, value: str, language: str) -> str:
    """The display label of a choice (get_FOO_display() rebuilds its dict on every call)."""
    from django.utils import translation

    if not value:
        return ""
    with translation.override(language):
        return str(dict(choices.choices).get(value, value))


@lru_cache(maxsize=4096)
def day_text(day: datetime.date, language: str) -> str:
    """A date as buyers read it ("10 Maret 2027"); cached, since a run repeats few dates."""
    from django.utils import formats, translation

    with translation.override(language):
        return formats.date_format(day, "j F Y")


def order_facts(order: Order, *, product: str) -> dict[str, object]:
    """The facts of an order a message may mention, formatted for the buyers' language."""
    from django.conf import settings as django_settings

    language = django_settings.LANGUAGE_CODE

    def day(value: datetime.datetime | None) -> str | None:
        if value is None:
            return None
        return day_text(timezone.localtime(value).date(), language)

    return {
        "order_id": order.external_id,
        "product": product or None,
        "courier": _label(Courier, order.courier, language) or None,
        "tracking_number": order.tracking_number or "-",
        "marketplace": _label(Channel, order.channel, language),
        "promised_date": day(order.promised_at),
        "delivered_date": day(order.delivered_at),
        "shipped_date": day(order.shipped_at),
        "delay_days": order.delay_days,
    }


def buyer_route(*, settings: CareSettings, buyer: Buyer, order: Order | None) -> Route:
    handles = dict(buyer.handles.values_list("channel", "handle"))
    return channel_pick(
        settings=settings,
        email=buyer.email,
        phone=buyer.phone,
        order_channel=order.channel if order else "",
        handles=handles,
    )
