"""django-q2 entry points for insights (registered in crm/schedules.py)."""

from __future__ import annotations

from django.db import connection

from insights.rollup import rollups_refresh_all


def rollups_refresh() -> dict[str, int]:
    """Every shop's dashboard rollup: the days that may have changed (every 10 minutes)."""
    return rollups_refresh_all()


def rollups_rebuild() -> dict[str, int]:
    """Every shop's dashboard rollup from scratch (nightly: catches deleted rows), then fresh
    planner statistics (planner_statistics_refresh)."""
    result = rollups_refresh_all(full=True)
    planner_statistics_refresh()
    return result


def planner_statistics_refresh() -> None:
    """Sampled ANALYZE on SQLite (a fraction of a second for a million orders).

    Without statistics SQLite guesses its plans, and on a big shop it guesses badly: the
    dashboard's complaint list walked every review instead of the inbox index. PostgreSQL's
    autovacuum keeps its own statistics; a big import there gets an explicit ANALYZE too.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")
