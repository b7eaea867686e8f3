"""The words of every follow-up: each shop's editable templates and the defaults they start from.

A template belongs to a kind (``holiday``), an occasion within it (the holiday's key such as
``idul_fitri``; ``delivered`` or ``overdue`` for a late-delivery apology; empty for the kind's
general text) and a language (``id`` or ``en``). A shop stores only the texts it edited
(followups.FollowUpTemplate); everything else reads the defaults below, so better defaults reach
every shop that kept them. A holiday without its own text uses the shop's general holiday text.

Placeholders are checked on save with reviews.templating.template_validate against the kind's
own names (an unknown one is refused by name) and filled by exact name
(followups.messages.render_safe), never with ``str.format``. Every default reads "ok" to the
tone guard (tests/followups/test_templates.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from followups.models import Kind
from followups.occasions import HOLIDAY_LABELS
from reviews.templating import template_validate

LANGUAGES = ("id", "en")

PLACEHOLDERS: dict[str, object] = {
    "buyer_name": _("the buyer's name"),
    "shop_name": _("the shop's name"),
    "order_id": _("the order number"),
    "product": _("the product (first line of the order)"),
    "courier": _("the courier"),
    "tracking_number": _("the tracking number"),
    "marketplace": _("the order's marketplace"),
    "promised_date": _("the promised delivery date"),
    "delivered_date": _("the date the order was delivered"),
    "shipped_date": _("the date the order was shipped"),
    "delay_days": _("days late"),
    "reason": _("why deliveries are slower"),
    "slowdown_start": _("the first day of the slow-down"),
    "slowdown_end": _("the last day of the slow-down"),
    "topics": _("what the review was about"),
    "rating": _("the review's stars"),
    "holiday_name": _("the holiday's name"),
    "sale_day": _("the sale day (11.11 or 12.12)"),
    "tier_name": _("the new membership tier"),
    "perk": _("the tier's perk"),
    "days_since": _("days since the last order"),
    "years": _("years since the first order"),
}

_BASE = ("buyer_name", "shop_name")
_ORDER = _BASE + (
    "order_id",
    "product",
    "courier",
    "tracking_number",
    "marketplace",
    "promised_date",
    "delivered_date",
    "shipped_date",
    "delay_days",
)
KIND_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    Kind.LATE_APOLOGY: _ORDER,
    Kind.DELAY_NOTICE: _ORDER + ("reason", "slowdown_start", "slowdown_end"),
    Kind.THANK_YOU: _ORDER,
    Kind.REVIEW_REQUEST: _ORDER,
    Kind.CARE: _ORDER + ("topics", "rating"),
    Kind.RESTOCK: _BASE + ("product",),
    Kind.BIRTHDAY: _BASE,
    Kind.HOLIDAY: _BASE + ("holiday_name",),
    Kind.HARBOLNAS: _BASE + ("sale_day",),
    Kind.TIER_UP: _BASE + ("tier_name", "perk"),
    Kind.WINBACK: _BASE + ("days_since",),
    Kind.ANNIVERSARY: _BASE + ("years",),
}

_HOLIDAY_SUBJECT = {"id": "Salam hangat dari {shop_name}", "en": "Warm wishes from {shop_name}"}

# (kind, occasion, language) -> (subject, body). Indonesian in the sellers' own voice ("Kak").
DEFAULT_TEXTS: dict[tuple[str, str, str], tuple[str, str]] = {
    (Kind.LATE_APOLOGY, "delivered", "id"): (
        "Mohon maaf atas keterlambatan pesanan #{order_id}",
        "Halo Kak {buyer_name}, ini dari {shop_name}. Mohon maaf ya Kak: pesanan #{order_id} "
        "({product}) dijanjikan tiba {promised_date}, tetapi baru sampai {delivered_date}, "
        "terlambat {delay_days} hari. Paketnya dikirim lewat {courier} (resi "
        "{tracking_number}). Itu bukan layanan yang ingin kami berikan. Kalau ada yang kurang "
        "dengan paketnya, balas pesan ini ya, kami bantu sampai beres.",
    ),
    (Kind.LATE_APOLOGY, "delivered", "en"): (
        "Our apologies for your late order #{order_id}",
        "Hi {buyer_name}, this is {shop_name}. We are sorry: your order #{order_id} ({product}) "
        "was promised for {promised_date} but only arrived on {delivered_date}, "
        "{delay_days} day(s) late. It travelled with {courier} (tracking {tracking_number}). "
        "That is not the service we want to give you. If anything is wrong with the package, "
        "reply to this message and we will make it right.",
    ),
    (Kind.LATE_APOLOGY, "overdue", "id"): (
        "Mohon maaf, pesanan #{order_id} belum sampai",
        "Halo Kak {buyer_name}, ini dari {shop_name}. Pesanan #{order_id} ({product}) "
        "dijanjikan tiba {promised_date} dan sampai sekarang belum sampai, sudah terlambat "
        "{delay_days} hari. Paketnya ada di {courier} (resi {tracking_number}) dan sedang kami "
        "kejar. Mohon maaf sudah membuat Kakak menunggu, kami kabari lagi begitu ada kabar "
        "terbaru.",
    ),
    (Kind.LATE_APOLOGY, "overdue", "en"): (
        "Our apologies for your late order #{order_id}",
        "Hi {buyer_name}, this is {shop_name}. Your order #{order_id} ({product}) was promised "
        "for {promised_date} and has not arrived yet; it is {delay_days} day(s) late. It is with "
        "{courier} (tracking {tracking_number}) and we are chasing it now. We are sorry for the "
        "wait and will tell you as soon as we know more.",
    ),
    (Kind.DELAY_NOTICE, "", "id"): (
        "Info: pengiriman mungkin lebih lambat",
        "Halo Kak {buyer_name}, kabar dari {shop_name} soal pesanan #{order_id} ({product}): "
        "dari {slowdown_start} sampai {slowdown_end} pengiriman {courier} diperkirakan lebih "
        "lambat ({reason}). Paketnya mungkin tiba beberapa hari lebih lama dari biasanya. Kami "
        "terus pantau, dan kalau ada kendala kami bantu.",
    ),
    (Kind.DELAY_NOTICE, "", "en"): (
        "Heads-up: deliveries may be slower",
        "Hi {buyer_name}, a heads-up from {shop_name} about your order #{order_id} ({product}): "
        "from {slowdown_start} to {slowdown_end} deliveries by {courier} are expected to be "
        "slower ({reason}). Your package may arrive a few days later than usual. We are keeping "
        "an eye on it and will help if anything goes wrong.",
    ),
    (Kind.THANK_YOU, "", "id"): (
        "Terima kasih untuk pesanan #{order_id}",
        "Halo Kak {buyer_name}, terima kasih sudah belanja di {shop_name} (pesanan #{order_id}, "
        "{product})! Semoga paketnya sampai dengan baik. Kalau ada yang bisa kami bantu, balas "
        "saja pesan ini ya.",
    ),
    (Kind.THANK_YOU, "", "en"): (
        "Thank you for your order #{order_id}",
        "Hi {buyer_name}, thank you for your order #{order_id} ({product}) at {shop_name}! "
        "We hope it arrived in good shape. If there is anything we can help with, just reply.",
    ),
    (Kind.REVIEW_REQUEST, "", "id"): (
        "Bagaimana pesanan {product} Kakak?",
        "Halo Kak {buyer_name}, bagaimana pesanan {product} dari {shop_name}? Kalau Kakak ada "
        "waktu sebentar, ulasan untuk pesanan #{order_id} di {marketplace} sangat membantu kami. "
        "Terima kasih banyak!",
    ),
    (Kind.REVIEW_REQUEST, "", "en"): (
        "How is your {product}?",
        "Hi {buyer_name}, how is your {product}? If you have a minute, a review of order "
        "#{order_id} on {marketplace} helps {shop_name} a lot. Thank you!",
    ),
    (Kind.CARE, "", "id"): (
        "Tentang pesanan #{order_id}",
        "Halo Kak {buyer_name}, ini dari {shop_name}. Kami sudah membaca ulasan Kakak untuk "
        "pesanan #{order_id} ({product}) dan kami mohon maaf kalau belum sesuai harapan "
        "({topics}). Kami ingin memperbaikinya: boleh ceritakan lebih lanjut apa yang terjadi?",
    ),
    (Kind.CARE, "", "en"): (
        "About your order #{order_id}",
        "Hi {buyer_name}, this is {shop_name}. We read your review of order #{order_id} "
        "({product}) and we are sorry it was not what you expected ({topics}). We would like to "
        "make it right: may we know more about what happened?",
    ),
    (Kind.RESTOCK, "", "id"): (
        "{product} sudah ready lagi",
        "Kabar baik, Kak {buyer_name}: {product} sudah ready lagi di {shop_name}. Kakak minta "
        "dikabari, jadi kami kabari duluan ya. Stoknya terbatas, silakan order kalau masih "
        "berminat.",
    ),
    (Kind.RESTOCK, "", "en"): (
        "{product} is back in stock",
        "Good news, {buyer_name}: {product} is back in stock at {shop_name}. You asked us to "
        "tell you; stock is limited, so order soon if you still want it.",
    ),
    (Kind.BIRTHDAY, "", "id"): (
        "Selamat ulang tahun dari {shop_name}",
        "Selamat ulang tahun, Kak {buyer_name}! Semua di {shop_name} mendoakan Kakak sehat dan "
        "bahagia selalu. Semoga harinya menyenangkan!",
    ),
    (Kind.BIRTHDAY, "", "en"): (
        "Happy birthday from {shop_name}",
        "Happy birthday, {buyer_name}! Everyone at {shop_name} wishes you a wonderful day.",
    ),
    (Kind.HOLIDAY, "", "id"): (
        _HOLIDAY_SUBJECT["id"],
        "Kak {buyer_name}, {shop_name} mengucapkan selamat {holiday_name}. Semoga Kakak dan "
        "keluarga selalu sehat dan bahagia.",
    ),
    (Kind.HOLIDAY, "", "en"): (
        _HOLIDAY_SUBJECT["en"],
        "{buyer_name}, {shop_name} sends you warm wishes for {holiday_name}.",
    ),
    (Kind.HARBOLNAS, "", "id"): (
        "Harbolnas {sale_day} di {shop_name}",
        "Selamat Harbolnas {sale_day}, Kak {buyer_name}! {shop_name} punya penawaran spesial "
        "hari ini. Terima kasih sudah jadi pelanggan kami.",
    ),
    (Kind.HARBOLNAS, "", "en"): (
        "Harbolnas {sale_day} at {shop_name}",
        "Happy Harbolnas {sale_day}, {buyer_name}! {shop_name} has special offers today. "
        "Thank you for being our customer.",
    ),
    (Kind.TIER_UP, "", "id"): (
        "Kakak sekarang member {tier_name}",
        "Selamat, Kak {buyer_name}! Sekarang Kakak member {tier_name} di {shop_name}. "
        "Keuntungan untuk Kakak: {perk}. Terima kasih sudah setia belanja di sini.",
    ),
    (Kind.TIER_UP, "", "en"): (
        "You are now a {tier_name} member",
        "Congratulations {buyer_name}, you are now a {tier_name} member of {shop_name}! "
        "Your perk: {perk}. Thank you for your loyalty.",
    ),
    (Kind.WINBACK, "", "id"): (
        "{shop_name} kangen Kakak",
        "Halo Kak {buyer_name}, {shop_name} kangen nih! Sudah {days_since} hari sejak pesanan "
        "terakhir Kakak. Yuk, mampir lihat koleksi terbaru kami.",
    ),
    (Kind.WINBACK, "", "en"): (
        "We miss you at {shop_name}",
        "Hi {buyer_name}, we miss you at {shop_name}! It has been {days_since} days since your "
        "last order. Come and see what is new.",
    ),
    (Kind.ANNIVERSARY, "", "id"): (
        "Hari jadi belanja bersama {shop_name}",
        "Halo Kak {buyer_name}, hari ini tepat {years} tahun sejak pesanan pertama Kakak di "
        "{shop_name}. Terima kasih sudah setia bersama kami!",
    ),
    (Kind.ANNIVERSARY, "", "en"): (
        "Happy anniversary with {shop_name}",
        "Hi {buyer_name}, {years} year(s) ago today you placed your first order at {shop_name}. "
        "Thank you for staying with us!",
    ),
}

# Each holiday's own greeting: (Indonesian, English).
_HOLIDAY_BODIES = {
    "tahun_baru": (
        "Selamat Tahun Baru, Kak {buyer_name}! Terima kasih sudah belanja di {shop_name} "
        "sepanjang tahun lalu. Semoga tahun ini penuh kesehatan dan kebahagiaan.",
        "Happy New Year, {buyer_name}! Thank you for shopping with {shop_name} last year. "
        "We wish you a healthy and happy year ahead.",
    ),
    "isra_miraj": (
        "Kak {buyer_name}, seluruh tim {shop_name} mengucapkan selamat memperingati Isra "
        "Mi'raj. Semoga penuh berkah.",
        "{buyer_name}, the whole {shop_name} team wishes you a blessed Isra Mi'raj.",
    ),
    "imlek": (
        "Gong Xi Fa Cai, Kak {buyer_name}! {shop_name} mendoakan kesehatan, keberuntungan, dan "
        "kemakmuran di tahun yang baru.",
        "Gong Xi Fa Cai, {buyer_name}! {shop_name} wishes you health, luck and prosperity "
        "in the new year.",
    ),
    "nyepi": (
        "Kak {buyer_name}, {shop_name} mengucapkan Selamat Hari Raya Nyepi. Semoga damai "
        "selalu. Om Shanti Shanti Shanti Om.",
        "{buyer_name}, {shop_name} wishes you a peaceful Day of Silence. Om Shanti Shanti "
        "Shanti Om.",
    ),
    "idul_fitri": (
        "Selamat Hari Raya Idul Fitri, Kak {buyer_name}! Mohon maaf lahir dan batin. Minal "
        "aidin wal faizin dari seluruh tim {shop_name}, terima kasih sudah mempercayakan "
        "belanja Kakak kepada kami.",
        "Selamat Hari Raya Idul Fitri, {buyer_name}. Minal aidin wal faizin: the {shop_name} "
        "team asks your forgiveness for any mistakes this past year. Thank you for trusting us.",
    ),
    "wafat_isa": (
        "Kak {buyer_name}, {shop_name} mengucapkan selamat memperingati Wafat Isa Almasih. "
        "Semoga penuh makna.",
        "{buyer_name}, {shop_name} wishes you a meaningful Good Friday.",
    ),
    "paskah": (
        "Selamat Paskah, Kak {buyer_name}! Salam hangat dari semua di {shop_name}.",
        "Happy Easter, {buyer_name}! Warm wishes from everyone at {shop_name}.",
    ),
    "hari_buruh": (
        "Selamat Hari Buruh, Kak {buyer_name}. Terima kasih untuk semua yang bekerja keras, "
        "dari kami di {shop_name}.",
        "Happy Labour Day, {buyer_name}. Thank you to everyone who works hard, from all of "
        "us at {shop_name}.",
    ),
    "kenaikan": (
        "Kak {buyer_name}, {shop_name} mengucapkan selamat memperingati Kenaikan Isa Almasih. "
        "Semoga penuh berkah.",
        "{buyer_name}, {shop_name} wishes you a blessed Ascension Day.",
    ),
    "idul_adha": (
        "Selamat Hari Raya Idul Adha, Kak {buyer_name}. Semoga hari ini membawa berkah untuk "
        "Kakak dan keluarga. Salam hangat dari {shop_name}.",
        "Selamat Hari Raya Idul Adha, {buyer_name}. May this day bring blessings to you and "
        "your family. Warm wishes from {shop_name}.",
    ),
    "waisak": (
        "Selamat Hari Raya Waisak, Kak {buyer_name}. Semoga semua makhluk berbahagia. Salam "
        "hangat dari {shop_name}.",
        "Happy Vesak, {buyer_name}. May all beings be happy. Warm wishes from {shop_name}.",
    ),
    "pancasila": (
        "Selamat Hari Lahir Pancasila, Kak {buyer_name}! Salam hangat dari {shop_name}.",
        "Happy Pancasila Day, {buyer_name}! Warm wishes from {shop_name}.",
    ),
    "tahun_baru_islam": (
        "Selamat Tahun Baru Islam, Kak {buyer_name}. Semoga tahun yang baru membawa banyak "
        "berkah. Salam hangat dari {shop_name}.",
        "Happy Islamic New Year, {buyer_name}. May the new year bring you blessings. "
        "Warm wishes from {shop_name}.",
    ),
    "kemerdekaan": (
        "Dirgahayu Republik Indonesia, Kak {buyer_name}! Selamat Hari Kemerdekaan dari "
        "{shop_name}. Merdeka!",
        "Dirgahayu Republik Indonesia, {buyer_name}! Happy Independence Day from {shop_name}. "
        "Merdeka!",
    ),
    "maulid": (
        "Kak {buyer_name}, tim {shop_name} mengucapkan selamat memperingati Maulid Nabi "
        "Muhammad SAW. Semoga penuh berkah.",
        "{buyer_name}, the {shop_name} team wishes you a blessed Maulid Nabi Muhammad SAW.",
    ),
    "natal": (
        "Selamat Natal, Kak {buyer_name}! Damai dan sukacita untuk Kakak dan keluarga dari "
        "semua di {shop_name}.",
        "Merry Christmas, {buyer_name}! Peace and joy to you and your family from everyone at "
        "{shop_name}.",
    ),
}
for _key, (_id_body, _en_body) in _HOLIDAY_BODIES.items():
    DEFAULT_TEXTS[(Kind.HOLIDAY, _key, "id")] = (_HOLIDAY_SUBJECT["id"], _id_body)
    DEFAULT_TEXTS[(Kind.HOLIDAY, _key, "en")] = (_HOLIDAY_SUBJECT["en"], _en_body)

HOLIDAY_KEYS = tuple(_HOLIDAY_BODIES)

_OCCASIONS: dict[str, tuple[str, ...]] = {
    Kind.LATE_APOLOGY: ("delivered", "overdue"),
    Kind.HOLIDAY: ("",) + HOLIDAY_KEYS,
    # A segment touch is worded by the seller each time (insights.services.segment_touch_plan):
    # there is no stored template to edit.
    Kind.SEGMENT_TOUCH: (),
}


def occasions_for(kind: str) -> tuple[str, ...]:
    """The occasions a kind has its own text for ("" is the kind's general text)."""
    return _OCCASIONS.get(kind, ("",))


def occasion_label(kind: str, occasion: str) -> str:
    if kind == Kind.LATE_APOLOGY:
        return str(_("delivered late") if occasion == "delivered" else _("not delivered yet"))
    if kind == Kind.HOLIDAY:
        return str(HOLIDAY_LABELS.get(occasion, _("Any other holiday")))
    return ""


def template_slots() -> list[tuple[str, str]]:
    """Every (kind, occasion) a shop can word, in the order the settings page lists them."""
    return [(kind, occasion) for kind in Kind.values for occasion in occasions_for(kind)]


def message_language() -> str:
    """The language buyers' messages are written in: the site's LANGUAGE_CODE (Indonesian).

    Buyers have no language of their own yet; when they do, planners pass it here instead.
    """
    language = (settings.LANGUAGE_CODE or "id")[:2]
    return language if language in LANGUAGES else "id"


def slot_check(*, kind: str, occasion: str, language: str) -> None:
    """Refuse a kind, occasion or language that has no template (code ``unknown_template``)."""
    if kind not in KIND_PLACEHOLDERS or occasion not in occasions_for(kind):
        raise ValidationError(
            gettext("There is no %(kind)s message for “%(occasion)s”."),
            code="unknown_template",
            params={"kind": kind, "occasion": occasion},
        )
    if language not in LANGUAGES:
        raise ValidationError(
            gettext("Messages are written in Indonesian (id) or English (en), not %(language)s."),
            code="unknown_language",
            params={"language": language},
        )


def text_validate(*, kind: str, subject: str, body: str) -> None:
    """Raise ValidationError (a dict by field) for placeholders the kind does not know.

    The error names each unknown placeholder and lists the ones this kind can use.
    """
    allowed = {name: PLACEHOLDERS[name] for name in KIND_PLACEHOLDERS[kind]}
    errors: dict[str, list[ValidationError]] = {}
    if not body.strip():
        errors["body"] = [ValidationError(gettext("The text is empty."), code="empty_text")]
    for field, text in (("subject", subject), ("body", body)):
        try:
            template_validate(text, allowed=allowed)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)


class ShopTexts:
    """One shop's wording: its edited templates over the defaults, read with :meth:`get`."""

    def __init__(self, overrides: Mapping[tuple[str, str, str], tuple[str, str]]) -> None:
        self.overrides = dict(overrides)

    def get(self, kind: str, occasion: str, language: str) -> tuple[str, str]:
        """(subject, body) for the occasion; a holiday without its own text uses the general
        holiday text, and a language without a text uses Indonesian."""
        candidates = [(kind, occasion, language)]
        if occasion:
            candidates.append((kind, "", language))
        if language != "id":
            candidates += [(kind, occasion, "id"), (kind, "", "id")]
        for key in candidates:
            # The shop's own text for the exact occasion first, then the default for it.
            if key in self.overrides:
                return self.overrides[key]
            if key in DEFAULT_TEXTS:
                return DEFAULT_TEXTS[key]
        raise KeyError((kind, occasion, language))

    def is_edited(self, kind: str, occasion: str, language: str) -> bool:
        return (kind, occasion, language) in self.overrides


DEFAULTS = ShopTexts({})
