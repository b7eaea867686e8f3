"""Chat questions: the performance page, logging by hand or CSV, API tokens, the JSON endpoint."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from crm.shops import shop_required
from stock import services
from stock.forms import ApiTokenForm, ChatImportForm, ChatQuestionForm
from stock.models import ApiToken, ChatQuestion, Source
from stock.selectors import chat_due_soon, chat_performance, sold_out_questions

API_MAX_BYTES = 64 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def chat_page(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    form = ChatQuestionForm(
        request.POST or None,
        initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.chat_question_log(shop=shop, data=form.cleaned_data, source=Source.SELLER)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question logged."))
            return redirect("stock:chat")
    days = 14
    return render(
        request,
        "stock/chat.html",
        {
            "form": form,
            "import_form": ChatImportForm(),
            "performance": chat_performance(shop=shop, days=days),
            "days": days,
            "due_soon": chat_due_soon(shop=shop),
            "sold_out_repeats": sold_out_questions(shop=shop),
            "recent": ChatQuestion.objects.for_shop(shop)
            .select_related("product", "buyer")
            .order_by("-received_at", "-pk")[:30],
        },
    )


@login_required
@shop_required
@require_POST
def chat_respond(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(ChatQuestion.objects.for_shop(request.shop), pk=pk)
    try:
        services.chat_question_respond(
            question=question, automatic=request.POST.get("automatic") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("stock:chat")


@login_required
@shop_required
@require_POST
def chat_import(request: HttpRequest) -> HttpResponse:
    form = ChatImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file."))
        return redirect("stock:chat")
    upload = form.cleaned_data["file"]
    if upload.size > IMPORT_MAX_BYTES:
        messages.error(request, _("The file is larger than 5 MB."))
        return redirect("stock:chat")
    try:
        content = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("The file is not UTF-8 text: save it as CSV (UTF-8)."))
        return redirect("stock:chat")
    try:
        created, updated = services.chat_questions_import(shop=request.shop, content=content)
    except ValidationError as error:
        for message in error.messages[:20]:
            messages.error(request, message)
        return redirect("stock:chat")
    messages.success(
        request,
        _("Imported %(created)d question(s), updated %(updated)d.")
        % {"created": created, "updated": updated},
    )
    return redirect("stock:chat")


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                shop=request.shop, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "stock/token_list.html",
        {
            "form": form,
            "raw": raw,
            "tokens": ApiToken.objects.for_shop(request.shop).select_related("created_by"),
            "endpoint": request.build_absolute_uri("/stock/api/chat-questions/"),
        },
    )


@login_required
@shop_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_shop(request.shop), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("stock:token_list")


def _api_error(status: int, code: str, message: str, **extra: object) -> JsonResponse:
    response = JsonResponse(
        {"errors": [{"code": code, "message": message}], **extra}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="rawat"'
    return response


@csrf_exempt
def api_chat_questions(request: HttpRequest) -> JsonResponse:
    """POST one question as JSON, authenticated with the shop's token (Authorization: Bearer …).

    201 with the question when created, 200 when ``external_id`` matched a logged one (its
    response times are filled in), 400 with every problem listed, 401 without a valid token.
    """
    if request.method != "POST":
        response = _api_error(405, "method_not_allowed", _("Use POST."))
        response["Allow"] = "POST"
        return response
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return _api_error(401, "auth_missing", _("Send the header Authorization: Bearer <token>."))
    token = services.api_token_authenticate(raw=raw.strip())
    if token is None:
        return _api_error(401, "auth_invalid", _("The token is unknown or revoked."))
    if request.content_type != "application/json":
        return _api_error(415, "unsupported_media_type", _("Send Content-Type: application/json."))
    if len(request.body) > API_MAX_BYTES:
        return _api_error(413, "too_large", _("The body is larger than 64 KB."))
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _api_error(
            400, "invalid_json", _("The body is not valid JSON: %(error)s") % {"error": error}
        )
    if not isinstance(payload, dict):
        return _api_error(400, "not_an_object", _("The body must be one JSON object."))
    if "response_automatic" in payload and not isinstance(payload["response_automatic"], bool):
        return _api_error(400, "invalid_boolean", _("response_automatic must be true or false."))
    try:
        question, created = services.chat_question_log(
            shop=token.shop, data=payload, source=Source.API
        )
    except ValidationError as error:
        return JsonResponse(
            {
                "errors": [
                    {"code": e.code or "invalid", "message": " ".join(e.messages)}
                    for e in error.error_list
                ]
            },
            status=400,
        )
    return JsonResponse(
        {
            "id": question.pk,
            "created": created,
            "channel": question.channel,
            "received_at": question.received_at.isoformat(),
            "responded_at": question.responded_at.isoformat() if question.responded_at else None,
            "human_responded_at": (
                question.human_responded_at.isoformat() if question.human_responded_at else None
            ),
            "product_sold_out": question.product_sold_out,
        },
        status=201 if created else 200,
    )
