"""Per-channel rules on asking a buyer to update a review (data in data/channels.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from crm.tone.normalize import DATA_DIR

AFTER_RESOLUTION = "after_resolution"
FORBIDDEN = "forbidden"


@dataclass(frozen=True, slots=True)
class ChannelRule:
    channel: str
    rating_request: str  # "after_resolution" or "forbidden"
    edits: str  # how often the buyer may edit a review there ("once", "buyer_may_edit", ...)
    public: bool  # replies are public (so a buyer's phone number must never appear)

    @property
    def rating_request_allowed(self) -> bool:
        return self.rating_request == AFTER_RESOLUTION


def _load() -> dict[str, ChannelRule]:
    raw = json.loads((DATA_DIR / "channels.json").read_text(encoding="utf-8"))
    table = {}
    for name, row in raw.items():
        if name.startswith("_"):
            continue
        if row["rating_request"] not in (AFTER_RESOLUTION, FORBIDDEN):
            raise ValueError(f"channels.json: bad rating_request for {name!r}")
        table[name] = ChannelRule(name, row["rating_request"], row["edits"], bool(row["public"]))
    return table


CHANNEL_RULES: dict[str, ChannelRule] = _load()


def channel_rule(channel: str | None) -> ChannelRule:
    """The rule for `channel` (case-insensitive); unknown or missing channels get the default."""
    key = (channel or "").strip().lower()
    return CHANNEL_RULES.get(key) or CHANNEL_RULES["default"]


def rating_request_allowed(channel: str | None) -> bool:
    """May a shop politely invite a buyer to update a review on `channel` after a resolution?"""
    return channel_rule(channel).rating_request_allowed
