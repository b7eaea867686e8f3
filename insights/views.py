"""Seller pages: the care dashboard and buyer segments (thin: parse, call a selector, render)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.csvsafe import csv_response
from crm.pagination import paginate
from crm.shops import shop_required
from insights.forms import InsightsFilterForm, SegmentTouchForm
from insights.segments import UnknownSegment, segment_buyers, segment_counts, segment_get
from insights.selectors import CHARTS, insights_charts
from insights.services import DEFAULT_TOUCH_TEXT, segment_touch_plan


@login_required
@shop_required
@require_GET
def insights_dashboard(request: HttpRequest) -> HttpResponse:
    form = InsightsFilterForm(request.GET or None)
    filters = form.filters()
    charts = insights_charts(shop=request.shop, filters=filters)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "charts": charts,
            "query_string": urlencode(filters.query()),
        },
    )


@login_required
@shop_required
@require_GET
def insights_chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404
    form = InsightsFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    found = insights_charts(shop=request.shop, filters=filters, only=chart)[chart]
    return csv_response(
        filename=f"rawat-{chart}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv",
        header=found.columns,
        rows=found.rows,
    )


def _segment_or_404(request: HttpRequest, segment: str):
    try:
        return segment_get(shop=request.shop, segment=segment)
    except UnknownSegment:
        raise Http404 from None


@login_required
@shop_required
@require_GET
def segment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "insights/segment_list.html", {"segments": segment_counts(shop=request.shop)}
    )


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def segment_detail(request: HttpRequest, segment: str) -> HttpResponse:
    found = _segment_or_404(request, segment)
    form = SegmentTouchForm(request.POST or None, initial={"text": DEFAULT_TOUCH_TEXT})
    if request.method == "POST" and form.is_valid():
        try:
            result = segment_touch_plan(
                shop=request.shop, segment=segment, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(
                request,
                _(
                    "Planned %(planned)s messages for %(segment)s; skipped %(skipped)s "
                    "(no consent, opted out or no channel); %(already)s already had "
                    "today's message. The outbox applies the weekly cap and quiet hours."
                )
                % {
                    "planned": result.planned,
                    "segment": found.label,
                    "skipped": result.skipped_total,
                    "already": result.already,
                },
            )
            return redirect(reverse("insights:segment_detail", args=[segment]))
    page = paginate(request, segment_buyers(shop=request.shop, segment=segment))
    return render(
        request,
        "insights/segment_detail.html",
        {"segment": found, "page_obj": page, "buyers": page.object_list, "form": form},
    )


@login_required
@shop_required
@require_GET
def segment_csv(request: HttpRequest, segment: str) -> HttpResponse:
    _segment_or_404(request, segment)
    buyers = segment_buyers(shop=request.shop, segment=segment, details=False).values_list(
        "name",
        "phone",
        "email",
        "order_count",
        "total_spend",
        "last_order_at",
        "average_rating",
        "marketing_consent",
    )
    header = [
        _("Name"),
        _("Phone"),
        _("Email"),
        _("Orders"),
        _("Lifetime spend (Rp)"),
        _("Last order"),
        _("Average rating"),
        _("Agrees to marketing messages"),
    ]

    def rows():
        for name, phone, email, orders, spend, last, rating, consent in buyers.iterator(
            chunk_size=2000
        ):
            yield [
                name,
                phone,
                email,
                orders,
                spend,
                last.isoformat() if last else "",
                round(rating, 2) if rating is not None else "",
                _("yes") if consent else _("no"),
            ]

    return csv_response(filename=f"rawat-segment-{segment}.csv", header=header, rows=rows())
