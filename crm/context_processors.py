from __future__ import annotations

from django.http import HttpRequest


def shop(request: HttpRequest) -> dict[str, object]:
    return {
        "current_shop": getattr(request, "shop", None),
        "user_shops": getattr(request, "shops", []),
    }
