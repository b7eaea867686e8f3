"""The kinder paths when an order cannot be sent, each step's text filled from the order's facts.

Sellers' own advice, in order: apologise first and say why; offer a substitute (at the same
price when it is the better item); ask the buyer to cancel (a buyer cancellation costs the shop
no penalty point); ask the marketplace's support; refund in full, shipping included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm import tone
from crm.templatetags.rawat import format_rupiah
from customers.models import Order
from customers.phones import wa_number
from stock.models import MessageTemplate
from stock.selectors import Alternative, product_alternatives
from stock.services import stock_settings_get, stock_templates_ensure
from stock.template_defaults import REASON_WORDS
from stock.templating import template_render

Situation = MessageTemplate.Situation

STEPS: list[tuple[str, str | Promise, str | Promise]] = [
    (
        Situation.APOLOGISE,
        _("Apologise first and say why"),
        _("Buyers forgive a missing item far more easily than silence or a bare rejection."),
    ),
    (
        Situation.SUBSTITUTE,
        _("Offer a substitute"),
        _("A similar item in stock, at the same price when it is the better one."),
    ),
    (
        Situation.ASK_BUYER_CANCEL,
        _("Ask the buyer to cancel"),
        _("A cancellation the buyer asks for costs the shop no penalty point."),
    ),
    (
        Situation.MARKETPLACE_SUPPORT,
        _("Ask the marketplace's support"),
        _("Support can cancel without a mark on the shop when the reason is genuine."),
    ),
    (
        Situation.REFUND,
        _("Refund in full, shipping included"),
        _("If it comes to a refund, give everything back, shipping too."),
    ),
]


@dataclass
class Step:
    situation: str
    title: str | Promise
    why: str | Promise
    text: str
    verdict: dict[str, Any]
    wa_link: str
    to_buyer: bool


@dataclass
class Playbook:
    order: Order
    reason: str
    lang: str
    substitute: Alternative | None
    steps: list[Step]


def _substitute(order: Order) -> tuple[Any, Alternative | None]:
    line = next((line for line in order.lines.all() if line.product_id), None)
    if line is None:
        return None, None
    product = line.product
    alternatives = product_alternatives(
        product=product, settings=stock_settings_get(shop=order.shop)
    )
    # The better item (same price or dearer) offered at the order's price comes first.
    better = [a for a in alternatives if a.difference >= 0]
    return product, (better[0] if better else (alternatives[0] if alternatives else None))


def playbook_build(*, order: Order, reason: str, lang: str = "id") -> Playbook:
    """Every step's text for ``order``, checked by the tone guard."""
    lang = lang if lang in ("id", "en") else "id"
    templates = stock_templates_ensure(shop=order.shop)
    product, substitute = _substitute(order)
    first_line = next(iter(order.lines.all()), None)
    facts: dict[str, Any] = {
        "buyer_name": order.buyer.name.split()[0] if order.buyer.name else None,
        "shop_name": order.shop.name,
        "order_id": order.external_id,
        "marketplace": order.get_channel_display(),
        "product": product.name if product else (first_line.display_name if first_line else None),
        "reason": REASON_WORDS.get((reason, lang)),
        "refund_amount": format_rupiah(order.total) if order.total else None,
    }
    if substitute is not None:
        facts["substitute"] = substitute.product.name
        # Better item: the buyer pays what they paid. Cheaper item: they pay less.
        price = product.price if substitute.difference >= 0 else substitute.product.price
        facts["substitute_price"] = format_rupiah(price)
    number = wa_number(order.buyer.phone) if order.buyer.phone else ""
    steps = []
    for situation, title, why in STEPS:
        template = templates.get((situation, lang))
        text = template_render(template.body, facts, lang=lang) if template else ""
        if situation == Situation.SUBSTITUTE and substitute is None:
            text = ""
        to_buyer = situation != Situation.MARKETPLACE_SUPPORT
        verdict = tone.check(text, lang=lang, channel=order.channel).as_dict() if text else {}
        for finding in verdict.get("findings", []):
            finding["excerpt"] = text[finding["start"] : finding["end"]]
        steps.append(
            Step(
                situation=situation,
                title=title,
                why=why,
                text=text,
                verdict=verdict,
                wa_link=(
                    f"https://wa.me/{number}?text={quote(text, safe='')}"
                    if to_buyer and number and text
                    else ""
                ),
                to_buyer=to_buyer,
            )
        )
    return Playbook(order=order, reason=reason, lang=lang, substitute=substitute, steps=steps)
