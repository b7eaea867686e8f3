"""Follow-up workflows. Import from here: ``from followups.services import restock_notify``."""

from followups.services.common import care_settings_get, channel_pick, in_quiet_hours
from followups.services.outbox import (
    buyer_opt_out,
    followup_approve,
    followup_cancel,
    followup_edit,
    followup_mark_sent,
    followup_resend,
    followup_skip,
    followups_bulk,
    inbound_reply_record,
    is_stop_reply,
    whatsapp_link,
)
from followups.services.planning import (
    PlanResult,
    followups_plan,
    followups_plan_loyalty,
    followups_plan_orders,
    restock_notify,
)
from followups.services.sending import (
    SendResult,
    followups_promote,
    followups_recover_stale,
    followups_send_due,
)
from followups.services.templates import (
    followup_template_reset,
    followup_template_save,
    followup_texts_get,
)

__all__ = [
    "PlanResult",
    "SendResult",
    "buyer_opt_out",
    "care_settings_get",
    "channel_pick",
    "followup_approve",
    "followup_cancel",
    "followup_edit",
    "followup_mark_sent",
    "followup_resend",
    "followup_skip",
    "followup_template_reset",
    "followup_template_save",
    "followup_texts_get",
    "followups_bulk",
    "followups_plan",
    "followups_plan_loyalty",
    "followups_plan_orders",
    "followups_promote",
    "followups_recover_stale",
    "followups_send_due",
    "in_quiet_hours",
    "inbound_reply_record",
    "is_stop_reply",
    "restock_notify",
    "whatsapp_link",
]
