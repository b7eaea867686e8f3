"""Each follow-up's words, filled from facts with a small safe renderer; email bodies.

The texts are the shop's (followups.texts: edited templates over the defaults) with
``{placeholder}`` fields. Rendering parses them with :class:`string.Formatter` but never calls
``str.format``: each field is looked up by exact name in a dict of strings, so
``{buyer.__class__}`` or ``{x[0]}`` is printed literally and never evaluated.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from followups.models import Kind
from followups.texts import DEFAULTS, ShopTexts, message_language

_formatter = string.Formatter()


def render_safe(template: str, facts: Mapping[str, object]) -> str:
    """Fill ``{name}`` fields from ``facts`` by exact name; anything else stays as written."""
    try:
        parsed = list(_formatter.parse(template))
    except ValueError:
        return template
    out: list[str] = []
    for literal, field, spec, conversion in parsed:
        out.append(literal)
        if field is None:
            continue
        value = facts.get(field)
        if value is None or spec or conversion:
            raw = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + raw + "}")
        else:
            out.append(str(value))
    return "".join(out)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    template: str  # the text before filling in, for the tone check by pieces


def occasion_of(kind: str, facts: Mapping[str, object]) -> str:
    """Which of the kind's texts a message uses (see followups.texts)."""
    if kind == Kind.LATE_APOLOGY:
        return "delivered" if facts.get("delivered_date") else "overdue"
    if kind == Kind.HOLIDAY:
        return str(facts.get("holiday_key") or "")
    return ""


def message_render(
    *,
    kind: str,
    facts: Mapping[str, object],
    texts: ShopTexts | None = None,
    language: str | None = None,
) -> Rendered:
    """Subject and text of one follow-up from the shop's wording (``texts``, else the defaults)
    in the buyer's language (default: :func:`followups.texts.message_language`)."""
    subject, template = (texts or DEFAULTS).get(
        kind, occasion_of(kind, facts), language or message_language()
    )
    return Rendered(
        subject=render_safe(subject, facts), text=render_safe(template, facts), template=template
    )


def email_bodies(*, text: str, shop_name: str, unsubscribe_url: str) -> tuple[str, str]:
    """The plain-text and HTML bodies of an email, from templates/followups/email/."""
    context = {
        "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
        "text": text,
        "shop_name": shop_name,
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(settings.LANGUAGE_CODE):
        plain = render_to_string("followups/email/message.txt", context)
        html = render_to_string("followups/email/message.html", context)
    return plain, html
