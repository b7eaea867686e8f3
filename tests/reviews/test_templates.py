"""Reply templates: placeholders checked on save, safe rendering with missing facts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reviews.templating import template_placeholders, template_render, template_validate

FACTS = {
    "buyer_name": "Sari",
    "product": "Kemeja Batik Parang",
    "courier": "JNE",
    "shipped_date": "10 Maret 2026",
    "promised_date": "13 Maret 2026",
    "delivered_date": "16 Maret 2026",
    "delay_days": 3,
    "offer": "gratis ongkir untuk pesanan berikutnya",
    "shop_name": "Toko Rawat",
    "order_id": "2603ABC",
}


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def test_known_placeholders_pass_validation():
    template_validate("Halo Kak {buyer_name}, {product} via {courier}, {{literal}} braces ok.")


def test_unknown_placeholder_is_an_error_naming_it():
    with pytest.raises(ValidationError) as caught:
        template_validate("Halo {nama_pembeli}, terima kasih.")
    assert _codes(caught.value) == ["unknown_placeholder"]
    assert "{nama_pembeli}" in caught.value.messages[0]


def test_each_unknown_placeholder_is_named_once():
    with pytest.raises(ValidationError) as caught:
        template_validate("{foo} {bar} {foo} {buyer_name}")
    messages = " ".join(caught.value.messages)
    assert "{foo}" in messages and "{bar}" in messages
    assert len(caught.value.error_list) == 2


@pytest.mark.parametrize("text", ["Halo {buyer_name", "Halo buyer_name}", "{{buyer_name}", "{"])
def test_unbalanced_braces_are_an_error(text):
    with pytest.raises(ValidationError) as caught:
        template_validate(text)
    assert _codes(caught.value) == ["unbalanced"]


@pytest.mark.parametrize(
    "text",
    [
        "{buyer_name.__class__}",
        "{buyer_name.__class__.__mro__}",
        "{order_id[0]}",
        "{product.__init__.__globals__}",
    ],
)
def test_attribute_and_index_access_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        template_validate(text)
    assert _codes(caught.value) == ["unknown_placeholder"]
    assert text in caught.value.messages[0]


def test_format_spec_and_conversion_are_refused():
    with pytest.raises(ValidationError) as caught:
        template_validate("{buyer_name!r} {product:>99999}")
    assert _codes(caught.value) == ["placeholder_format", "placeholder_format"]


def test_empty_placeholder_is_refused():
    with pytest.raises(ValidationError) as caught:
        template_validate("Halo {}")
    assert _codes(caught.value) == ["empty_placeholder"]


def test_placeholders_are_listed_in_order():
    assert template_placeholders("{product} {buyer_name} {product}") == ["product", "buyer_name"]


def test_render_fills_every_placeholder():
    text = template_render(
        "Halo Kak {buyer_name}, {product} dikirim {shipped_date} lewat {courier}.", FACTS
    )
    assert text == "Halo Kak Sari, Kemeja Batik Parang dikirim 10 Maret 2026 lewat JNE."


def test_render_missing_name_uses_kak_without_doubling_it():
    assert template_render("Halo Kak {buyer_name}, terima kasih.", {}) == "Halo Kak, terima kasih."
    assert template_render("Halo {buyer_name}, terima kasih.", {}) == "Halo kak, terima kasih."
    assert template_render("Hi {buyer_name}, thanks.", {}, lang="en") == "Hi there, thanks."


def test_render_drops_delay_sentences_when_there_is_no_delay():
    template = (
        "Mohon maaf, Kak.\nPaket terlambat {delay_days} hari dari estimasi {promised_date}. "
        "Kami berikan {offer}. Terima kasih."
    )
    facts = {**FACTS, "delay_days": None, "offer": None}
    assert template_render(template, facts) == "Mohon maaf, Kak.\nTerima kasih."
    assert "terlambat 3 hari dari estimasi 13 Maret 2026" in template_render(template, FACTS)


def test_render_collapses_gaps_left_by_dropped_paragraphs():
    template = "Halo.\n\nTerlambat {delay_days} hari.\n\nSalam."
    assert template_render(template, {}) == "Halo.\n\nSalam."


def test_render_never_fails_on_an_invalid_stored_template():
    assert template_render("Halo {buyer_name", FACTS) == "Halo {buyer_name"
    assert template_render("Hi {nope} {buyer_name}.", FACTS) == "Hi {nope} Sari."


def test_render_never_evaluates_attribute_access():
    rendered = template_render("{buyer_name.__class__} {order_id[0]}", FACTS)
    assert rendered == "{buyer_name.__class__} {order_id[0]}"
    assert "class" not in rendered.replace("__class__", "")


def test_render_does_not_reinterpret_braces_in_facts():
    rendered = template_render("Halo {buyer_name}.", {"buyer_name": "{shop_name.__dict__}"})
    assert rendered == "Halo {shop_name.__dict__}."


def test_english_singular_day():
    assert template_render("{delay_days} days late.", {"delay_days": 1}, lang="en") == "1 day late."
