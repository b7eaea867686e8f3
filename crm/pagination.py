"""One way to paginate every seller list, so pages look and count alike."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PER_PAGE) -> Page:
    """The page asked for in ?page= (the last one when it is past the end, the first when junk).

    ``page.elided_range`` holds the page numbers to show, with Paginator.ELLIPSIS in the gaps.
    Costs two queries: the count and the page's rows.
    """
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(  # type: ignore[attr-defined]
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page
