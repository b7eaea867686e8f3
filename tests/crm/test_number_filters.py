"""Counts on the dashboard and the outbox tabs read the way each language writes numbers."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context) -> str:
    return Template("{% load rawat %}" + source).render(Context(context))


def test_counts_are_grouped_in_indonesian_and_english():
    with translation.override("id"):
        assert _render("{{ n|grouped }}", n=100000) == "100.000"
        assert _render("{{ n|capped }}", n=1182) == "1.182"
        assert _render("{{ n|capped }}", n=10001) == "10.000+"
    with translation.override("en"):
        assert _render("{{ n|grouped }}", n=100000) == "100,000"
        assert _render("{{ n|capped }}", n=10000) == "10,000"
        assert _render("{{ n|capped }}", n=10001) == "10,000+"
    assert _render("{{ n|grouped }}", n=None) == "–"
