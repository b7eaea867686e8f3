"""The buyer page shows care at a glance: replies with their tone, follow-ups, cancellations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.selectors import buyer_timeline
from reviews.services import reply_send
from stock.models import Cancellation
from tests.factories import (
    BuyerFactory,
    CancellationFactory,
    FollowUpFactory,
    OrderFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _timeline_html(client, buyer) -> str:
    body = client.get(buyer.get_absolute_url()).content.decode()
    start = body.index('id="timeline"')
    return body[start : body.index("</ol>", start)]


def test_follow_ups_show_on_the_timeline_with_status_and_why_skipped(seller_client, shop):
    buyer = BuyerFactory(shop=shop, name="Rina")
    order = OrderFactory(buyer=buyer, external_id="SHP-777")
    now = timezone.now()
    FollowUpFactory(
        buyer=buyer,
        order=order,
        kind="delay_apology",
        status="sent",
        sent_at=now - timedelta(days=2),
        text="Mohon maaf paketnya terlambat 3 hari, Kak Rina.",
    )
    FollowUpFactory(
        buyer=buyer,
        kind="holiday",
        status="skipped",
        skip_reason="no_consent",
        due_at=now - timedelta(days=1),
        text="Selamat Natal, Kak Rina!",
    )
    FollowUpFactory(
        buyer=buyer,
        kind="review_care",
        status="held",
        due_at=now + timedelta(days=1),
        text="Terima kasih atas ulasannya, Kak.",
    )
    html = _timeline_html(seller_client, buyer)
    assert html.count('class="kind-followup"') == 3
    assert "Mohon maaf paketnya terlambat 3 hari" in html
    assert "Sent" in html and "#SHP-777" in html
    assert "Skipped" in html and "The buyer has not agreed to marketing messages." in html
    assert "Needs approval" in html
    # Newest first: the held one (due tomorrow) above the skipped one above the sent one.
    assert html.index("Terima kasih atas ulasannya") < html.index("Selamat Natal")
    assert html.index("Selamat Natal") < html.index("Mohon maaf paketnya")


def test_a_hostile_follow_up_is_flagged_on_the_timeline(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    FollowUpFactory(buyer=buyer, status="held", tone_verdict="hostile", text="Dasar pembeli rewel")
    assert "hostile tone" in _timeline_html(seller_client, buyer)


def test_cancellations_show_who_started_them_and_why(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    order = OrderFactory(buyer=buyer, external_id="TKP-42")
    CancellationFactory(
        order=order,
        initiator=Cancellation.Initiator.SELLER,
        reason=Cancellation.Reason.OUT_OF_STOCK,
        note="Warna merah habis, sudah tawarkan biru",
    )
    html = _timeline_html(seller_client, buyer)
    assert 'class="kind-cancellation"' in html
    assert "Out of stock" in html or "out of stock" in html.lower()
    assert "started by Seller" in html
    assert "Warna merah habis, sudah tawarkan biru" in html
    assert "#TKP-42" in html


def test_a_sent_reply_shows_its_tone_verdict_and_the_override_reason(seller_client, shop, owner):
    buyer = BuyerFactory(shop=shop)
    kind = ReviewFactory(order=OrderFactory(buyer=buyer), rating=4, text="Kurir telat")
    rude = ReviewFactory(order=OrderFactory(buyer=buyer), rating=1, text="Barang rusak")
    reply_send(review=kind, text="Terima kasih, Kak. Mohon maaf atas keterlambatannya.", by=owner)
    reply_send(
        review=rude,
        text="Dasar pembeli bodoh, baca deskripsi dong!",
        by=owner,
        override_reason="Pembeli sudah minta maaf di chat",
    )
    html = _timeline_html(seller_client, buyer)
    assert "kind tone" in html
    assert "hostile tone" in html
    assert "Sent despite the warning: Pembeli sudah minta maaf di chat" in html


def test_another_buyers_follow_ups_and_cancellations_stay_off_the_timeline(shop):
    buyer = BuyerFactory(shop=shop)
    other = BuyerFactory(shop=shop)
    FollowUpFactory(buyer=other)
    CancellationFactory(order=OrderFactory(buyer=other))
    FollowUpFactory(buyer=buyer)
    kinds = [entry.kind for entry in buyer_timeline(buyer=buyer)]
    assert kinds == ["followup"]


def test_last_contact_counts_a_sent_follow_up(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    sent = timezone.now() - timedelta(days=3)
    FollowUpFactory(buyer=buyer, status="sent", sent_at=sent)
    response = seller_client.get(buyer.get_absolute_url())
    body = response.content.decode()
    start = body.index('id="buyer-last-contact"')
    assert timezone.localtime(sent).strftime("%-d %b %Y") in body[start : start + 80]
