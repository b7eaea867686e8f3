"""Outbox, follow-up detail, care settings, courier slow-downs, and the public unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from crm.pagination import paginate
from crm.shops import shop_required
from customers.models import Buyer
from followups.forms import (
    CareSettingsForm,
    CourierSlowdownForm,
    FollowUpEditForm,
    FollowUpTemplateForm,
    InboundReplyForm,
    OutboxFilterForm,
    TierFormSet,
)
from followups.messages import render_safe
from followups.models import CourierSlowdown, FollowUp, Kind, MembershipTier
from followups.selectors import outbox_counts, outbox_list
from followups.services import (
    buyer_opt_out,
    care_settings_get,
    followup_approve,
    followup_cancel,
    followup_edit,
    followup_mark_sent,
    followup_resend,
    followup_skip,
    followup_template_reset,
    followup_template_save,
    followup_texts_get,
    followups_bulk,
    in_quiet_hours,
    inbound_reply_record,
)
from followups.texts import (
    KIND_PLACEHOLDERS,
    LANGUAGES,
    PLACEHOLDERS,
    occasion_label,
    occasions_for,
    template_slots,
)
from followups.unsubscribe import unsubscribe_buyer_id

ACTIONS = {
    "approve": (followup_approve, gettext_lazy("Approved: the message is due now.")),
    "mark_sent": (
        followup_mark_sent,
        gettext_lazy("Marked as sent and added to the buyer's timeline."),
    ),
    "skip": (followup_skip, gettext_lazy("Skipped.")),
    "cancel": (followup_cancel, gettext_lazy("Cancelled.")),
    "resend": (followup_resend, gettext_lazy("The email will be sent again.")),
}


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@shop_required
def followup_list(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = outbox_list(
        shop=request.shop,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        channel=filters.get("channel", ""),
    )
    page = paginate(request, queryset)
    settings = care_settings_get(shop=request.shop)
    return render(
        request,
        "followups/followup_list.html",
        {
            "form": form,
            "page_obj": page,
            "counts": outbox_counts(shop=request.shop),
            "quiet": in_quiet_hours(settings=settings),
            "care_settings": settings,
            "now": timezone.now(),
        },
    )


@login_required
@shop_required
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.for_shop(request.shop).select_related("buyer", "order", "review"), pk=pk
    )
    form = FollowUpEditForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        try:
            followup = followup_edit(
                followup=followup,
                text=form.cleaned_data["text"],
                subject=form.cleaned_data.get("subject", ""),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if followup.tone_verdict == "hostile":
                messages.error(
                    request,
                    _(
                        "Saved, but the wording reads as hostile: it will not be sent until "
                        "you change it."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(followup)
    return render(
        request,
        "followups/followup_detail.html",
        {"followup": followup, "form": form, "reply_form": InboundReplyForm()},
    )


@login_required
@shop_required
@require_POST
def followup_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.for_shop(request.shop).select_related("buyer"), pk=pk
    )
    if action == "opt_out":
        skipped = buyer_opt_out(buyer=followup.buyer, source="seller", by=request.user)
        messages.success(
            request,
            _("%(name)s is opted out; %(count)s open message(s) skipped.")
            % {"name": followup.buyer.name, "count": skipped},
        )
        return _back(request, "followups:followup_list")
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(followup=followup, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _back(request, "followups:followup_list")


@login_required
@shop_required
@require_POST
def followup_bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, _("Choose at least one message."))
        return _back(request, "followups:followup_list")
    try:
        done, refused = followups_bulk(
            queryset=FollowUp.objects.for_shop(request.shop),
            ids=ids,
            action=action,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(done)s message(s) updated.") % {"done": done}
        if refused:
            text += " " + _("%(refused)s could not be (their status does not allow it).") % {
                "refused": refused
            }
        messages.success(request, text)
    return _back(request, "followups:followup_list")


@login_required
@shop_required
@require_POST
def followup_reply(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.for_shop(request.shop).select_related("buyer"), pk=pk
    )
    form = InboundReplyForm(request.POST)
    if form.is_valid():
        inbound_reply_record(
            buyer=followup.buyer,
            text=form.cleaned_data["text"],
            by=request.user,
            channel=followup.marketplace
            or ("whatsapp" if followup.channel == "whatsapp" else "email"),
        )
        followup.buyer.refresh_from_db()
        if followup.buyer.opted_out_at:
            messages.success(request, _("Reply logged. The buyer asked to stop: opted out."))
        else:
            messages.success(request, _("Reply logged on the buyer's timeline."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(followup)


@login_required
@shop_required
def care_settings_edit(request: HttpRequest) -> HttpResponse:
    settings = care_settings_get(shop=request.shop)
    tiers = MembershipTier.objects.for_shop(request.shop).order_by("rank")
    form = CareSettingsForm(request.POST or None, instance=settings, prefix="rules")
    formset = TierFormSet(request.POST or None, queryset=tiers, prefix="tiers")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            for tier in formset.save(commit=False):
                tier.shop = request.shop
                tier.save()
            for tier in formset.deleted_objects:
                tier.delete()
        messages.success(request, _("Care rules saved."))
        return redirect("followups:care_settings")
    return render(request, "followups/care_settings.html", {"form": form, "formset": formset})


@login_required
@shop_required
def followup_template_list(request: HttpRequest) -> HttpResponse:
    """Every follow-up text of the shop, by kind and occasion, in Indonesian and English."""
    texts = followup_texts_get(shop=request.shop)
    rows = [
        {
            "kind": kind,
            "label": Kind(kind).label,
            "occasion": occasion,
            "occasion_label": occasion_label(kind, occasion),
            "cells": [
                {
                    "language": language,
                    "url": template_edit_url(kind=kind, occasion=occasion, language=language),
                    "body": texts.get(kind, occasion, language)[1],
                    "edited": texts.is_edited(kind, occasion, language),
                }
                for language in LANGUAGES
            ],
        }
        for kind, occasion in template_slots()
    ]
    return render(request, "followups/template_list.html", {"rows": rows})


def template_edit_url(*, kind: str, occasion: str, language: str) -> str:
    query = urlencode({"kind": kind, "occasion": occasion, "language": language})
    return f"{reverse('followups:template_edit')}?{query}"


# Sample facts for the preview of a template being edited.
_SAMPLE = {
    "buyer_name": "Sari",
    "order_id": "INV/20270310/1234",
    "product": "Pashmina Sage",
    "courier": "JNE",
    "tracking_number": "JNE123456789",
    "marketplace": "Tokopedia",
    "promised_date": "8 Maret 2027",
    "delivered_date": "11 Maret 2027",
    "shipped_date": "5 Maret 2027",
    "delay_days": 3,
    "reason": "arus mudik Lebaran",
    "slowdown_start": "3 Maret 2027",
    "slowdown_end": "12 Maret 2027",
    "topics": "pengiriman terlambat",
    "rating": 3,
    "holiday_name": "Hari Raya Idul Fitri",
    "sale_day": "12.12",
    "tier_name": "Gold",
    "perk": "gratis ongkir",
    "days_since": 90,
    "years": 2,
}


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def followup_template_edit(request: HttpRequest) -> HttpResponse:
    """One text of the shop: ``?kind=holiday&occasion=idul_fitri&language=id``."""
    kind = request.GET.get("kind", "")
    occasion = request.GET.get("occasion", "")
    language = request.GET.get("language", "")
    if kind not in Kind.values or occasion not in occasions_for(kind) or language not in LANGUAGES:
        raise Http404
    texts = followup_texts_get(shop=request.shop)
    subject, body = texts.get(kind, occasion, language)
    form = FollowUpTemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    here = template_edit_url(kind=kind, occasion=occasion, language=language)
    if request.method == "POST":
        if request.POST.get("reset"):
            followup_template_reset(
                shop=request.shop, kind=kind, occasion=occasion, language=language
            )
            messages.success(request, _("The default text is back."))
            return redirect(here)
        if form.is_valid():
            try:
                followup_template_save(
                    shop=request.shop,
                    kind=kind,
                    occasion=occasion,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    for one in errors:
                        form.add_error(field, one)
            else:
                messages.success(request, _("Template saved."))
                return redirect(here)
    shown = form.data.get("body", body) if form.is_bound else body
    facts = {**_SAMPLE, "shop_name": request.shop.name}
    context = {
        "kind_label": Kind(kind).label,
        "occasion_label": occasion_label(kind, occasion),
        "language": language,
        "form": form,
        "edited": texts.is_edited(kind, occasion, language),
        "placeholders": {name: PLACEHOLDERS[name] for name in KIND_PLACEHOLDERS[kind]},
        "preview": "" if form.errors else render_safe(shown, facts),
    }
    return render(
        request,
        "followups/template_edit.html",
        context,
        status=422 if form.errors else 200,
    )


@login_required
@shop_required
def slowdown_list(request: HttpRequest) -> HttpResponse:
    form = CourierSlowdownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slowdown = form.save(commit=False)
        slowdown.shop = request.shop
        slowdown.save()
        messages.success(request, _("Slow-down saved. Affected buyers get a heads-up."))
        return redirect("followups:slowdown_list")
    slowdowns = CourierSlowdown.objects.for_shop(request.shop)
    return render(request, "followups/slowdown_list.html", {"form": form, "slowdowns": slowdowns})


@login_required
@shop_required
@require_POST
def slowdown_delete(request: HttpRequest, pk: int) -> HttpResponse:
    slowdown = get_object_or_404(CourierSlowdown.objects.for_shop(request.shop), pk=pk)
    slowdown.delete()
    messages.success(request, _("Slow-down removed."))
    return redirect("followups:slowdown_list")


# Mail providers' one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the signed token
# in the URL is the authorisation.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    buyer_id = unsubscribe_buyer_id(token)
    buyer = Buyer.objects.select_related("shop").filter(pk=buyer_id).first() if buyer_id else None
    if buyer is None:
        return render(request, "followups/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        buyer_opt_out(buyer=buyer, source="email link")
        done = True
    return render(
        request,
        "followups/unsubscribe.html",
        {"shop_name": buyer.shop.name, "done": done or buyer.opted_out_at is not None},
    )
