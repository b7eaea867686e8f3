"""django-q2 entry points for reviews."""

from __future__ import annotations

from reviews.services import reviews_triage_bulk


def triage_pending() -> int:
    """Triage every review no creation path has triaged yet (the safety net; see services)."""
    return reviews_triage_bulk()
