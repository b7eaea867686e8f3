"""Placeholders of the stock and playbook templates: checking and safe rendering.

The rules are reviews.templating's (exact-name lookup, never ``str.format``, never the Django
template engine on seller text; a sentence whose fact is missing is left out, a few placeholders
have a fallback word). That module checks against a fixed set of review placeholders, so this
one carries the stock set and reuses its sentence splitting.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reviews.templating import _SENTENCE_BREAK

PLACEHOLDERS: dict[str, object] = {
    "buyer_name": _("the buyer's name"),
    "shop_name": _("the shop's name"),
    "product": _("the product's name"),
    "sku": _("the product's SKU"),
    "price": _("the product's price"),
    "stock": _("how many are in stock"),
    "variants": _("the variants in stock, e.g. “Hitam (5), Navy (2)”"),
    "sold_out_variants": _("the variants that are sold out"),
    "restock_date": _("the restock estimate"),
    "alternatives": _("the alternatives, one per line"),
    "order_id": _("the order number"),
    "marketplace": _("the order's marketplace"),
    "reason": _("why the order cannot be sent"),
    "substitute": _("the proposed substitute"),
    "substitute_price": _("the substitute's price"),
    "refund_amount": _("the full refund, shipping included"),
}

FALLBACKS: dict[str, dict[str, str]] = {
    "id": {"buyer_name": "kak", "shop_name": "toko kami", "product": "produknya"},
    "en": {"buyer_name": "there", "shop_name": "our shop", "product": "the product"},
}

_formatter = string.Formatter()


def template_validate(text: str) -> None:
    """Raise ValidationError naming each problem (codes as in reviews.templating)."""
    try:
        parsed = list(_formatter.parse(text))
    except ValueError:
        raise ValidationError(
            _(
                "A brace is not closed or not opened. Write placeholders as {product}; "
                "for a literal brace write {{ or }}."
            ),
            code="unbalanced",
        ) from None
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    errors: list[ValidationError] = []
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
        elif field not in PLACEHOLDERS:
            if field not in reported:
                reported.add(field)
                errors.append(
                    ValidationError(
                        _("Unknown placeholder {%(name)s}. Use one of %(known)s."),
                        code="unknown_placeholder",
                        params={"name": field, "known": known},
                    )
                )
        elif spec or conversion:
            errors.append(
                ValidationError(
                    _("Placeholder {%(name)s} takes no format or conversion; write {%(name)s}."),
                    code="placeholder_format",
                    params={"name": field},
                )
            )
    if errors:
        raise ValidationError(errors)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sentence(sentence: str, facts: Mapping[str, object], fallbacks: Mapping[str, str]):
    try:
        parsed = list(_formatter.parse(sentence))
    except ValueError:
        return sentence
    out: list[str] = []
    for literal, field, _spec, _conv in parsed:
        out.append(literal)
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            out.append("{" + field + "}")  # Shown literally, never evaluated.
            continue
        value = facts.get(field)
        if not _missing(value):
            out.append(str(value))
        elif field in fallbacks:
            before = "".join(out)
            # "Halo Kak {buyer_name}," with no name reads "Halo Kak," rather than "Halo Kak kak,".
            if re.search(r"\b" + re.escape(fallbacks[field]) + r"\s+$", before, re.IGNORECASE):
                out = [before.rstrip()]
            else:
                out.append(fallbacks[field])
        else:
            return None
    return "".join(out)


def template_render(text: str, facts: Mapping[str, object], *, lang: str = "id") -> str:
    """Fill ``text`` from ``facts``; never raises. Multi-line facts (lists) keep their lines."""
    fallbacks = FALLBACKS.get(lang, FALLBACKS["en"])
    lines: list[str] = []
    for line in text.split("\n"):
        kept = [
            rendered
            for sentence in _SENTENCE_BREAK.split(line)
            if (rendered := _sentence(sentence, facts, fallbacks)) is not None
        ]
        rendered_line = " ".join(s.strip(" \t") for s in kept if s.strip())
        if line.strip() and not rendered_line:
            continue
        lines.append(rendered_line)
    result = "\n".join(lines)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return re.sub(r"[ \t]{2,}", " ", result).strip()
