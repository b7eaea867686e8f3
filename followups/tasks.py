"""django-q2 entry points (see crm/schedules.py). Thin: each calls a service and logs counts."""

from __future__ import annotations

import logging

from followups.services import followups_plan, followups_send_due

logger = logging.getLogger(__name__)


def plan_orders() -> str:
    result = followups_plan(loyalty=False)
    summary = f"planned {dict(result.planned)} skipped {dict(result.skipped)}"
    logger.info("followups plan_orders: %s", summary)
    return summary


def plan_loyalty() -> str:
    result = followups_plan(orders=False)
    summary = f"planned {dict(result.planned)} skipped {dict(result.skipped)}"
    logger.info("followups plan_loyalty: %s", summary)
    return summary


def send_due() -> str:
    result = followups_send_due()
    summary = (
        f"sent {result.sent} promoted {result.promoted} held {result.held} "
        f"skipped {dict(result.skipped)} failed {result.failed} deferred {result.deferred} "
        f"recovered {result.recovered}"
    )
    logger.info("followups send_due: %s", summary)
    return summary
