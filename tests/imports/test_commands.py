from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Order
from imports.models import ImportRun
from tests.imports.conftest import DATA, rawat_csv

pytestmark = pytest.mark.django_db


def test_import_orders_imports_and_records_the_run(shop):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_orders",
        str(DATA / "shopee_orders.xlsx"),
        "--shop",
        shop.slug,
        stdout=out,
        stderr=err,
    )
    assert Order.objects.filter(shop=shop).count() == 3
    assert "imported 5 rows" in out.getvalue() and "3 new" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar goes to stderr
    run = ImportRun.objects.get()
    assert (run.status, run.format, run.created_by) == ("done", "shopee", None)


def test_import_orders_dry_run_writes_nothing(shop):
    out = io.StringIO()
    call_command(
        "import_orders",
        str(DATA / "tokopedia_orders.csv"),
        "--shop",
        shop.slug,
        "--dry-run",
        "--format",
        "tokopedia",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "would import 3 rows" in out.getvalue()
    assert not Order.objects.exists()


def test_import_orders_fails_with_the_row_errors(shop, tmp_path):
    path = rawat_csv(
        tmp_path, "A1,myspace,12/03/2026 14:05,Siti,siti,,,SKU-1,Kaos,1,10000,,,,,,paid"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 invalid row"):
        call_command(
            "import_orders", str(path), "--shop", shop.slug, stdout=io.StringIO(), stderr=err
        )
    assert "row 2, channel: Unknown channel myspace" in err.getvalue()
    assert not Order.objects.exists()


def test_import_orders_wrong_format_names_missing_columns(shop):
    with pytest.raises(CommandError, match="not a Shopee file"):
        call_command(
            "import_orders",
            str(DATA / "tokopedia_orders.csv"),
            "--shop",
            shop.slug,
            "--format",
            "shopee",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_import_orders_unknown_shop(tmp_path):
    with pytest.raises(CommandError, match="No shop"):
        call_command("import_orders", str(DATA / "tokopedia_orders.csv"), "--shop", "nope")
