"""Marketplace-chat follow-ups are checked by the tone guard as the private chat they are."""

from __future__ import annotations

from crm import tone
from crm.tone import channel_rule
from followups.services.common import tone_check

# The buyer's own phone number, as a care message might repeat it back to them.
TEXT = "Hi Sari, we will call you on 0812-3456-7890 to arrange the exchange. Thank you!"


def test_chat_is_a_private_channel_in_the_tone_table():
    assert channel_rule("chat").channel == "chat"
    assert channel_rule("chat").public is False


def test_a_marketplace_chat_followup_is_checked_on_the_private_chat_channel(monkeypatch):
    seen: list[str | None] = []
    real = tone.check

    def spy(text, lang=None, channel=None, after_resolution=False):
        seen.append(channel)
        return real(text, lang=lang, channel=channel, after_resolution=after_resolution)

    monkeypatch.setattr(tone, "check", spy)

    verdict = tone_check(TEXT, "marketplace")

    assert seen == ["chat"]
    assert verdict.verdict == "ok"
    assert not any(f.get("category") == "personal_data" for f in verdict.findings)
    # The same text on a public marketplace page is a personal-data exposure.
    public = real(TEXT, channel="tokopedia")
    assert any(f.category == "personal_data" for f in public.findings)
