from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Interaction
from followups.models import CareSettings, CourierSlowdown, FollowUp, MembershipTier
from followups.unsubscribe import unsubscribe_token
from tests.factories import BuyerFactory, FollowUpFactory

LIST = reverse("followups:followup_list")


def _action(followup, action):
    return reverse("followups:followup_action", args=[followup.pk, action])


def test_outbox_lists_what_needs_the_seller_oldest_first(
    seller_client, shop, django_assert_max_num_queries
):
    now = timezone.now()
    newer = FollowUpFactory(buyer=BuyerFactory(shop=shop), due_at=now - datetime.timedelta(hours=1))
    older = FollowUpFactory(
        buyer=BuyerFactory(shop=shop), due_at=now - datetime.timedelta(days=1), status="held"
    )
    FollowUpFactory(buyer=BuyerFactory(shop=shop), status="sent", sent_at=now, text="ALREADY SENT")
    for _ in range(20):
        FollowUpFactory(buyer=BuyerFactory(shop=shop))

    # The tab counts are two queries (open statuses, sent in the last 7 days), whatever the size.
    with django_assert_max_num_queries(13):
        response = seller_client.get(LIST)

    page = list(response.context["page_obj"])
    assert page[0] == older and page[1] == newer
    assert "ALREADY SENT" not in response.content.decode()


