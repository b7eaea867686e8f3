"""Every kind of bad input gets its own clear message, and nothing is written."""

from __future__ import annotations

import zipfile

import pytest

from customers.models import Buyer, Order, OrderLine, Product
from imports.engine import file_import
from tests.imports.conftest import RAWAT_HEADER, rawat_csv

pytestmark = pytest.mark.django_db

GOOD = "A1,shopee,12/03/2026 14:05,Siti,siti,081234567890,,SKU-1,Kaos,1,Rp10.000,,,,,,paid"


def _nothing_written(shop):
    return not (
        Order.objects.filter(shop=shop).exists()
        or Buyer.objects.filter(shop=shop).exists()
        or Product.objects.filter(shop=shop).exists()
        or OrderLine.objects.exists()
    )


def _check(shop, path):
    result = file_import(shop=shop, path=path, dry_run=False)
    assert not result.ok
    assert _nothing_written(shop)
    return result


def test_missing_column_is_named(shop, tmp_path):
    header = RAWAT_HEADER.replace(",quantity", "")
    path = rawat_csv(tmp_path, GOOD.replace(",1,Rp10.000", ",Rp10.000"), header=header)
    result = _check(shop, path)
    assert "required columns were not found" in result.message
    assert '"quantity"' in result.message


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (GOOD.replace(",shopee,", ",tiktok,"), "channel", "Unknown channel tiktok"),
        (GOOD.replace("12/03/2026 14:05", "31/02/2026 14:05"), "ordered_at", "not a real date"),
        (GOOD.replace("12/03/2026 14:05", "besok pagi"), "ordered_at", "is not a date"),
        (GOOD.replace(",1,Rp10.000", ",-2,Rp10.000"), "quantity", "at least 1"),
        (GOOD.replace(",Rp10.000", ",-Rp10.000"), "unit_price", "negative"),
        (GOOD.replace(",paid", ",lost"), "status", "Unknown status lost"),
        (GOOD.replace("081234567890", "12345"), "buyer_phone", "Indonesian phone"),
        (GOOD.replace(",SKU-1,Kaos,", ",,,"), "sku", "SKU or a product name"),
        (GOOD.replace("A1,", ",", 1), "order_id", "required"),
    ],
)
def test_bad_cell_reports_row_column_and_reason(shop, tmp_path, row, column, words):
    path = rawat_csv(tmp_path, GOOD.replace("A1", "A0"), row)
    result = _check(shop, path)
    assert result.error_count == 1
    error = result.errors[0]
    assert (error["row"], error["column"]) == (3, column)
    assert words in error["message"]


def test_duplicate_row_in_the_file(shop, tmp_path):
    result = _check(shop, rawat_csv(tmp_path, GOOD, GOOD))
    assert result.errors == [
        {
            "row": 3,
            "column": "sku",
            "message": "Duplicate line: order A1 already has SKU-1 on row 2.",
        }
    ]


def test_duplicate_line_of_an_order_that_comes_back_after_a_chunk(shop, tmp_path, monkeypatch):
    monkeypatch.setattr("imports.engine.CHUNK_ROWS", 2)
    other = [GOOD.replace("A1", f"B{i}").replace("SKU-1", f"S{i}") for i in range(5)]
    result = _check(shop, rawat_csv(tmp_path, GOOD, *other, GOOD))
    assert result.error_count == 1
    assert result.errors[0]["row"] == 8
    assert "earlier row" in result.errors[0]["message"]


def test_every_invalid_row_is_reported(shop, tmp_path):
    rows = [GOOD.replace("A1", f"A{i}").replace(",1,Rp", ",0,Rp") for i in range(30)]
    result = _check(shop, rawat_csv(tmp_path, *rows))
    assert result.error_count == 30
    assert [e["row"] for e in result.errors] == list(range(2, 32))


def test_bad_encoding(shop, tmp_path):
    path = tmp_path / "orders.csv"
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid in UTF-8.
    path.write_bytes(
        RAWAT_HEADER.encode() + b"\n" + GOOD.encode().replace(b"Siti", b"S\x81\x8dti") + b"\n"
    )
    result = _check(shop, path)
    assert "neither UTF-8 nor Windows-1252" in result.message


def test_invalid_utf8_after_the_sample_names_the_row(shop, tmp_path, monkeypatch):
    monkeypatch.setattr("imports.readers.SAMPLE_BYTES", 300)
    rows = [GOOD.replace("A1", f"A{i}") for i in range(10)]
    rows.append(GOOD.replace("A1", "Z9").replace("Siti", "Sit\u00e9"))
    path = tmp_path / "orders.csv"
    data = ("\n".join([RAWAT_HEADER, *rows]) + "\n").encode("utf-8")
    path.write_bytes(data.replace("\u00e9".encode(), b"\xe9"))  # one Latin-1 byte in UTF-8
    result = _check(shop, path)
    assert "Row 12" in result.message and "not valid UTF-8" in result.message


