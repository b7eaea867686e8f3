"""django-q2 entry points for insights (registered in crm/schedules.py)."""

from __future__ import annotations

from insights.rollup import rollups_refresh_all


def rollups_refresh() -> dict[str, int]:
    """Every shop's dashboard rollup: the days that may have changed (every 10 minutes)."""
    return rollups_refresh_all()


def rollups_rebuild() -> dict[str, int]:
    """Every shop's dashboard rollup from scratch (nightly: catches deleted rows)."""
    return rollups_refresh_all(full=True)
