"""The shop's stock-answer and playbook templates (copied from the defaults on first use)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers.models import Shop
from stock.models import MessageTemplate
from stock.template_defaults import DEFAULT_TEMPLATES
from stock.templating import template_validate


def stock_templates_ensure(*, shop: Shop) -> dict[tuple[str, str], MessageTemplate]:
    """The shop's templates by (situation, language), creating missing ones from the defaults."""
    templates = {(t.situation, t.language): t for t in MessageTemplate.objects.filter(shop=shop)}
    missing = [
        MessageTemplate(shop=shop, situation=situation, language=lang, body=body)
        for (situation, lang), body in DEFAULT_TEMPLATES.items()
        if (situation, lang) not in templates
    ]
    if missing:
        MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
        templates = {
            (t.situation, t.language): t for t in MessageTemplate.objects.filter(shop=shop)
        }
    return templates


def stock_template_update(*, template: MessageTemplate, body: str) -> MessageTemplate:
    """Save a new text; unknown placeholders or stray braces are refused (nothing written)."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(_("The text is empty."), code="empty_text")
    template_validate(body)
    template.body = body
    template.save(update_fields=["body", "updated_at"])
    return template


def stock_template_reset(*, template: MessageTemplate) -> MessageTemplate:
    template.body = DEFAULT_TEMPLATES[(template.situation, template.language)]
    template.save(update_fields=["body", "updated_at"])
    return template
