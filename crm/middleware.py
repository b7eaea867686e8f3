"""The seller's current shop, chosen once and checked against memberships on every request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SESSION_KEY = "rawat_shop_id"


class CurrentShopMiddleware:
    """Sets ``request.shop`` (or None) and ``request.shops`` for a signed-in seller.

    The shop id kept in the session is only a preference: it is honoured only while the user is
    still a member of that shop, so removing a membership takes effect on the next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.shop = None  # type: ignore[attr-defined]
        request.shops = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from customers.models import Shop

            shops = list(Shop.objects.for_user(user).order_by("name"))
            request.shops = shops  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            chosen = next((s for s in shops if s.pk == wanted), shops[0] if shops else None)
            request.shop = chosen  # type: ignore[attr-defined]
        return self.get_response(request)


class SellerLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the seller picked another language with the ID/EN buttons.

    Django's LocaleMiddleware also follows the browser's Accept-Language header; many Indonesian
    sellers run a browser set to English, and Rawat must still greet them in Indonesian. So only
    the language cookie written by ``set_language`` counts, then ``settings.LANGUAGE_CODE``.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
