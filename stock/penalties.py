"""Each marketplace's penalty for seller rejections: the documented defaults, as data.

A shop can override any row (``stock.models.PenaltyRule``); the dashboard reads the effective
rule through ``stock.selectors.penalty_rules_effective``. What counts against a rule: a
cancellation the *seller* started for any reason except the buyer's own request (a buyer-asked
cancellation costs no point, but it still counts in the rejection rate).

Sources, as sellers report them (check your marketplace's seller centre; edit when they change):
- Bukalapak: every 5 transactions rejected or cancelled by the seller cost 1 negative feedback
  (reputation) point. The 30-day window is our assumption.
- Lazada: repeated seller cancellations lead to an Order Volume Limit (OVL): the shop may take
  only a few orders a day for a while. The 3-in-7-days trigger is our assumption.
- Shopee and Tokopedia: penalty points / a lower shop-performance score for cancellations the
  seller causes; both counts and windows below are assumptions, marked as such on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.models import Channel


@dataclass(frozen=True)
class PenaltyDefault:
    channel: str
    window_days: int
    threshold: int
    penalty: str | Promise
    repeats: bool  # True: every ``threshold`` rejections cost one more penalty
    assumption: bool  # True: the numbers are our estimate, not a published rule


DEFAULT_PENALTIES: dict[str, PenaltyDefault] = {
    Channel.BUKALAPAK: PenaltyDefault(
        Channel.BUKALAPAK,
        window_days=30,
        threshold=5,
        penalty=_("1 negative reputation point"),
        repeats=True,
        assumption=False,
    ),
    Channel.LAZADA: PenaltyDefault(
        Channel.LAZADA,
        window_days=7,
        threshold=3,
        penalty=_("Order volume limit (OVL): the shop can take only a few orders a day"),
        repeats=False,
        assumption=True,
    ),
    Channel.SHOPEE: PenaltyDefault(
        Channel.SHOPEE,
        window_days=7,
        threshold=5,
        penalty=_("Penalty points; enough of them freeze promotions and listings"),
        repeats=True,
        assumption=True,
    ),
    Channel.TOKOPEDIA: PenaltyDefault(
        Channel.TOKOPEDIA,
        window_days=30,
        threshold=5,
        penalty=_("A lower shop performance score; a streak can get the shop frozen"),
        repeats=True,
        assumption=True,
    ),
}
