"""The one decorator every seller view wears after login_required."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def shop_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render a friendly page for a signed-in user who belongs to no shop yet."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request, "shop", None) is None:
            return render(request, "crm/no_shop.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
