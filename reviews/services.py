"""Review workflows: triage (above) and replies (below)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import tone
from customers.models import Interaction, OrderLine, Shop
from reviews.drafting import reply_facts, review_language
from reviews.models import (
    ReplyAction,
    ReplyLanguage,
    ReplyTemplate,
    Review,
    ShopReplySettings,
    ToneEvent,
)
from reviews.reply_defaults import DEFAULT_TEMPLATES
from reviews.templating import template_render, template_validate
from reviews.triage import Triage, triage

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


# --- Triage -------------------------------------------------------------------------------------
#
# Creation paths call these explicitly (a form or the admin: review_triage; imports and the demo
# seed, which use bulk_create: reviews_triage_bulk). There is deliberately no post_save signal: it
# would fire a second UPDATE on every save and silently overwrite triage fields that a caller set
# on purpose. Rows a path forgot are caught by the reviews.triage_pending schedule (every 5
# minutes), so every review is triaged even if a new creation path skips the call.

TRIAGE_FIELDS = ["topics", "sentiment", "needs_care", "priority", "action", "triaged_at"]


def _triage_apply(review: Review, result: Triage, now: Any) -> None:
    review.topics = list(result.topics)
    review.sentiment = result.sentiment
    review.needs_care = result.needs_care
    review.priority = result.priority
    review.action = result.action
    review.triaged_at = now


def review_triage(*, review: Review, save: bool = True) -> Triage:
    """Triage one review from its rating, its text and its order's delay, and store the result."""
    result = triage(
        rating=review.rating, text=review.text or "", delay_days=review.order.delay_days
    )
    _triage_apply(review, result, timezone.now())
    if save:
        review.save(update_fields=[*TRIAGE_FIELDS, "updated_at"])
    return result


def reviews_triage_bulk(
    *,
    reviews: Iterable[Review] | None = None,
    shop: Shop | None = None,
    force: bool = False,
    chunk_size: int = 500,
) -> int:
    """Triage many reviews in chunks: one SELECT (with the order) and one bulk_update per chunk.

    ``reviews`` is a queryset or an iterable of reviews (default: all); ``shop`` narrows it.
    Without ``force`` only reviews never triaged are done. Returns how many were triaged.
    """
    if chunk_size < 1:
        raise ValidationError(_("The chunk size must be at least 1."), code="chunk_size")
    if reviews is None:
        queryset = Review.objects.all()
    elif hasattr(reviews, "model") and hasattr(reviews, "filter"):
        queryset = reviews  # type: ignore[assignment]
    else:
        queryset = Review.objects.filter(pk__in=[r.pk for r in reviews if r.pk is not None])
    if shop is not None:
        queryset = queryset.filter(shop=shop)
    if not force:
        queryset = queryset.filter(triaged_at__isnull=True)
    queryset = queryset.select_related("order").only(
        "pk", "rating", "text", "order__status", "order__promised_at", "order__delivered_at"
    )
    done = 0
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:chunk_size])
        if not chunk:
            return done
        now = timezone.now()
        for review in chunk:
            result = triage(
                rating=review.rating, text=review.text or "", delay_days=review.order.delay_days
            )
            _triage_apply(review, result, now)
            review.updated_at = now
        with transaction.atomic():
            Review.objects.bulk_update(chunk, [*TRIAGE_FIELDS, "updated_at"])
        done += len(chunk)
        last_pk = chunk[-1].pk


# The demo seed looks this name up.
reviews_triage = reviews_triage_bulk


# --- Replies: templates, drafts, sending --------------------------------------------------------


def normalize_newlines(text: str) -> str:
    """Browsers post textarea lines as CRLF; store and check them as LF (spans stay aligned)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def reply_templates_ensure(*, shop: Shop) -> dict[tuple[str, str], ReplyTemplate]:
    """The shop's templates by (action, language), creating any missing one from the defaults.

    Two queries when all exist; a concurrent first use is harmless (ignore_conflicts).
    """
    templates = {(t.action, t.language): t for t in ReplyTemplate.objects.filter(shop=shop)}
    missing = [
        ReplyTemplate(shop=shop, action=action, language=lang, body=body)
        for (action, lang), body in DEFAULT_TEMPLATES.items()
        if (action, lang) not in templates
    ]
    if missing:
        ReplyTemplate.objects.bulk_create(missing, ignore_conflicts=True)
        templates = {(t.action, t.language): t for t in ReplyTemplate.objects.filter(shop=shop)}
    return templates


def reply_template_update(*, template: ReplyTemplate, body: str) -> ReplyTemplate:
    """Save a seller's edit of a template; unknown placeholders or stray braces are refused."""
    template_validate(body)
    template.body = body
    template.save(update_fields=["body", "updated_at"])
    return template


