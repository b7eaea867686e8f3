"""django-q2 entry points for imports and backups."""

from __future__ import annotations

from imports.models import ImportRun


def import_run_task(run_id: int, commit: bool) -> str:
    """Check (commit=False) or import one uploaded file."""
    from imports.services import import_run_check, import_run_commit

    run = ImportRun.objects.select_related("shop").get(pk=run_id)
    if commit:
        import_run_commit(run=run)
    else:
        import_run_check(run=run)
    return run.status


def backups_daily() -> int:
    """Write today's backup of every shop and keep the last BACKUP_KEEP of each."""
    from imports.backup import backups_rotate_all

    return backups_rotate_all()
