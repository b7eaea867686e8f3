"""Streaming readers for CSV (UTF-8, UTF-8 with BOM, Windows-1252; comma or semicolon) and XLSX.

Both yield the header row, then (row number, cells) one row at a time, so a million-line file
never sits in memory. Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SAMPLE_BYTES = 256 * 1024
csv.field_size_limit(1024 * 1024)


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]
    total_rows: int  # an estimate for the progress bar (data rows)
    close: object = None


def _fail(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def table_open(path: str | Path) -> Table:
    """Open a CSV or XLSX file for streaming; ValidationError for anything that is not one."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise _fail(_("The file is empty (0 bytes)."), "empty_file")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_open(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            _("This is an old Excel .xls file. Open it in Excel and save it as .xlsx or CSV."),
            "old_excel",
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            _('This file is UTF-16 text. Save it as "CSV UTF-8" and upload it again.'),
            "bad_encoding",
        )
    return _csv_open(path)


def _text_sample(raw: bytes) -> tuple[str, str]:
    """Pick the encoding from the first bytes: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in raw:
        raise _fail(
            _("This file is not a spreadsheet: upload a CSV or XLSX file."), "not_spreadsheet"
        )
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            # A multi-byte character may be cut at the end of the sample: decode incrementally.
            codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
    except UnicodeDecodeError as exc:
        raise _fail(
            _('The file\'s text is neither UTF-8 nor Windows-1252. Save it as "CSV UTF-8".'),
            "bad_encoding",
        ) from exc
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
    if text and printable / min(len(text), 4096) < 0.95:
        raise _fail(
            _("This file is not a spreadsheet: upload a CSV or XLSX file."), "not_spreadsheet"
        )
    return encoding, text


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header row into the most columns (ties: comma)."""
    best, best_count = ",", 0
    for delimiter in (",", ";", "\t"):
        count = len(next(csv.reader([first_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _scan(path: Path, encoding: str) -> int:
    """Check that the whole file decodes (naming the first bad line) and count its lines.

    One pass over the bytes in C-speed blocks, so that the rows can then be read through a
    plain buffered text stream.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                row = lines + block.count(b"\n", 0, exc.start) + 1
                raise _fail(
                    _(
                        "Row %(row)s: the text is not valid %(encoding)s. Save the file as "
                        '"CSV UTF-8" and upload it again.'
                    ),
                    "bad_encoding",
                    row=row,
                    encoding="UTF-8" if encoding.startswith("utf") else "Windows-1252",
                ) from exc
            lines += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise _fail(
                _("The file ends in the middle of a character: it is not valid UTF-8."),
                "bad_encoding",
            ) from exc
    return lines


def _csv_open(path: Path) -> Table:
    with path.open("rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
    encoding, sample = _text_sample(raw)
    first_line = sample.splitlines()[0] if sample.strip() else ""
    delimiter = _sniff_delimiter(first_line)
    line_count = _scan(path, encoding)
    stream = path.open(encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        stream.close()
        raise _fail(_("The first row could not be read: %(error)s"), "bad_csv", error=exc) from exc
    if not header or not any(cell.strip() for cell in header):
        stream.close()
        raise _fail(_("The file has no header row."), "empty_file")
    header = [cell.strip() for cell in header]
    total = max(line_count - 1, 0)

    def rows() -> Iterator[tuple[int, list[object]]]:
        number = 1
        try:
            for record in reader:
                number += 1
                if record and any(record):
                    yield number, record
        except csv.Error as exc:
            raise _fail(_("Row %(row)s: %(error)s"), "bad_csv", row=number + 1, error=exc) from exc
        finally:
            stream.close()

    return Table("csv", encoding, delimiter, header, rows(), total, stream.close)


def _not_spreadsheet(exc: Exception | None = None) -> ValidationError:
    return _fail(_("This file is not a spreadsheet: upload a CSV or XLSX file."), "not_spreadsheet")


# A damaged workbook can fail in many ways inside openpyxl (zip, XML, missing parts).
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, EOFError)


def _xlsx_open(path: Path) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    handle = path.open("rb")  # a file object: openpyxl then ignores the file's extension
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_cells = next(iterator, None)
        total = max((sheet.max_row or 1) - 1, 0)
    except (*_XLSX_ERRORS, InvalidFileException, SyntaxError) as exc:
        handle.close()
        raise _not_spreadsheet() from exc
    if not header_cells or not any(c not in (None, "") for c in header_cells):
        workbook.close()
        handle.close()
        raise _fail(_("The file has no header row."), "empty_file")
    header = ["" if c is None else str(c).strip() for c in header_cells]

    def close() -> None:
        workbook.close()
        handle.close()

    def rows() -> Iterator[tuple[int, list[object]]]:
        number = 1
        try:
            for cells in iterator:
                number += 1
                if any(c not in (None, "") for c in cells):
                    yield number, list(cells)
        except (*_XLSX_ERRORS, SyntaxError) as exc:
            raise _fail(
                _("Row %(row)s could not be read: the workbook is damaged."),
                "not_spreadsheet",
                row=number + 1,
            ) from exc
        finally:
            close()

    return Table("xlsx", "", "", header, rows(), total, close)


def file_sha256(handle: BinaryIO) -> str:
    import hashlib

    digest = hashlib.sha256()
    while block := handle.read(1024 * 1024):
        digest.update(block)
    return digest.hexdigest()
