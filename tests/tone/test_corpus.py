"""Floors on the team-written reply corpus (tests/data/replies_*.txt), per split."""

from __future__ import annotations

import pytest

from tests.data.corpus import load_replies, score_replies


@pytest.fixture(scope="module", params=["dev", "test"])
def scores(request):
    return score_replies(load_replies(request.param))


def test_corpus_is_big_enough_and_covers_every_category():
    replies = load_replies("dev") + load_replies("test")
    assert len(replies) >= 300
    assert sum(r.label == "hostile" for r in replies) >= 120
    assert sum(r.label == "ok" for r in replies) >= 180
    hostile_categories = {c for r in replies if r.label == "hostile" for c in r.categories}
    assert hostile_categories == {
        "insult",
        "blame",
        "rating_pressure",
        "threat",
        "sarcasm",
        "dismissive",
        "shouting",
        "personal_data",
    }
    assert {r.lang for r in replies} == {"id", "en"}


def test_hostile_recall_is_at_least_095(scores):
    assert scores.hostile_recall >= 0.95


def test_false_alarms_on_caring_replies_are_at_most_003(scores):
    assert scores.false_alarm_hostile <= 0.03
    assert scores.false_alarm_any <= 0.03
