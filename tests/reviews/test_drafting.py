"""Reply drafts: the shop's template for the recommended action, filled with the order's facts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from customers.models import Courier
from reviews.drafting import date_format, review_language
from reviews.models import ReplyTemplate, Review, ShopReplySettings
from reviews.services import replies_draft_bulk, reply_draft, reply_templates_ensure
from tests.factories import BuyerFactory, OrderFactory, OrderLineFactory, ReviewFactory

JAKARTA = ZoneInfo("Asia/Jakarta")


def _late_order(shop, **overrides):
    buyer = BuyerFactory(shop=shop, name="Sari Wulandari")
    fields = {
        "buyer": buyer,
        "ordered_at": datetime(2026, 3, 9, 20, 0, tzinfo=JAKARTA),
        "shipped_at": datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA),
        "promised_at": datetime(2026, 3, 13, 18, 0, tzinfo=JAKARTA),
        # 23:30 in Jakarta is already the next day in UTC: dates must be Jakarta dates.
        "delivered_at": datetime(2026, 3, 16, 23, 30, tzinfo=JAKARTA),
        "courier": Courier.JNT,
        **overrides,
    }
    order = OrderFactory(**fields)
    OrderLineFactory(order=order, product__name="Kemeja Batik Parang", name="")
    OrderLineFactory(order=order, product__name="Dompet Kulit", name="")
    return order


def _late_review(shop, text="Barangnya bagus, tapi pengirimannya telat banget, kurirnya lama."):
    return ReviewFactory(
        order=_late_order(shop), rating=4, text=text, needs_care=True, action="delay_explanation"
    )


def test_dates_are_formatted_per_language():
    moment = datetime(2026, 3, 12, 8, 0, tzinfo=JAKARTA)
    assert date_format(moment, "id") == "12 Maret 2026"
    assert date_format(moment, "en") == "12 March 2026"
    assert date_format(None, "id") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The item arrived late and the box was broken.", "en"),
        ("Barangnya telat banget nyampe, kurirnya lama.", "id"),
        ("Mantap kak, sesuai pesanan", "id"),
        ("", "id"),
        ("Good quality, but delivery was too slow", "en"),
    ],
)
def test_review_language_is_detected_simply(text, lang):
    assert review_language(text) == lang


def test_draft_for_late_courier_review_states_the_order_facts(shop):
    review = _late_review(shop)
    draft = reply_draft(review=review)
    assert draft.startswith("Halo Kak Sari Wulandari,")
    assert "J&T Express" in draft
    assert "10 Maret 2026" in draft  # shipped
    assert "13 Maret 2026" in draft  # promised
    assert "16 Maret 2026" in draft  # delivered (Jakarta date, not UTC)
    assert "terlambat 3 hari" in draft
    assert "Kemeja Batik Parang" in draft and "Dompet Kulit" not in draft
    assert "{" not in draft
    assert "mohon maaf" in draft.lower()


def test_draft_includes_the_shop_offer(shop):
    ShopReplySettings.objects.create(
        shop=shop, offer="voucher", voucher_amount=20_000, voucher_code="MAAF20"
    )
    draft = reply_draft(review=_late_review(shop))
    assert "voucher belanja Rp 20.000 (kode MAAF20)" in draft


def test_draft_without_offer_leaves_the_offer_sentence_out(shop):
    draft = reply_draft(review=_late_review(shop))
    assert "permintaan maaf, kami berikan" not in draft
    assert "None" not in draft


def test_english_review_gets_an_english_draft(shop):
    review = _late_review(shop, text="Nice shirt but the delivery was really slow.")
    draft = reply_draft(review=review)
    assert draft.startswith("Hi Sari Wulandari,")
    assert "16 March 2026" in draft
    assert "3 days late" in draft


def test_on_time_order_has_no_delay_sentence(shop):
    order = _late_order(shop, delivered_at=datetime(2026, 3, 12, 10, 0, tzinfo=JAKARTA))
    review = ReviewFactory(
        order=order,
        rating=3,
        text="Jahitannya kurang rapi",
        needs_care=True,
        action="apology_explain",
    )
    draft = reply_draft(review=review)
    assert "Mohon maaf atas kendala" in draft
    assert "hari lewat dari estimasi" not in draft
    assert "None" not in draft


def test_draft_uses_the_shop_edited_template(shop):
    templates = reply_templates_ensure(shop=shop)
    template = templates[("delay_explanation", "id")]
    template.body = "Maaf ya {buyer_name}, {courier} telat {delay_days} hari."
    template.save()
    assert (
        reply_draft(review=_late_review(shop))
        == "Maaf ya Sari Wulandari, J&T Express telat 3 hari."
    )


def test_untriaged_review_falls_back_on_rating(shop):
    review = ReviewFactory(order=_late_order(shop), rating=5, text="Mantap", action="")
    assert "terima kasih banyak" in reply_draft(review=review)


def test_defaults_are_created_once_per_shop(shop, other_shop):
    reply_templates_ensure(shop=shop)
    reply_templates_ensure(shop=shop)
    assert ReplyTemplate.objects.filter(shop=shop).count() == 10
    assert not ReplyTemplate.objects.filter(shop=other_shop).exists()


def test_bulk_drafts_only_reviews_needing_care_without_a_reply(shop, other_shop):
    late = _late_review(shop)
    happy = ReviewFactory(order=_late_order(shop), rating=5, needs_care=False, action="thank")
    edited = ReviewFactory(
        order=_late_order(shop),
        needs_care=True,
        reply_status=Review.ReplyStatus.DRAFTED,
        reply_text="Draft saya sendiri",
    )
    foreign = _late_review(other_shop)
    assert replies_draft_bulk(shop=shop) == 1
    late.refresh_from_db()
    happy.refresh_from_db()
    edited.refresh_from_db()
    foreign.refresh_from_db()
    assert late.reply_status == Review.ReplyStatus.DRAFTED
    assert "terlambat 3 hari" in late.reply_text
    assert happy.reply_status == Review.ReplyStatus.NONE and happy.reply_text == ""
    assert edited.reply_text == "Draft saya sendiri"
    assert foreign.reply_status == Review.ReplyStatus.NONE


def test_bulk_drafting_takes_a_fixed_number_of_queries(shop, django_assert_max_num_queries):
    reply_templates_ensure(shop=shop)
    for _ in range(12):
        _late_review(shop)
    with django_assert_max_num_queries(7):
        assert replies_draft_bulk(shop=shop) == 12
