"""Seller pages for answering reviews: the inbox, the reply composer with its live tone check,
and the shop's reply templates. Every query is scoped to ``request.shop``.

The composer remembers, per review and in the session, the most severe warning the tone guard
gave while the seller typed; sending or cancelling then records what the seller did after it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm import tone
from crm.pagination import paginate
from crm.shops import shop_required
from customers.models import OrderLine
from customers.phones import wa_number
from reviews import services
from reviews.forms import REPLY_MAX_LENGTH, ReplyForm, ReplyTemplateForm, ShopReplySettingsForm
from reviews.inbox import TOPIC_LABELS, InboxFilterForm, review_inbox
from reviews.models import ReplyAction, ReplyTemplate, Review
from reviews.templating import PLACEHOLDERS, template_render

SESSION_WARNINGS = "rawat_tone_warnings"
HOSTILE_SEVERITY = tone.detector.HOSTILE_SEVERITY  # a finding this severe is marked red


def _scoped_reviews(request: HttpRequest) -> QuerySet[Review]:
    return Review.objects.for_shop(request.shop).select_related("order__buyer", "shop")


def _review_for(request: HttpRequest, pk: int | str | None) -> Review:
    if pk is None or not str(pk).isdigit():
        raise Http404("No such review.")
    return get_object_or_404(_scoped_reviews(request), pk=int(pk))


def _warning_get(request: HttpRequest, review: Review) -> dict[str, Any] | None:
    return request.session.get(SESSION_WARNINGS, {}).get(str(review.pk))


def _warning_set(request: HttpRequest, review: Review, warning: dict[str, Any] | None) -> None:
    warnings = request.session.get(SESSION_WARNINGS, {})
    if warning is None:
        if str(review.pk) not in warnings:
            return
        warnings.pop(str(review.pk))
    elif warnings.get(str(review.pk)) == warning:
        return  # Nothing new: no session write on every keystroke.
    else:
        warnings[str(review.pk)] = warning
    request.session[SESSION_WARNINGS] = warnings


def _is_hostile(finding: dict[str, Any]) -> bool:
    return float(finding.get("severity") or 0) >= HOSTILE_SEVERITY


def tone_highlight(text: str, findings: list[dict[str, Any]]) -> SafeString:
    """An escaped copy of ``text`` with each finding's span wrapped in <mark class="tone-…">.

    Overlapping spans are merged into the first; the more severe class wins.
    """
    spans: list[list[Any]] = []
    for finding in sorted(findings, key=lambda f: (f["start"], -f["end"])):
        start, end = max(0, int(finding["start"])), min(len(text), int(finding["end"]))
        if end <= start:
            continue
        hostile = _is_hostile(finding)
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2] = spans[-1][2] or hostile
            continue
        spans.append([start, end, hostile])
    out: list[str] = []
    position = 0
    for start, end, hostile in spans:
        out.append(escape(text[position:start]))
        css = "tone-hostile" if hostile else "tone-caution"
        out.append(f'<mark class="{css}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # Every piece of text above is escaped.


def _wa_link(review: Review, text: str) -> str:
    phone = review.order.buyer.phone
    if not phone:
        return ""
    return f"https://wa.me/{wa_number(phone)}?text={quote(text, safe='')}"


def _check_context(
    *,
    review: Review | None,
    text: str,
    form_data: dict[str, Any] | None = None,
    blocked: bool = False,
) -> dict[str, Any]:
    """What _tone_findings.html shows for this text."""
    verdict = services.reply_tone_check(review=review, text=text).as_dict()
    findings = [
        {
            **finding,
            "excerpt": text[finding["start"] : finding["end"]],
            "label": tone.CATEGORY_LABELS.get(finding["category"], finding["category"]),
            "is_hostile": _is_hostile(finding),
        }
        for finding in verdict["findings"]
    ]
    form_data = form_data or {}
    return {
        "review": review,
        "verdict": verdict,
        "findings": findings,
        "highlighted": tone_highlight(text, verdict["findings"]),
        "text": text,
        "wa_link": _wa_link(review, text) if review else "",
        "override": bool(form_data.get("override")),
        "override_reason": form_data.get("override_reason", ""),
        "blocked": blocked,
    }


@login_required
@shop_required
@require_GET
def review_inbox_view(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, review_inbox(shop=request.shop, **filters))
    for review in page.object_list:
        review.topic_badges = [(t, TOPIC_LABELS.get(t, t)) for t in review.topics or []]
        lines = list(review.order.lines.all())
        review.first_product = lines[0].display_name if lines else ""
    return render(
        request,
        "reviews/review_inbox.html",
        {"page_obj": page, "reviews": page.object_list, "form": form, "filters": filters},
    )


def _order_facts(review: Review) -> dict[str, Any]:
    lines = list(OrderLine.objects.filter(order_id=review.order_id).select_related("product")[:20])
    return {"order": review.order, "buyer": review.order.buyer, "lines": lines}


def _render_composer(
    request: HttpRequest, review: Review, form: ReplyForm, *, blocked: bool = False, status=200
) -> HttpResponse:
    text = form.data.get("text") if form.is_bound else form.initial.get("text", "")
    text = services.normalize_newlines(text or "")
    form_data = form.data if form.is_bound else {}
    context = {
        "review": review,
        "form": form,
        "topic_badges": [(t, TOPIC_LABELS.get(t, t)) for t in review.topics or []],
        **_order_facts(review),
        **_check_context(review=review, text=text or "", form_data=form_data, blocked=blocked),
    }
    return render(request, "reviews/review_compose.html", context, status=status)


@login_required
@shop_required
@require_GET
def review_compose(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    text = review.reply_text or services.reply_draft(review=review)
    return _render_composer(request, review, ReplyForm(initial={"text": text}))


@login_required
@shop_required
@require_POST
def tone_check(request: HttpRequest) -> HttpResponse:
    """The live check (htmx): the findings fragment for the text typed so far."""
    review = (
        _review_for(request, request.POST.get("review")) if request.POST.get("review") else None
    )
    text = services.normalize_newlines(request.POST.get("text", ""))
    if len(text) > REPLY_MAX_LENGTH:
        return render(
            request,
            "reviews/_tone_findings.html",
            {
                "too_long": True,
                "max_length": REPLY_MAX_LENGTH,
                "review": review,
                "verdict": {"verdict": "caution"},
            },
        )
    context = _check_context(review=review, text=text, form_data=request.POST)
    if review is not None:
        checked = {**context["verdict"], "text": text}
        _warning_set(
            request, review, services.tone_warning_merge(_warning_get(request, review), checked)
        )
    return render(request, "reviews/_tone_findings.html", context)


@login_required
@shop_required
@require_POST
def review_reply_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark as sent. A hostile reply comes back with the findings and "Edit" focused."""
    review = _review_for(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_composer(request, review, form, blocked=True, status=422)
    try:
        services.reply_send(
            review=review,
            text=form.cleaned_data["text"],
            by=request.user,
            override_reason=form.reason,
            warning=_warning_get(request, review),
        )
    except ValidationError as error:
        if error.code == "hostile":
            checked = {
                **services.reply_tone_check(
                    review=review, text=form.cleaned_data["text"]
                ).as_dict(),
                "text": form.cleaned_data["text"],
            }
            _warning_set(
                request, review, services.tone_warning_merge(_warning_get(request, review), checked)
            )
        form.add_error(None, error)
        return _render_composer(request, review, form, blocked=True, status=422)
    _warning_set(request, review, None)
    messages.success(
        request,
        _("Reply to %(buyer)s recorded as sent and added to the timeline.")
        % {"buyer": review.order.buyer.name},
    )
    return redirect("reviews:review_inbox")


@login_required
@shop_required
@require_POST
def review_reply_draft(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid() and "text" in form.errors:
        return _render_composer(request, review, form, status=422)
    try:
        services.reply_draft_save(review=review, text=form.data.get("text", ""))
    except ValidationError as error:
        form.add_error(None, error)
        return _render_composer(request, review, form, status=422)
    messages.success(request, _("Draft saved."))
    return redirect("reviews:review_compose", pk=review.pk)


@login_required
@shop_required
@require_POST
def review_reply_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave the composer; after a warning this counts as "cancelled" for the guard's stats."""
    review = _review_for(request, pk)
    services.reply_cancel(review=review, by=request.user, warning=_warning_get(request, review))
    _warning_set(request, review, None)
    return redirect("reviews:review_inbox")


# --- The shop's reply templates and offer -------------------------------------------------------

SAMPLE_FACTS = {
    "id": {
        "buyer_name": "Sari",
        "product": "Kemeja Batik Parang",
        "courier": "J&T Express",
        "shipped_date": "10 Maret 2026",
        "promised_date": "13 Maret 2026",
        "delivered_date": "16 Maret 2026",
        "delay_days": 3,
        "order_id": "2603100123",
    },
    "en": {
        "buyer_name": "Sari",
        "product": "Kemeja Batik Parang",
        "courier": "J&T Express",
        "shipped_date": "10 March 2026",
        "promised_date": "13 March 2026",
        "delivered_date": "16 March 2026",
        "delay_days": 3,
        "order_id": "2603100123",
    },
}


def _sample_facts(request: HttpRequest, lang: str) -> dict[str, Any]:
    from reviews.drafting import offer_text

    settings = services.reply_settings_get(shop=request.shop)
    return {
        **SAMPLE_FACTS[lang],
        "shop_name": request.shop.name,
        "offer": offer_text(settings, lang),
    }


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def reply_template_list(request: HttpRequest) -> HttpResponse:
    """The shop's templates by situation and language, and the offer its apologies make."""
    templates = services.reply_templates_ensure(shop=request.shop)
    settings = services.reply_settings_get(shop=request.shop)
    form = ShopReplySettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Offer saved."))
        return redirect("reviews:reply_template_list")
    rows = [
        {
            "action": action,
            "label": label,
            "templates": [templates.get((action, lang)) for lang in ("id", "en")],
        }
        for action, label in ReplyAction.choices
    ]
    return render(
        request,
        "reviews/reply_template_list.html",
        {"rows": rows, "form": form, "status": 422 if form.errors else 200},
        status=422 if form.errors else 200,
    )


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def reply_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ReplyTemplate.objects.for_shop(request.shop), pk=pk)
    form = ReplyTemplateForm(request.POST or None, instance=template)
    if request.method == "POST":
        if request.POST.get("reset"):
            services.reply_template_reset(template=template)
            messages.success(request, _("The default text is back."))
            return redirect("reviews:reply_template_edit", pk=template.pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("Template saved."))
            return redirect("reviews:reply_template_edit", pk=template.pk)
    body = form.data.get("body", template.body) if form.is_bound else template.body
    preview = (
        ""
        if form.errors
        else template_render(
            body, _sample_facts(request, template.language), lang=template.language
        )
    )
    return render(
        request,
        "reviews/reply_template_edit.html",
        {"template": template, "form": form, "placeholders": PLACEHOLDERS, "preview": preview},
        status=422 if form.errors else 200,
    )
