"""Fuzzing the tone guard and review triage with any Unicode (issue 8, part 4).

Promise: neither ever raises on text a seller or buyer can type, and every tone finding points at
a real, non-blank fragment of the text the seller wrote (the composer shows ``text[start:end]``
and highlights it in place).
"""

from __future__ import annotations

import html
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm import tone
from crm.tone.messages import MESSAGES
from reviews.triage import ACTIONS, SENTIMENTS, TOPICS, triage
from reviews.views_reply import tone_highlight
from tests.fuzz.conftest import budget
from tests.fuzz.strategies import fuzz_text

channels = st.sampled_from([None, "", "shopee", "tokopedia", "lazada", "whatsapp", "email", "x"])
langs = st.sampled_from([None, "id", "en"])


def _assert_verdict_sound(text: str, verdict: tone.Verdict) -> None:
    assert verdict.verdict in ("ok", "caution", "hostile")
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.lang in ("id", "en")
    assert (verdict.verdict == "ok") == (not verdict.findings)
    for finding in verdict.findings:
        assert finding.category in tone.CATEGORIES, finding
        assert finding.kind in MESSAGES, finding
        assert 0.0 < finding.severity <= 1.0, finding
        assert isinstance(finding.start, int) and isinstance(finding.end, int)
        assert 0 <= finding.start < finding.end <= len(text), (finding, len(text))
        fragment = text[finding.start : finding.end]
        # What the composer shows as the finding's excerpt: a real piece of what was typed.
        assert fragment.strip(), (finding, fragment)
        data = finding.as_dict()
        assert (data["start"], data["end"]) == (finding.start, finding.end)
        assert str(finding.explanation) and str(finding.hint)


@settings(max_examples=budget(200))
@given(text=fuzz_text, lang=langs, channel=channels, after_resolution=st.booleans())
@example(text="İ bodoh", lang=None, channel="shopee", after_resolution=False)
@example(text="b o d o h İİ kamu", lang=None, channel=None, after_resolution=False)
@example(text="a" * 5000 + " bodoh", lang="id", channel=None, after_resolution=True)
@example(
    text="\u202eKAMU BODOH SEKALI\u202c 🖕😂",
    lang=None,
    channel="tokopedia",
    after_resolution=False,
)
@example(text="e\u0301\u0301\u0301 go blok", lang=None, channel=None, after_resolution=False)
def test_tone_check_accepts_any_unicode_and_spans_point_into_the_text(
    text, lang, channel, after_resolution
):
    verdict = tone.check(text, lang=lang, channel=channel, after_resolution=after_resolution)
    _assert_verdict_sound(text, verdict)


@settings(max_examples=budget(100))
@given(text=fuzz_text)
def test_the_highlighted_reply_is_the_typed_text_with_marks(text):
    """The composer's highlight (escaped text with <mark> around each finding) loses nothing."""
    verdict = tone.check(text, channel="shopee").as_dict()
    highlighted = str(tone_highlight(text, verdict["findings"]))
    assert "<script" not in highlighted
    marks = re.findall(r'<mark class="tone-(?:hostile|caution)">', highlighted)
    assert len(marks) <= len(verdict["findings"])
    plain = re.sub(r'<mark class="tone-(?:hostile|caution)">|</mark>', "", highlighted)
    assert html.unescape(plain) == text


@settings(max_examples=budget(200))
@given(
    text=fuzz_text,
    rating=st.integers(1, 5),
    delay=st.one_of(st.none(), st.integers(-(10**6), 10**6)),
    lang=langs,
)
@example(text="İ rusak", rating=1, delay=None, lang=None)
@example(text="w" * 3000, rating=2, delay=0, lang="en")
@example(text="", rating=5, delay=-3, lang=None)
def test_triage_accepts_any_unicode(text, rating, delay, lang):
    result = triage(rating=rating, text=text, delay_days=delay, lang=lang)
    assert set(result.topics) <= set(TOPICS)
    assert len(result.topics) == len(set(result.topics))
    assert result.sentiment in SENTIMENTS
    assert result.action in ACTIONS
    assert 0 <= result.priority <= 100
    if not result.needs_care:
        assert result.priority == 0 and result.action == "thank"
    if delay and delay > 0:
        assert result.needs_care and "delivery_delay" in result.topics
    assert result.as_dict()["topics"] == list(result.topics)
