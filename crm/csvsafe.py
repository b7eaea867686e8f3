"""CSV cells that spreadsheets never run as formulas (CSV/formula injection, OWASP).

A cell a buyer or marketplace wrote ("=HYPERLINK(...)", "+62...", "@SUM(...)") would be evaluated
by Excel, LibreOffice or Google Sheets when the seller opens the export. Cells that start with one
of the trigger characters get a leading apostrophe, which spreadsheets show as text.

The one helper every seller-facing CSV download uses (insights' chart and segment exports).
Shop backups (imports.backup) deliberately write raw cells: they are machine data that Rawat
itself restores, and an apostrophe would not round-trip; docs/security.md says so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell_safe(value: Any) -> Any:
    """The value as written, or with an apostrophe in front when it could start a formula.

    Numbers stay numbers (a negative count is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(TRIGGERS):
        return "'" + text
    return text


def csv_response(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A downloadable UTF-8 CSV (with a BOM, so Excel reads Indonesian names right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([cell_safe(h) for h in header])
    for row in rows:
        writer.writerow([cell_safe(c) for c in row])
    return response
