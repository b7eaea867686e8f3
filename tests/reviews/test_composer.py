"""The reply composer: draft pre-filled, live tone check, hostile replies held back, outcomes kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from customers.models import Courier, Interaction
from reviews.models import Review, ToneEvent
from reviews.services import reply_send
from tests.factories import BuyerFactory, OrderFactory, OrderLineFactory, ReviewFactory

HOSTILE = "Kok cuma bintang 4? Tolong diubah jadi 5!"
KIND = "Halo Kak Sari, terima kasih sudah berbelanja. Mohon maaf paketnya datang terlambat."
CHECK_URL = reverse("reviews:tone_check")


@pytest.fixture
def late_review(shop):
    buyer = BuyerFactory(shop=shop, name="Sari Wulandari", phone="0812-3456-7890")
    order = OrderFactory(buyer=buyer, courier=Courier.JNT)
    order.delivered_at = order.promised_at + timedelta(days=3)
    order.save()
    OrderLineFactory(order=order, product__name="Kemeja Batik Parang", name="")
    return ReviewFactory(
        order=order,
        rating=4,
        text="Barangnya bagus tapi pengirimannya telat banget",
        needs_care=True,
        topics=["delivery_delay", "courier_service"],
        action="delay_explanation",
    )


@pytest.fixture
def foreign_review(other_shop):
    return ReviewFactory(order__buyer__shop=other_shop, rating=2, needs_care=True)


def _send(client, review, text, **extra):
    return client.post(
        reverse("reviews:review_reply_send", args=[review.pk]), {"text": text, **extra}
    )


def test_composer_opens_with_the_drafted_apology_and_the_order_facts(seller_client, late_review):
    response = seller_client.get(reverse("reviews:review_compose", args=[late_review.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Halo Kak Sari Wulandari" in body
    assert "terlambat 3 hari" in body and "J&amp;T Express" in body
    assert f'hx-post="{CHECK_URL}"' in body
    assert 'hx-trigger="keyup changed delay:400ms' in body
    assert "Kemeja Batik Parang" in body
    assert response.context["verdict"]["verdict"] == "ok"
    assert "<script>" not in body.replace('<script src="', "")  # No inline JS.


def test_detail_url_opens_the_composer(seller_client, late_review):
    response = seller_client.get(late_review.get_absolute_url())
    assert response.status_code == 200
    assert "reviews/review_compose.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "reviews:review_compose"),
        ("post", "reviews:review_reply_send"),
        ("post", "reviews:review_reply_draft"),
        ("post", "reviews:review_reply_cancel"),
    ],
)
def test_another_shops_review_is_a_404(seller_client, foreign_review, method, name):
    url = reverse(name, args=[foreign_review.pk])
    response = getattr(seller_client, method)(url, {"text": KIND})
    assert response.status_code == 404
    foreign_review.refresh_from_db()
    assert foreign_review.reply_status == Review.ReplyStatus.NONE


def test_live_check_of_another_shops_review_is_a_404(seller_client, foreign_review):
    response = seller_client.post(CHECK_URL, {"text": HOSTILE, "review": foreign_review.pk})
    assert response.status_code == 404
    response = seller_client.post(CHECK_URL, {"text": HOSTILE, "review": "1 OR 1=1"})
    assert response.status_code == 404


def test_live_check_marks_the_spans_over_escaped_text(seller_client, late_review):
    text = "<b>Terserah</b> kakak. " + HOSTILE
    response = seller_client.post(CHECK_URL, {"text": text, "review": late_review.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<mark class="tone-hostile">' in body
    assert "&lt;b&gt;" in body and "<b>" not in body
    assert response.context["verdict"]["verdict"] == "hostile"
    for finding in response.context["findings"]:
        assert finding["explanation"] and finding["explanation"] in body.replace("&#x27;", "'")


def test_live_check_when_hostile_focuses_edit_and_send_is_not_a_submit(seller_client, late_review):
    response = seller_client.post(CHECK_URL, {"text": HOSTILE, "review": late_review.pk})
    body = response.content.decode()
    assert "data-edit-reply" in body and "data-autofocus" in body
    assert 'type="submit"' not in body
    assert 'type="button" class="btn btn-rawat" data-send-reply disabled' in body
    assert 'data-verdict="hostile"' in body


def test_composer_page_offers_the_override_only_after_a_warning(seller_client, late_review):
    page = seller_client.get(reverse("reviews:review_compose", args=[late_review.pk]))
    assert 'id="override-box" data-override-box hidden' in page.content.decode()
    response = _send(seller_client, late_review, HOSTILE)
    body = response.content.decode()
    assert 'id="override-box" data-override-box>' in body
    assert 'name="override_reason"' in body


def test_live_check_when_ok_offers_send_copy_and_whatsapp(seller_client, late_review):
    response = seller_client.post(CHECK_URL, {"text": KIND, "review": late_review.pk})
    body = response.content.decode()
    assert 'type="submit" class="btn btn-rawat" data-send-reply>' in body
    assert "data-edit-reply" not in body
    expected = "https://wa.me/6281234567890?text=Halo%20Kak%20Sari%2C%20terima%20kasih"
    assert expected in body


def test_whatsapp_link_is_absent_without_a_phone(seller_client, late_review):
    buyer = late_review.order.buyer
    buyer.phone = ""
    buyer.save()
    response = seller_client.post(CHECK_URL, {"text": KIND, "review": late_review.pk})
    assert "wa.me" not in response.content.decode()


def test_live_check_without_a_review_still_answers(seller_client):
    response = seller_client.post(CHECK_URL, {"text": HOSTILE})
    assert response.status_code == 200
    assert response.context["verdict"]["verdict"] == "hostile"


def test_live_check_refuses_an_overlong_text_politely(seller_client, late_review):
    response = seller_client.post(CHECK_URL, {"text": "a" * 5000, "review": late_review.pk})
    assert response.status_code == 200
    assert "4000" in response.content.decode()


def test_hostile_reply_is_not_recorded_without_override(seller_client, late_review):
    response = _send(seller_client, late_review, HOSTILE)
    assert response.status_code == 422
    body = response.content.decode()
    assert "data-edit-reply autofocus" in body
    assert 'type="submit" class="btn btn-rawat" data-send-reply' not in body
    late_review.refresh_from_db()
    assert late_review.reply_status != Review.ReplyStatus.SENT
    assert not Interaction.objects.filter(kind=Interaction.Kind.REPLY).exists()
    assert not ToneEvent.objects.exists()


def test_override_without_reason_is_refused(seller_client, late_review):
    response = _send(seller_client, late_review, HOSTILE, override="1", override_reason="  ")
    assert response.status_code == 422
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["override_reason"]] == ["reason_required"]
    late_review.refresh_from_db()
    assert late_review.reply_status != Review.ReplyStatus.SENT


def test_reason_without_ticking_the_override_is_refused(seller_client, late_review):
    response = _send(seller_client, late_review, HOSTILE, override_reason="Pembeli minta")
    assert response.status_code == 422
    assert not ToneEvent.objects.exists()


def test_hostile_reply_with_override_and_reason_is_sent_and_kept(seller_client, late_review, owner):
    response = _send(
        seller_client, late_review, HOSTILE, override="1", override_reason="Pembeli sendiri minta"
    )
    assert response.status_code == 302
    late_review.refresh_from_db()
    assert late_review.reply_status == Review.ReplyStatus.SENT
    event = ToneEvent.objects.get()
    assert event.outcome == ToneEvent.Outcome.OVERRODE
    assert event.reason == "Pembeli sendiri minta"
    assert event.user == owner and event.shop == late_review.shop and event.review == late_review
    assert event.verdict == "hostile" and event.findings
    entry = Interaction.objects.get(kind=Interaction.Kind.REPLY)
    assert entry.data["verdict"] == "hostile"
    assert entry.data["override_reason"] == "Pembeli sendiri minta"


def test_kind_reply_lands_on_the_buyer_timeline(seller_client, late_review, owner):
    response = _send(seller_client, late_review, KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review_inbox")
    late_review.refresh_from_db()
    assert late_review.reply_status == Review.ReplyStatus.SENT
    assert late_review.replied_at is not None
    assert late_review.reply_text == KIND
    entry = Interaction.objects.get()
    assert entry.kind == Interaction.Kind.REPLY
    assert entry.buyer == late_review.order.buyer and entry.order == late_review.order
    assert entry.author == owner and entry.text == KIND
    assert entry.data["verdict"] == "ok" and entry.data["findings"] == []
    assert not ToneEvent.objects.exists()


def test_editing_after_a_warning_is_recorded_as_edited(seller_client, late_review):
    seller_client.post(CHECK_URL, {"text": HOSTILE, "review": late_review.pk})
    seller_client.post(CHECK_URL, {"text": KIND, "review": late_review.pk})
    assert _send(seller_client, late_review, KIND).status_code == 302
    event = ToneEvent.objects.get()
    assert event.outcome == ToneEvent.Outcome.EDITED
    assert event.verdict == "hostile" and event.warned_text == HOSTILE
    assert event.final_verdict == "ok" and event.final_text == KIND


def test_a_refused_send_then_an_edit_is_recorded_as_edited(seller_client, late_review):
    assert _send(seller_client, late_review, HOSTILE).status_code == 422
    assert _send(seller_client, late_review, KIND).status_code == 302
    assert ToneEvent.objects.get().outcome == ToneEvent.Outcome.EDITED


def test_cancelling_after_a_warning_is_recorded(seller_client, late_review):
    seller_client.post(CHECK_URL, {"text": HOSTILE, "review": late_review.pk})
    url = reverse("reviews:review_reply_cancel", args=[late_review.pk])
    assert seller_client.post(url, {"text": HOSTILE}).status_code == 302
    event = ToneEvent.objects.get()
    assert event.outcome == ToneEvent.Outcome.CANCELLED and event.verdict == "hostile"
    late_review.refresh_from_db()
    assert late_review.reply_status == Review.ReplyStatus.NONE
    # The warning is spent: cancelling again records nothing more.
    seller_client.post(url)
    assert ToneEvent.objects.count() == 1


def test_cancelling_without_a_warning_records_nothing(seller_client, late_review):
    url = reverse("reviews:review_reply_cancel", args=[late_review.pk])
    assert seller_client.post(url).status_code == 302
    assert not ToneEvent.objects.exists()


def test_save_draft_keeps_the_text_unsent(seller_client, late_review):
    url = reverse("reviews:review_reply_draft", args=[late_review.pk])
    assert seller_client.post(url, {"text": "Draft saya"}).status_code == 302
    late_review.refresh_from_db()
    assert late_review.reply_status == Review.ReplyStatus.DRAFTED
    assert late_review.reply_text == "Draft saya"
    page = seller_client.get(reverse("reviews:review_compose", args=[late_review.pk]))
    assert "Draft saya" in page.content.decode()


def test_a_sent_reply_cannot_be_sent_twice(seller_client, late_review):
    assert _send(seller_client, late_review, KIND).status_code == 302
    assert _send(seller_client, late_review, KIND + " Lagi.").status_code == 422
    assert Interaction.objects.count() == 1


def test_service_refuses_hostile_reply_with_code(late_review, owner):
    with pytest.raises(ValidationError) as caught:
        reply_send(review=late_review, text=HOSTILE, by=owner)
    assert caught.value.code == "hostile"
    with pytest.raises(ValidationError) as caught:
        reply_send(review=late_review, text="   ", by=owner)
    assert caught.value.code == "empty"


def test_browser_line_breaks_are_stored_as_newlines(seller_client, late_review):
    assert (
        _send(seller_client, late_review, "Halo Kak Sari,\r\n\r\nTerima kasih.").status_code == 302
    )
    late_review.refresh_from_db()
    assert late_review.reply_text == "Halo Kak Sari,\n\nTerima kasih."


def test_tone_guard_summary_counts_what_the_guard_changed(
    seller_client, late_review, shop, other_shop
):
    from reviews.selectors import tone_guard_summary

    assert tone_guard_summary(shop=shop)["rate"] is None
    seller_client.post(CHECK_URL, {"text": HOSTILE, "review": late_review.pk})
    _send(seller_client, late_review, KIND)
    other = ReviewFactory(order__buyer__shop=shop, rating=3, needs_care=True)
    _send(seller_client, other, HOSTILE, override="1", override_reason="Diminta pembeli")
    summary = tone_guard_summary(shop=shop)
    assert summary["counts"]["edited"] == 1 and summary["counts"]["overrode"] == 1
    assert summary["warnings"] == 2 and summary["changed"] == 1 and summary["rate"] == 0.5
    assert tone_guard_summary(shop=other_shop)["warnings"] == 0
