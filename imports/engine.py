"""The import engine: stream a file, validate each row, upsert in chunks, in one transaction.

The whole file is written inside one ``transaction.atomic()``: a row error, a crash or a dry run
rolls everything back, so the database is either as before or has the whole file. Rows are read
one at a time and written in chunks of whole orders, so memory stays flat however long the file.
Order files, the big ones, are written with raw ``executemany`` (COPY on PostgreSQL) and primary
keys chosen up front, rather than model instances; review and buyer files use the ORM.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import operator
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Channel
from customers.models import Buyer, BuyerHandle, Order, OrderLine, Product, Shop, Tag
from customers.phones import normalize_phone
from imports import values as v
from imports.mappings import Mapping, courier_code, mapping_detect, mappings_for_shop, words_key
from imports.readers import table_open

CHUNK_ROWS = 5000
BUYER_CACHE = 100_000  # buyers an order import remembers across chunks (some 30 MB at most)
MAX_STORED_ERRORS = 1000

ProgressCallback = Callable[[int, int], None]


class RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a file with invalid rows."""


@dataclass
class ImportResult:
    format: str = ""
    kind: str = ""
    total_rows: int = 0
    processed_rows: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    message: str = ""  # a problem with the whole file (unknown layout, not a spreadsheet...)
    committed: bool = False
    review_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.message and not self.error_count

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})

    def bump(self, group: str, name: str, amount: int = 1) -> None:
        bucket = self.counts.setdefault(group, {})
        bucket[name] = bucket.get(name, 0) + amount


