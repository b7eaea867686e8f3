from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.mappings import courier_code, header_key
from imports.values import (
    CellError,
    parse_datetime,
    parse_quantity,
    parse_rupiah,
    wall_clock_text,
    wall_clock_utc,
)


@pytest.mark.parametrize(
    "text",
    [
        "12/03/2026 14:05",
        "12/03/2026 14:05:00",
        "2026-03-12 14:05",
        "2026-03-12T14:05:00+07:00",
        "12-03-2026 14:05",
        "12 Mar 2026 14:05",
        "12 Maret 2026 14.05",
        datetime(2026, 3, 12, 14, 5),  # an XLSX cell: naive, Jakarta wall clock
    ],
)
def test_indonesian_dates_are_jakarta_time_stored_as_utc(text):
    assert parse_datetime(text) == datetime(2026, 3, 12, 7, 5, tzinfo=UTC)


def test_day_first_dates_reject_a_13th_month():
    with pytest.raises(CellError, match="not a real date"):
        parse_datetime("03/13/2026 10:00")


@pytest.mark.parametrize("text", ["kemarin", "2026/99", "12/03/26 14:05"])
def test_text_that_is_no_date_is_refused(text):
    with pytest.raises(CellError, match="is not a date"):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp125.000", 125000),
        ("Rp 125.000", 125000),
        ("125.000,00", 125000),
        ("125,000", 125000),
        ("125,000.00", 125000),
        ("IDR 1.250.000", 1250000),
        ("125000", 125000),
        (125000.0, 125000),
        ("12,5", 13),
        ("", None),
    ],
)
def test_rupiah_amounts_in_every_local_spelling(text, expected):
    assert parse_rupiah(text) == expected


def test_negative_amounts_are_refused():
    with pytest.raises(CellError, match="negative"):
        parse_rupiah("-5.000")


@pytest.mark.parametrize("text", ["0", "-1", "1.5"])
def test_quantity_must_be_a_whole_number_of_at_least_one(text):
    with pytest.raises(CellError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("J&T Express", "jnt"),
        ("SiCepat REG", "sicepat"),
        ("SPX Standard", "spx"),
        ("JNE REG", "jne"),
        ("Ninja Van", "ninja"),
        ("AnterAja Reguler", "anteraja"),
        ("Pos Kilat Khusus", "pos"),
        ("GoSend Instant", "gosend"),
        ("LEX ID", "other"),
        ("", ""),
    ],
)
def test_courier_names_map_to_courier_choices(text, code):
    assert courier_code(text) == code


def test_headers_compare_without_case_spaces_or_punctuation():
    assert header_key("No. Pesanan") == header_key("no pesanan") == header_key("NoPesanan")
    assert header_key("Username (Pembeli)") == "usernamepembeli"


# The fast paths of the import (wall_clock_utc, wall_clock_text) against the full parser -------


def _digits(low: int, high: int) -> st.SearchStrategy[str]:
    """Two digits, mostly in range [low, high], sometimes any (00-99)."""
    return st.one_of(st.integers(low, high), st.integers(0, 99)).map(lambda n: f"{n:02d}")


_year = st.one_of(
    st.sampled_from(["0001", "1900", "2024", "2025", "2026", "9999"]),
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
)
_day, _month = _digits(1, 31), _digits(1, 12)
_clock = st.one_of(
    st.just(""),
    st.builds(
        lambda sep, h, m: f"{sep}{h}:{m}",
        st.sampled_from([" ", "T"]),
        _digits(0, 23),
        _digits(0, 59),
    ),
    st.builds(
        lambda sep, h, m, s: f"{sep}{h}:{m}:{s}",
        st.sampled_from([" ", "T"]),
        _digits(0, 23),
        _digits(0, 59),
        _digits(0, 59),
    ),
)
_shaped = st.one_of(
    st.builds(lambda d, m, y, c: f"{d}/{m}/{y}{c}", _day, _month, _year, _clock),
    st.builds(lambda d, m, y, c: f"{y}-{m}-{d}{c}", _day, _month, _year, _clock),
    # Near misses: other digits, other separators, a zone, a stray character.
    st.text(alphabet="0123456789/-: T.Z+٣²", min_size=8, max_size=20),
)


def _full(text: str) -> datetime | str:
    try:
        return parse_datetime(text)
    except CellError:
        return "refused"


@settings(max_examples=1500, deadline=None)
@given(text=_shaped)
def test_fast_date_paths_answer_exactly_like_the_full_parser(text):
    full = _full(text)
    fast = wall_clock_utc(text)
    if fast is not None:
        assert full != "refused" and fast == full.replace(tzinfo=None)
    stored = wall_clock_text(text)
    if stored is not None:
        assert full != "refused" and stored == str(full.replace(tzinfo=None))
    if full == "refused":
        assert fast is None and stored is None


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("12/03/2026 14:05", "2026-03-12 07:05:00"),
        ("12/03/2026 03:05:09", "2026-03-11 20:05:09"),  # before 07:00 WIB: the day before in UTC
        ("2026-03-12T14:05", "2026-03-12 07:05:00"),
        ("01/03/2026", "2026-02-28 17:00:00"),  # midnight WIB, across a month end
        ("2024-03-01 06:59:59", "2024-02-29 23:59:59"),  # a leap day
    ],
)
def test_common_export_shapes_take_the_fast_path(text, stored):
    assert wall_clock_text(text) == stored
    assert str(wall_clock_utc(text)) == stored
    assert str(parse_datetime(text).replace(tzinfo=None)) == stored


@pytest.mark.parametrize(
    "value",
    ["29/02/2026 10:00", "12/03/2026 24:00", "12/03/2026 14:60", "01/01/0001 03:00", "00/01/2026"],
)
def test_impossible_times_skip_the_fast_path_and_are_refused(value):
    assert wall_clock_utc(value) is None and wall_clock_text(value) is None
    with pytest.raises(CellError, match="not a real date"):
        parse_datetime(value)


@pytest.mark.parametrize("value", [datetime(1, 1, 1, 3, 0), date(1, 1, 1)])
def test_a_spreadsheet_date_before_year_one_in_utc_is_refused_not_a_crash(value):
    with pytest.raises(CellError, match="not a real date"):
        parse_datetime(value)