def test_outbox_filters_by_kind_status_and_channel(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    wa = FollowUpFactory(buyer=buyer, channel="whatsapp", kind="holiday")
    FollowUpFactory(buyer=buyer, channel="email", kind="thank_you")
    sent = FollowUpFactory(buyer=buyer, status="sent", sent_at=timezone.now())

    by_channel = seller_client.get(LIST, {"channel": "whatsapp"}).context["page_obj"]
    by_kind = seller_client.get(LIST, {"kind": "holiday"}).context["page_obj"]
    by_status = seller_client.get(LIST, {"status": "sent"}).context["page_obj"]

    assert list(by_channel) == [wa] and list(by_kind) == [wa] and list(by_status) == [sent]


def test_outbox_shows_wa_link_copy_and_mark_sent(seller_client, shop):
    buyer = BuyerFactory(shop=shop, phone="081234567890")
    FollowUpFactory(buyer=buyer, channel="whatsapp", recipient=buyer.phone, text="Halo kak")
    html = seller_client.get(LIST).content.decode()
    assert "https://wa.me/6281234567890?text=Halo%20kak" in html
    assert "data-copy=" in html and "mark_sent" in html
    assert "<script>" not in html.replace('<script src="', "")


def test_another_shops_follow_up_is_a_404_everywhere(seller_client, other_shop):
    theirs = FollowUpFactory(buyer=BuyerFactory(shop=other_shop), channel="whatsapp")
    assert seller_client.get(theirs.get_absolute_url()).status_code == 404
    assert seller_client.post(_action(theirs, "mark_sent")).status_code == 404
    reply = reverse("followups:followup_reply", args=[theirs.pk])
    assert seller_client.post(reply, {"text": "STOP"}).status_code == 404
    seller_client.post(
        reverse("followups:followup_bulk"), {"ids": [theirs.pk], "action": "mark_sent"}
    )
    theirs.refresh_from_db()
    assert theirs.status == "due"
    assert theirs not in seller_client.get(LIST).context["page_obj"].object_list


def test_mark_sent_from_the_outbox_puts_it_on_the_timeline(seller_client, shop, owner):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    response = seller_client.post(_action(followup, "mark_sent"), {"next": LIST})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "sent" and followup.sent_by == owner
    assert Interaction.objects.filter(buyer=followup.buyer, kind="followup").exists()


def test_bulk_actions_apply_to_the_chosen_messages_only(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    chosen = FollowUpFactory.create_batch(2, buyer=buyer, channel="marketplace")
    other = FollowUpFactory(buyer=buyer, channel="marketplace")
    email = FollowUpFactory(buyer=buyer, channel="email")

    seller_client.post(
        reverse("followups:followup_bulk"),
        {"ids": [f.pk for f in chosen] + [email.pk], "action": "mark_sent"},
    )

    statuses = dict(FollowUp.objects.values_list("pk", "status"))
    assert [statuses[f.pk] for f in chosen] == ["sent", "sent"]
    assert statuses[other.pk] == "due"
    assert statuses[email.pk] == "due"  # the sender sends due emails; sellers cannot fake it

    seller_client.post(reverse("followups:followup_bulk"), {"ids": [other.pk], "action": "skip"})
    other.refresh_from_db()
    assert (other.status, other.skip_reason) == ("skipped", "by_seller")


def test_editing_the_text_in_the_detail_page(seller_client, shop):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    response = seller_client.post(
        followup.get_absolute_url(), {"text": "Halo kak, paketnya sudah sampai?", "subject": ""}
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.text == "Halo kak, paketnya sudah sampai?"


def test_logged_reply_stop_opts_the_buyer_out(seller_client, shop):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    other = FollowUpFactory(buyer=followup.buyer, status="planned")
    seller_client.post(
        reverse("followups:followup_reply", args=[followup.pk]), {"text": "BERHENTI ya kak"}
    )
    followup.buyer.refresh_from_db()
    other.refresh_from_db()
    assert followup.buyer.opted_out_at is not None
    assert (other.status, other.skip_reason) == ("skipped", "opted_out")


def test_an_ordinary_reply_does_not_opt_out(seller_client, shop):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    seller_client.post(
        reverse("followups:followup_reply", args=[followup.pk]), {"text": "Sudah sampai kak"}
    )
    followup.buyer.refresh_from_db()
    assert followup.buyer.opted_out_at is None


@pytest.mark.parametrize("word", ["STOP", "stop", "Berhenti", "  stop!"])
def test_inbound_chat_logged_anywhere_with_stop_word_opts_out(shop, word):
    buyer = BuyerFactory(shop=shop)
    Interaction.objects.create(
        shop=shop, buyer=buyer, kind="chat", text=word, data={"direction": "inbound"}
    )
    buyer.refresh_from_db()
    assert buyer.opted_out_at is not None


def test_seller_button_buyer_replied_stop(seller_client, shop):
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop), channel="whatsapp")
    seller_client.post(_action(followup, "opt_out"))
    followup.refresh_from_db()
    assert followup.status == "skipped" and followup.buyer.opted_out_at


def test_unsubscribe_link_confirms_then_opts_out(client, shop):
    buyer = BuyerFactory(shop=shop)
    open_one = FollowUpFactory(buyer=buyer)
    url = reverse("followups:unsubscribe", args=[unsubscribe_token(buyer_id=buyer.pk)])

    page = client.get(url)
    buyer.refresh_from_db()
    assert page.status_code == 200 and buyer.opted_out_at is None  # GET changes nothing

    client.post(url)
    buyer.refresh_from_db()
    open_one.refresh_from_db()
    assert buyer.opted_out_at is not None and open_one.skip_reason == "opted_out"


def test_tampered_unsubscribe_link_is_refused(client, shop):
    buyer = BuyerFactory(shop=shop)
    token = unsubscribe_token(buyer_id=buyer.pk)
    response = client.post(reverse("followups:unsubscribe", args=[token[:-2] + "xx"]))
    buyer.refresh_from_db()
    assert response.status_code == 404 and buyer.opted_out_at is None


def test_settings_page_creates_defaults_and_saves_rules_and_tiers(seller_client, shop):
    url = reverse("followups:care_settings")
    response = seller_client.get(url)
    assert response.status_code == 200
    settings = CareSettings.objects.get(shop=shop)
    tiers = list(MembershipTier.objects.filter(shop=shop).order_by("rank"))
    assert [t.name for t in tiers] == ["Bronze", "Silver", "Gold"]

    form = response.context["form"]
    data = {f"rules-{name}": value for name, value in form.initial.items() if value is not None}
    data = {k: v for k, v in data.items() if v is not False}
    data.update(
        {
            "rules-thank_you_days": "4",
            "rules-holiday_keys": ["idul_fitri", "natal"],
            "rules-quiet_start": "22:00",
            "rules-quiet_end": "07:30",
            "tiers-TOTAL_FORMS": "3",
            "tiers-INITIAL_FORMS": "3",
            "tiers-MIN_NUM_FORMS": "0",
            "tiers-MAX_NUM_FORMS": "1000",
        }
    )
    data.pop("rules-late_apology_enabled", None)  # switch the rule off
    for i, tier in enumerate(tiers):
        data.update(
            {
                f"tiers-{i}-id": tier.pk,
                f"tiers-{i}-rank": tier.rank,
                f"tiers-{i}-name": tier.name,
                f"tiers-{i}-min_orders": tier.min_orders,
                f"tiers-{i}-min_spend": tier.min_spend,
                f"tiers-{i}-perk": tier.perk,
            }
        )
    data["tiers-2-perk"] = "Gratis ongkir seumur hidup"

    response = seller_client.post(url, data)

    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
        response.context["formset"].non_form_errors(),
    )
    settings.refresh_from_db()
    assert settings.thank_you_days == 4 and not settings.late_apology_enabled
    assert settings.holiday_keys == ["idul_fitri", "natal"]
    assert settings.quiet_end == datetime.time(7, 30)
    assert MembershipTier.objects.get(shop=shop, rank=3).perk == "Gratis ongkir seumur hidup"


