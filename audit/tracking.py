"""What the audit trail records: the models a manager may need to account for.

Buyers (with their tags), handles and the notes, chats and calls sellers add to a timeline;
reply, stock and follow-up templates; care and reply settings, membership tiers, courier
slow-downs; the tone guard's events (a seller overriding or heeding a warning in the composer)
and follow-ups (a seller's wording and approvals in the outbox); import runs and column
mappings; stock settings and penalty rules.

Rows written in bulk (order files imported with COPY, planned follow-ups, a restored backup)
bypass model signals and are not recorded one by one; the import run that wrote them is.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.apps import apps

from audit.models import AuditEntry

# model label -> django-auditlog register() options
TRACKED: dict[str, dict[str, object]] = {
    "customers.Buyer": {"m2m_fields": {"tags"}},
    "customers.BuyerHandle": {},
    "customers.Tag": {},
    "customers.Interaction": {"exclude_fields": ["data"]},
    "reviews.ReplyTemplate": {},
    "reviews.ShopReplySettings": {},
    "reviews.ToneEvent": {"exclude_fields": ["findings"]},
    "followups.FollowUp": {
        "include_fields": ["subject", "text", "status", "needs_approval", "tone_verdict"]
    },
    "followups.FollowUpTemplate": {},
    "followups.CareSettings": {},
    "followups.MembershipTier": {},
    "followups.BuyerTier": {},
    "followups.CourierSlowdown": {},
    "imports.ImportRun": {"exclude_fields": ["errors", "processed_rows", "file"]},
    "imports.MappingOverride": {},
    "stock.PenaltyRule": {},
    "stock.MessageTemplate": {},
    "stock.StockSettings": {},
}

# Timeline entries a seller types (notes, chats, calls); the ones Rawat writes itself (sent
# follow-ups, review replies, system lines) are records of other tracked changes.
_MANUAL_INTERACTIONS = {"note", "chat", "call"}


# Settings rows a page creates with the defaults the first time it is opened: their creation
# says nothing (and would add queries to a GET); every later change is recorded.
_DEFAULT_ROWS = {"followups.CareSettings", "reviews.ShopReplySettings", "stock.StockSettings"}


def _skip_automatic(sender, instance, action, **kwargs) -> bool | None:  # type: ignore[no-untyped-def]
    """django-auditlog's pre_log: False leaves the change out of the trail."""
    label = sender._meta.label
    if label == "customers.Interaction":
        return getattr(instance, "kind", "") in _MANUAL_INTERACTIONS
    if label in _DEFAULT_ROWS and action == AuditEntry.Action.CREATE:
        return False
    return None


# Timestamps change on every save and say nothing a manager needs.
_NEVER = ["created_at", "updated_at"]


def tracking_register() -> None:
    """Register every tracked model with django-auditlog (idempotent)."""
    for label, options in TRACKED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            options = dict(options)
            if "include_fields" not in options:
                options["exclude_fields"] = [*options.get("exclude_fields", []), *_NEVER]
            auditlog.register(model, **options)
    pre_log.connect(_skip_automatic, dispatch_uid="audit_skip_automatic")


def tracked_models() -> list[type]:
    return [apps.get_model(label) for label in TRACKED]
