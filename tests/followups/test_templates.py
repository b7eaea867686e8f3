"""Shop-editable follow-up texts: defaults, placeholder checks, holiday greetings, pages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm import tone
from followups.messages import message_render, render_safe
from followups.models import FollowUp, FollowUpTemplate, Kind
from followups.occasions import HOLIDAY_LABELS, holidays_in
from followups.services import (
    followup_template_reset,
    followup_template_save,
    followup_texts_get,
    followups_plan_loyalty,
    followups_plan_orders,
)
from followups.texts import (
    DEFAULT_TEXTS,
    KIND_PLACEHOLDERS,
    LANGUAGES,
    occasions_for,
    template_slots,
    text_validate,
)
from tests.factories import BuyerFactory, UserFactory
from tests.followups.conftest import wib

SAMPLE = {
    "buyer_name": "Sari Dewi",
    "shop_name": "Toko Nusantara",
    "order_id": "INV/20270310/1234",
    "product": "Pashmina Sage",
    "courier": "JNE",
    "tracking_number": "JNE123456789",
    "marketplace": "Tokopedia",
    "promised_date": "8 Maret 2027",
    "delivered_date": "11 Maret 2027",
    "shipped_date": "5 Maret 2027",
    "delay_days": 3,
    "reason": "arus mudik Lebaran",
    "slowdown_start": "3 Maret 2027",
    "slowdown_end": "12 Maret 2027",
    "topics": "pengiriman terlambat",
    "rating": 3,
    "holiday_name": "Hari Raya Waisak",
    "sale_day": "12.12",
    "tier_name": "Gold",
    "perk": "gratis ongkir",
    "days_since": 90,
    "years": 2,
}


def _idul_fitri(year: int) -> datetime.date:
    return next(h.date for h in holidays_in(year) if h.key == "idul_fitri")


def test_every_kind_occasion_and_language_has_a_default():
    for kind, occasion in template_slots():
        for language in LANGUAGES:
            assert (kind, occasion, language) in DEFAULT_TEXTS
    assert set(occasions_for(Kind.HOLIDAY)) == {""} | set(HOLIDAY_LABELS)
    assert {"idul_fitri", "natal", "imlek", "tahun_baru"} <= set(occasions_for(Kind.HOLIDAY))


@pytest.mark.parametrize(("key", "texts"), sorted(DEFAULT_TEXTS.items()))
def test_every_default_uses_only_its_kinds_placeholders_and_passes_the_tone_guard(key, texts):
    kind, _occasion, _language = key
    subject, body = texts
    text_validate(kind=kind, subject=subject, body=body)
    facts = {name: SAMPLE[name] for name in KIND_PLACEHOLDERS[kind]}
    rendered = render_safe(body, facts)
    assert "{" not in rendered
    for channel in ("chat", "email", "whatsapp"):
        verdict = tone.check(rendered, channel=channel)
        assert verdict.verdict == "ok", (channel, [f.as_dict() for f in verdict.findings])
    assert tone.check(render_safe(subject, facts), channel="email").verdict == "ok"


def test_indonesian_defaults_speak_to_the_buyer_as_kak():
    subject, body = DEFAULT_TEXTS[(Kind.HOLIDAY, "idul_fitri", "id")]
    assert body.startswith("Selamat Hari Raya Idul Fitri, Kak {buyer_name}!")
    assert "Mohon maaf lahir dan batin" in body


def test_holiday_greeting_on_idul_fitri_uses_the_shops_edited_idul_fitri_text(shop, settings):
    settings.LANGUAGE_CODE = "id"  # buyers read Indonesian by default
    followup_template_save(
        shop=shop,
        kind=Kind.HOLIDAY,
        occasion="idul_fitri",
        language="id",
        subject="Lebaran dari {shop_name}",
        body="Kak {buyer_name}, keluarga besar {shop_name} mohon maaf lahir dan batin. "
        "Ada parsel kecil menunggu di pesanan berikutnya.",
    )
    # Another holiday keeps its own default; the edit is for Idul Fitri only.
    followup_template_save(
        shop=shop,
        kind=Kind.HOLIDAY,
        occasion="",
        language="id",
        subject="",
        body="Salam hangat untuk Kak {buyer_name} di hari {holiday_name}.",
    )
    buyer = BuyerFactory(shop=shop, name="Sari", marketing_consent=True)
    day = _idul_fitri(2027)

    with time_machine.travel(wib(day.year, day.month, day.day, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)

    greeting = FollowUp.objects.get(kind=Kind.HOLIDAY, buyer=buyer)
    assert greeting.text == (
        f"Kak Sari, keluarga besar {shop.name} mohon maaf lahir dan batin. "
        "Ada parsel kecil menunggu di pesanan berikutnya."
    )
    assert greeting.subject == f"Lebaran dari {shop.name}"


def test_without_an_edit_the_indonesian_default_greeting_is_used(shop, settings):
    settings.LANGUAGE_CODE = "id"
    buyer = BuyerFactory(shop=shop, name="Sari", marketing_consent=True)
    day = next(h.date for h in holidays_in(2027) if h.key == "natal")

    with time_machine.travel(wib(day.year, day.month, day.day, 8, 0), tick=False):
        followups_plan_loyalty(shop=shop)

    greeting = FollowUp.objects.get(kind=Kind.HOLIDAY, buyer=buyer)
    assert greeting.text.startswith("Selamat Natal, Kak Sari!")


def test_a_holiday_without_its_own_text_uses_the_shops_general_holiday_text(shop):
    followup_template_save(
        shop=shop,
        kind=Kind.HOLIDAY,
        occasion="",
        language="en",
        subject="",
        body="Warm wishes for {holiday_name}, {buyer_name}!",
    )
    texts = followup_texts_get(shop=shop)
    facts = {"buyer_name": "Sari", "holiday_name": "Hari Baru", "holiday_key": "hari_baru"}

    rendered = message_render(kind=Kind.HOLIDAY, facts=facts, texts=texts, language="en")
    natal = message_render(
        kind=Kind.HOLIDAY, facts={**facts, "holiday_key": "natal"}, texts=texts, language="en"
    )

    assert rendered.text == "Warm wishes for Hari Baru, Sari!"
    assert natal.text.startswith("Merry Christmas, Sari!")


def test_the_late_delivery_apology_is_drafted_from_the_shops_text(shop, settings):
    from tests.followups.test_planning import NOON, _late_order

    settings.LANGUAGE_CODE = "id"
    followup_template_save(
        shop=shop,
        kind=Kind.LATE_APOLOGY,
        occasion="delivered",
        language="id",
        subject="Maaf ya Kak",
        body="Kak {buyer_name}, pesanan #{order_id} telat {delay_days} hari. Maaf ya!",
    )
    order = _late_order(shop)

    with time_machine.travel(NOON, tick=False):
        followups_plan_orders(shop=shop)

    apology = FollowUp.objects.get(order=order, kind=Kind.LATE_APOLOGY)
    assert (
        apology.text
        == f"Kak {order.buyer.name}, pesanan #{order.external_id} telat 3 hari. Maaf ya!"
    )


def test_an_unknown_placeholder_is_refused_by_name_and_nothing_is_written(shop):
    with pytest.raises(ValidationError) as caught:
        followup_template_save(
            shop=shop,
            kind=Kind.BIRTHDAY,
            occasion="",
            language="id",
            subject="",
            # {order_id} exists for order messages, not for a birthday.
            body="Selamat ulang tahun, Kak {buyer_name}! Voucher: {voucher} untuk {order_id}.",
        )

    errors = caught.value.error_dict["body"]
    assert {e.code for e in errors} == {"unknown_placeholder"}
    assert {e.params["name"] for e in errors} == {"voucher", "order_id"}
    assert "{voucher}" in " ".join(caught.value.messages)
    assert not FollowUpTemplate.objects.exists()


@pytest.mark.parametrize(
    ("kind", "occasion", "language", "code"),
    [
        (Kind.HOLIDAY, "hari_kucing", "id", "unknown_template"),
        ("newsletter", "", "id", "unknown_template"),
        (Kind.BIRTHDAY, "", "jv", "unknown_language"),
    ],
)
def test_an_unknown_kind_occasion_or_language_is_refused(shop, kind, occasion, language, code):
    with pytest.raises(ValidationError) as caught:
        followup_template_save(
            shop=shop,
            kind=kind,
            occasion=occasion,
            language=language,
            subject="",
            body="Halo {buyer_name}",
        )
    assert caught.value.code == code
    assert not FollowUpTemplate.objects.exists()


def test_reset_brings_the_default_back(shop):
    followup_template_save(
        shop=shop, kind=Kind.RESTOCK, occasion="", language="id", subject="", body="Ready!"
    )
    assert followup_texts_get(shop=shop).get(Kind.RESTOCK, "", "id")[1] == "Ready!"

    followup_template_reset(shop=shop, kind=Kind.RESTOCK, occasion="", language="id")

    assert (
        followup_texts_get(shop=shop).get(Kind.RESTOCK, "", "id")
        == DEFAULT_TEXTS[(Kind.RESTOCK, "", "id")]
    )


def test_one_shops_edit_does_not_reach_another_shop(shop, other_shop):
    followup_template_save(
        shop=shop, kind=Kind.RESTOCK, occasion="", language="id", subject="", body="Ready!"
    )
    assert followup_texts_get(shop=other_shop).get(Kind.RESTOCK, "", "id")[1] != "Ready!"


def test_care_settings_page_links_to_the_templates_page(
    seller_client, django_assert_max_num_queries
):
    settings_page = seller_client.get(reverse("followups:care_settings"))
    assert reverse("followups:template_list") in settings_page.content.decode()

    with django_assert_max_num_queries(12):
        listing = seller_client.get(reverse("followups:template_list"))

    assert listing.status_code == 200
    edit = (
        reverse("followups:template_edit") + "?kind=holiday&amp;occasion=idul_fitri&amp;language=id"
    )
    assert edit in listing.content.decode()


def test_seller_edits_a_greeting_on_the_page(seller_client, shop):
    url = reverse("followups:template_edit") + "?kind=holiday&occasion=natal&language=id"
    assert seller_client.get(url).status_code == 200

    response = seller_client.post(
        url, {"subject": "Natal dari {shop_name}", "body": "Selamat Natal, Kak {buyer_name}!"}
    )

    assert response.status_code == 302
    saved = FollowUpTemplate.objects.get(shop=shop)
    assert (saved.kind, saved.occasion, saved.language) == ("holiday", "natal", "id")
    assert saved.body == "Selamat Natal, Kak {buyer_name}!"


def test_page_refuses_an_unknown_placeholder_and_names_it(seller_client):
    url = reverse("followups:template_edit") + "?kind=winback&occasion=&language=en"

    response = seller_client.post(url, {"subject": "", "body": "Hi {buyer_name}, {coupon}!"})

    assert response.status_code == 422
    assert "{coupon}" in response.content.decode()
    assert not FollowUpTemplate.objects.exists()


def test_page_of_an_unknown_occasion_is_404(seller_client):
    url = reverse("followups:template_edit")
    assert (
        seller_client.get(url, {"kind": "holiday", "occasion": "x", "language": "id"}).status_code
        == 404
    )
    assert seller_client.get(url).status_code == 404


def test_the_edit_page_shows_the_shops_own_text_never_another_shops(
    seller_client, shop, other_shop
):
    followup_template_save(
        shop=other_shop, kind=Kind.BIRTHDAY, occasion="", language="id", subject="", body="ZZ-B"
    )
    followup_template_save(
        shop=shop, kind=Kind.BIRTHDAY, occasion="", language="id", subject="", body="ZZ-A"
    )

    page = seller_client.get(
        reverse("followups:template_edit"), {"kind": "birthday", "occasion": "", "language": "id"}
    )
    listing = seller_client.get(reverse("followups:template_list"))

    for response in (page, listing):
        assert "ZZ-A" in response.content.decode()
        assert "ZZ-B" not in response.content.decode()


def test_shop_manager_sees_only_their_shops_templates_in_admin(client, shop, other_shop):
    from customers.managers import managers_group_ensure
    from tests.factories import MembershipFactory

    manager = UserFactory(username="mgr", is_staff=True)
    manager.groups.add(managers_group_ensure())
    MembershipFactory(shop=shop, user=manager, role="staff")
    client.force_login(manager)
    mine = followup_template_save(
        shop=shop, kind=Kind.BIRTHDAY, occasion="", language="id", subject="", body="Hi!"
    )
    theirs = followup_template_save(
        shop=other_shop, kind=Kind.BIRTHDAY, occasion="", language="id", subject="", body="Yo!"
    )

    listing = client.get(reverse("admin:followups_followuptemplate_changelist"))

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]
    change = client.get(reverse("admin:followups_followuptemplate_change", args=[theirs.pk]))
    assert change.status_code in (302, 404)


def test_admin_refuses_an_unknown_placeholder(client, shop):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:followups_followuptemplate_add"),
        {
            "shop": shop.pk,
            "kind": "birthday",
            "occasion": "",
            "language": "id",
            "subject": "",
            "body": "Selamat, {buyer_name}! {hadiah}",
        },
    )

    assert response.status_code == 200
    assert "{hadiah}" in response.content.decode()
    assert not FollowUpTemplate.objects.exists()