def test_file_with_only_a_header(shop, tmp_path):
    result = file_import(shop=shop, path=rawat_csv(tmp_path), dry_run=False)
    assert result.ok and result.counts["rows"] == 0 and _nothing_written(shop)


def test_empty_text_file(shop, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n")
    assert "no header row" in _check(shop, path).message


def test_zero_byte_file(shop, tmp_path):
    path = tmp_path / "zero.csv"
    path.write_bytes(b"")
    assert _check(shop, path).message == "The file is empty (0 bytes)."


def test_binary_file_is_not_a_spreadsheet(shop, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "not a spreadsheet" in _check(shop, path).message


def test_zip_that_is_not_a_workbook(shop, tmp_path):
    path = tmp_path / "orders.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a spreadsheet" in _check(shop, path).message


def test_old_xls_file(shop, tmp_path):
    path = tmp_path / "orders.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert ".xls" in _check(shop, path).message


def test_prose_is_an_unknown_layout(shop, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Dear seller, here are my notes\nnothing to see\n")
    assert "Unknown file layout" in _check(shop, path).message


def test_one_bad_row_among_many_good_writes_nothing(shop, tmp_path, monkeypatch):
    monkeypatch.setattr("imports.engine.CHUNK_ROWS", 10)
    rows = [GOOD.replace("A1", f"A{i}") for i in range(55)]
    rows[50] = rows[50].replace("shopee", "friendster")
    result = _check(shop, rawat_csv(tmp_path, *rows))
    assert result.error_count == 1 and result.errors[0]["row"] == 52


def test_messages_follow_the_interface_language(shop, tmp_path):
    from django.utils import translation

    path = tmp_path / "zero.csv"
    path.write_bytes(b"")
    with translation.override("en"):
        english = file_import(shop=shop, path=path, dry_run=False).message
    with translation.override("id"):
        indonesian = file_import(shop=shop, path=path, dry_run=False).message
    assert english == "The file is empty (0 bytes)."
    assert indonesian == "File kosong (0 byte)."


def test_impossible_times_among_many_good_ones_are_each_reported(shop, tmp_path, monkeypatch):
    # Good rows first, so that their day and clock time are remembered by the fast date path;
    # the impossible ones must still be refused, every time they come, on their own row.
    monkeypatch.setattr("imports.engine.CHUNK_ROWS", 7)
    rows = [GOOD.replace("A1", f"A{i}").replace("14:05", f"14:{i:02d}") for i in range(40)]
    rows[20] = rows[20].replace("12/03/2026", "29/02/2026")  # row 22: not a leap year
    rows[33] = rows[33].replace("12/03/2026", "29/02/2026")  # row 35: the same text again
    rows[36] = rows[36].replace(",,,,,,paid", ",,,12/03/2026 24:00,,,paid")  # row 38: shipped_at
    result = _check(shop, rawat_csv(tmp_path, *rows))
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (22, "ordered_at"),
        (35, "ordered_at"),
        (38, "shipped_at"),
    ]
    assert all("not a real date" in e["message"] for e in result.errors)


def test_a_time_before_year_one_in_utc_is_refused_not_a_crash(shop, tmp_path):
    result = _check(shop, rawat_csv(tmp_path, GOOD.replace("12/03/2026 14:05", "01/01/0001 03:00")))
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "ordered_at")]
    assert "not a real date" in result.errors[0]["message"]


def test_a_dash_in_a_time_column_means_not_known(shop, tmp_path):
    shipped_dash = GOOD.replace(",,,,,,paid", ",,,-,-,-,paid")
    result = file_import(shop=shop, path=rawat_csv(tmp_path, shipped_dash), dry_run=False)
    assert result.ok, result.errors
    order = Order.objects.get(shop=shop)
    assert (order.shipped_at, order.promised_at, order.delivered_at) == (None, None, None)
    no_order_time = GOOD.replace("A1", "A2").replace("12/03/2026 14:05", "-")
    result = file_import(
        shop=shop, path=rawat_csv(tmp_path, no_order_time, name="second.csv"), dry_run=False
    )
    assert not result.ok and Order.objects.filter(shop=shop).count() == 1
    assert result.errors[0]["column"] == "ordered_at"
    assert "required" in result.errors[0]["message"]
