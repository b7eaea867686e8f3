"""Tone guard: every text a shop sends passes `check()` before it goes out.

    from crm import tone
    v = tone.check(text, lang=None, channel=None, after_resolution=False)
    v.verdict    # "hostile" | "caution" | "ok"
    v.hostile    # bool
    v.score      # 0..1
    v.findings   # [tone.Finding]: .category .start .end .severity .kind, and .explanation
                 # .hint (rendered when read, in the active interface language)
    v.as_dict()  # the check_reply --jsonl output object

Spans index the original text. Explanations and hints are lazy translations, rendered in the
interface language active during the call. `rating_request_allowed(channel)` reads the
per-channel table in data/channels.json.
"""

from __future__ import annotations

from crm.tone.channels import CHANNEL_RULES, ChannelRule, channel_rule, rating_request_allowed
from crm.tone.detector import Finding, Verdict, check
from crm.tone.messages import CATEGORIES, CATEGORY_LABELS
from crm.tone.normalize import NormText, normalize

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CHANNEL_RULES",
    "ChannelRule",
    "Finding",
    "NormText",
    "Verdict",
    "channel_rule",
    "check",
    "normalize",
    "rating_request_allowed",
]
