"""The audit trail: one row per change to a tracked object, kept by django-auditlog.

``AuditEntry`` is django-auditlog's log entry (``AUDITLOG_LOGENTRY_MODEL``) with two additions
Rawat needs: the shop the object belongs to, so that managers see only their shops' entries in
the admin, and ``actor_label``, who did it as text: the username for a request, ``job: ...`` for
a django-q2 job, ``command: ...`` for a management command, ``system`` otherwise. The label
survives the user's deletion (``actor`` is then emptied).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Shop


def shop_id_for(instance: models.Model) -> int | None:
    """The shop a tracked object belongs to (every tracked model has a ``shop`` foreign key)."""
    shop_id = getattr(instance, "shop_id", None)
    if shop_id is None and isinstance(instance, Shop):
        return instance.pk
    return shop_id


class AuditEntryManager(LogEntryManager):
    """django-auditlog's manager, filling in the shop and the actor's label on every entry."""

    def _rawat_fields(self, instance: models.Model, kwargs: dict[str, Any]) -> None:
        from audit.attribution import actor_label_current

        kwargs.setdefault("shop_id", shop_id_for(instance))
        kwargs.setdefault("actor_label", actor_label_current())

    def log_create(self, instance, force_log: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        self._rawat_fields(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):  # type: ignore[no-untyped-def]
        self._rawat_fields(instance, kwargs)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    # No database constraint: an entry outlives its shop (and is created while a shop's rows
    # are being deleted, before the shop itself goes). Shop pks are never reused.
    shop = models.ForeignKey(
        Shop,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop"),
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            # Admin changelist: a manager's shops' entries, newest first.
            models.Index(fields=["shop", "-timestamp"], name="audit_entry_shop_time"),
            # Admin filter "who" and search by the actor's name within a shop.
            models.Index(fields=["shop", "actor_label"], name="audit_entry_shop_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} ({self.actor_label or 'system'})"
