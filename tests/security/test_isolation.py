"""Tenant isolation, generated from the URL configuration (issue 8, part 1).

Every URL pattern of the project is walked (tests.security.routes). A pattern that captures an
argument must appear in ``OBJECT_URLS`` (which of shop B's objects to ask for) or in ``PUBLIC_URLS``
(with the reason it needs no shop): a new URL added without a scoping test fails this suite.
Every other pattern is a list, search, form or export page: as a seller of shop A it must never
show a marker unique to shop B's rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from tests.http import close_response
from tests.security.graph import MARKER_A, MARKER_B
from tests.security.routes import RAWAT_APPS, project_routes

Graph = dict[str, Any]

# URL name -> the URL kwargs (one dict, or a list of them) that point at objects of a graph.
OBJECT_URLS: dict[str, Callable[[Graph], dict[str, Any] | list[dict[str, Any]]]] = {
    "customers:buyer_detail": lambda g: {"pk": g["buyer"].pk},
    "customers:order_detail": lambda g: {"pk": g["order"].pk},
    "reviews:review_detail": lambda g: {"pk": g["review"].pk},
    "reviews:review_compose": lambda g: {"pk": g["review"].pk},
    "reviews:review_reply_send": lambda g: {"pk": g["review"].pk},
    "reviews:review_reply_draft": lambda g: {"pk": g["review"].pk},
    "reviews:review_reply_cancel": lambda g: {"pk": g["review"].pk},
    "reviews:reply_template_edit": lambda g: {"pk": g["reply_template"].pk},
    "imports:run_detail": lambda g: {"pk": g["import_run"].pk},
    "imports:run_progress": lambda g: {"pk": g["import_run"].pk},
    "imports:run_commit": lambda g: {"pk": g["import_run"].pk},
    "imports:run_file": lambda g: {"pk": g["import_run"].pk},
    "imports:backup_file": lambda g: {"name": g["backup_name"]},
    "followups:slowdown_delete": lambda g: {"pk": g["slowdown"].pk},
    "followups:followup_detail": lambda g: {"pk": g["followup"].pk},
    "followups:followup_reply": lambda g: {"pk": g["followup"].pk},
    "followups:followup_action": lambda g: {"pk": g["followup"].pk, "action": "approve"},
    "stock:product_detail": lambda g: {"pk": g["product"].pk},
    "stock:buyer_waitlist": lambda g: {"pk": g["buyer"].pk},
    "stock:template_edit": lambda g: {"pk": g["message_template"].pk},
    "stock:playbook": lambda g: {"pk": g["order"].pk},
    "stock:chat_respond": lambda g: {"pk": g["chat_question"].pk},
    "stock:token_revoke": lambda g: {"pk": g["api_token"].pk},
    # Segments of one membership tier or one tag carry that row's id in their name.
    "insights:segment_detail": lambda g: [
        {"segment": f"tier-{g['tier'].pk}"},
        {"segment": f"tag-{g['tag'].pk}"},
    ],
    "insights:segment_csv": lambda g: [
        {"segment": f"tier-{g['tier'].pk}"},
        {"segment": f"tag-{g['tag'].pk}"},
    ],
}


def _named(module: str, attribute: str, kwarg: str) -> Callable[[], list[dict[str, str]]]:
    def values() -> list[dict[str, str]]:
        import importlib

        return [{kwarg: key} for key in getattr(importlib.import_module(module), attribute)]

    return values


# URL name -> kwargs naming a shop-wide view (a chart, a behaviour segment), not a row: checked
# like list pages, for every name, never showing shop B's rows.
NAMED_URLS: dict[str, Callable[[], list[dict[str, str]]]] = {
    "insights:chart_csv": _named("insights.selectors", "CHARTS", "chart"),
    "insights:segment_detail": _named("insights.segments", "BEHAVIOURS", "segment"),
    "insights:segment_csv": _named("insights.segments", "BEHAVIOURS", "segment"),
}

# URL name -> why it needs no shop scoping.
PUBLIC_URLS: dict[str, str] = {
    "followups:unsubscribe": (
        "the buyer's one-click opt-out from an email: no login, the signed token names the buyer"
    ),
}

# Pages without URL arguments that take object ids in the POST body: (data for graph B, and a
# check that B's object was left alone).
POST_BODY_IDS: dict[str, Callable[[Graph], dict[str, Any]]] = {
    "shop_switch": lambda g: {"shop": g["shop"].pk},
    "followups:followup_bulk": lambda g: {"ids": [g["followup"].pk], "action": "skip"},
    "stock:waitlist_join": lambda g: {"product": g["product"].pk, "buyer": g["buyer"].pk},
    "reviews:tone_check": lambda g: {"review": g["review"].pk, "text": "Terima kasih"},
}

ROUTES = project_routes()
OBJECT_ROUTES = [r for r in ROUTES if r.kwargs and r.name not in PUBLIC_URLS]
PAGE_ROUTES = [r for r in ROUTES if not r.kwargs]

NEW_URL_HELP = (
    "A new URL added without a scoping test fails this suite: add {names} to OBJECT_URLS in "
    "tests/security/test_isolation.py (which of shop B's objects the URL kwargs point at), or "
    "to PUBLIC_URLS with the reason it needs no shop."
)


def _rows_of_shop(shop) -> dict[str, int]:
    """How many rows of every shop-owned model belong to ``shop`` (to prove nothing changed)."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label not in RAWAT_APPS:
            continue
        if any(f.name == "shop" for f in model._meta.fields):
            counts[model._meta.label] = model._default_manager.filter(shop=shop).count()
    return counts


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        close_response(response)
    else:
        content = response.content
    if content[:2] == b"PK":  # a zip (the shop backup): look inside every member
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content


