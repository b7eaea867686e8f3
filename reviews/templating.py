"""Seller-written reply templates: placeholder checking and safe rendering.

A template is plain text with a few whitelisted placeholders such as ``{buyer_name}``. It is
parsed with :class:`string.Formatter` but never passed to ``str.format``: each field is looked
up by exact name in a dict of strings, so ``{buyer_name.__class__}`` or ``{order_id[0]}`` can
never reach an attribute or an index, and the Django template engine never sees seller text.

Rendering never fails on missing facts. A placeholder either has a fallback word ("kak" for a
missing buyer name) or, when its fact is missing, the whole sentence holding it is left out, so
"Paket terlambat {delay_days} hari." disappears for an order that arrived on time.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS: dict[str, str] = {
    "buyer_name": _("the buyer's name"),
    "product": _("the product (first line of the order)"),
    "courier": _("the courier"),
    "shipped_date": _("the date the order was shipped"),
    "promised_date": _("the promised delivery date"),
    "delivered_date": _("the date the order was delivered"),
    "delay_days": _("days delivered after the promised date"),
    "offer": _("what the shop offers (voucher, free shipping, exchange)"),
    "shop_name": _("the shop's name"),
    "order_id": _("the order number"),
}

# Words used when a fact is missing, per language. A placeholder without one here is
# "sentence-bound": a sentence that needs it is dropped when the fact is missing.
FALLBACKS: dict[str, dict[str, str]] = {
    "id": {
        "buyer_name": "kak",
        "product": "pesanannya",
        "courier": "kurir",
        "shop_name": "toko kami",
    },
    "en": {
        "buyer_name": "there",
        "product": "your order",
        "courier": "the courier",
        "shop_name": "our shop",
    },
}

# A sentence ends at . ! ? (possibly repeated) followed by spaces, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[ \t]+|\n")
_formatter = string.Formatter()


@dataclass(frozen=True)
class _Piece:
    literal: str
    field: str | None


def _parse(text: str) -> list[_Piece]:
    """The literal/field pieces of ``text``; raises ValueError on unbalanced braces."""
    return [_Piece(literal, field) for literal, field, _spec, _conv in _parse_raw(text)]


def _parse_raw(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(_formatter.parse(text))


def template_placeholders(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order, without duplicates."""
    seen: list[str] = []
    for _literal, field, _spec, _conv in _parse_raw(text):
        if field is not None and field not in seen:
            seen.append(field)
    return seen


def template_validate(text: str, *, allowed: Mapping[str, object] | None = None) -> None:
    """Raise ValidationError naming each problem: unknown placeholders, stray braces, formats.

    ``allowed`` names the placeholders this text may use (default: the review placeholders);
    other template families (follow-up messages) pass their own.
    Codes: ``unbalanced`` (a lone ``{`` or ``}``), ``unknown_placeholder``, ``empty_placeholder``
    and ``placeholder_format`` (``{x!r}`` or ``{x:>10}``: placeholders take no conversion).
    """
    names = PLACEHOLDERS if allowed is None else allowed
    try:
        parsed = _parse_raw(text)
    except ValueError:
        raise ValidationError(
            _(
                "A brace is not closed or not opened. Write placeholders as {buyer_name}; "
                "for a literal brace write {{ or }}."
            ),
            code="unbalanced",
        ) from None
    errors: list[ValidationError] = []
    known = ", ".join(f"{{{name}}}" for name in names)
    reported: set[str] = set()
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field == "":
            errors.append(
                ValidationError(
                    _("Empty placeholder {}: write a name inside the braces, one of %(known)s."),
                    code="empty_placeholder",
                    params={"known": known},
                )
            )
            continue
        if field not in names:
            if field in reported:
                continue
            reported.add(field)
            errors.append(
                ValidationError(
                    _("Unknown placeholder {%(name)s}. Use one of %(known)s."),
                    code="unknown_placeholder",
                    params={"name": field, "known": known},
                )
            )
            continue
        if spec or conversion:
            errors.append(
                ValidationError(
                    _("Placeholder {%(name)s} takes no format or conversion; write {%(name)s}."),
                    code="placeholder_format",
                    params={"name": field},
                )
            )
    if errors:
        raise ValidationError(errors)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _render_sentence(sentence: str, facts: Mapping[str, object], fallbacks: Mapping[str, str]):
    """The rendered sentence, or None when it needs a fact that is missing."""
    try:
        pieces = _parse(sentence)
    except ValueError:
        return sentence  # A stored template that no longer parses shows as written.
    out: list[str] = []
    for piece in pieces:
        out.append(piece.literal)
        name = piece.field
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            out.append("{" + name + "}")  # Shown literally, never evaluated.
            continue
        value = facts.get(name)
        if not _is_missing(value):
            out.append(str(value))
            continue
        fallback = fallbacks.get(name)
        if fallback is None:
            return None
        before = "".join(out)
        # "Halo Kak {buyer_name}," with no name reads "Halo Kak," rather than "Halo Kak kak,".
        if re.search(r"\b" + re.escape(fallback) + r"\s+$", before, flags=re.IGNORECASE):
            out = [before.rstrip()]
        else:
            out.append(fallback)
    return "".join(out)


def template_render(text: str, facts: Mapping[str, object], *, lang: str = "id") -> str:
    """Fill the placeholders of ``text`` from ``facts``; never raises, never runs code.

    Missing facts use the language's fallback word, or drop the sentence that needs them.
    Line breaks of the template are kept; blank lines left by dropped sentences collapse.
    """
    fallbacks = FALLBACKS.get(lang, FALLBACKS["en"])
    lines_out: list[str] = []
    for line in text.split("\n"):
        sentences = _SENTENCE_BREAK.split(line)
        kept = [
            rendered
            for sentence in sentences
            if (rendered := _render_sentence(sentence, facts, fallbacks)) is not None
        ]
        rendered_line = " ".join(s.strip() for s in kept if s.strip())
        dropped_all = bool(line.strip()) and not rendered_line
        if dropped_all:
            continue  # The whole line was about a missing fact: no empty gap either.
        lines_out.append(rendered_line)
    result = "\n".join(lines_out)
    result = re.sub(r"\n{3,}", "\n\n", result)
    result = re.sub(r"[ \t]{2,}", " ", result)
    if lang == "en":
        result = re.sub(r"\b1 days\b", "1 day", result)
    return result.strip()
