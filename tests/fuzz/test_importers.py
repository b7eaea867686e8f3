"""Fuzzing the importers with any bytes, encoding, header and rows (issue 8, part 4).

The promises, from imports/engine.py and imports/readers.py:
- ``table_open`` refuses what is not a readable table with a ValidationError carrying one of
  the documented codes, and nothing else;
- ``file_import`` never raises: a file-level problem comes back as ``result.message``, bad rows
  as ``result.errors`` (row, column, reason);
- an import with any problem, and every dry run, leaves the database exactly as it was;
- through the service (what the upload page and the job run), a run ends CHECKED, INVALID or
  DONE, never FAILED (FAILED means an unexpected exception: a bug).
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given, settings
from hypothesis import strategies as st

from imports.engine import file_import
from imports.mappings import shipped_mappings
from imports.models import ImportRun
from imports.readers import table_open
from imports.services import import_run_check, import_run_commit, import_run_create
from tests.fuzz.conftest import budget

pytestmark = pytest.mark.django_db

# The documented codes of the readers' ValidationError (imports/readers.py).
READER_CODES = {"empty_file", "old_excel", "bad_encoding", "not_spreadsheet", "bad_csv"}
DATA_APPS = {"customers", "reviews", "followups", "stock"}


def _db_state() -> dict[str, int]:
    """Row counts of every table an import may write (orders, lines, buyers, handles, tags,
    products, reviews...), and of the buyer-tag links."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in DATA_APPS:
            counts[model._meta.label] = model._default_manager.count()
    return counts


def _temp(data: bytes, suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


# Headers: every header of every shipped mapping (Rawat's own and the marketplaces'), in any
# case and spacing, plus junk.
_KNOWN_HEADERS = sorted(
    {alt for m in shipped_mappings().values() for alts in m.columns.values() for alt in alts}
)
_STATUSES = sorted(
    {s for m in shipped_mappings().values() for s in m.statuses} | {"paid", "Selesai"}
)
header_cell = st.one_of(
    st.sampled_from(_KNOWN_HEADERS),
    st.sampled_from(_KNOWN_HEADERS).map(str.upper),
    st.sampled_from(_KNOWN_HEADERS).map(lambda h: f"  {h.lower()} "),
    st.text(max_size=12),
)


@st.composite
def mapping_header(draw):
    """A mapping's required headers (one of each "one of these" group), some optional ones,
    in any order: a file that is recognised, so that its rows are read."""
    mapping = shipped_mappings()[draw(st.sampled_from(sorted(shipped_mappings())))]
    chosen = [
        draw(st.sampled_from(mapping.columns[draw(st.sampled_from(group))]))
        for group in mapping.required
    ]
    optional = [alts[0] for alts in mapping.columns.values() if alts[0] not in chosen]
    chosen += draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    return draw(st.permutations(list(dict.fromkeys(chosen))))


header = st.one_of(
    mapping_header(),
    st.lists(header_cell, min_size=1, max_size=14),
    st.tuples(mapping_header(), st.lists(header_cell, max_size=3)).map(lambda t: t[0] + t[1]),
)

_LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"  # valid syntax, 314 chars
plausible = st.sampled_from(
    [
        "A1",
        "ORDER-9",
        "shopee",
        "Tokopedia",
        "whatsapp",
        "12/03/2026 14:05",
        "2026-03-12 14:05",
        "2026-03-12T14:05:00+07:00",
        "31/02/2026",
        "12 Maret 2026",
        "99/99/9999",
        "0001-01-01",
        "9999-12-31 23:59",
        "2026-03-12 14:05+99:99",
        "2026-03-12 14:05-2400",
        "0001-01-01 00:00+14:00",
        "9999-12-31 23:59-12:00",
        "2026-03-12 14:05 WIB",
        "Rp125.000",
        "125.000,00",
        "1e309",
        "nan",
        "-0",
        "1",
        "2",
        "0",
        "-1",
        "5",
        "6",
        "ya",
        "tidak",
        "081234567890",
        "+62 812 9999 0000",
        "0812****890",
        "a@example.com",
        _LONG_EMAIL,
        "@siti",
        "siti",
        "SKU-1",
        "S" * 65,
        "O" * 65,
        "x" * 300,
        "J&T Express",
        "SiCepat REG",
        "a,b, c",
        "",
        " ",
        "=1+1",
        *_STATUSES,
    ]
)
cell_text = st.one_of(plausible, st.text(max_size=20))
xlsx_value = st.one_of(
    cell_text,
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(),
)


@st.composite
def tables(draw, value):
    head = draw(header)
    width = len(head)
    rows = draw(
        st.lists(st.lists(value, min_size=max(width - 2, 0), max_size=width + 2), max_size=8)
    )
    return head, rows


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "shift_jis", "ascii"]


