"""Helpers for the follow-up tests: Jakarta times, and a switchable tone verdict."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from followups.services import common

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime.datetime:
    """An aware datetime on the Jakarta clock: wib(2027, 3, 10, 8, 0)."""
    return datetime.datetime(*args, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _fresh_tone_cache():
    common._tone_cached.cache_clear()
    yield
    common._tone_cached.cache_clear()


@pytest.fixture
def hostile_words(monkeypatch):
    """Make the tone guard call texts with the given words hostile (on top of its own rules)."""
    words: list[str] = []
    real = common._tone_cached.__wrapped__

    def check(text: str, channel: str = "") -> common.ToneResult:
        for word in words:
            if word in text:
                return common.ToneResult(
                    verdict="hostile",
                    hostile=True,
                    findings=[{"excerpt": word, "explanation": "test", "severity": "hostile"}],
                )
        return real(text, channel)

    monkeypatch.setattr(common, "tone_check", check)
    for module in ("followups.services.sending", "followups.services.outbox"):
        monkeypatch.setattr(f"{module}.tone_check", check)
    monkeypatch.setattr(
        "followups.services.planning.tone_check_rendered",
        lambda *, template, facts, text, channel="": check(text, channel),
    )
    return words


@pytest.fixture(autouse=True)
def _messages_in_english(settings):
    """Buyer messages render in LANGUAGE_CODE; pin English so the Indonesian translation pass
    cannot change what these tests read."""
    settings.LANGUAGE_CODE = "en"
