"""Live progress of a running import, readable by the page that polls it.

The import writes inside one database transaction (all or nothing), so progress saved on the
ImportRun row would stay invisible to other connections until the very end (SQLite allows a
single writer; PostgreSQL would see it only after commit). The running job therefore publishes
its progress to a small file next to the uploaded one (MEDIA_ROOT, which the web process and the
job cluster share already, since the job reads the upload from there); the run's own fields take
the final figures when the job ends.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings


def _path(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{run_id}.json"


def progress_publish(*, run_id: int, processed: int, total: int, phase: str) -> None:
    path = _path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"processed": processed, "total": total, "phase": phase}))
    os.replace(temporary, path)  # readers never see half a file


def progress_read(*, run_id: int) -> dict[str, object] | None:
    try:
        return json.loads(_path(run_id).read_text())
    except (OSError, ValueError):
        return None


def progress_clear(*, run_id: int) -> None:
    _path(run_id).unlink(missing_ok=True)
