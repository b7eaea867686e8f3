"""Writes to the audit trail that model signals cannot see."""

from __future__ import annotations

from django.db import models

from audit.models import AuditEntry


def audit_change(
    *, instance: models.Model, changes: dict[str, tuple[object, object]]
) -> AuditEntry | None:
    """Record a change made with ``QuerySet.update()``, which sends no model signal.

    ``changes`` maps each field to (old, new); stored like django-auditlog's own diffs, as text.
    The actor and shop are filled in as for every entry (see audit.models.AuditEntryManager).
    """
    return AuditEntry.objects.log_create(
        instance,
        action=AuditEntry.Action.UPDATE,
        changes={name: [str(old), str(new)] for name, (old, new) in changes.items()},
    )