def _csv_bytes(head, rows, delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(head)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(head, rows) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(value):  # a real workbook cannot hold control characters
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([legal(v) for v in head])
    for row in rows:
        sheet.append([legal(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_file(shop, data: bytes, suffix: str, *, dry_run: bool) -> None:
    path = _temp(data, suffix)
    try:
        before = _db_state()
        result = file_import(shop=shop, path=path, dry_run=dry_run)  # never raises
        after = _db_state()
        if dry_run or not result.ok:
            assert after == before, "a dry run or a refused file wrote something"
            assert not result.committed
        else:
            assert result.committed
        if not result.ok:
            assert result.message or result.errors
            for error in result.errors:
                assert {"row", "column", "message"} <= set(error) and error["message"]
                assert isinstance(error["row"], int) and error["row"] >= 2
    finally:
        path.unlink()


@settings(max_examples=budget(100))
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
@example(data=b"", suffix=".csv")
@example(data=b"\xd0\xcf\x11\xe0junk", suffix=".xls")
@example(data=b"PK\x03\x04not really a zip", suffix=".xlsx")
@example(data=b"\xff\xfeo\x00r\x00", suffix=".csv")
@example(data="order_id,channel\nA1,shop\u00e9e\n".encode("cp1252") + b"\x81\x8d", suffix=".csv")
@example(data=b"order_id\n" + b"\xe2\x82", suffix=".csv")
@example(data=b'"unclosed\n', suffix=".csv")
@example(data=b"a\x00b", suffix=".csv")
def test_any_bytes_are_refused_with_a_documented_error_or_read(shop, data, suffix):
    path = _temp(data, suffix)
    try:
        try:
            table = table_open(path)
        except ValidationError as exc:
            assert exc.code in READER_CODES, exc.code
            assert exc.messages and all(exc.messages)
        else:
            try:
                for number, cells in table.rows:
                    assert number >= 2 and isinstance(cells, list)
            except ValidationError as exc:  # a bad line further down
                assert exc.code in READER_CODES, exc.code
    finally:
        path.unlink()
    _check_file(shop, data, suffix or ".csv", dry_run=False)


@settings(max_examples=budget(80))
@given(
    table=tables(cell_text),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(ENCODINGS),
    dry_run=st.booleans(),
)
@example(
    table=(["name", "email"], [["Siti", _LONG_EMAIL]]),
    delimiter=",",
    encoding="utf-8",
    dry_run=False,
)
def test_any_csv_table_in_any_encoding_imports_whole_or_not_at_all(
    shop, table, delimiter, encoding, dry_run
):
    head, rows = table
    _check_file(shop, _csv_bytes(head, rows, delimiter, encoding), ".csv", dry_run=dry_run)


@settings(max_examples=budget(50))
@given(table=tables(xlsx_value), dry_run=st.booleans())
@example(
    table=(
        ["order_id", "channel", "ordered_at", "sku", "quantity", "unit_price", "buyer_name"],
        [["A1", "shopee", datetime(2026, 3, 12), 12345.0, 1.5, 10**12, None]],
    ),
    dry_run=False,
)
@example(
    table=(
        ["order_id", "channel", "ordered_at", "sku", "quantity", "unit_price", "buyer_name"],
        [["A1", "shopee", datetime(1, 1, 1), "S1", 1, 1000, "Siti"]],
    ),
    dry_run=False,
)
def test_any_xlsx_table_imports_whole_or_not_at_all(shop, table, dry_run):
    head, rows = table
    _check_file(shop, _xlsx_bytes(head, rows), ".xlsx", dry_run=dry_run)


# Valid orders with one random cell broken: the commit path, with a real chance of success.
_RAWAT = shipped_mappings()["rawat"]
_GOOD_ROW = {
    "order_id": "A1",
    "channel": "shopee",
    "ordered_at": "12/03/2026 14:05",
    "buyer_name": "Siti",
    "buyer_handle": "siti",
    "buyer_phone": "081234567890",
    "buyer_email": "siti@example.com",
    "sku": "SKU-1",
    "product_name": "Kaos",
    "quantity": "1",
    "unit_price": "Rp10.000",
    "status": "paid",
}


@st.composite
def order_files(draw):
    count = draw(st.integers(1, 5))
    rows = []
    for index in range(count):
        row = dict(_GOOD_ROW, order_id=f"A{draw(st.integers(1, 4))}", sku=f"SKU-{index}")
        if draw(st.booleans()):
            column = draw(st.sampled_from(sorted(row)))
            row[column] = draw(cell_text)
        rows.append(row)
    return list(_GOOD_ROW), [[row[c] for c in _GOOD_ROW] for row in rows]


@settings(max_examples=budget(40))
@given(table=order_files(), commit=st.booleans())
def test_the_upload_service_never_fails_and_writes_only_a_clean_checked_file(
    shop, settings_media, table, commit
):
    """What the upload page does: record, check (dry run), then import only a clean file."""
    head, rows = table
    upload = SimpleUploadedFile("orders.csv", _csv_bytes(head, rows, ",", "utf-8"))
    run = import_run_create(shop=shop, upload=upload, file_name="orders.csv")
    before = _db_state()
    import_run_check(run=run)
    assert run.status in (ImportRun.Status.CHECKED, ImportRun.Status.INVALID), run.message
    assert _db_state() == before, "the check wrote something"
    if not commit:
        return
    if run.status == ImportRun.Status.INVALID:
        with pytest.raises(ValidationError) as caught:
            import_run_commit(run=run)
        assert caught.value.code == "not_checked"
        assert _db_state() == before
        return
    import_run_commit(run=run)
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.error_count == 0


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_dates_near_the_calendar_edges_are_row_errors_not_crashes(shop, tmp_path):
    """Found by fuzzing: an impossible zone or a date at the calendar's end is a row error."""
    values = ["2026-03-12 14:05+99:99", "0001-01-01 00:00+14:00", "9999-12-31 23:59-12:00"]
    rows = [dict(_GOOD_ROW, order_id=f"E{i}", ordered_at=value) for i, value in enumerate(values)]
    path = tmp_path / "edges.csv"
    path.write_bytes(_orders_csv(rows))
    before = _db_state()
    result = file_import(shop=shop, path=path, dry_run=False)
    assert _db_state() == before
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (2, "ordered_at"),
        (3, "ordered_at"),
        (4, "ordered_at"),
    ]


def _orders_csv(rows: list[dict]) -> bytes:
    return _csv_bytes(list(_GOOD_ROW), [[row[c] for c in _GOOD_ROW] for row in rows], ",", "utf-8")


def test_numbers_a_database_cannot_hold_are_row_errors_not_crashes(shop, tmp_path):
    """Found by fuzzing: "nan", "inf" and "1e309" crashed int(); a price above what the
    product's price column holds made PostgreSQL refuse the file with a database error."""
    broken = [
        ("unit_price", "nan"),
        ("unit_price", "inf"),
        ("quantity", "1e309"),
        ("unit_price", "3000000000"),
        ("quantity", "2000000"),
    ]
    rows = [
        dict(_GOOD_ROW, order_id=f"N{i}", **{column: value})
        for i, (column, value) in enumerate(broken)
    ]
    path = tmp_path / "numbers.csv"
    path.write_bytes(_orders_csv(rows))
    before = _db_state()
    result = file_import(shop=shop, path=path, dry_run=False)
    assert _db_state() == before
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (2 + i, column) for i, (column, _value) in enumerate(broken)
    ]
    assert "2.147.483.647" in result.errors[3]["message"]  # the limit is named
    path.write_bytes(_orders_csv([dict(_GOOD_ROW, unit_price="2147483647", quantity="1000000")]))
    assert file_import(shop=shop, path=path, dry_run=False).ok, "the largest values are accepted"
