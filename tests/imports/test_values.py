from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imports.mappings import courier_code, header_key
from imports.values import CellError, parse_datetime, parse_quantity, parse_rupiah


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
