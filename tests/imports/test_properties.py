"""Property tests: random rows never crash the import and never leave a partial write."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Buyer, Order, OrderLine, Product
from imports.engine import file_import
from tests.imports.conftest import RAWAT_HEADER

pytestmark = pytest.mark.django_db

junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
cell = {
    "order_id": st.one_of(st.sampled_from(["A1", "A2", "B-7"]), junk),
    "channel": st.one_of(st.sampled_from(["shopee", "Tokopedia", "whatsapp"]), junk),
    "ordered_at": st.one_of(
        st.sampled_from(["12/03/2026 14:05", "2026-03-12 14:05", "31/02/2026 10:00"]), junk
    ),
    "buyer_name": junk,
    "buyer_handle": st.one_of(st.sampled_from(["siti", "budi", ""]), junk),
    "buyer_phone": st.one_of(st.sampled_from(["081234567890", "+62 812 9999 0000", ""]), junk),
    "buyer_email": st.one_of(st.sampled_from(["a@example.com", ""]), junk),
    "sku": st.one_of(st.sampled_from(["SKU-1", "SKU-2", ""]), junk),
    "product_name": junk,
    "quantity": st.one_of(st.sampled_from(["1", "2", "0", "-1", "1.000"]), junk),
    "unit_price": st.one_of(st.sampled_from(["Rp125.000", "125.000,00", "125,000", "-1"]), junk),
    "courier": st.one_of(st.sampled_from(["J&T Express", "SiCepat REG", ""]), junk),
    "tracking_number": junk,
    "shipped_at": st.one_of(st.just(""), junk),
    "promised_at": st.one_of(st.just(""), junk),
    "delivered_at": st.one_of(st.just(""), junk),
    "status": st.one_of(st.sampled_from(["paid", "delivered", "selesai", ""]), junk),
}
columns = RAWAT_HEADER.split(",")
row = st.fixed_dictionaries({name: cell[name] for name in columns})
# Rows made only of acceptable values (they may still repeat a line: a duplicate row).
valid_row = st.fixed_dictionaries(
    {
        "order_id": st.sampled_from(["A1", "A2", "B-7", "C9"]),
        "channel": st.sampled_from(["shopee", "Tokopedia", "whatsapp"]),
        "ordered_at": st.sampled_from(["12/03/2026 14:05", "2026-03-12 14:05"]),
        "buyer_name": st.text(alphabet="abcdefg ", max_size=8),
        "buyer_handle": st.sampled_from(["siti", "budi", ""]),
        "buyer_phone": st.sampled_from(["081234567890", "+62 812 9999 0000", ""]),
        "buyer_email": st.sampled_from(["a@example.com", ""]),
        "sku": st.sampled_from(["SKU-1", "SKU-2", "SKU-3"]),
        "product_name": st.text(alphabet="xyz ", max_size=6),
        "quantity": st.sampled_from(["1", "2", "1.000"]),
        "unit_price": st.sampled_from(["Rp125.000", "125.000,00", "125,000", "0"]),
        "courier": st.sampled_from(["J&T Express", "SiCepat REG", ""]),
        "tracking_number": st.sampled_from(["", "JT1"]),
        "shipped_at": st.sampled_from(["", "13/03/2026 09:00"]),
        "promised_at": st.just(""),
        "delivered_at": st.sampled_from(["", "15/03/2026 10:00"]),
        "status": st.sampled_from(["paid", "delivered", "selesai", ""]),
    }
)


def _write(rows: list[dict]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, encoding="utf-8", newline=""
    ) as handle:
        handle.write(buffer.getvalue())
    return Path(handle.name)


def _state(shop):
    return (
        Order.objects.filter(shop=shop).count(),
        OrderLine.objects.filter(order__shop=shop).count(),
        Buyer.objects.filter(shop=shop).count(),
        Product.objects.filter(shop=shop).count(),
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, min_size=1, max_size=8))
def test_random_rows_never_crash_nor_write_partially(shop, rows):
    path = _write(rows)
    try:
        before = _state(shop)
        result = file_import(shop=shop, path=path, dry_run=False)
        after = _state(shop)
        if result.ok:
            assert result.committed
            assert result.counts["invalid"] == 0
        else:
            # Any invalid row: nothing at all was written.
            assert after == before
            assert result.message or all(
                {"row", "column", "message"} <= set(e) and e["message"] for e in result.errors
            )
    finally:
        path.unlink()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(valid_row, min_size=1, max_size=6))
def test_a_second_import_of_any_accepted_file_changes_no_count(shop, rows):
    path = _write(rows)
    try:
        first = file_import(shop=shop, path=path, dry_run=False)
        if not first.ok:  # only a repeated line (duplicate row) may be refused here
            assert {e["message"].split(":")[0] for e in first.errors} == {"Duplicate line"}
            return
        before = _state(shop)
        again = file_import(shop=shop, path=path, dry_run=False)
        assert again.ok
        assert _state(shop) == before
        assert again.counts["orders"].get("new", 0) == 0
    finally:
        path.unlink()


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_are_refused_or_read_never_crash(data):
    from django.core.exceptions import ValidationError

    from imports.readers import table_open

    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        handle.write(data)
    path = Path(handle.name)
    try:
        table = table_open(path)
        for _number, _cells in table.rows:
            pass
    except ValidationError as exc:
        assert exc.messages
    finally:
        path.unlink()
