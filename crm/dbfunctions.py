"""Database functions the ORM lacks, or has only in a slow form on one backend."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

from django.db.models.functions import TruncDate


@lru_cache(maxsize=16)
def fixed_offset_minutes(tzname: str) -> int | None:
    """The zone's offset from UTC in minutes if it kept one offset over the years a shop's
    data spans (Asia/Jakarta: +420 since 1964), else None."""
    try:
        zone = zoneinfo.ZoneInfo(tzname)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offsets = {
        zone.utcoffset(datetime.datetime(year, month, 15, 12))
        for year in range(1990, 2040)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds() // 60)


class LocalDate(TruncDate):
    """The calendar day of a datetime in the current time zone, like TruncDate.

    On SQLite, TruncDate calls a Python function for every row, which dominates a count over a
    week of a big shop's deliveries; for a zone without daylight saving (Rawat's Jakarta), the
    built-in ``date(column, '+420 minutes')`` gives the same day in C. Datetimes are stored as
    UTC text there, which is what ``date()`` reads.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = fixed_offset_minutes(self.get_tzname() or "UTC")
        if offset is None:
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        # Whole seconds only: date() rounds fractions to milliseconds, and 23:59:59.9999995
        # would become the next day.
        return f"date(substr({sql}, 1, 19), %s)", (*params, f"{offset:+d} minutes")
