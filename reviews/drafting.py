"""The facts a reply draft is written from, and the language it is written in.

Pure functions over loaded objects: the services in ``reviews.services`` fetch the rows (with
the joins needed for a whole inbox in a fixed number of queries) and call these.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from crm.templatetags.rawat import format_rupiah
from customers.models import Courier
from reviews.reply_defaults import OFFER_TEXTS

if TYPE_CHECKING:
    from customers.models import Order
    from reviews.models import Review, ShopReplySettings

MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

# Words frequent in one language and rare in the other, colloquial Indonesian included.
_EN_TEXT = (
    "the and is was it this that not very but my item items arrived arrive late good great "
    "bad product order delivery shipping with for of to too slow fast thanks thank you seller "
    "received package box broken wrong size quality would again really nice love"
)
_ID_TEXT = (
    "yang dan tidak gak ga nggak enggak barang sudah udah banget bgt sampai sampe nyampe kak "
    "terima kasih pengiriman kirim pesanan lama telat tapi tp ini itu ya aja saja sesuai bagus "
    "mantap kurir paket penjual rusak kecil besar ukuran lagi bisa kok sih dong"
)
_EN_WORDS = frozenset(_EN_TEXT.split())
_ID_WORDS = frozenset(_ID_TEXT.split())
_WORD = re.compile(r"[a-zA-Z']+")


def review_language(text: str) -> str:
    """'en' when the review reads as English, else 'id' (the shops' home language)."""
    english = indonesian = 0
    for word in _WORD.findall(text.lower()):
        if word in _EN_WORDS:
            english += 1
        elif word in _ID_WORDS:
            indonesian += 1
    return "en" if english > indonesian else "id"


def date_format(value: datetime | None, lang: str) -> str | None:
    """'12 Maret 2026' / '12 March 2026' in Jakarta time, or None for no date."""
    if value is None:
        return None
    day = timezone.localdate(value)
    months = MONTHS.get(lang, MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def offer_text(settings: ShopReplySettings | None, lang: str) -> str | None:
    """The shop's offer in words for {offer}, or None when it offers nothing."""
    if settings is None:
        return None
    kind = settings.offer
    if kind == "custom":
        wording = settings.custom_offer_en if lang == "en" else settings.custom_offer_id
        return wording.strip() or None
    if kind == "voucher":
        if settings.voucher_amount <= 0:
            return None
        key = "voucher_code" if settings.voucher_code else "voucher"
        return OFFER_TEXTS[key][lang].format(
            amount=format_rupiah(settings.voucher_amount), code=settings.voucher_code
        )
    texts = OFFER_TEXTS.get(kind)
    return texts[lang] if texts else None


def _first_product(order: Order) -> str | None:
    lines = list(order.lines.all())  # Prefetched by the callers that loop.
    if not lines:
        return None
    line = lines[0]
    return line.name or (line.product.name if line.product_id else None)


def reply_facts(*, review: Review, lang: str, settings: ShopReplySettings | None) -> dict:
    """The values for every placeholder; None where the order does not know the fact."""
    order = review.order
    buyer = order.buyer
    courier = order.get_courier_display() if order.courier not in ("", Courier.OTHER) else None
    delay = order.delay_days
    return {
        "buyer_name": buyer.name.strip() or None,
        "product": _first_product(order),
        "courier": courier,
        "shipped_date": date_format(order.shipped_at, lang),
        "promised_date": date_format(order.promised_at, lang),
        "delivered_date": date_format(order.delivered_at, lang),
        "delay_days": delay if delay > 0 else None,
        "offer": offer_text(settings, lang),
        "shop_name": review.shop.name,
        "order_id": order.external_id or None,
    }
