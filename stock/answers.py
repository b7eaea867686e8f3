"""The ready reply to "Ready kak?": stock, variants, restock estimate, alternatives, waiting list.

Composed from the shop's templates (stock.MessageTemplate) and checked by the tone guard; the
seller copies it or opens it as a WhatsApp link. Reading only: nothing is written here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.utils import formats, timezone, translation

from crm import tone
from crm.templatetags.rawat import format_rupiah
from customers.models import Buyer, Product
from customers.phones import wa_number
from stock.models import MessageTemplate, ProductVariant
from stock.selectors import Alternative, product_alternatives
from stock.services import stock_settings_get, stock_templates_ensure
from stock.templating import template_render

Situation = MessageTemplate.Situation

# "warna lain ada?", "ukuran XL ready?", "other colours?": the buyer asks about variants.
_VARIANT_WORDS = re.compile(
    r"\b(warna|warnanya|colou?rs?|ukuran|ukurannya|size|sizes|varian|variant|variants|motif|"
    r"lain|lainnya|other)\b",
    re.IGNORECASE,
)


def asks_about_variants(question: str) -> bool:
    return bool(_VARIANT_WORDS.search(question or ""))


def asked_variant(question: str, variants: list[ProductVariant]) -> ProductVariant | None:
    """The variant the question names ("yang sage ada?"), if exactly one matches."""
    text = f" {(question or '').lower()} "
    hits = [
        v
        for v in variants
        if any(
            part and re.search(r"(?<!\w)" + re.escape(part.lower()) + r"(?!\w)", text)
            for part in (v.colour, v.size)
        )
    ]
    return hits[0] if len(hits) == 1 else None


def date_words(day: datetime.date, lang: str) -> str:
    with translation.override(lang):
        return formats.date_format(day, "j F Y")


@dataclass
class StockAnswer:
    product: Product
    lang: str
    in_stock: bool
    variants_in_stock: list[ProductVariant]
    variants_sold_out: list[ProductVariant]
    asked: ProductVariant | None
    alternatives: list[Alternative]
    restock_eta: datetime.date | None
    offer_waitlist: bool
    text: str
    verdict: dict[str, Any] = field(default_factory=dict)
    wa_link: str = ""


def _variant_list(variants: list[ProductVariant], lang: str, *, with_stock: bool) -> str:
    if with_stock:
        return ", ".join(f"{v.label} ({v.stock})" for v in variants)
    return ", ".join(v.label for v in variants)


def _alternative_line(alternative: Alternative, lang: str) -> str:
    p = alternative.product
    stock = f"stok {p.stock}" if lang == "id" else f"{p.stock} in stock"
    return f"- {p.name}: {format_rupiah(p.price)} ({stock})"


def stock_answer(
    *,
    product: Product,
    question: str = "",
    lang: str = "id",
    buyer: Buyer | None = None,
    channel: str | None = None,
    today: datetime.date | None = None,
) -> StockAnswer:
    """The reply for ``product`` in ``lang`` ("id" or "en"), with its tone verdict."""
    lang = lang if lang in ("id", "en") else "id"
    today = today or timezone.localdate()
    shop = product.shop
    templates = stock_templates_ensure(shop=shop)
    settings = stock_settings_get(shop=shop)
    variants = list(product.variants.order_by("colour", "size", "pk"))
    in_stock_variants = [v for v in variants if v.stock > 0]
    sold_out_variants = [v for v in variants if v.stock == 0]
    asked = asked_variant(question, variants)
    in_stock = product.stock > 0
    eta = product.restock_eta if product.restock_eta and product.restock_eta >= today else None

    alternatives: list[Alternative] = []
    if not in_stock or (asks_about_variants(question) and not variants):
        # Sold out, or "other colours?" for a product whose colours are separate products.
        alternatives = product_alternatives(product=product, settings=settings)

    facts: dict[str, Any] = {
        "buyer_name": buyer.name.split()[0] if buyer and buyer.name else None,
        "shop_name": shop.name,
        "product": product.name,
        "sku": product.sku,
        "price": format_rupiah(product.price),
        "stock": product.stock,
        "variants": _variant_list(in_stock_variants, lang, with_stock=True) or None,
        "sold_out_variants": _variant_list(sold_out_variants, lang, with_stock=False) or None,
        "restock_date": date_words(eta, lang) if eta else None,
        "alternatives": "\n".join(_alternative_line(a, lang) for a in alternatives) or None,
    }

    def piece(situation: str) -> str:
        template = templates.get((situation, lang))
        return template_render(template.body, facts, lang=lang) if template else ""

    pieces = [piece(Situation.IN_STOCK if in_stock else Situation.SOLD_OUT)]
    if variants and (in_stock_variants or sold_out_variants):
        pieces.append(piece(Situation.VARIANTS))
    if alternatives:
        pieces.append(piece(Situation.ALTERNATIVES))
    if not in_stock:
        pieces.append(piece(Situation.WAITLIST_OFFER))
    text = "\n\n".join(p for p in pieces if p)
    verdict = tone.check(text, lang=lang, channel=channel).as_dict()
    for finding in verdict["findings"]:
        finding["excerpt"] = text[finding["start"] : finding["end"]]
        finding["label"] = tone.CATEGORY_LABELS.get(finding["category"], finding["category"])
    number = wa_number(buyer.phone) if buyer and buyer.phone else ""
    return StockAnswer(
        product=product,
        lang=lang,
        in_stock=in_stock,
        variants_in_stock=in_stock_variants,
        variants_sold_out=sold_out_variants,
        asked=asked,
        alternatives=alternatives,
        restock_eta=eta,
        offer_waitlist=not in_stock,
        text=text,
        verdict=verdict,
        wa_link=f"https://wa.me/{number}?text={quote(text, safe='')}",
    )
