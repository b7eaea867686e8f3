"""Seller pages about buyers and orders. Every query is scoped to ``request.shop``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.pagination import paginate
from crm.shops import shop_required
from customers import selectors
from customers.forms import NoteForm, OrderFilterForm
from customers.phones import wa_number
from customers.services import interaction_create

SEARCH_MAX_LENGTH = 100


@login_required
@shop_required
@require_GET
def buyer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    sort = request.GET.get("sort", "name")
    if sort not in selectors.BUYER_SORTS:
        sort = "name"
    page = paginate(request, selectors.buyer_list(shop=request.shop, search=search, sort=sort))
    return render(
        request,
        "customers/buyer_list.html",
        {"page_obj": page, "buyers": page.object_list, "q": search, "sort": sort},
    )


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def buyer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    buyer = get_object_or_404(
        # The header's membership tier (followups) comes with the buyer: no extra query.
        selectors.buyers_with_stats(shop=request.shop).select_related("tier_state__tier"),
        pk=pk,
    )
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interaction_create(
                buyer=buyer,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as exc:
            form.add_error("text" if exc.code in ("empty_text", "text_too_long") else None, exc)
        else:
            messages.success(
                request, _("Note added to the timeline of %(name)s.") % {"name": buyer.name}
            )
            return redirect(buyer)
    history = selectors.buyer_history(buyer=buyer)
    return render(
        request,
        "customers/buyer_detail.html",
        {
            "buyer": buyer,
            "history": history,
            "form": form,
            "wa_number": wa_number(buyer.phone) if buyer.phone else "",
        },
    )


@login_required
@shop_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.order_list(shop=request.shop, **filters))
    return render(
        request,
        "customers/order_list.html",
        {"page_obj": page, "orders": page.object_list, "form": form, "filters": filters},
    )


@login_required
@shop_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(selectors.order_get_queryset(shop=request.shop), pk=pk)
    lines = list(order.lines.all())
    return render(
        request,
        "customers/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "lines_total": sum(line.subtotal for line in lines),
            "reviews": order.reviews.all(),
            "interactions": order.interactions.all(),
        },
    )
