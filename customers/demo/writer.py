"""Insert many rows fast: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, values ready.

``bulk_create`` spends most of its time building model instances and preparing every value
field by field (about 15 µs a value); for a million orders with their lines, reviews and
timeline entries that is the difference between minutes and a quarter of an hour. The seeder
builds plain tuples instead and this writer sends them as they are. Columns the caller does not
give (``created_at``, ``updated_at``, and any field a later migration adds with a default) are
filled with one prepared constant, so the writer keeps working as the models grow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from django.db import connection, models, transaction


class RowWriter:
    def __init__(self, model: type[models.Model], names: Sequence[str], now: datetime) -> None:
        opts = model._meta
        by_name = {field.name: field for field in opts.concrete_fields}
        given = [by_name[name] for name in names]
        constants: list[tuple[models.Field, Any]] = []
        for field in opts.concrete_fields:
            if field.primary_key or field.name in names:
                continue
            value = now if field.name in ("created_at", "updated_at") else field.get_default()
            constants.append((field, field.get_db_prep_save(value, connection)))
        columns = [field.column for field in given] + [field.column for field, _ in constants]
        quote = connection.ops.quote_name
        self.head = "INSERT INTO {} ({}) VALUES ".format(
            quote(opts.db_table), ", ".join(quote(column) for column in columns)
        )
        self.sql = self.head + "({})".format(", ".join(["%s"] * len(columns)))
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            quote(opts.db_table), ", ".join(quote(column) for column in columns)
        )
        # The same statement for the raw sqlite3 connection, whose placeholder is "?".
        self.sqlite_sql = self.head + "({})".format(", ".join(["?"] * len(columns)))
        self.suffix = tuple(value for _, value in constants)

    def complete(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows with the constant columns appended, as ``write_complete`` sends them.

        Worker processes call this, so that the process writing spends nothing on it.
        """
        suffix = self.suffix
        return [row + suffix for row in rows]

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        return self.write_complete(self.complete(rows))

    def write_complete(self, batch: list[tuple[Any, ...]]) -> int:
        if not batch:
            return 0
        if connection.vendor == "postgresql":
            # COPY: several times faster than INSERTs, inside the caller's transaction.
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            # The raw connection: Django's cursor wrapper (and its query log when DEBUG is on)
            # costs more than SQLite itself for a million short rows. Same transaction.
            connection.ensure_connection()
            connection.connection.executemany(self.sqlite_sql, batch)
        return len(batch)


def pk_reserve(model: type[models.Model], count: int) -> int:
    """The first of ``count`` consecutive primary keys that no other insert will take.

    For rows written with explicit ids (rows made in worker processes refer to each other by
    them): the table's id sequence moves past the range first, so an insert by the running
    app gets an id after it, and a seed stopped halfway leaves a gap, never a clash.
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        first = (cursor.fetchone()[0] or 0) + 1
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables take max(rowid, sqlite_sequence.seq) + 1 for the next id.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            first = max(first, (found[0] if found else 0) + 1)
            last = first + max(count, 1) - 1
            if found:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last]
                )
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = max(first, cursor.fetchone()[0])
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def db_datetime(value: datetime | None) -> Any:
    """An aware datetime as the database backend wants it (a UTC string on SQLite)."""
    if value is None:
        return None
    if connection.vendor == "sqlite":
        # What DatabaseOperations.adapt_datetimefield_value does, without its per-call checks
        # (a fifth of the seeding time for a million orders).
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


class DateTimeAdapter:
    """``db_datetime`` for many values in one time zone, faster when it has a fixed offset.

    Asia/Jakarta has kept UTC+7 since 1964: subtracting the offset is all a conversion needs.
    A zone with daylight saving time (or another zone's value) takes the general path.
    """

    def __init__(self, tz: tzinfo, around: datetime) -> None:
        self.tz = tz
        self.sqlite = connection.vendor == "sqlite"
        offsets = {
            (around + timedelta(days=days)).astimezone(tz).utcoffset()
            for days in range(-800, 60, 30)
        }
        self.offset = offsets.pop() if len(offsets) == 1 else None

    def __call__(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if self.sqlite and self.offset is not None and value.tzinfo is self.tz:
            return str(value.replace(tzinfo=None) - self.offset)
        return db_datetime(value)


def db_date(value: date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def db_json(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)
