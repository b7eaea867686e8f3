"""Hostile content renders escaped everywhere; CSV downloads resist formula injection (issue 8, 3).

Every text of shop A (buyer names and notes, product names, review texts, notes, follow-up texts,
reply and stock template bodies, chat questions...) carries one payload of tests.security.payloads;
every seller page of the URL walk, the tone-check fragment, follow-up e-mails and wa.me links are
then checked for the payload's active form.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from followups.messages import email_bodies, render_safe
from imports.backup import shop_export, shop_restore
from tests.factories import BuyerFactory, OrderFactory, ReviewFactory
from tests.security.graph import shop_graph_build
from tests.security.payloads import ACTIVE, EVALUATED, FORMULAS, PAYLOADS, SCRIPT
from tests.security.routes import project_routes
from tests.security.test_isolation import NAMED_URLS, OBJECT_URLS, _body

ACTIVE_URL = re.compile(rb"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def _pages(graph):
    for route in project_routes():
        if not route.kwargs:
            yield route.name, reverse(route.name)
        elif route.name in OBJECT_URLS and route.name != "imports:backup_file":
            found = OBJECT_URLS[route.name](graph)
            for kwargs in found if isinstance(found, list) else [found]:
                yield route.name, reverse(route.name, kwargs=kwargs)
    for name, values in NAMED_URLS.items():
        for kwargs in values():
            yield name, reverse(name, kwargs=kwargs)


def assert_inert(body: bytes, where: str) -> None:
    for active in ACTIVE:
        assert active not in body, f"{where}: {active!r} unescaped"
    for evaluated in EVALUATED:
        assert evaluated not in body, f"{where}: a text was evaluated ({evaluated!r})"
    assert not ACTIVE_URL.search(body), f"{where}: a javascript: link"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_seller_page_shows_hostile_texts_escaped(payload, client, shop, owner):
    graph = shop_graph_build(shop=shop, marker=payload, label="a", user=owner)
    client.force_login(owner)
    pages = 0
    for name, url in _pages(graph):
        response = client.get(url)
        body = _body(response)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        if "html" in response.get("Content-Type", ""):
            assert_inert(body, name)
            pages += 1
    assert pages >= 25
    # The control: the payload is shown, escaped, on the buyer's page.
    page = client.get(reverse("customers:buyer_detail", args=[graph["buyer"].pk])).content
    assert _escaped(payload).encode() in page


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def test_the_tone_check_fragment_escapes_the_typed_text(client, shop, owner):
    graph = shop_graph_build(shop=shop, marker=SCRIPT, label="a", user=owner)
    client.force_login(owner)
    for payload in PAYLOADS:
        response = client.post(
            reverse("reviews:tone_check"),
            {"review": graph["review"].pk, "text": f"Baca deskripsi dong! {payload}"},
        )
        assert response.status_code == 200
        assert_inert(response.content, "tone_check")


def test_wa_me_links_carry_hostile_text_url_encoded(client, shop, owner):
    buyer = BuyerFactory(shop=shop, name=SCRIPT, phone="081234567890")
    review = ReviewFactory(order=OrderFactory(buyer=buyer), rating=1, text=PAYLOADS[1])
    client.force_login(owner)
    body = client.get(reverse("reviews:review_compose", args=[review.pk])).content
    links = re.findall(rb'href="(https://wa\.me/[^"]*)"', body)
    for link in links:
        assert b"<" not in link and b">" not in link and b" " not in link, link
    assert_inert(body, "composer")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_follow_up_emails_escape_hostile_texts(payload):
    plain, html = email_bodies(
        text=f"Halo {payload}\n\nTerima kasih", shop_name=payload, unsubscribe_url="https://x/u/t/"
    )
    assert_inert(html.encode(), "email html")
    assert _escaped(payload) in html
    assert payload in plain  # the text part is plain text, shown as written


@pytest.mark.parametrize("payload", PAYLOADS)
def test_placeholders_fill_by_exact_name_only(payload):
    """A template body with attribute or format tricks never evaluates them."""
    facts = {"buyer_name": payload, "shop_name": "Toko"}
    out = render_safe("Halo {buyer_name}, {buyer_name.__class__} {shop_name!r:>99}", facts)
    assert out.startswith(f"Halo {payload}, ")
    assert "<class" not in out
    assert "{buyer_name.__class__}" in out


# --- CSV downloads ------------------------------------------------------------------------


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_every_csv_download_neutralises_formulas(client, shop, owner):
    graph = shop_graph_build(shop=shop, marker="x", label="a", user=owner)
    for formula in FORMULAS:
        buyer = BuyerFactory(shop=shop, name=formula, email=f"{abs(hash(formula))}@example.com")
        buyer.tags.add(graph["tag"])
        for _ in range(3):
            ReviewFactory(order=OrderFactory(buyer=buyer), rating=1, text=formula)
    client.force_login(owner)
    downloads = 0
    for name, url in _pages(graph):
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/csv"):
            _body(response)
            continue
        downloads += 1
        text = _body(response).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not (cell[:1] in "=+-@\t\r" and cell and not _is_number(cell)), (
                    f"{name}: the cell {cell!r} would run as a formula"
                )
        if name == "insights:segment_csv" and "tag-" in url:
            assert "'=HYPERLINK" in text  # the control: the hostile name is there, defused
    assert downloads >= 5, "no CSV export found"


def test_backups_keep_formula_like_cells_exact_for_the_restore(shop, tmp_path):
    """Backups are machine data restored by Rawat: raw cells, exact round trip (no apostrophe)."""
    for formula in FORMULAS:
        BuyerFactory(shop=shop, name=formula, notes=formula)
    target = tmp_path / "backup.zip"
    shop_export(shop=shop, target=target)
    restored, _counts = shop_restore(source=target, slug="toko-restored")
    names = sorted(restored.buyers.values_list("name", flat=True))
    assert names == sorted(FORMULAS)
    assert sorted(restored.buyers.values_list("notes", flat=True)) == sorted(FORMULAS)
