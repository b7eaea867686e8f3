from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from audit import attribution, tracking
        from imports.backup import backup_exclude

        tracking.tracking_register()
        attribution.job_signals_connect()
        # Who changed what is about people and operations, not the shop's data (like import runs).
        backup_exclude("audit.auditentry")