def file_import(
    *,
    shop: Shop,
    path: str | Path,
    requested_format: str = "auto",
    dry_run: bool,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check (dry_run) or import one CSV/XLSX file into the shop: everything or nothing.

    Row problems are collected (all of them, the first MAX_STORED_ERRORS kept with row, column
    and reason) and any of them makes the import write nothing. Returns the counts either way.
    """
    result = ImportResult()
    try:
        table = table_open(path)
    except ValidationError as exc:
        result.message = " ".join(exc.messages)
        return result
    try:
        # No audit entry per row (they cost 2-3x a buyer file's import): the import run is in
        # the audit trail with who, which file and the counts.
        with _few_collections(), disable_auditlog():
            _import_table(shop, table, requested_format, dry_run, progress, result)
    finally:
        table.rows.close()  # type: ignore[attr-defined]
        if callable(table.close):
            table.close()
    if result.total_rows < result.processed_rows:
        result.total_rows = result.processed_rows
    return result


_GC_LOCK = threading.Lock()
_GC_USERS = 0
_GC_SAVED: tuple[int, ...] = ()
IMPORT_GC_THRESHOLD = 50_000


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while a file is imported.

    A chunk keeps tens of thousands of small tuples, lists and dicts alive until it is written:
    with the default threshold (700) the collector ran some 800 times per 100,000 lines,
    traversing them all, for a tenth of the import's time, and found nothing (the rows hold no
    cycles). Garbage cycles are still collected, every 50,000 new objects. Thresholds are
    process-wide: the first import in the process raises them, the last one restores them.
    """
    global _GC_USERS, _GC_SAVED
    with _GC_LOCK:
        if _GC_USERS == 0:
            _GC_SAVED = gc.get_threshold()
            gc.set_threshold(max(_GC_SAVED[0], IMPORT_GC_THRESHOLD), *_GC_SAVED[1:])
        _GC_USERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS -= 1
            if _GC_USERS == 0:
                gc.set_threshold(*_GC_SAVED)


def _import_table(shop, table, requested_format, dry_run, progress, result) -> None:
    try:
        detected = mapping_detect(
            table.header, mappings=mappings_for_shop(shop.pk), requested=requested_format
        )
    except ValidationError as exc:
        result.message = " ".join(exc.messages)
        return
    mapping = detected.mapping
    result.format, result.kind, result.total_rows = mapping.name, mapping.kind, table.total_rows
    importer_class = {
        "orders": OrdersImporter,
        "reviews": ReviewsImporter,
        "buyers": BuyersImporter,
    }
    importer = importer_class[mapping.kind](
        shop=shop, mapping=mapping, located=detected.located, header=table.header, result=result
    )
    if table.kind == "csv" and hasattr(importer, "use_text_rows"):
        importer.use_text_rows()
    try:
        with transaction.atomic():
            importer.run(table.rows, progress=progress)
            if result.error_count or dry_run:
                raise _Rollback
            result.committed = True
    except _Rollback:
        pass
    except ValidationError as exc:  # a file-level problem found while streaming (encoding...)
        result.message = " ".join(exc.messages)
        result.committed = False


class _Columns:
    """Fast access to a row's value for a concept: the first non-empty of its located headers."""

    def __init__(self, located: dict[str, tuple[int, ...]], header: list[str]) -> None:
        self.located = located
        self.header = header

    def getter(self, concept: str) -> Callable[[list[object]], object]:
        positions = self.located.get(concept, ())
        if not positions:
            return lambda cells: None
        if len(positions) == 1:
            (index,) = positions

            def single(cells: list[object]) -> object:
                if index < len(cells):
                    value = cells[index]
                    if value.__class__ is str:
                        value = value.strip()  # type: ignore[union-attr]
                        return value or None
                    return value
                return None

            return single

        def first(cells: list[object]) -> object:
            for index in positions:
                if index < len(cells):
                    value = cells[index]
                    if value.__class__ is str:
                        value = value.strip()  # type: ignore[union-attr]
                    if value is not None and value != "":
                        return value
            return None

        return first

    def name(self, concept: str) -> str:
        """The header the seller sees for a concept (for error messages)."""
        positions = self.located.get(concept)
        return self.header[positions[0]] if positions else concept


_CHANNELS = (
    {words_key(c.value): c.value for c in Channel}
    | {words_key(c.label): c.value for c in Channel}
    | {c.value: c.value for c in Channel}  # the exact code, looked up without normalising
    | {str(c.label): c.value for c in Channel}
)


def _channel(value: object) -> str:
    if value.__class__ is str and (code := _CHANNELS.get(value)):  # type: ignore[call-overload]
        return code
    text = v.text(value)
    code = _CHANNELS.get(words_key(text))
    if code is None:
        raise v.CellError(
            _("Unknown channel %(value)s. Use one of: %(known)s.")
            % {"value": text or '""', "known": ", ".join(Channel.values)}
        )
    return code


def _phone(value: object) -> str:
    return _phone_text(_text(value))


# Large enough for every buyer of a big file: one number comes back on each of her orders, and
# a cache smaller than the number of buyers would miss on most of them.
@functools.lru_cache(maxsize=65536)
def _phone_text(text: str) -> str:
    if not text or "*" in text:  # marketplaces mask buyers' numbers: nothing to match on
        return ""
    try:
        return normalize_phone(text)
    except ValidationError as exc:
        raise v.CellError(" ".join(exc.messages)) from exc


def _email(value: object) -> str:
    text = _text(value)
    if not text or "*" in text:
        return ""
    try:
        if len(text) > 254:  # found by fuzzing: valid syntax, but longer than the column holds
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError as exc:
        raise v.CellError(_("%(value)s is not an email address.") % {"value": text}) from exc
    return text


def _adapter(*, cached: bool = True) -> Callable[[datetime | None], object]:
    """Datetimes as the database driver wants them (cached: many rows share a timestamp)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite" and connection.timezone is UTC:
        django_adapt = adapt

        def adapt(value: datetime) -> object:
            # What Django does for SQLite (naive UTC as text), without its checks per call.
            if value.tzinfo is UTC:
                return str(value.replace(tzinfo=None))
            if value.tzinfo is None:  # read back from SQLite: already naive UTC
                return str(value)
            return django_adapt(value)

    if not cached:
        return adapt

    cache: dict[datetime, object] = {}

    def convert(value: datetime | None) -> object:
        if value is None:
            return None
        try:
            return cache[value]
        except KeyError:
            if len(cache) > 20000:
                cache.clear()
            converted = cache[value] = adapt(value)
            return converted

    return convert


def _time_reader(adapt: Callable[[datetime], object]) -> Callable[[str], object]:
    """Stripped, non-empty cell text -> the database value of its time (None for "-").

    The same value as ``adapt(parse_datetime(text))``, and the same errors; the shapes exports
    use take a fast path (``values.wall_clock_text`` / ``wall_clock_utc``).
    """
    parse = v.parse_datetime
    if connection.vendor == "sqlite" and connection.timezone is UTC:
        fast = v.wall_clock_text  # what Django stores on SQLite: naive UTC as text
    else:

        def fast(text: str) -> object:
            naive = v.wall_clock_utc(text)
            return None if naive is None else adapt(naive.replace(tzinfo=UTC))

    def read(text: str) -> object:
        value = fast(text)
        if value is None:
            parsed = parse(text)
            value = None if parsed is None else adapt(parsed)
        return value

    return read


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


class _Inserter:
    """Raw bulk inserts of one model, with primary keys chosen up front.

    COPY on PostgreSQL, executemany on SQLite: no model instances, no per-row SQL. Knowing the
    ids beforehand saves reading them back. Columns the import does not fill get the field's
    default, so a field another app adds later (with a default) is filled too.
    """

    def __init__(self, model: type, provided: list[str]) -> None:
        meta = model._meta  # type: ignore[attr-defined]
        self.table = meta.db_table
        by_attname = {f.attname: f for f in meta.concrete_fields}
        others = [
            f for f in meta.concrete_fields if not f.primary_key and f.attname not in provided
        ]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        columns = (
            [meta.pk.column] + [by_attname[a].column for a in provided] + [f.column for f in others]
        )
        names = ", ".join(_qn(c) for c in columns)
        self.sql = (
            f"INSERT INTO {_qn(self.table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.copy_sql = f"COPY {_qn(self.table)} ({names}) FROM STDIN"

    def allocate(self, count: int) -> list[int] | range:
        """`count` unused primary keys (the import holds the write lock, see file_import)."""
        if count == 0:
            return range(0)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {_qn(self.table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            row = cursor.fetchone()
            start = max(top, row[0] if row else 0) + 1
            return range(start, start + count)

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        tail = self.tail
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + tail)
            else:
                cursor.executemany(self.sql, [row + tail for row in rows] if tail else rows)


def _executemany(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _val(cells: list[object], n: int, where: int | tuple[int, ...] | None) -> object:
    """A row's value at a concept's position(s): stripped, "" as None, first non-empty wins."""
    if where is None:
        return None
    if where.__class__ is int:
        if where < n:  # type: ignore[operator]
            value = cells[where]  # type: ignore[index]
            if value.__class__ is str:
                return value.strip() or None  # type: ignore[union-attr]
            return value
        return None
    for index in where:  # type: ignore[union-attr]
        if index < n:
            value = cells[index]
            if value.__class__ is str:
                value = value.strip()  # type: ignore[union-attr]
            if value is not None and value != "":
                return value
    return None


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold() -> Callable[[str], str]:
    """Lowercase a handle the way the database's LOWER() does, so matches agree with the
    unique index: SQLite folds ASCII letters only, PostgreSQL every letter."""
    if connection.vendor == "sqlite":
        return lambda text: text.translate(_ASCII_LOWER)
    return str.lower


def _select(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(items: list) -> str:
    return ", ".join(["%s"] * len(items))


def _text(value: object) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    return v.text(value)


def _in_batches(items: list, size: int = 900) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _BaseImporter:
    kind = ""

    def __init__(
        self,
        *,
        shop: Shop,
        mapping: Mapping,
        located: dict[str, tuple[int, ...]],
        header: list[str],
        result: ImportResult,
    ) -> None:
        self.shop = shop
        self.mapping = mapping
        self.columns = _Columns(located, header)
        self.result = result
        self.now = timezone.now()
        self.adapt = _adapter()
        self.adapt_time = _adapter(cached=False)
        self.read_time = _time_reader(self.adapt_time)

    def run(self, rows: Iterable[tuple[int, list[object]]], *, progress: ProgressCallback | None):
        processed = 0
        pending = 0
        for number, cells in rows:
            processed += 1
            try:
                self.feed(number, cells)
            except RowError as exc:
                self.result.add_error(number, exc.column, exc.message)
            pending += 1
            if pending >= CHUNK_ROWS:
                self._flush(processed, progress, final=False)
                pending = 0
        self._flush(processed, progress, final=True)
        self.result.counts["rows"] = processed
        self.result.counts["invalid"] = self.result.error_count

    def _flush(self, processed: int, progress: ProgressCallback | None, *, final: bool) -> None:
        self.flush(final=final)
        self.result.processed_rows = processed
        if settings.DEBUG:
            reset_queries()  # DEBUG keeps every query: a big file would fill memory with them
        if progress is not None:
            progress(processed, max(self.result.total_rows, processed))

    def cell(self, getter: Callable, cells: list[object], concept: str, parse: Callable):
        try:
            return parse(getter(cells))
        except v.CellError as exc:
            raise RowError(self.columns.name(concept), str(exc)) from exc

    def require(self, value: object, concept: str) -> None:
        if value is None or value == "":
            raise RowError(self.columns.name(concept), _("This value is required."))

    def feed(self, number: int, cells: list[object]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def flush(self, *, final: bool) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # Buyers, shared by orders and buyer files -------------------------------------------------

    def buyers_lookup(
        self, handles: set[tuple[str, str]], phones: set[str], emails: set[str]
    ) -> tuple[dict, dict, dict]:
        """Buyer ids by (channel, folded handle), by phone and by lowercased email."""
        known: dict[int, tuple[str, str]] = {}
        return (
            self._by_handle(handles, known),
            self._by_phone(phones, known),
            self._by_email(emails, known),
        )

    # Plain SQL: on a big file these run for every chunk and the ORM's query building would cost
    # more than the queries. Each also notes the buyer's phone and email in `known`, so that
    # filling in a missing phone needs no further query.

    def _by_handle(self, handles: set[tuple[str, str]], known: dict) -> dict[tuple[str, str], int]:
        fold = _fold()
        found: dict[tuple[str, str], int] = {}
        by_channel: dict[str, list[str]] = {}
        for channel, key in handles:
            by_channel.setdefault(channel, []).append(key)
        for channel, keys in by_channel.items():
            # shop + channel + LOWER(handle): the unique index customers_buyerhandle_unique_per_channel.
            for batch in _in_batches(sorted(keys)):
                rows = _select(
                    f"SELECT h.handle, h.buyer_id, b.phone, b.email "
                    f"FROM {_qn(BuyerHandle._meta.db_table)} h "
                    f"JOIN {_qn(Buyer._meta.db_table)} b ON b.id = h.buyer_id "
                    f"WHERE h.shop_id = %s AND h.channel = %s "
                    f"AND LOWER(h.handle) IN ({_marks(batch)})",
                    [self.shop.pk, channel, *batch],
                )
                for handle, buyer_id, phone, email in rows:
                    found[(channel, fold(handle))] = buyer_id
                    known[buyer_id] = (phone, email)
        return found

    def _by_phone(self, phones: set[str], known: dict) -> dict[str, int]:
        found: dict[str, int] = {}
        for batch in _in_batches(sorted(phones)):
            rows = _select(
                f"SELECT phone, id, email FROM {_qn(Buyer._meta.db_table)} WHERE shop_id = %s "
                f"AND phone IN ({_marks(batch)}) ORDER BY id DESC",
                [self.shop.pk, *batch],
            )
            for phone, buyer_id, email in rows:
                found[phone] = buyer_id  # the oldest buyer with this number wins
                known[buyer_id] = (phone, email)
        return found

    def _by_email(self, emails: set[str], known: dict) -> dict[str, int]:
        found: dict[str, int] = {}
        for batch in _in_batches(sorted(emails)):
            rows = _select(
                f"SELECT LOWER(email), id, phone, email FROM {_qn(Buyer._meta.db_table)} "
                f"WHERE shop_id = %s AND LOWER(email) IN ({_marks(batch)}) ORDER BY id DESC",
                [self.shop.pk, *batch],
            )
            for key, buyer_id, phone, email in rows:
                found[key] = buyer_id
                known[buyer_id] = (phone, email)
        return found


# Orders ---------------------------------------------------------------------------------------

_STATUS_RANK = {
    "paid": 0,
    "shipped": 1,
    "delivered": 2,
    "completed": 3,
    "cancelled": 4,
    "returned": 4,
}
_ORDER_FIELDS = (
    "buyer_id",
    "status",
    "ordered_at",
    "shipped_at",
    "promised_at",
    "delivered_at",
    "courier",
    "tracking_number",
    "total",
)


# The columns of an order file read per line, and those read once per order (its first line).
_LINE_CONCEPTS = (
    "order_id", "channel", "sku", "product_name", "variation", "quantity", "unit_price",
)  # fmt: skip
_ORDER_CONCEPTS = (
    "status", "ordered_at", "shipped_at", "promised_at", "delivered_at", "courier",
    "tracking_number", "buyer_name", "buyer_handle", "buyer_phone", "buyer_email", "order_total",
)  # fmt: skip


def _line_sort(line: tuple) -> tuple:
    return (line[0] is None, line[0] or 0, line[1], line[2], line[3])


class _OrderDraft:
    """One order of the chunk being read (a plain slotted class: one is made per order)."""

    __slots__ = ("buyer", "channel", "external_id", "fields", "line_rows", "lines", "row", "total")

    def __init__(
        self,
        row: int,
        channel: str,
        external_id: str,
        fields: dict[str, Any],
        buyer: tuple[str, str, str, str],  # name, handle, phone, email
        total: int | None = None,
    ) -> None:
        self.row = row
        self.channel = channel
        self.external_id = external_id
        self.fields = fields
        self.buyer = buyer
        self.total = total
        self.lines: list[tuple[str, str, int, int]] = []  # sku, name, quantity, unit price
        self.line_rows: dict[tuple[str, str], int] = {}


class OrdersImporter(_BaseImporter):
    kind = "orders"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Concept -> position (int) or positions (tuple, first non-empty wins); absent: None.
        self.pos: dict[str, int | tuple[int, ...] | None] = {
            concept: (hits[0] if len(hits) == 1 else hits)
            for concept, hits in self.columns.located.items()
        }
        for concept in self.mapping.columns:
            self.pos.setdefault(concept, None)
        self.fixed_channel = self.mapping.channel
        self.drafts: dict[tuple[str, str], _OrderDraft] = {}
        self.last_key: tuple[str, str] | None = None
        # Orders already written by this run (as hashes, to stay small for a million rows): when
        # one shows up again further down, its new lines are added rather than replacing.
        self.flushed: set[int] = set()
        self.statuses = self.mapping.statuses
        self.handle_ids: dict[tuple[str, str], int] = {}  # (channel, folded handle) -> buyer
        self.known: dict[int, tuple[str, str]] = {}  # buyer -> (phone, email) as stored
        self.status_cache: dict[object, str] = {}
        for group in ("orders", "buyers", "products", "lines"):
            self.result.counts.setdefault(group, {})
        now = ["created_at", "updated_at"]
        self.buyer_rows = _Inserter(Buyer, [*now, "shop_id", "name", "phone", "email"])
        self.handle_rows = _Inserter(
            BuyerHandle, [*now, "shop_id", "buyer_id", "channel", "handle"]
        )
        self.product_rows = _Inserter(Product, [*now, "shop_id", "sku", "name", "price"])
        self.order_rows = _Inserter(
            Order,
            [
                *now, "shop_id", "buyer_id", "channel", "external_id", "status", "ordered_at",
                "shipped_at", "promised_at", "delivered_at", "courier", "tracking_number", "total",
            ],
        )  # fmt: skip
        self.line_rows = _Inserter(
            OrderLine, [*now, "order_id", "product_id", "name", "quantity", "unit_price"]
        )

    def use_text_rows(self) -> None:
        """Rows are lists of str (CSV): a row's columns are taken with one itemgetter call.

        Only when each column comes from a single header; otherwise the general feed.
        """
        if any(isinstance(self.pos.get(c), tuple) for c in _LINE_CONCEPTS):
            return
        # Absent columns read the "" appended at the end of every row (index -1).
        self.width = len(self.columns.header)
        self.line_cells = operator.itemgetter(
            *[-1 if self.pos.get(c) is None else self.pos[c] for c in _LINE_CONCEPTS]
        )
        self.feed = self._feed_text  # type: ignore[method-assign]
        if not any(isinstance(self.pos.get(c), tuple) for c in _ORDER_CONCEPTS):
            self.order_cells = operator.itemgetter(
                *[-1 if self.pos.get(c) is None else self.pos[c] for c in _ORDER_CONCEPTS]
            )
            self._draft = self._draft_text  # type: ignore[method-assign]

    def _feed_text(self, number: int, cells: list[str]) -> None:
        # The hot path of a big CSV import: plain locals, one try block, order-level columns
        # read once per order (from its first line), the line added inline.
        if len(cells) < self.width:
            cells.extend([""] * (self.width - len(cells)))
        cells.append("")
        order_id, channel, sku, name, variation, quantity, unit_price = self.line_cells(cells)
        concept = "order_id"
        try:
            external_id = order_id.strip()
            if not external_id:
                raise v.CellError(_("This value is required."))
            if len(external_id) > 64:
                raise v.CellError(_("An order number has at most 64 characters."))
            if self.fixed_channel:
                channel = self.fixed_channel
            else:
                concept = "channel"
                channel = _CHANNELS.get(channel) or _channel(channel.strip())
            key = (channel, external_id)
            self.last_key = key
            concept = "sku"
            sku = sku.strip()
            if len(sku) > 64:
                raise v.CellError(_("A SKU has at most 64 characters."))
            name = name.strip()
            if variation:
                variation = variation.strip()
                if variation:
                    name = f"{name} ({variation})" if name else variation
            if not sku and not name:
                raise v.CellError(_("Each line needs a SKU or a product name."))
            concept = "quantity"
            quantity = v.parse_quantity(quantity.strip() or None)
            if quantity is None:
                raise v.CellError(_("This value is required."))
            concept = "unit_price"
            unit_price = v.parse_rupiah(unit_price.strip() or None)
            if unit_price is None:
                raise v.CellError(_("This value is required."))
            draft = self.drafts.get(key)
            if draft is None:
                draft = self._draft(number, cells, len(cells), key)
                if draft is None:
                    return  # an order to skip (unpaid)
        except v.CellError as exc:
            raise RowError(self.columns.name(concept), str(exc)) from exc
        line_key = (sku, "" if sku else name.casefold())
        line_rows = draft.line_rows
        if line_key in line_rows:
            self._line_duplicate(draft, line_rows[line_key], sku, name)
        line_rows[line_key] = number
        draft.lines.append((sku, name[:200], quantity, unit_price))

    def _line_add(
        self, draft: _OrderDraft, number: int, sku: str, name: str, quantity: int, unit_price: int
    ) -> None:
        line_key = (sku, "" if sku else name.casefold())
        earlier = draft.line_rows.get(line_key)
        if earlier is not None:
            self._line_duplicate(draft, earlier, sku, name)
        draft.line_rows[line_key] = number
        draft.lines.append((sku, name[:200], quantity, unit_price))

    def _line_duplicate(self, draft: _OrderDraft, earlier: int, sku: str, name: str) -> None:
        raise RowError(
            self.columns.name("sku" if sku else "product_name"),
            _("Duplicate line: order %(order)s already has %(item)s on row %(row)s.")
            % {"order": draft.external_id, "item": sku or name, "row": earlier},
        )

    def feed(self, number: int, cells: list[object]) -> None:
        # The hot path of a big import: plain locals, one try block, order-level columns read
        # once per order (from its first line).
        pos = self.pos
        n = len(cells)
        concept = "order_id"
        try:
            external_id = _text(_val(cells, n, pos["order_id"]))
            if not external_id:
                raise RowError(self.columns.name("order_id"), _("This value is required."))
            if len(external_id) > 64:
                raise v.CellError(_("An order number has at most 64 characters."))
            if self.fixed_channel:
                channel = self.fixed_channel
            else:
                concept = "channel"
                channel = _channel(_val(cells, n, pos["channel"]))
            key = (channel, external_id)
            self.last_key = key
            concept = "sku"
            sku = _text(_val(cells, n, pos.get("sku")))
            if len(sku) > 64:
                raise v.CellError(_("A SKU has at most 64 characters."))
            name = _text(_val(cells, n, pos.get("product_name")))
            variation = _text(_val(cells, n, pos.get("variation")))
            if variation:
                name = f"{name} ({variation})" if name else variation
            if not sku and not name:
                raise v.CellError(_("Each line needs a SKU or a product name."))
            concept = "quantity"
            quantity = v.parse_quantity(_val(cells, n, pos["quantity"]))
            if quantity is None:
                raise v.CellError(_("This value is required."))
            concept = "unit_price"
            unit_price = v.parse_rupiah(_val(cells, n, pos["unit_price"]))
            if unit_price is None:
                raise v.CellError(_("This value is required."))
            draft = self.drafts.get(key)
            if draft is None:
                draft = self._draft(number, cells, n, key)
                if draft is None:
                    return  # an order to skip (unpaid)
        except v.CellError as exc:
            raise RowError(self.columns.name(concept), str(exc)) from exc
        self._line_add(draft, number, sku, name, quantity, unit_price)

    def _status(self, raw_status: object) -> str | None:
        """The status of an order's first line ("" when the column is empty); None to skip it."""
        if raw_status is None:
            return ""
        status = self.status_cache.get(raw_status)
        if status is None:
            status = self.status_cache[raw_status] = self.statuses.get(words_key(raw_status), "")
        if not status:
            known = sorted(s for s, value in self.statuses.items() if value != "skip")
            raise v.CellError(
                _("Unknown status %(value)s. Known: %(known)s.")
                % {"value": raw_status, "known": ", ".join(known)}
            )
        if status == "skip":
            self.result.bump("orders", "skipped_rows")
            return None
        return status

    def _time(self, value: object) -> object:
        """A time cell (text, or a date from a spreadsheet) as the database stores it."""
        if value is None:
            return None
        if value.__class__ is str:
            return self.read_time(value)
        parsed = v.parse_datetime(value)
        return None if parsed is None else self.adapt_time(parsed)

    def _draft(
        self, number: int, cells: list[object], n: int, key: tuple[str, str]
    ) -> _OrderDraft | None:
        """Order-level columns of an order's first line; None when the order is to be skipped."""
        pos = self.pos
        concept = "status"
        try:
            status = self._status(_val(cells, n, pos.get("status")))
            if status is None:
                return None
            # Times are kept as the database stores them from here on (see _adapter).
            concept = "ordered_at"
            ordered_at = self._time(_val(cells, n, pos["ordered_at"]))
            if ordered_at is None:
                raise v.CellError(_("This value is required."))
            fields: dict[str, Any] = {"ordered_at": ordered_at, "status": status}
            for concept in ("shipped_at", "promised_at", "delivered_at"):
                fields[concept] = self._time(_val(cells, n, pos.get(concept)))
            concept = "courier"
            fields["courier"] = courier_code(_text(_val(cells, n, pos.get("courier"))))
            fields["tracking_number"] = _text(_val(cells, n, pos.get("tracking_number")))[:64]
            buyer_name = _text(_val(cells, n, pos.get("buyer_name")))[:150]
            handle = _text(_val(cells, n, pos.get("buyer_handle"))).lstrip("@")[:100]
            concept = "buyer_phone"
            phone = _phone(_val(cells, n, pos.get("buyer_phone")))
            concept = "buyer_email"
            email = _email(_val(cells, n, pos.get("buyer_email")))
            concept = "order_total"
            total = v.parse_rupiah(_val(cells, n, pos.get("order_total")))
        except v.CellError as exc:
            raise RowError(self.columns.name(concept), str(exc)) from exc
        draft = _OrderDraft(
            number, key[0], key[1], fields, (buyer_name, handle, phone, email), total=total
        )
        self.drafts[key] = draft
        return draft

    def _draft_text(
        self, number: int, cells: list[str], n: int, key: tuple[str, str]
    ) -> _OrderDraft | None:
        """_draft for rows of text with one header per column: one itemgetter call, no _val."""
        (
            status, ordered_at, shipped_at, promised_at, delivered_at, courier, tracking,
            buyer_name, handle, phone, email, total,
        ) = self.order_cells(cells)  # fmt: skip
        read_time = self.read_time
        concept = "status"
        try:
            status = self._status(status.strip() or None)
            if status is None:
                return None
            concept = "ordered_at"
            ordered_at = ordered_at.strip()
            ordered_at = read_time(ordered_at) if ordered_at else None
            if ordered_at is None:
                raise v.CellError(_("This value is required."))
            concept = "shipped_at"
            if shipped_at := shipped_at.strip():
                shipped_at = read_time(shipped_at)
            concept = "promised_at"
            if promised_at := promised_at.strip():
                promised_at = read_time(promised_at)
            concept = "delivered_at"
            if delivered_at := delivered_at.strip():
                delivered_at = read_time(delivered_at)
            fields: dict[str, Any] = {
                "ordered_at": ordered_at,
                "status": status,
                "shipped_at": shipped_at or None,
                "promised_at": promised_at or None,
                "delivered_at": delivered_at or None,
                "courier": courier_code(courier.strip()),
                "tracking_number": tracking.strip()[:64],
            }
            concept = "buyer_phone"
            phone = phone.strip()
            phone = _phone_text(phone) if phone else ""
            concept = "buyer_email"
            email = _email(email.strip())
            concept = "order_total"
            total = total.strip()
            total = v.parse_rupiah(total) if total else None
        except v.CellError as exc:
            raise RowError(self.columns.name(concept), str(exc)) from exc
        draft = _OrderDraft(
            number,
            key[0],
            key[1],
            fields,
            (buyer_name.strip()[:150], handle.strip().lstrip("@")[:100], phone, email),
            total=total,
        )
        self.drafts[key] = draft
        return draft

    # Writing -------------------------------------------------------------------------------

    def flush(self, *, final: bool) -> None:
        # The order being read may continue on the next rows: it waits for the next chunk.
        held = None if final else self.drafts.pop(self.last_key, None)
        drafts = list(self.drafts.values())
        self.drafts.clear()
        if held is not None:
            self.drafts[self.last_key] = held
        if not drafts:
            return
        self.stamp = self.adapt(timezone.now())
        existing = self._existing_orders(drafts)
        buyer_ids = self._buyers_resolve(drafts, existing)
        product_ids = self._products_resolve(drafts)
        self._orders_write(drafts, existing, buyer_ids, product_ids)

    def _buyers_resolve(self, drafts: list[_OrderDraft], existing_orders: dict) -> list[int]:
        fold = _fold()
        # Buyers found or created by this run, kept across chunks: a handle belongs to one buyer
        # and the import holds the write lock, so a handle seen once needs no second query.
        by_handle = self.handle_ids
        known = self.known
        if len(by_handle) > BUYER_CACHE:  # bounded, for files with very many buyers
            by_handle.clear()
            known.clear()
        hkeys = [(d.channel, fold(d.buyer[1])) if d.buyer[1] else None for d in drafts]
        # Staged: a phone is looked up only for orders whose handle found nobody, and so on.
        by_handle.update(
            self._by_handle({k for k in hkeys if k is not None and k not in by_handle}, known)
        )
        unresolved = [d for d, k in zip(drafts, hkeys, strict=True) if k not in by_handle]
        by_phone = self._by_phone({d.buyer[2] for d in unresolved if d.buyer[2]}, known)
        unresolved = [d for d in unresolved if not d.buyer[2] or d.buyer[2] not in by_phone]
        by_email = self._by_email({d.buyer[3].lower() for d in unresolved if d.buyer[3]}, known)

        new_buyers: list[tuple[str, str, str]] = []
        new_keys: dict[tuple, int] = {}  # identifier -> index into new_buyers
        assignment: list[tuple[str, int]] = []  # ("old", buyer_id) or ("new", index)
        wanted_handles: dict[tuple[str, str], tuple[str, int, str]] = {}
        for draft, hkey in zip(drafts, hkeys, strict=True):
            if hkey is not None and (buyer_id := by_handle.get(hkey)):
                assignment.append(("old", buyer_id))  # the common case: a known handle
                continue
            name, handle, phone, email = draft.buyer
            ekey = email.lower() if email else None
            buyer_id = (
                (hkey and by_handle.get(hkey))
                or (phone and by_phone.get(phone))
                or (ekey and by_email.get(ekey))
            )
            if not buyer_id and (
                current := existing_orders.get((draft.channel, draft.external_id))
            ):
                buyer_id = current["buyer_id"]
            if buyer_id:
                ref = ("old", buyer_id)
            else:
                idents = [k for k in (("h", hkey), ("p", phone or None), ("e", ekey)) if k[1]]
                index = next((new_keys[k] for k in idents if k in new_keys), None)
                if index is None:
                    index = len(new_buyers)
                    new_buyers.append(
                        ((name or handle or phone or email or _("Buyer"))[:150], phone, email)
                    )
                for k in idents:
                    new_keys.setdefault(k, index)
                ref = ("new", index)
            assignment.append(ref)
            if hkey and hkey not in by_handle and hkey not in wanted_handles:
                wanted_handles[hkey] = (ref[0], ref[1], handle)
        self._buyers_fill_blanks(drafts, assignment)
        stamp, shop_id = self.stamp, self.shop.pk
        new_ids = self.buyer_rows.allocate(len(new_buyers))
        if new_buyers:
            self.buyer_rows.insert(
                [
                    (pk, stamp, stamp, shop_id, name, phone, email)
                    for pk, (name, phone, email) in zip(new_ids, new_buyers, strict=True)
                ]
            )
            self.result.bump("buyers", "new", len(new_buyers))
            for pk, (_name, phone, email) in zip(new_ids, new_buyers, strict=True):
                known[pk] = (phone, email)
        if wanted_handles:
            handle_ids = self.handle_rows.allocate(len(wanted_handles))
            rows = []
            for pk, (hkey, (kind, i, handle)) in zip(
                handle_ids, wanted_handles.items(), strict=True
            ):
                buyer_id = new_ids[i] if kind == "new" else i
                rows.append((pk, stamp, stamp, shop_id, buyer_id, hkey[0], handle))
                by_handle[hkey] = buyer_id
            self.handle_rows.insert(rows)
        return [new_ids[i] if kind == "new" else i for kind, i in assignment]

    def _buyers_fill_blanks(self, drafts: list[_OrderDraft], assignment: list) -> None:
        """A matched buyer gets the phone or email she lacked; nothing the seller typed is overwritten."""
        known = self.known
        wanted: dict[int, dict[str, str]] = {}
        for draft, (kind, ref) in zip(drafts, assignment, strict=True):
            if kind != "old":
                continue
            _name, _handle, phone, email = draft.buyer
            if not (phone or email):
                continue
            stored = known.get(ref)
            if stored is not None and (stored[0] or not phone) and (stored[1] or not email):
                continue  # she lacks nothing this row could give
            entry = wanted.setdefault(ref, {})
            if phone:
                entry.setdefault("phone", phone)
            if email:
                entry.setdefault("email", email)
        if not wanted:
            return
        missing = [pk for pk in wanted if pk not in known]
        for batch in _in_batches(missing):
            for pk, phone, email in _select(
                f"SELECT id, phone, email FROM {_qn(Buyer._meta.db_table)} "
                f"WHERE id IN ({_marks(batch)})",
                batch,
            ):
                known[pk] = (phone, email)
        changes = []
        for pk, entry in wanted.items():
            phone, email = known[pk]
            new_phone = phone or entry.get("phone", "")
            new_email = email or entry.get("email", "")
            if (new_phone, new_email) != (phone, email):
                changes.append((self.stamp, new_phone, new_email, pk))
                known[pk] = (new_phone, new_email)
        if changes:
            _executemany(
                f"UPDATE {_qn(Buyer._meta.db_table)} SET {_qn('updated_at')} = %s, "
                f"{_qn('phone')} = %s, {_qn('email')} = %s WHERE {_qn('id')} = %s",
                changes,
            )
            self.result.bump("buyers", "updated", len(changes))

    def _products_resolve(self, drafts: list[_OrderDraft]) -> dict[str, int]:
        wanted: dict[str, tuple[str, int]] = {}
        for draft in drafts:
            for sku, name, _qty, price in draft.lines:
                if sku and sku not in wanted:
                    wanted[sku] = (name, price)
        if not wanted:
            return {}
        found: dict[str, int] = {}
        for batch in _in_batches(list(wanted)):
            found.update(
                _select(
                    f"SELECT sku, id FROM {_qn(Product._meta.db_table)} WHERE shop_id = %s "
                    f"AND sku IN ({_marks(batch)})",
                    [self.shop.pk, *batch],
                )
            )
        missing = [sku for sku in wanted if sku not in found]
        if missing:
            ids = self.product_rows.allocate(len(missing))
            stamp, shop_id = self.stamp, self.shop.pk
            self.product_rows.insert(
                [
                    (pk, stamp, stamp, shop_id, sku, (wanted[sku][0] or sku)[:200], wanted[sku][1])
                    for pk, sku in zip(ids, missing, strict=True)
                ]
            )
            found.update(zip(missing, ids, strict=True))
            self.result.bump("products", "new", len(missing))
        return found

    def _existing_orders(self, drafts: list[_OrderDraft]) -> dict[tuple[str, str], dict]:
        """The chunk's orders already in the shop, values as the database driver returns them."""
        by_channel: dict[str, set[str]] = {}
        for d in drafts:
            by_channel.setdefault(d.channel, set()).add(d.external_id)
        columns = ["id", "channel", "external_id", *_ORDER_FIELDS]
        times = ("ordered_at", "shipped_at", "promised_at", "delivered_at")
        if connection.vendor == "sqlite":
            # Read times as the stored text: no parsing into datetimes and back per row.
            select = ", ".join(f"{_qn(c)} || ''" if c in times else _qn(c) for c in columns)
        else:
            select = ", ".join(_qn(c) for c in columns)
        adapt = self.adapt
        # Read once: `connection` is a proxy that looks the connection up on every access.
        on_sqlite = connection.vendor == "sqlite"
        existing = {}
        for channel, numbers in by_channel.items():
            # shop + channel + number: the unique index customers_order_unique_external_id.
            for batch in _in_batches(sorted(numbers)):
                for row in _select(
                    f"SELECT {select} FROM {_qn(Order._meta.db_table)} WHERE shop_id = %s "
                    f"AND channel = %s AND external_id IN ({_marks(batch)})",
                    [self.shop.pk, channel, *batch],
                ):
                    values = dict(zip(columns, row, strict=True))
                    values["pk"] = values["id"]
                    # SQLite hands back naive datetimes, PostgreSQL aware ones: both are put in
                    # the form the import writes, so that equal times compare equal.
                    if not on_sqlite:
                        for name in times:
                            values[name] = adapt(values[name])
                    existing[(row[1], row[2])] = values
        return existing

    def _orders_write(
        self,
        drafts: list[_OrderDraft],
        existing: dict[tuple[str, str], dict],
        buyer_ids: list[int],
        product_ids: dict[str, int],
    ) -> None:
        stamp = self.stamp
        shop_id = self.shop.pk
        new_orders: list[tuple[_OrderDraft, int, str, int]] = []
        updates = []
        write_lines: list[tuple[int, _OrderDraft]] = []
        stale: list[int] = []
        counts = self.result.counts["orders"]
        old_lines = self._lines_of([row["pk"] for row in existing.values()])
        stored_values = operator.itemgetter(*_ORDER_FIELDS)
        for draft, buyer_id in zip(drafts, buyer_ids, strict=True):
            key = (draft.channel, draft.external_id)
            fields = draft.fields
            lines_total = sum(qty * price for _s, _n, qty, price in draft.lines)
            status = fields["status"] or (
                "delivered"
                if fields["delivered_at"]
                else "shipped"
                if fields["shipped_at"]
                else "paid"
            )
            current = existing.get(key)
            digest = hash(key)
            seen_before = digest in self.flushed
            self.flushed.add(digest)
            if current is None:
                total = draft.total if draft.total is not None else lines_total
                new_orders.append((draft, buyer_id, status, total))
                continue
            order_id = current["pk"]
            if seen_before:
                # The order came back further down the file: its earlier lines are in the
                # database already (written by this run), so a repeated line is a duplicate.
                known = {
                    (ln[0], ln[1] if ln[0] is None else "") for ln in old_lines.get(order_id, [])
                }
                for (sku, name, _q, _p), row in zip(
                    draft.lines, draft.line_rows.values(), strict=True
                ):
                    if (product_ids.get(sku), "" if sku else name) in known:
                        self.result.add_error(
                            row,
                            self.columns.name("sku" if sku else "product_name"),
                            _(
                                "Duplicate line: order %(order)s already has %(item)s on an "
                                "earlier row."
                            )
                            % {"order": draft.external_id, "item": sku or name},
                        )
                lines_same = False
                total = current["total"] + lines_total if draft.total is None else draft.total
                write_lines.append((order_id, draft))
            else:
                file_lines = sorted(
                    ((product_ids.get(s), nm, q, p) for s, nm, q, p in draft.lines),
                    key=_line_sort,
                )
                lines_same = old_lines.get(order_id, []) == file_lines
                total = draft.total if draft.total is not None else lines_total
                if not lines_same:
                    stale.append(order_id)
                    write_lines.append((order_id, draft))
            # Compared as the database stores them (strings on SQLite), the way they were read;
            # in the order of _ORDER_FIELDS.
            target = (
                buyer_id,
                # An older export must not move an order back (delivered -> paid).
                status
                if _STATUS_RANK[status] >= _STATUS_RANK.get(current["status"], 0)
                else current["status"],
                fields["ordered_at"],
                # Empty cells never erase what is known.
                fields["shipped_at"] or current["shipped_at"],
                fields["promised_at"] or current["promised_at"],
                fields["delivered_at"] or current["delivered_at"],
                fields["courier"] or current["courier"],
                fields["tracking_number"] or current["tracking_number"],
                total,
            )
            if lines_same and target == stored_values(current):
                if not seen_before:
                    counts["unchanged"] = counts.get("unchanged", 0) + 1
                continue
            if not seen_before:
                counts["updated"] = counts.get("updated", 0) + 1
            updates.append((stamp, *target, order_id))
        if new_orders:
            ids = self.order_rows.allocate(len(new_orders))
            rows = []
            for pk, (draft, buyer_id, status, total) in zip(ids, new_orders, strict=True):
                f = draft.fields
                rows.append(
                    (
                        pk, stamp, stamp, shop_id, buyer_id, draft.channel, draft.external_id,
                        status, f["ordered_at"], f["shipped_at"],
                        f["promised_at"], f["delivered_at"], f["courier"],
                        f["tracking_number"], total,
                    )
                )  # fmt: skip
                write_lines.append((pk, draft))
            self.order_rows.insert(rows)
            counts["new"] = counts.get("new", 0) + len(new_orders)
        if updates:
            _executemany(_order_update_sql(), updates)
        for batch in _in_batches(stale):
            OrderLine.objects.filter(order_id__in=batch)._raw_delete(connection.alias)
        line_count = sum(len(d.lines) for _o, d in write_lines)
        if line_count:
            ids = iter(self.line_rows.allocate(line_count))
            get_product = product_ids.get
            self.line_rows.insert(
                [
                    (next(ids), stamp, stamp, order_id, get_product(sku), name, qty, price)
                    for order_id, draft in write_lines
                    for sku, name, qty, price in draft.lines
                ]
            )
            self.result.bump("lines", "written", line_count)

    def _lines_of(self, order_ids: list[int]) -> dict[int, list[tuple]]:
        lines: dict[int, list[tuple]] = {}
        for batch in _in_batches(order_ids):
            for order_id, product_id, name, qty, price in _select(
                f"SELECT order_id, product_id, name, quantity, unit_price FROM "
                f"{_qn(OrderLine._meta.db_table)} WHERE order_id IN ({_marks(batch)})",
                batch,
            ):
                lines.setdefault(order_id, []).append((product_id, name, qty, price))
        for value in lines.values():
            value.sort(key=_line_sort)
        return lines


def _order_update_sql() -> str:
    columns = ["updated_at", *_ORDER_FIELDS]  # the order of the rows _orders_write makes
    assignments = ", ".join(f"{_qn(c)} = %s" for c in columns)
    return f"UPDATE {_qn(Order._meta.db_table)} SET {assignments} WHERE {_qn('id')} = %s"


# Reviews --------------------------------------------------------------------------------------


class ReviewsImporter(_BaseImporter):
    kind = "reviews"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.get = {concept: self.columns.getter(concept) for concept in self.mapping.columns}
        self.pending: list[tuple[int, str, str, str, int, str, datetime]] = []
        self.seen: dict[tuple[str, str, str], int] = {}
        self.result.counts.setdefault("reviews", {})

    def feed(self, number: int, cells: list[object]) -> None:
        get = self.get
        external_id = v.text(get["order_id"](cells))
        self.require(external_id, "order_id")
        channel = self.mapping.channel or self.cell(get["channel"], cells, "channel", _channel)
        rating = self.cell(get["rating"], cells, "rating", v.parse_rating)
        posted_at = self.cell(get["posted_at"], cells, "posted_at", v.parse_datetime)
        self.require(posted_at, "posted_at")
        review_id = v.text(get["review_id"](cells))[:64] if "review_id" in get else ""
        text = v.text(get["text"](cells)) if "text" in get else ""
        key = (channel, external_id, review_id or posted_at.isoformat())
        if (earlier := self.seen.get(key)) is not None:
            raise RowError(
                self.columns.name("order_id"),
                _("Duplicate review: the same review is on row %(row)s.") % {"row": earlier},
            )
        self.seen[key] = number
        self.pending.append((number, channel, external_id, review_id, rating, text, posted_at))

    def flush(self, *, final: bool) -> None:
        from reviews.models import Review

        pending, self.pending = self.pending, []
        if not pending:
            return
        orders: dict[tuple[str, str], int] = {}
        for batch in _in_batches(sorted({p[2] for p in pending})):
            for channel, external_id, pk in Order.objects.filter(
                shop=self.shop, external_id__in=batch
            ).values_list("channel", "external_id", "pk"):
                orders[(channel, external_id)] = pk
        existing: dict[int, list[Review]] = {}
        for batch in _in_batches(sorted(set(orders.values()))):
            for review in Review.objects.filter(shop=self.shop, order_id__in=batch):
                existing.setdefault(review.order_id, []).append(review)
        created, changed = [], []
        counts = self.result.counts["reviews"]
        for number, channel, external_id, review_id, rating, text, posted_at in pending:
            order_id = orders.get((channel, external_id))
            if order_id is None:
                self.result.add_error(
                    number,
                    self.columns.name("order_id"),
                    _("Order %(order)s on %(channel)s is not in Rawat: import the orders first.")
                    % {"order": external_id, "channel": channel},
                )
                continue
            match = next(
                (
                    r
                    for r in existing.get(order_id, [])
                    if (r.external_id == review_id if review_id else r.posted_at == posted_at)
                ),
                None,
            )
            if match is None:
                review = Review(
                    shop=self.shop,
                    order_id=order_id,
                    channel=channel,
                    external_id=review_id,
                    rating=rating,
                    text=text,
                    posted_at=posted_at,
                )
                created.append(review)
                existing.setdefault(order_id, []).append(review)
                counts["new"] = counts.get("new", 0) + 1
            elif (match.rating, match.text, match.posted_at) != (rating, text, posted_at):
                match.rating, match.text, match.posted_at = rating, text, posted_at
                changed.append(match)
                counts["updated"] = counts.get("updated", 0) + 1
            else:
                counts["unchanged"] = counts.get("unchanged", 0) + 1
        if created:
            Review.objects.bulk_create(created, batch_size=500)
        if changed:
            Review.objects.bulk_update(changed, ["rating", "text", "posted_at", "updated_at"])
        self.result.review_ids.extend(r.pk for r in created + changed)


# Buyers ---------------------------------------------------------------------------------------


class BuyersImporter(_BaseImporter):
    """A buyer list: matched by handle, then phone, then email; file values replace stored ones."""

    kind = "buyers"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.get = {concept: self.columns.getter(concept) for concept in self.mapping.columns}
        self.pending: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}
        self.result.counts.setdefault("buyers", {})

    def feed(self, number: int, cells: list[object]) -> bool:
        get = self.get
        row: dict[str, Any] = {"row": number}
        row["name"] = v.text(get["name"](cells))[:150]
        self.require(row["name"], "name")
        row["phone"] = self.cell(get["phone"], cells, "phone", _phone) if "phone" in get else ""
        row["email"] = self.cell(get["email"], cells, "email", _email) if "email" in get else ""
        row["handle"] = v.text(get["handle"](cells)).lstrip("@")[:100] if "handle" in get else ""
        row["channel"] = ""
        if row["handle"]:
            row["channel"] = self.mapping.channel or self.cell(
                get["channel"], cells, "channel", _channel
            )
        if not (row["phone"] or row["email"] or row["handle"]):
            raise RowError(
                self.columns.name("phone"),
                _("A buyer needs a phone number, an email address or a channel handle."),
            )
        row["birthday"] = (
            self.cell(get["birthday"], cells, "birthday", v.parse_date)
            if "birthday" in get
            else None
        )
        row["notes"] = v.text(get["notes"](cells)) if "notes" in get else ""
        row["tags"] = (
            sorted({t.strip()[:40] for t in v.text(get["tags"](cells)).split(",") if t.strip()})
            if "tags" in get
            else []
        )
        row["marketing_consent"] = (
            self.cell(get["marketing_consent"], cells, "marketing_consent", v.parse_bool)
            if "marketing_consent" in get and get["marketing_consent"](cells) is not None
            else None
        )
        identity = hashlib.blake2b(
            f"{row['channel']}|{row['handle'].casefold()}|{row['phone']}|{row['email'].casefold()}".encode(),
            digest_size=8,
        ).hexdigest()
        if (earlier := self.seen.get(identity)) is not None:
            raise RowError(
                self.columns.name("name"),
                _("Duplicate buyer: the same buyer is on row %(row)s.") % {"row": earlier},
            )
        self.seen[identity] = number
        self.pending.append(row)

    def flush(self, *, final: bool) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        fold = _fold()
        handles = {(r["channel"], fold(r["handle"])) for r in pending if r["handle"]}
        phones = {r["phone"] for r in pending if r["phone"]}
        emails = {r["email"].lower() for r in pending if r["email"]}
        by_handle, by_phone, by_email = self.buyers_lookup(handles, phones, emails)
        counts = self.result.counts["buyers"]
        tags = {t.name.casefold(): t for t in Tag.objects.filter(shop=self.shop)}
        for row in pending:
            hkey = (row["channel"], fold(row["handle"])) if row["handle"] else None
            buyer_id = (
                (hkey and by_handle.get(hkey))
                or (row["phone"] and by_phone.get(row["phone"]))
                or (row["email"] and by_email.get(row["email"].lower()))
            )
            wanted = {k: row[k] for k in ("name", "phone", "email", "notes") if row[k]}
            if row["birthday"] is not None:
                wanted["birthday"] = row["birthday"]
            if row["marketing_consent"] is not None:
                wanted["marketing_consent"] = row["marketing_consent"]
            if buyer_id:
                buyer = Buyer.objects.get(pk=buyer_id)
                dirty = [k for k, value in wanted.items() if getattr(buyer, k) != value]
                for k in dirty:
                    setattr(buyer, k, wanted[k])
                if dirty:
                    buyer.save()
            else:
                buyer = Buyer.objects.create(shop=self.shop, **wanted)
                dirty = ["new"]
            if hkey and hkey not in by_handle:
                BuyerHandle.objects.create(
                    shop=self.shop, buyer=buyer, channel=row["channel"], handle=row["handle"]
                )
                by_handle[hkey] = buyer.pk
                dirty = dirty or ["handle"]
            if row["phone"]:
                by_phone.setdefault(row["phone"], buyer.pk)
            if row["email"]:
                by_email.setdefault(row["email"].lower(), buyer.pk)
            if row["tags"]:
                have = set(buyer.tags.values_list("pk", flat=True)) if buyer_id else set()
                for name in row["tags"]:
                    tag = tags.get(name.casefold())
                    if tag is None:
                        tag = tags[name.casefold()] = Tag.objects.create(shop=self.shop, name=name)
                    if tag.pk not in have:
                        buyer.tags.add(tag)
                        dirty = dirty or ["tags"]
            state = "new" if not buyer_id else "updated" if dirty else "unchanged"
            counts[state] = counts.get(state, 0) + 1
