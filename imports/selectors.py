"""Reads for the import pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from customers.models import Shop
from imports.models import ImportRun
from imports.progress import progress_read

COUNT_LABELS = {
    "new": _("new"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "written": _("new or replaced"),
    "skipped_rows": _("rows skipped (unpaid)"),
}
GROUP_LABELS = {
    "orders": _("Orders"),
    "buyers": _("Buyers"),
    "products": _("Products"),
    "lines": _("Order lines"),
    "reviews": _("Reviews"),
}


def import_runs_recent(*, shop: Shop, limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.for_shop(shop).select_related("created_by")[:limit]


def import_run_progress(*, run: ImportRun) -> dict[str, Any]:
    """Rows done and total for the progress bar: live from the running job, else from the run."""
    processed, total, phase = run.processed_rows, run.total_rows, run.status
    if run.is_running and (live := progress_read(run_id=run.pk)):
        processed, total = int(live["processed"]), int(live["total"])  # type: ignore[arg-type]
    percent = min(100, round(100 * processed / total)) if total else (0 if run.is_running else 100)
    return {"processed": processed, "total": total, "percent": percent, "phase": phase}


def import_run_report(*, run: ImportRun) -> dict[str, Any]:
    """Counts as labelled rows for the report table, and the primary four figures."""
    groups = []
    for group, label in GROUP_LABELS.items():
        values = run.counts.get(group)
        if values:
            groups.append(
                {
                    "label": label,
                    "items": [(COUNT_LABELS.get(k, k), n) for k, n in sorted(values.items())],
                }
            )
    primary = run.counts.get(run.kind or "orders", {})
    return {
        "groups": groups,
        "summary": {
            "new": primary.get("new", 0),
            "updated": primary.get("updated", 0),
            "unchanged": primary.get("unchanged", 0),
            "invalid": run.error_count,
        },
    }
