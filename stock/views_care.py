"""Seller pages for cancellations: the record form and counter, penalty rules, the playbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.pagination import paginate
from crm.shops import shop_required
from customers.models import Order
from stock import services
from stock.forms import CancellationForm, PenaltyRuleForm
from stock.models import Cancellation
from stock.playbook import playbook_build
from stock.selectors import penalty_rules_effective, rejection_status


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def cancellation_list(request):
    shop = request.shop
    initial = {}
    order_id = request.GET.get("order", "")
    if order_id.isdigit():
        order = get_object_or_404(Order.objects.for_shop(shop), pk=int(order_id))
        initial = {"channel": order.channel, "order_number": order.external_id}
    form = CancellationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation = services.cancellation_record(
                shop=shop, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cancellation recorded."))
            return redirect("stock:playbook", pk=cancellation.order_id)
    queryset = (
        Cancellation.objects.for_shop(shop)
        .select_related("order__buyer", "recorded_by")
        .order_by("-occurred_at", "-pk")
    )
    return render(
        request,
        "stock/cancellation_list.html",
        {
            "form": form,
            "page_obj": paginate(request, queryset),
            "status": rejection_status(shop=shop),
        },
    )


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def penalty_rules(request):
    shop = request.shop
    errors = {}
    if request.method == "POST":
        form = PenaltyRuleForm(request.POST)
        if request.POST.get("reset") and request.POST.get("channel"):
            services.penalty_rule_reset(shop=shop, channel=request.POST["channel"])
            messages.success(request, _("Back to the default rule."))
            return redirect("stock:penalty_rules")
        if form.is_valid():
            try:
                services.penalty_rule_save(shop=shop, **form.cleaned_data)
            except ValidationError as error:
                errors[request.POST.get("channel")] = error.messages
            else:
                messages.success(request, _("Rule saved."))
                return redirect("stock:penalty_rules")
        else:
            errors[request.POST.get("channel")] = [e for errs in form.errors.values() for e in errs]
    rules = penalty_rules_effective(shop=shop)
    return render(request, "stock/penalty_rules.html", {"rules": rules, "errors": errors})


@login_required
@shop_required
@require_GET
def playbook(request, pk: int):
    """The kinder paths for one order of the shop (another shop's order is a 404)."""
    order = get_object_or_404(
        Order.objects.for_shop(request.shop)
        .select_related("buyer", "shop")
        .prefetch_related("lines__product"),
        pk=pk,
    )
    cancellation = Cancellation.objects.filter(order=order).first()
    reason = request.GET.get("reason") or (
        cancellation.reason if cancellation else Cancellation.Reason.OUT_OF_STOCK
    )
    if reason not in Cancellation.Reason.values:
        reason = Cancellation.Reason.OUT_OF_STOCK
    lang = request.GET.get("lang", "id")
    book = playbook_build(order=order, reason=reason, lang=lang)
    return render(
        request,
        "stock/playbook.html",
        {
            "book": book,
            "order": order,
            "cancellation": cancellation,
            "reasons": Cancellation.Reason.choices,
        },
    )
