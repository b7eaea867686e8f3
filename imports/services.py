"""Import runs: record an uploaded file, check it (dry run), then import it, all or nothing."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Shop
from imports.engine import ImportResult, ProgressCallback, file_import
from imports.models import ImportRun
from imports.progress import progress_clear, progress_publish

logger = logging.getLogger(__name__)

FORMATS = (
    "auto",
    "rawat",
    "shopee",
    "tokopedia",
    "lazada",
    "bukalapak",
    "rawat_reviews",
    "rawat_buyers",
)


def _sync_max_bytes() -> int:
    """Files up to this size are checked and imported during the request; larger ones by a job."""
    return int(getattr(settings, "IMPORT_SYNC_MAX_BYTES", 256 * 1024))


def import_run_create(
    *,
    shop: Shop,
    upload: IO[bytes],
    file_name: str,
    requested_format: str = "auto",
    user: object | None = None,
) -> ImportRun:
    """Keep the uploaded file (MEDIA_ROOT/imports/...) and record who sent what, with its hash."""
    if requested_format not in FORMATS and not requested_format:
        raise ValidationError(_("Unknown format."), code="unknown_format")
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    while block := upload.read(1024 * 1024):
        digest.update(block)
        size += len(block)
    upload.seek(0)
    name = Path(file_name).name[:200] or "import"
    run = ImportRun(
        shop=shop,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        file_name=name,
        sha256=digest.hexdigest(),
        size=size,
        requested_format=requested_format or "auto",
    )
    run.file.save(f"{shop.pk}-{name}", File(upload, name=name), save=False)
    run.save()
    return run


def _progress(run: ImportRun, phase: str, also: ProgressCallback | None):
    def report(processed: int, total: int) -> None:
        progress_publish(run_id=run.pk, processed=processed, total=total, phase=phase)
        if also is not None:
            also(processed, total)

    return report


def _execute(
    run: ImportRun, *, dry_run: bool, on_progress: ProgressCallback | None = None
) -> ImportResult | None:
    phase = ImportRun.Status.CHECKING if dry_run else ImportRun.Status.COMMITTING
    ImportRun.objects.filter(pk=run.pk).update(status=phase, processed_rows=0)
    run.status = phase
    progress_publish(run_id=run.pk, processed=0, total=run.total_rows, phase=phase)
    try:
        result = file_import(
            shop=run.shop,
            path=run.file.path,
            requested_format=run.requested_format,
            dry_run=dry_run,
            progress=_progress(run, phase, on_progress),
        )
    except Exception as exc:  # the transaction rolled back; say so on the run, keep the trace
        logger.exception("import run %s failed", run.pk)
        run.status = ImportRun.Status.FAILED
        run.message = _(
            "The import stopped on an unexpected error and wrote nothing: %(error)s"
        ) % {"error": exc}
        run.save()
        progress_clear(run_id=run.pk)
        return None
    run.format = result.format
    run.kind = result.kind
    run.total_rows = result.total_rows
    run.processed_rows = result.processed_rows
    run.counts = result.counts
    run.errors = result.errors
    run.error_count = result.error_count
    run.message = result.message
    if not result.ok:
        run.status = ImportRun.Status.INVALID
    elif dry_run:
        run.status = ImportRun.Status.CHECKED
        run.checked_at = timezone.now()
    else:
        run.status = ImportRun.Status.DONE
        run.committed_at = timezone.now()
    run.save()
    progress_clear(run_id=run.pk)
    return result


def import_run_check(*, run: ImportRun, on_progress: ProgressCallback | None = None) -> ImportRun:
    """Dry run: everything an import would do, then rolled back; counts and row errors recorded."""
    _execute(run, dry_run=True, on_progress=on_progress)
    return run


def run_committable(run: ImportRun) -> bool:
    """Checked without errors and not imported yet (or queued for import)."""
    return (
        run.checked_at is not None
        and run.error_count == 0
        and not run.message
        and run.committed_at is None
        and run.status in (ImportRun.Status.CHECKED, ImportRun.Status.QUEUED)
    )


def import_run_commit(
    *, run: ImportRun, require_check: bool = True, on_progress: ProgressCallback | None = None
) -> ImportRun:
    """Import a checked file in one transaction, then triage the reviews it brought in.

    The command line skips the separate check (require_check=False): the import is all or
    nothing either way, a file with a bad row writes nothing and reports every bad row.
    """
    if require_check and not run_committable(run):
        raise ValidationError(
            _("Only a checked file without errors can be imported (this one is: %(status)s).")
            % {"status": run.get_status_display()},
            code="not_checked",
        )
    result = _execute(run, dry_run=False, on_progress=on_progress)
    if result is not None and result.committed and result.review_ids:
        reviews_triage(review_ids=result.review_ids)
    return run


def reviews_triage(*, review_ids: list[int]) -> bool:
    """Triage the imported (new or changed) reviews with reviews.services.reviews_triage_bulk."""
    try:
        from reviews import services as review_services
        from reviews.models import Review
    except ImportError:  # pragma: no cover - the reviews app always ships it now
        return False
    triage = getattr(review_services, "reviews_triage_bulk", None)
    if triage is None:  # pragma: no cover
        return False
    # force: a review whose text changed on the marketplace is triaged again.
    transaction.on_commit(
        lambda: triage(reviews=Review.objects.filter(pk__in=review_ids), force=True)
    )
    return True


def import_run_dispatch(*, run: ImportRun, commit: bool) -> bool:
    """Check or import now (small file) or in a django-q2 job; True when it went to a job."""
    if run.size <= _sync_max_bytes():
        (import_run_commit if commit else import_run_check)(run=run)
        return False
    from django_q.tasks import async_task

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED, processed_rows=0)
    async_task("imports.tasks.import_run_task", run.pk, commit, task_name=f"import-{run.pk}")
    return True
