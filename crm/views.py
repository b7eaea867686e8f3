"""Cross-app seller views: the dashboard and the shop switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
