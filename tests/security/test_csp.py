"""Content-Security-Policy without inline scripts on every page (issue 8, part 2).

Every seller page found by the URL walk (lists and, through the isolation table, the pages of
one object), the sign-in pages and the admin site are fetched: each carries the policy, and its
HTML has no inline <script> and no on...= handler attribute (the policy would block them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory
from tests.http import close_response
from tests.security.routes import RAWAT_APPS, project_routes
from tests.security.test_isolation import OBJECT_URLS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(rb"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def assert_csp_clean(response, where: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, f"{where}: no script-src 'self' in {policy!r}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, where
    body = response.content
    assert not INLINE_SCRIPT.search(body), f"{where}: {INLINE_SCRIPT.search(body).group(0)!r}"
    found = HANDLER_ATTRIBUTE.search(body)
    assert not found, f"{where}: handler attribute in {found.group(0)[:120]!r}"
    assert not JAVASCRIPT_URL.search(body), f"{where}: a javascript: URL"


def _seller_urls(graph):
    for route in project_routes():
        if not route.kwargs:
            yield route.name, reverse(route.name)
        elif route.name in OBJECT_URLS:
            try:
                found = OBJECT_URLS[route.name](graph)
            except KeyError:  # the backup file: a download, not a page
                continue
            for kwargs in found if isinstance(found, list) else [found]:
                yield route.name, reverse(route.name, kwargs=kwargs)


def test_every_seller_page_has_the_policy_and_no_inline_script(client, graph_a, graph_b):
    client.force_login(graph_a["user"])
    checked = 0
    for name, url in _seller_urls(graph_a):
        response = client.get(url)
        if getattr(response, "streaming", False):  # a file download, not a page
            b"".join(response.streaming_content)
            close_response(response)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert_csp_clean(response, name)
        checked += 1
    assert checked >= 25, f"only {checked} pages checked"


def test_the_htmx_fragments_and_sign_in_pages_have_the_policy(client, graph_a):
    assert_csp_clean(Client().get(reverse("login")), "login")
    client.force_login(graph_a["user"])
    response = client.post(
        reverse("reviews:tone_check"), {"review": graph_a["review"].pk, "text": "Baca dong!"}
    )
    assert response.status_code == 200
    assert_csp_clean(response, "tone_check")
    assert_csp_clean(client.get(reverse("password_change")), "password_change")


def test_the_admin_works_under_the_policy(client, graph_a):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert_csp_clean(client.get(reverse("admin:index")), "admin:index")
    for model in admin.site._registry:
        if model._meta.app_label not in RAWAT_APPS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert_csp_clean(client.get(reverse(f"{prefix}_changelist")), f"{prefix}_changelist")
        try:
            add = reverse(f"{prefix}_add")
        except NoReverseMatch:
            continue
        response = client.get(add)
        if response.status_code == 200:
            assert_csp_clean(response, f"{prefix}_add")
        row = model._default_manager.first()
        if row is not None:
            response = client.get(reverse(f"{prefix}_change", args=[row.pk]))
            assert response.status_code == 200, prefix
            assert_csp_clean(response, f"{prefix}_change")


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_an_inline_script_or_handler(path):
    """Also the templates no test renders: e-mails excepted (mail clients, not the CSP)."""
    source = path.read_bytes()
    assert not INLINE_SCRIPT.search(source), f"{path}: move the script to static/js"
    assert not HANDLER_ATTRIBUTE.search(source), f"{path}: use a data- attribute and static/js"
