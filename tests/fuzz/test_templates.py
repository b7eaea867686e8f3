"""Fuzzing template rendering with any text and any placeholder values (issue 8, part 4).

Promise: the reply templates (reviews.templating), the stock and playbook templates
(stock.templating) and the follow-up texts (followups.messages) render any stored text with any
facts without raising, fill placeholders by exact name only, and never evaluate what a value or
a template holds: a value is inserted as written (even when it looks like a placeholder), and
``{x.attr}``, ``{x[0]}``, ``{x!r}``, ``{x:>9}`` stay as typed. Validation refuses only with
ValidationError and the documented codes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from followups import texts as followup_texts
from followups.messages import message_render, render_safe
from reviews import templating as review_templating
from stock import templating as stock_templating
from stock.template_defaults import DEFAULT_TEMPLATES as STOCK_DEFAULTS
from tests.fuzz.conftest import budget
from tests.fuzz.strategies import fuzz_text

VALIDATION_CODES = {"unbalanced", "unknown_placeholder", "empty_placeholder", "placeholder_format"}
NAMES = sorted(
    set(review_templating.PLACEHOLDERS)
    | set(stock_templating.PLACEHOLDERS)
    | set(followup_texts.PLACEHOLDERS)
)

# What facts hold in real life (text, numbers, dates, nothing) and what an attacker may type.
value = st.one_of(
    st.none(),
    fuzz_text,
    st.sampled_from(["", " ", "{shop_name}", "{{", "}", "{0}", "%s", "{buyer_name.__class__}"]),
    st.integers(),
    st.floats(allow_nan=True),
    st.dates(),
    st.booleans(),
)
facts = st.dictionaries(st.sampled_from(NAMES + ["holiday_key", "x"]), value, max_size=12)
field = st.one_of(
    st.sampled_from(NAMES).map(lambda n: "{" + n + "}"),
    st.sampled_from(NAMES).map(lambda n: "{" + n + ".__class__}"),
    st.sampled_from(NAMES).map(lambda n: "{" + n + "[0]}"),
    st.sampled_from(NAMES).map(lambda n: "{" + n + "!r}"),
    st.sampled_from(NAMES).map(lambda n: "{" + n + ":>9}"),
    st.sampled_from(["{}", "{0}", "{{", "}}", "{", "}", "{ buyer_name }", "{__import__}"]),
)
template_text = st.lists(st.one_of(field, fuzz_text, st.sampled_from([". ", "\n", "! "]))).map(
    "".join
)
langs = st.sampled_from(["id", "en", "xx"])


@settings(max_examples=budget(200))
@given(text=template_text, facts=facts, lang=langs)
@example(text="Halo {buyer_name.__class__}! {order_id[0]} {x!r}", facts={}, lang="id")
@example(text="Halo {buyer_name}.", facts={"buyer_name": "{shop_name}"}, lang="id")
@example(text="{", facts={}, lang="en")
@example(text="Paket {delay_days} hari.", facts={"delay_days": float("nan")}, lang="en")
def test_reply_and_stock_templates_render_anything_without_failing(text, facts, lang):
    for module in (review_templating, stock_templating):
        rendered = module.template_render(text, facts, lang=lang)
        assert isinstance(rendered, str)
        assert "__class__" not in rendered or "__class__" in text + repr(facts)
        try:
            module.template_validate(text)
        except ValidationError as exc:
            assert {e.code for e in exc.error_list} <= VALIDATION_CODES, exc.error_list
            assert all(exc.messages)


plain_value = st.text(
    st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
)


@settings(max_examples=budget(150))
@given(name=st.sampled_from(NAMES), value=plain_value)
@example(name="buyer_name", value="{shop_name}")
@example(name="product", value="{product.__init__.__globals__}")
@example(name="order_id", value="%(x)s{0}{{}}")
def test_values_are_inserted_as_written_never_expanded(name, value):
    facts = {n: f"<{n}>" for n in NAMES} | {name: value}
    template = "Halo {" + name + "} ya"
    expected = f"Halo {value} ya"
    if name in review_templating.PLACEHOLDERS:
        assert review_templating.template_render(template, facts, lang="id") == expected
    if name in stock_templating.PLACEHOLDERS:
        assert stock_templating.template_render(template, facts, lang="id") == expected
    assert render_safe(template, facts) == expected


@settings(max_examples=budget(150))
@given(text=template_text, facts=facts)
@example(text="{buyer_name.__class__}{x[0]}{y!r}{z:>3}", facts={"buyer_name": "Siti"})
def test_follow_up_rendering_never_fails_and_keeps_tricks_literal(text, facts):
    rendered = render_safe(text, facts)
    assert isinstance(rendered, str)
    for trick in (".__class__}", "[0]}", "!r}", ":>9}"):
        if trick in rendered:
            assert trick in text


@settings(max_examples=budget(100))
@given(
    slot=st.sampled_from(followup_texts.template_slots()),
    facts=facts,
    language=st.sampled_from(["id", "en", "xx"]),
    subject=template_text,
    body=template_text,
)
def test_follow_up_texts_validate_with_codes_and_render_with_any_facts(
    slot, facts, language, subject, body
):
    kind, occasion = slot
    shop_texts = followup_texts.ShopTexts({})
    try:
        followup_texts.text_validate(kind=kind, subject=subject, body=body)
    except ValidationError as exc:
        codes = {e.code for errors in exc.error_dict.values() for e in errors}
        assert codes <= VALIDATION_CODES | {"empty_text"}, codes
    else:
        shop_texts = followup_texts.ShopTexts({(kind, occasion, "id"): (subject, body)})
    # The shop's edited text (when valid) or the defaults, in any language, with any facts.
    facts = {**facts, "holiday_key": occasion}
    rendered = message_render(kind=kind, facts=facts, texts=shop_texts, language=language)
    assert isinstance(rendered.subject, str) and isinstance(rendered.text, str)


@settings(max_examples=budget(60))
@given(facts=facts, lang=st.sampled_from(["id", "en"]))
def test_every_default_text_renders_with_any_facts(facts, lang):
    for (_situation, template_lang), body in STOCK_DEFAULTS.items():
        if template_lang == lang:
            assert isinstance(stock_templating.template_render(body, facts, lang=lang), str)
    for (_action, template_lang), body in review_templating_defaults().items():
        if template_lang == lang:
            assert isinstance(review_templating.template_render(body, facts, lang=lang), str)
    for (kind, occasion, language), (subject, body) in followup_texts.DEFAULT_TEXTS.items():
        if language == lang:
            rendered = message_render(
                kind=kind,
                facts={**facts, "holiday_key": occasion},
                texts=followup_texts.DEFAULTS,
                language=language,
            )
            assert isinstance(rendered.text, str) and isinstance(rendered.subject, str)
            assert isinstance(render_safe(subject, facts) + render_safe(body, facts), str)


def review_templating_defaults():
    from reviews.reply_defaults import DEFAULT_TEMPLATES

    return DEFAULT_TEMPLATES


def test_a_date_fact_is_shown_as_text():
    assert (
        review_templating.template_render(
            "Dikirim {shipped_date}.", {"shipped_date": date(2026, 3, 12)}
        )
        == "Dikirim 2026-03-12."
    )
