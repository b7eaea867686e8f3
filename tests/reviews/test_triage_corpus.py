"""Floors on the team-written review corpus (tests/data/reviews_*.txt), per split."""

from __future__ import annotations

import pytest

from tests.data.corpus import load_reviews, score_reviews


@pytest.fixture(scope="module", params=["dev", "test"])
def scores(request):
    return score_reviews(load_reviews(request.param))


def test_corpus_is_big_enough_and_bilingual():
    cases = load_reviews("dev") + load_reviews("test")
    assert len(cases) >= 300
    assert {c.lang for c in cases} == {"id", "en"}


def test_needs_care_accuracy_is_at_least_092(scores):
    assert scores.needs_care_accuracy >= 0.92


def test_topic_micro_f1_is_at_least_085(scores):
    assert scores.topic_micro[2] >= 0.85
