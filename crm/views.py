"""Cross-app seller views: the dashboard, the shop switcher and the server-error page."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from crm.middleware import SESSION_KEY
from crm.selectors import (
    dashboard_counts,
    dashboard_late_orders,
    dashboard_needs_care_reviews,
    dashboard_rejections,
)
from crm.shops import shop_required
from customers.models import Shop


@login_required
@shop_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "crm/dashboard.html",
        {
            "counts": dashboard_counts(shop=request.shop),
            "needs_care_reviews": dashboard_needs_care_reviews(shop=request.shop),
            "late_orders": dashboard_late_orders(shop=request.shop),
            "rejections": dashboard_rejections(shop=request.shop),
        },
    )


@login_required
@require_POST
def shop_switch(request: HttpRequest) -> HttpResponse:
    shop_id = request.POST.get("shop", "")
    if not shop_id.isdigit():
        raise Http404
    shop = get_object_or_404(Shop.objects.for_user(request.user), pk=int(shop_id))
    request.session[SESSION_KEY] = shop.pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "dashboard"
    return redirect(target)


def _static_url(path: str) -> str:
    """The static URL of ``path``, or "" when the manifest lacks it (no collectstatic yet)."""
    try:
        return staticfiles_storage.url(path)
    except ValueError:
        return ""


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: "database unavailable" (503) for connection errors, the 500 page otherwise.

    Django calls this inside its ``except`` block, so ``sys.exc_info()`` is the error, wherever
    it was raised (a view, or a middleware loading the session or the shop). The page renders
    without the request's context processors: they would query the database that is down.
    Nothing is half-written: services write in ``transaction.atomic()``, and a transaction
    whose connection dies is rolled back by the database.
    """
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    body = loader.render_to_string(
        f"{status}.html",
        {
            "retry_url": request.get_full_path() if request.method == "GET" else "/",
            "css_bootstrap": _static_url("vendor/bootstrap/bootstrap.min.css"),
            "css_rawat": _static_url("css/rawat.css"),
        },
    )
    response = HttpResponse(body, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
