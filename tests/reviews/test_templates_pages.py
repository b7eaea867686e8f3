"""Sellers edit their reply templates and their offer; defaults pass the tone guard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm import tone
from reviews.models import ReplyTemplate, ShopReplySettings
from reviews.reply_defaults import DEFAULT_TEMPLATES
from reviews.services import reply_templates_ensure
from reviews.templating import template_render

FULL_FACTS = {
    "id": {
        "buyer_name": "Sari",
        "product": "Kemeja Batik Parang",
        "courier": "J&T Express",
        "shipped_date": "10 Maret 2026",
        "promised_date": "13 Maret 2026",
        "delivered_date": "16 Maret 2026",
        "delay_days": 3,
        "offer": "voucher belanja Rp 20.000 (kode MAAF20) untuk pesanan berikutnya",
        "shop_name": "Toko Rawat",
        "order_id": "INV/20260310/MPL/123",
    },
    "en": {
        "buyer_name": "Sari",
        "product": "Kemeja Batik Parang",
        "courier": "J&T Express",
        "shipped_date": "10 March 2026",
        "promised_date": "13 March 2026",
        "delivered_date": "16 March 2026",
        "delay_days": 3,
        "offer": "a Rp 20.000 voucher (code MAAF20) for your next order",
        "shop_name": "Toko Rawat",
        "order_id": "INV/20260310/MPL/123",
    },
}


@pytest.mark.parametrize(("action", "lang"), sorted(DEFAULT_TEMPLATES))
@pytest.mark.parametrize("facts", ["full", "none"])
def test_default_templates_read_ok_to_the_tone_guard(action, lang, facts):
    text = template_render(
        DEFAULT_TEMPLATES[(action, lang)], FULL_FACTS[lang] if facts == "full" else {}, lang=lang
    )
    verdict = tone.check(text, lang=lang)
    assert verdict.verdict == "ok", (text, verdict.as_dict()["findings"])


def test_template_list_shows_every_situation_in_both_languages(seller_client, shop):
    response = seller_client.get(reverse("reviews:reply_template_list"))
    assert response.status_code == 200
    assert ReplyTemplate.objects.filter(shop=shop).count() == len(DEFAULT_TEMPLATES)
    assert len(response.context["rows"]) == 5


def test_unknown_placeholder_is_refused_with_its_name(seller_client, shop):
    template = reply_templates_ensure(shop=shop)[("thank", "id")]
    url = reverse("reviews:reply_template_edit", args=[template.pk])
    response = seller_client.post(url, {"body": "Halo {nama}, cek {buyer_name.__class__}"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "{nama}" in body and "{buyer_name.__class__}" in body
    template.refresh_from_db()
    assert template.body == DEFAULT_TEMPLATES[("thank", "id")]


def test_unbalanced_brace_is_refused(seller_client, shop):
    template = reply_templates_ensure(shop=shop)[("thank", "en")]
    url = reverse("reviews:reply_template_edit", args=[template.pk])
    response = seller_client.post(url, {"body": "Hi {buyer_name, thanks"})
    assert response.status_code == 422
    assert [e.code for e in response.context["form"].errors.as_data()["body"]] == ["unbalanced"]


def test_valid_template_is_saved_and_previewed(seller_client, shop):
    template = reply_templates_ensure(shop=shop)[("delay_explanation", "id")]
    url = reverse("reviews:reply_template_edit", args=[template.pk])
    response = seller_client.post(url, {"body": "Maaf Kak {buyer_name}, telat {delay_days} hari."})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Maaf Kak {buyer_name}, telat {delay_days} hari."
    page = seller_client.get(url)
    assert "Maaf Kak Sari, telat 3 hari." in page.content.decode()


def test_template_can_be_reset_to_the_default(seller_client, shop):
    template = reply_templates_ensure(shop=shop)[("thank", "id")]
    template.body = "Makasih"
    template.save()
    url = reverse("reviews:reply_template_edit", args=[template.pk])
    assert seller_client.post(url, {"reset": "1", "body": ""}).status_code == 302
    template.refresh_from_db()
    assert template.body == DEFAULT_TEMPLATES[("thank", "id")]


def test_another_shops_template_is_a_404(seller_client, other_shop):
    template = reply_templates_ensure(shop=other_shop)[("thank", "id")]
    url = reverse("reviews:reply_template_edit", args=[template.pk])
    assert seller_client.get(url).status_code == 404
    assert seller_client.post(url, {"body": "Hacked"}).status_code == 404
    template.refresh_from_db()
    assert template.body != "Hacked"


def test_offer_is_saved_per_shop(seller_client, shop, other_shop):
    url = reverse("reviews:reply_template_list")
    response = seller_client.post(
        url, {"offer": "voucher", "voucher_amount": "15000", "voucher_code": "MAAF15"}
    )
    assert response.status_code == 302
    settings = ShopReplySettings.objects.get(shop=shop)
    assert (settings.offer, settings.voucher_amount, settings.voucher_code) == (
        "voucher",
        15000,
        "MAAF15",
    )
    assert not ShopReplySettings.objects.filter(shop=other_shop).exists()


def test_voucher_without_amount_is_refused(seller_client, shop):
    response = seller_client.post(
        reverse("reviews:reply_template_list"), {"offer": "voucher", "voucher_amount": "0"}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["voucher_amount"]] == ["voucher_amount"]