def reply_template_reset(*, template: ReplyTemplate) -> ReplyTemplate:
    """Put the shipped default text back."""
    return reply_template_update(
        template=template, body=DEFAULT_TEMPLATES[(template.action, template.language)]
    )


def reply_settings_get(*, shop: Shop) -> ShopReplySettings:
    """The shop's reply settings (offer), created with "no offer" on first use."""
    settings, _created = ShopReplySettings.objects.get_or_create(shop=shop)
    return settings


def _reply_action(review: Review) -> str:
    if review.action in ReplyAction.values:
        return review.action
    return ReplyAction.APOLOGY_EXPLAIN if review.needs_care else ReplyAction.THANK


def _compose(
    review: Review,
    templates: dict[tuple[str, str], ReplyTemplate],
    settings: ShopReplySettings | None,
) -> str:
    lang = review_language(review.text)
    if lang not in ReplyLanguage.values:
        lang = ReplyLanguage.INDONESIAN
    template = templates.get((_reply_action(review), lang))
    body = template.body if template else DEFAULT_TEMPLATES[(_reply_action(review), lang)]
    return template_render(
        body, reply_facts(review=review, lang=lang, settings=settings), lang=lang
    )


def _with_facts(reviews):  # type: ignore[no-untyped-def]
    """The joins a draft reads: order, buyer, shop and the order's lines with their product."""
    return reviews.select_related("order__buyer", "shop").prefetch_related(
        Prefetch("order__lines", queryset=OrderLine.objects.select_related("product"))
    )


def reply_draft(*, review: Review) -> str:
    """The reply drafted for this review from the shop's template for its recommended action,
    in the review's language, filled with the order's facts. Writes nothing (except a shop's
    default templates on first use)."""
    templates = reply_templates_ensure(shop=review.shop)
    settings = ShopReplySettings.objects.filter(shop_id=review.shop_id).first()
    return _compose(review, templates, settings)


# What composing a draft reads (reviews.drafting.reply_facts): loading only these columns
# halves the cost of drafting a big shop's complaints.
_DRAFT_FIELDS = (
    "shop__name",
    "text",
    "action",
    "needs_care",
    "order__channel",
    "order__external_id",
    "order__status",
    "order__courier",
    "order__shipped_at",
    "order__promised_at",
    "order__delivered_at",
    "order__buyer__name",
)


