from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.models import Order
from imports.models import ImportRun
from imports.progress import progress_publish
from tests.http import close_response
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db


def _upload(client, name="tokopedia_orders.csv", fmt="auto"):
    data = (DATA / name).read_bytes()
    return client.post(
        reverse("imports:run_list"),
        {"file": SimpleUploadedFile(name, data), "format": fmt},
    )


def test_upload_shows_the_dry_run_then_commit_imports(seller_client, shop, owner):
    response = _upload(seller_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.status == ImportRun.Status.CHECKED
    assert (run.created_by, run.shop, run.file_name) == (owner, shop, "tokopedia_orders.csv")
    assert len(run.sha256) == 64
    with run.file.open("rb") as kept:
        assert kept.read() == (DATA / "tokopedia_orders.csv").read_bytes()
    assert not Order.objects.exists()  # the dry run wrote nothing
    page = seller_client.get(run.get_absolute_url())
    html = page.content.decode()
    assert page.context["summary"] == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    assert "data-commit" in html
    response = seller_client.post(reverse("imports:run_commit", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.committed_at
    assert Order.objects.filter(shop=shop).count() == 3
    # Committing twice does nothing more.
    seller_client.post(reverse("imports:run_commit", args=[run.pk]))
    assert Order.objects.count() == 3


def test_invalid_file_lists_each_problem_and_offers_no_import(seller_client, shop):
    bad = (
        (DATA / "tokopedia_orders.csv").read_text().replace('"1","Rp89.000"', '"-1","Rp89.000"', 1)
    )
    bad = bad.replace(",1,Rp89.000,", ",-1,Rp89.000,", 1)
    seller_client.post(
        reverse("imports:run_list"),
        {"file": SimpleUploadedFile("bad.csv", bad.encode()), "format": "auto"},
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID and run.error_count == 1
    html = seller_client.get(run.get_absolute_url()).content.decode()
    assert "Quantity must be at least 1" in html and "data-commit" not in html
    assert seller_client.post(reverse("imports:run_commit", args=[run.pk])).status_code == 302
    assert not Order.objects.exists()


def test_not_a_spreadsheet_is_reported_on_the_page(seller_client):
    seller_client.post(
        reverse("imports:run_list"),
        {
            "file": SimpleUploadedFile("cat.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            "format": "auto",
        },
    )
    run = ImportRun.objects.get()
    html = seller_client.get(run.get_absolute_url()).content.decode()
    assert "not a spreadsheet" in html


def test_large_file_goes_to_a_django_q_job(seller_client, settings, q_sync, shop):
    settings.IMPORT_SYNC_MAX_BYTES = 10  # every upload counts as large
    _upload(seller_client, "shopee_orders.xlsx")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED  # the sync cluster ran the job in-process
    seller_client.post(reverse("imports:run_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert Order.objects.filter(shop=shop).count() == 3


def test_progress_fragment_polls_while_running_and_reloads_when_done(seller_client, shop):
    _upload(seller_client)
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTING)
    progress_publish(run_id=run.pk, processed=40, total=100, phase="committing")
    url = reverse("imports:run_progress", args=[run.pk])
    response = seller_client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'value="40"' in html and "hx-trigger" in html
    assert "HX-Refresh" not in response
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.DONE)
    response = seller_client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_another_shops_run_is_404(seller_client, other_shop, other_owner):
    from django.test import Client

    other = Client()
    other.force_login(other_owner)
    _upload(other)
    run = ImportRun.objects.get(shop=other_shop)
    for name in ("run_detail", "run_progress", "run_file"):
        assert seller_client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    assert seller_client.post(reverse("imports:run_commit", args=[run.pk])).status_code == 404
    assert run.file_name not in seller_client.get(reverse("imports:run_list")).content.decode()


def test_import_page_needs_login(client):
    response = client.get(reverse("imports:run_list"))
    assert response.status_code == 302 and "login" in response.url


def test_original_file_can_be_downloaded(seller_client):
    _upload(seller_client)
    run = ImportRun.objects.get()
    response = seller_client.get(reverse("imports:run_file", args=[run.pk]))
    assert b"".join(response.streaming_content) == (DATA / "tokopedia_orders.csv").read_bytes()
    close_response(response)


def test_imported_reviews_are_triaged(seller_client, shop, django_capture_on_commit_callbacks):
    from imports.engine import file_import
    from reviews.models import Review

    file_import(shop=shop, path=DATA / "rawat_orders_bom_semicolon.csv", dry_run=False)
    _upload(seller_client, "rawat_reviews.csv")
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        seller_client.post(reverse("imports:run_commit", args=[run.pk]))
    reviews = Review.objects.filter(shop=shop)
    assert reviews.count() == 2
    assert all(r.triaged_at is not None for r in reviews)
    late = reviews.get(external_id="R-2")  # 2 stars, "datang telat": needs care
    assert late.needs_care and late.sentiment == "negative"
