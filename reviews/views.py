"""Seller pages about reviews. Every query is scoped to ``request.shop``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from crm.pagination import paginate
from crm.shops import shop_required
from reviews import filters as review_filters
from reviews.models import Review


@login_required
@shop_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    form = review_filters.ReviewFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, review_filters.review_list(shop=request.shop, **filters))
    return render(
        request,
        "reviews/review_list.html",
        {"page_obj": page, "reviews": page.object_list, "form": form, "filters": filters},
    )


@login_required
@shop_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A plain page for now; the reply composer replaces it.
    review = get_object_or_404(
        Review.objects.for_shop(request.shop).select_related("order__buyer"), pk=pk
    )
    return render(request, "reviews/review_detail.html", {"review": review, "order": review.order})
