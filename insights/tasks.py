"""django-q2 entry points for insights (registered in crm/schedules.py)."""

from __future__ import annotations

from django.db import connection

from insights.rollup import rollups_refresh_all


def rollups_refresh() -> dict[str, int]:
    """Every shop's dashboard rollup: the days that may have changed (every 10 minutes)."""
    return rollups_refresh_all()


def rollups_rebuild() -> dict[str, int]:
    """Every shop's dashboard rollup from scratch (nightly: catches deleted rows), then fresh
    planner statistics where the tables changed a lot (SQLite's ``PRAGMA optimize``; PostgreSQL
    has autovacuum)."""
    result = rollups_refresh_all(full=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("PRAGMA optimize")
    return result
