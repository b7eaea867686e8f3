"""Seller pages: upload, dry-run report, import with a progress bar, and backups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.shops import shop_required
from imports import backup, selectors
from imports.forms import ImportUploadForm
from imports.models import ImportRun
from imports.services import import_run_create, import_run_dispatch, run_committable


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = import_run_create(
            shop=request.shop,
            upload=upload,
            file_name=upload.name,
            requested_format=form.cleaned_data["format"],
            user=request.user,
        )
        import_run_dispatch(run=run, commit=False)
        return redirect(run)
    runs = selectors.import_runs_recent(shop=request.shop)
    return render(request, "imports/importrun_list.html", {"form": form, "runs": runs})


def _run(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.for_shop(request.shop).select_related("created_by"), pk=pk
    )


@login_required
@shop_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    context = {"run": run, "progress": selectors.import_run_progress(run=run)}
    context.update(selectors.import_run_report(run=run))
    context["committable"] = run_committable(run)
    return render(request, "imports/importrun_detail.html", context)


@login_required
@shop_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    response = render(
        request,
        "imports/_progress.html",
        {"run": run, "progress": selectors.import_run_progress(run=run)},
    )
    if not run.is_running and request.htmx:
        response["HX-Refresh"] = "true"  # the job ended: show the report
    return response


@login_required
@shop_required
@require_POST
def run_commit(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if not run_committable(run):
        messages.error(request, _("This file cannot be imported: check it again first."))
        return redirect(run)
    try:
        queued = import_run_dispatch(run=run, commit=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(run)
    run.refresh_from_db()
    if not queued and run.status == ImportRun.Status.DONE:
        messages.success(request, _("Imported. Your buyers' timelines now show these orders."))
    return redirect(run)


@login_required
@shop_required
@require_GET
def run_file(request: HttpRequest, pk: int) -> FileResponse:
    run = _run(request, pk)
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name)


@login_required
@shop_required
@require_GET
def backup_list(request: HttpRequest) -> HttpResponse:
    files = backup.backups_list(shop=request.shop)
    return render(request, "imports/backup_list.html", {"backups": files})


@login_required
@shop_required
@require_POST
def backup_download(request: HttpRequest) -> FileResponse:
    """A fresh backup of the current shop, made now and sent as a zip."""
    handle = backup.shop_export_to_tempfile(shop=request.shop)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"rawat-{request.shop.slug}-{stamp}.zip"
    )


@login_required
@shop_required
@require_GET
def backup_file(request: HttpRequest, name: str) -> FileResponse:
    path = backup.backup_path(shop=request.shop, name=name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
