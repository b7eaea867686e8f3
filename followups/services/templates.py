"""The shop's follow-up wording: read it for planning, save an edit, go back to the default."""

from __future__ import annotations

from django.db import transaction

from customers.models import Shop
from followups.models import FollowUpTemplate
from followups.texts import ShopTexts, slot_check, text_validate


def followup_texts_get(*, shop: Shop) -> ShopTexts:
    """The shop's wording for planning: its edited templates over the defaults (one query)."""
    return ShopTexts(
        {
            (t.kind, t.occasion, t.language): (t.subject, t.body)
            for t in FollowUpTemplate.objects.for_shop(shop).only(
                "kind", "occasion", "language", "subject", "body"
            )
        }
    )


def followup_template_save(
    *, shop: Shop, kind: str, occasion: str, language: str, subject: str, body: str
) -> FollowUpTemplate:
    """Store the shop's text for one kind, occasion and language.

    Refused with a ValidationError (nothing written): an unknown kind, occasion or language
    (``unknown_template``, ``unknown_language``), an empty text (``empty_text``), a placeholder
    the kind does not know, named in the message (``unknown_placeholder``), or a stray brace.
    """
    slot_check(kind=kind, occasion=occasion, language=language)
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    text_validate(kind=kind, subject=subject, body=body)
    with transaction.atomic():
        template, _created = FollowUpTemplate.objects.update_or_create(
            shop=shop,
            kind=kind,
            occasion=occasion,
            language=language,
            defaults={"subject": subject, "body": body},
        )
    return template


def followup_template_reset(*, shop: Shop, kind: str, occasion: str, language: str) -> int:
    """Go back to the default text (the shop's edit is deleted); the number of rows removed."""
    slot_check(kind=kind, occasion=occasion, language=language)
    deleted, _by_model = (
        FollowUpTemplate.objects.for_shop(shop)
        .filter(kind=kind, occasion=occasion, language=language)
        .delete()
    )
    return deleted