def test_slowdown_with_end_before_start_is_refused(seller_client, shop):
    url = reverse("followups:slowdown_list")
    response = seller_client.post(
        url,
        {"courier": "jne", "starts_on": "2027-03-05", "ends_on": "2027-03-01", "reason": "Mudik"},
    )
    assert response.status_code == 200
    assert not CourierSlowdown.objects.exists()
    seller_client.post(
        url, {"courier": "", "starts_on": "2027-03-01", "ends_on": "2027-03-15", "reason": "Mudik"}
    )
    assert CourierSlowdown.objects.get().shop == shop


def test_outbox_requires_login(client):
    assert client.get(LIST).status_code == 302


def test_hostile_message_offers_no_copy_or_send_button(seller_client, shop):
    followup = FollowUpFactory(
        buyer=BuyerFactory(shop=shop), channel="whatsapp", status="held", tone_verdict="hostile"
    )
    html = seller_client.get(followup.get_absolute_url()).content.decode()
    assert "data-copy=" not in html and "wa.me" not in html and "mark_sent" not in html


def test_outbox_status_pills_link_to_their_lists_with_counts(seller_client, shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    FollowUpFactory.create_batch(2, buyer=buyer, status="held")
    FollowUpFactory(buyer=buyer, status="sent", sent_at=now - datetime.timedelta(days=1))
    FollowUpFactory(buyer=buyer, status="sent", sent_at=now - datetime.timedelta(days=10))
    FollowUpFactory(buyer=BuyerFactory(), status="sent", sent_at=now)  # another shop

    response = seller_client.get(LIST, {"status": "held"})

    counts = response.context["counts"]
    assert counts["held"] == 2 and counts["sent_recently"] == 1
    content = response.content.decode()
    assert 'class="nav-link active" href="?status=held"' in content
    assert 'class="nav-link" href="?status=sent"' in content


def test_sent_messages_are_listed_newest_first(seller_client, shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    old = FollowUpFactory(
        buyer=buyer, status="sent", due_at=now - datetime.timedelta(days=9), sent_at=now
    )
    recent = FollowUpFactory(
        buyer=buyer, status="sent", due_at=now - datetime.timedelta(days=1), sent_at=now
    )

    page = seller_client.get(LIST, {"status": "sent"}).context["page_obj"]

    assert list(page) == [recent, old]