def _kwargs_list(name: str, graph: Graph) -> list[dict[str, Any]]:
    found = OBJECT_URLS[name](graph)
    return found if isinstance(found, list) else [found]


def test_every_url_with_an_id_has_a_scoping_test():
    missing = sorted(
        r.name for r in OBJECT_ROUTES if r.name not in OBJECT_URLS and r.name not in NAMED_URLS
    )
    assert not missing, NEW_URL_HELP.format(names=", ".join(missing))
    unnamed = [r.route for r in ROUTES if r.name.startswith("<unnamed")]
    assert not unnamed, f"Give these URL patterns a name so they can be tested: {unnamed}"


def test_the_scoping_tables_name_only_existing_urls():
    names = {r.name for r in ROUTES}
    stale = (set(OBJECT_URLS) | set(PUBLIC_URLS) | set(POST_BODY_IDS) | set(NAMED_URLS)) - names
    assert not stale, f"Remove these URL names from tests/security/test_isolation.py: {stale}"


def test_the_walk_finds_every_app():
    """The walk goes through includes: each app contributes patterns (guards the walker)."""
    prefixes = {r.name.split(":")[0] for r in ROUTES if ":" in r.name}
    assert {"customers", "reviews", "imports", "followups", "stock"} <= prefixes


ID_ROUTES = [r for r in OBJECT_ROUTES if r.name in OBJECT_URLS or r.name not in NAMED_URLS]


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_another_shops_object_is_404_for_a_seller(route, client, graph_a, graph_b):
    assert route.name in OBJECT_URLS, NEW_URL_HELP.format(names=route.name)
    before = _rows_of_shop(graph_b["shop"])
    client.force_login(graph_a["user"])
    for kwargs in _kwargs_list(route.name, graph_b):
        url = reverse(route.name, kwargs=kwargs)
        answered = []
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 405:
                continue
            answered.append(method)
            assert response.status_code == 404, (
                f"{method.upper()} {url} ({route.name}) as a seller of shop A gave "
                f"{response.status_code}, not 404, for shop B's object"
            )
        assert answered, f"{route.name} accepts neither GET nor POST"
    assert _rows_of_shop(graph_b["shop"]) == before


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_the_same_url_answers_for_the_sellers_own_object(route, client, graph_a, graph_b):
    """The control: the table points at the right object, so the 404 above means scoping."""
    if route.name not in OBJECT_URLS:
        pytest.fail(NEW_URL_HELP.format(names=route.name))
    client.force_login(graph_a["user"])
    for kwargs in _kwargs_list(route.name, graph_a | {"backup_name": _backup_of(graph_a)}):
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        _body(response)
        assert response.status_code != 404, f"{route.name} is 404 for the seller's own object"
        assert response.status_code < 500


@pytest.mark.parametrize("name", sorted(NAMED_URLS))
def test_named_views_never_show_another_shops_rows(name, client, graph_a, graph_b):
    client.force_login(graph_a["user"])
    for kwargs in NAMED_URLS[name]():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code < 500, f"{name} {kwargs}: {response.status_code}"
        assert MARKER_B.encode() not in _body(response), f"{name} {kwargs} shows shop B's rows"


def _backup_of(graph: Graph) -> str:
    from imports.backup import backup_rotate, backups_list

    backup_rotate(shop=graph["shop"])
    return backups_list(shop=graph["shop"])[0]["name"]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=str)
def test_pages_never_show_another_shops_rows(route, client, graph_a, graph_b):
    client.force_login(graph_a["user"])
    url = reverse(route.name)
    seen_own = False
    # Plain, searched (a word both shops' rows share) and filtered variants of the page.
    for params in ({}, {"q": "Pashmina"}, {"q": "Pembeli"}, {"status": "all", "page": "1"}):
        response = client.get(url, params)
        if response.status_code == 405:
            data = POST_BODY_IDS.get(route.name, lambda g: {})(graph_a)
            response = client.post(url, data)
        body = _body(response)
        assert response.status_code < 500, f"{route.name}: {response.status_code}"
        assert MARKER_B.encode() not in body, f"{route.name} {params} shows shop B's rows"
        seen_own = seen_own or MARKER_A.encode() in body
    if route.name in {
        "customers:buyer_list",
        "customers:order_list",
        "reviews:review_list",
        "followups:followup_list",
        "imports:backup_download",
    }:
        assert seen_own, f"{route.name} should list shop A's own rows (control)"


@pytest.mark.parametrize("name", sorted(POST_BODY_IDS))
def test_ids_in_a_post_body_are_scoped_too(name, client, graph_a, graph_b):
    client.force_login(graph_a["user"])
    before = _rows_of_shop(graph_b["shop"])
    status_before = graph_b["followup"].status
    response = client.post(reverse(name), POST_BODY_IDS[name](graph_b))
    if name == "followups:followup_bulk":
        # The bulk action filters the ids through the shop's queryset: nothing done, no error.
        graph_b["followup"].refresh_from_db()
        assert graph_b["followup"].status == status_before
    else:
        assert response.status_code == 404, f"{name} with shop B's ids: {response.status_code}"
    assert _rows_of_shop(graph_b["shop"]) == before
    assert MARKER_B.encode() not in _body(response)
