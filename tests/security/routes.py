"""Every URL pattern of the project, found by walking the resolver (not a hand-picked list)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Not seller pages: Django's admin (tested model by model in test_admin_isolation), the language
# switch, signing in and out, static files.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")
SKIPPED_NAMES = {"login", "logout"}
# Rawat's own apps: their models are built in two shops and their admins are checked.
RAWAT_APPS = {"customers", "reviews", "followups", "imports", "stock", "insights", "audit"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the full route, e.g. "buyers/<int:pk>/"
    kwargs: tuple[str, ...]  # names of the captured arguments

    def __str__(self) -> str:
        return self.name


def _kwargs_of(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def _walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...]):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, inner, kwargs + _kwargs_of(entry))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
            yield Route(name=name, route=route, kwargs=kwargs + _kwargs_of(entry))


def project_routes() -> list[Route]:
    """Every seller-facing URL pattern, recursively through includes."""
    return [
        r
        for r in _walk(get_resolver().url_patterns, "", "", ())
        if not r.route.startswith(SKIPPED_PREFIXES) and r.name not in SKIPPED_NAMES
    ]