def replies_draft_bulk(*, shop: Shop, chunk: int = 2000) -> int:
    """Draft a reply for each review of the shop that needs care and has none yet.

    Stores it on ``reply_text`` with status "drafted"; a draft the seller edited or a sent reply
    is never overwritten. Returns how many drafts were written. Reads in primary-key chunks of
    ``chunk`` reviews (a fixed number of queries per chunk, memory bounded for a shop with
    100,000 complaints) and writes each chunk with one UPDATE statement executed per row: the
    CASE expression ``bulk_update`` builds costs more than composing the drafts.
    """
    templates = reply_templates_ensure(shop=shop)
    settings = ShopReplySettings.objects.filter(shop=shop).first()
    waiting = Review.objects.for_shop(shop).filter(
        needs_care=True, reply_status=Review.ReplyStatus.NONE
    )
    table = connection.ops.quote_name(Review._meta.db_table)
    sql = (
        f"UPDATE {table} SET reply_text = %s, reply_status = %s WHERE id = %s AND reply_status = %s"
    )
    drafted = Review.ReplyStatus.DRAFTED
    written, last = 0, 0
    while True:
        reviews = list(
            _with_facts(waiting.filter(pk__gt=last)).only(*_DRAFT_FIELDS).order_by("pk")[:chunk]
        )
        if not reviews:
            return written
        rows = [
            (_compose(review, templates, settings), drafted, review.pk, Review.ReplyStatus.NONE)
            for review in reviews
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if len(reviews) < chunk:
            return written
        last = reviews[-1].pk


def reply_draft_save(*, review: Review, text: str) -> Review:
    """Keep the seller's edited reply as the review's draft (not sent)."""
    if review.reply_status == Review.ReplyStatus.SENT:
        raise ValidationError(_("This review was already replied to."), code="already_sent")
    review.reply_text = normalize_newlines(text).strip()
    review.reply_status = (
        Review.ReplyStatus.DRAFTED if review.reply_text else Review.ReplyStatus.NONE
    )
    review.save(update_fields=["reply_text", "reply_status", "updated_at"])
    return review


def _severity(verdict: str) -> int:
    return {"ok": 0, "caution": 1, "hostile": 2}.get(verdict, 0)


def tone_warning_merge(earlier: dict[str, Any] | None, checked: dict[str, Any]) -> dict | None:
    """The warning to remember for a composer session: the most severe one seen so far.

    ``checked`` is ``Verdict.as_dict()`` plus the text; an ok verdict never replaces a warning.
    """
    if checked["verdict"] == "ok":
        return earlier
    if earlier is None or _severity(checked["verdict"]) > _severity(earlier["verdict"]):
        return {
            "verdict": checked["verdict"],
            "findings": checked["findings"],
            "text": checked.get("text", ""),
        }
    return earlier


def tone_event_record(
    *,
    shop: Shop,
    user: AbstractBaseUser | None,
    review: Review | None,
    warning: dict[str, Any],
    outcome: str,
    final_verdict: str = "",
    final_text: str = "",
    reason: str = "",
) -> ToneEvent:
    """Record what the seller did after the tone guard warned (see ToneEvent.Outcome)."""
    if outcome not in ToneEvent.Outcome.values:
        raise ValidationError(
            _("Unknown outcome %(outcome)s."), code="invalid", params={"outcome": outcome}
        )
    if outcome == ToneEvent.Outcome.OVERRODE and not reason.strip():
        raise ValidationError(_("An override needs a reason."), code="reason_required")
    return ToneEvent.objects.create(
        shop=shop,
        user=user,
        review=review,
        verdict=warning["verdict"],
        findings=warning.get("findings", []),
        warned_text=warning.get("text", ""),
        outcome=outcome,
        final_verdict=final_verdict,
        final_text=final_text,
        reason=reason.strip(),
    )


def reply_tone_check(*, review: Review | None, text: str) -> tone.Verdict:
    """The tone guard's verdict on a reply, with the review's channel and language."""
    if review is None:
        return tone.check(text)
    return tone.check(text, lang=review_language(review.text), channel=review.channel)


def reply_send(
    *,
    review: Review,
    text: str,
    by: AbstractBaseUser,
    override_reason: str = "",
    warning: dict[str, Any] | None = None,
) -> Interaction:
    """Record that the seller sent this reply (copied, sent on WhatsApp or on the marketplace).

    A hostile reply is refused (ValidationError code "hostile") unless ``override_reason`` says
    why it goes out anyway. The reply and the guard's verdict land on the buyer's timeline.
    ``warning`` is the most severe earlier warning in this composer session: when the text sent
    no longer carries it, the guard changed the reply and an "edited" ToneEvent is recorded.
    """
    text = normalize_newlines(text).strip()
    if not text:
        raise ValidationError(_("Write a reply before marking it as sent."), code="empty")
    if review.reply_status == Review.ReplyStatus.SENT:
        raise ValidationError(_("This review was already replied to."), code="already_sent")
    verdict = reply_tone_check(review=review, text=text)
    checked = verdict.as_dict()
    override_reason = override_reason.strip()
    if verdict.hostile and not override_reason:
        raise ValidationError(
            _(
                "This reply reads as hostile. Edit it, or tick the override and write why it "
                "must go out as it is."
            ),
            code="hostile",
        )
    now = timezone.now()
    order = review.order
    with transaction.atomic():
        review.reply_text = text
        review.reply_status = Review.ReplyStatus.SENT
        review.replied_at = now
        review.save(update_fields=["reply_text", "reply_status", "replied_at", "updated_at"])
        entry = Interaction.objects.create(
            shop=review.shop,
            buyer=order.buyer,
            order=order,
            kind=Interaction.Kind.REPLY,
            channel=review.channel,
            text=text,
            occurred_at=now,
            author=by,
            data={
                "review": review.pk,
                "rating": review.rating,
                "verdict": checked["verdict"],
                "score": checked.get("score"),
                "findings": checked["findings"],
                **({"override_reason": override_reason} if verdict.hostile else {}),
            },
        )
        current = {"verdict": checked["verdict"], "findings": checked["findings"], "text": text}
        if verdict.hostile:
            tone_event_record(
                shop=review.shop,
                user=by,
                review=review,
                warning=current,
                outcome=ToneEvent.Outcome.OVERRODE,
                final_verdict=checked["verdict"],
                final_text=text,
                reason=override_reason,
            )
        elif warning and _severity(checked["verdict"]) < _severity(warning["verdict"]):
            tone_event_record(
                shop=review.shop,
                user=by,
                review=review,
                warning=warning,
                outcome=ToneEvent.Outcome.EDITED,
                final_verdict=checked["verdict"],
                final_text=text,
            )
        elif checked["verdict"] == "caution":
            tone_event_record(
                shop=review.shop,
                user=by,
                review=review,
                warning=current,
                outcome=ToneEvent.Outcome.KEPT,
                final_verdict=checked["verdict"],
                final_text=text,
            )
    return entry


def reply_cancel(
    *, review: Review, by: AbstractBaseUser, warning: dict[str, Any] | None
) -> ToneEvent | None:
    """The seller left the composer without sending; after a warning that counts as cancelled."""
    if not warning:
        return None
    return tone_event_record(
        shop=review.shop,
        user=by,
        review=review,
        warning=warning,
        outcome=ToneEvent.Outcome.CANCELLED,
    )
