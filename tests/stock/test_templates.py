"""Stock and playbook templates: defaults pass the tone guard, placeholders are checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm import tone
from stock.models import MessageTemplate
from stock.services import stock_templates_ensure
from stock.template_defaults import DEFAULT_TEMPLATES
from stock.templating import PLACEHOLDERS, template_render, template_validate

FACTS = {
    "buyer_name": "Siti",
    "shop_name": "Kirana Hijab",
    "product": "Pashmina Sage",
    "sku": "DEMO-SOLDOUT",
    "price": "Rp 42.000",
    "stock": 7,
    "variants": "Hitam (5), Navy (2)",
    "sold_out_variants": "Sage",
    "restock_date": "10 Desember 2026",
    "alternatives": "- Pashmina Taupe: Rp 39.000 (stok 70)",
    "order_id": "2603000123",
    "marketplace": "Shopee",
    "reason": "stoknya ternyata habis",
    "substitute": "Pashmina Taupe",
    "substitute_price": "Rp 42.000",
    "refund_amount": "Rp 57.000",
}


@pytest.mark.parametrize(("key", "body"), sorted(DEFAULT_TEMPLATES.items()))
def test_every_default_text_is_valid_and_reads_ok_to_the_tone_guard(key, body):
    template_validate(body)
    situation, lang = key
    assert situation in MessageTemplate.Situation.values
    text = template_render(body, FACTS, lang=lang)
    verdict = tone.check(text, lang=lang, channel="shopee")
    assert verdict.verdict == "ok", (text, verdict.as_dict())


def test_every_situation_has_both_languages():
    for situation in MessageTemplate.Situation.values:
        assert (situation, "id") in DEFAULT_TEMPLATES and (situation, "en") in DEFAULT_TEMPLATES


def test_unknown_placeholder_is_named():
    with pytest.raises(ValidationError) as error:
        template_validate("Halo {buyer_name}, {warna} ready")
    assert error.value.error_list[0].code == "unknown_placeholder"
    assert "{warna}" in error.value.messages[0]


def test_unbalanced_brace_is_refused():
    with pytest.raises(ValidationError) as error:
        template_validate("Halo {buyer_name")
    assert error.value.code == "unbalanced"


def test_render_drops_a_sentence_whose_fact_is_missing_and_never_evaluates_code():
    text = template_render(
        "Maaf, {product} kosong. Restok sekitar {restock_date}. {product.__class__}",
        {"product": "Bros"},
    )
    assert text == "Maaf, Bros kosong. {product.__class__}"
    assert "buyer_name" in PLACEHOLDERS


def test_template_page_refuses_an_unknown_placeholder_and_keeps_the_old_text(seller_client, shop):
    templates = stock_templates_ensure(shop=shop)
    template = templates[("sold_out", "id")]
    url = reverse("stock:template_edit", args=[template.pk])
    response = seller_client.post(url, {"body": "Maaf {nama} kosong"})
    assert response.status_code == 200 and "{nama}" in response.content.decode()
    template.refresh_from_db()
    assert template.body == DEFAULT_TEMPLATES[("sold_out", "id")]
    seller_client.post(url, {"body": "Maaf Kak, {product} lagi kosong."})
    template.refresh_from_db()
    assert template.body == "Maaf Kak, {product} lagi kosong."


def test_another_shops_template_is_a_404(seller_client, other_shop):
    foreign = stock_templates_ensure(shop=other_shop)[("sold_out", "id")]
    assert seller_client.get(reverse("stock:template_edit", args=[foreign.pk])).status_code == 404


def test_edited_template_is_used_by_the_stock_answer(seller_client, shop):
    from tests.factories import ProductFactory

    product = ProductFactory(shop=shop, stock=0, name="Bros Mutiara")
    template = stock_templates_ensure(shop=shop)[("sold_out", "id")]
    template.body = "Yah Kak, {product} habis."
    template.save()
    response = seller_client.get(reverse("stock:answer"), {"product": product.pk})
    assert response.context["answer"].text.startswith("Yah Kak, Bros Mutiara habis.")


def test_missing_buyer_name_reads_naturally():
    assert (
        template_render("Halo Kak {buyer_name}, ready ya.", {}, lang="id") == "Halo Kak, ready ya."
    )
    assert template_render("Hi {buyer_name}, it is here.", {}, lang="en") == "Hi there, it is here."
