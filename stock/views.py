"""Seller pages: stock answers, a product's stock and waiting list, a buyer's waiting lists,
and the shop's stock templates. Thin: parse, call stock.services / selectors, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.shops import shop_required
from customers.models import Buyer, Product
from stock import services
from stock.answers import stock_answer
from stock.forms import (
    AnswerForm,
    StockForm,
    TemplateForm,
    VariantCreateForm,
    VariantStockForm,
    WaitlistJoinForm,
)
from stock.models import MessageTemplate, ProductVariant, Source
from stock.selectors import product_search, waitlist_counts, waitlist_entries
from stock.templating import PLACEHOLDERS


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _sold_out(shop):
    counts = waitlist_counts(shop=shop)
    products = list(Product.objects.for_shop(shop).filter(stock=0).order_by("name")[:50])
    for product in products:
        product.waiting = counts.get(product.pk, 0)
    products.sort(key=lambda p: (-p.waiting, p.name))
    return products


@login_required
@shop_required
@require_GET
def answer(request: HttpRequest) -> HttpResponse:
    """Search a product, paste the buyer's question, get the reply (GET only: nothing written)."""
    shop = request.shop
    form = AnswerForm(request.GET or None)
    results: list[Product] = []
    result = None
    buyer = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("buyer"):
            buyer = get_object_or_404(Buyer.objects.for_shop(shop), pk=data["buyer"])
        product = None
        if data.get("product"):
            product = get_object_or_404(
                Product.objects.for_shop(shop).select_related("shop"), pk=data["product"]
            )
        else:
            results = product_search(shop=shop, term=data.get("q") or "")
            if len(results) == 1:
                product = results[0]
        if product is not None:
            result = stock_answer(
                product=product,
                question=data.get("question") or "",
                lang=data.get("lang") or "id",
                buyer=buyer,
            )
    return render(
        request,
        "stock/answer.html",
        {
            "form": form,
            "results": results,
            "answer": result,
            "buyer": buyer,
            "sold_out": _sold_out(shop),
            "next": request.get_full_path(),
        },
    )


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    return redirect(target)


@login_required
@shop_required
@require_POST
def waitlist_join(request: HttpRequest) -> HttpResponse:
    """Add a buyer to a product's (or variant's) waiting list, from any seller page."""
    shop = request.shop
    form = WaitlistJoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _back(request, reverse("stock:answer"))
    data = form.cleaned_data
    product = get_object_or_404(Product.objects.for_shop(shop), pk=data["product"])
    fallback = reverse("stock:product_detail", args=[product.pk])
    variant = None
    if data.get("variant"):
        variant = get_object_or_404(
            ProductVariant.objects.for_shop(shop).filter(product=product), pk=data["variant"]
        )
    if data.get("buyer"):
        buyer = get_object_or_404(Buyer.objects.for_shop(shop), pk=data["buyer"])
    else:
        matches = list(Buyer.objects.for_shop(shop).search(data["buyer_term"])[:2])
        if len(matches) != 1:
            text = (
                _("No buyer matches “%(term)s”: add the buyer first.")
                if not matches
                else _("Several buyers match “%(term)s”: type more of the name or the phone.")
            )
            messages.error(request, text % {"term": data["buyer_term"]})
            return _back(request, fallback)
        buyer = matches[0]
    source = data.get("source") or Source.SELLER
    if source not in (Source.ANSWER, Source.BUYER_PAGE, Source.SELLER):
        source = Source.SELLER
    try:
        entry, created = services.waitlist_join(
            product=product, variant=variant, buyer=buyer, source=source, by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back(request, fallback)
    if created:
        messages.success(
            request,
            _("%(buyer)s is on the waiting list for %(product)s.")
            % {"buyer": buyer.name, "product": product.name},
        )
    else:
        messages.info(
            request,
            _("%(buyer)s was already waiting for %(product)s.")
            % {"buyer": buyer.name, "product": product.name},
        )
    return _back(request, fallback)


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A product's stock (or its variants'), restock estimate and waiting list."""
    shop = request.shop
    product = get_object_or_404(Product.objects.for_shop(shop).select_related("shop"), pk=pk)
    variants = list(product.variants.order_by("colour", "size", "pk"))
    stock_form = StockForm(initial={"quantity": product.stock, "restock_eta": product.restock_eta})
    variant_form = VariantCreateForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "stock":
                stock_form = StockForm(request.POST)
                if stock_form.is_valid():
                    _stock_save(request, product, stock_form.cleaned_data, variants)
                    return redirect("stock:product_detail", pk=product.pk)
            elif action == "variant_stock":
                form = VariantStockForm(request.POST)
                if form.is_valid():
                    variant = get_object_or_404(
                        ProductVariant.objects.for_shop(shop).filter(product=product),
                        pk=form.cleaned_data["variant"],
                    )
                    change = services.stock_set(
                        product=product,
                        variant=variant,
                        quantity=form.cleaned_data["quantity"],
                        by=request.user,
                    )
                    _restock_message(request, change)
                    return redirect("stock:product_detail", pk=product.pk)
                messages.error(request, _("Stock must be a whole number."))
            elif action == "variant_add":
                variant_form = VariantCreateForm(request.POST)
                if variant_form.is_valid():
                    services.variant_create(
                        product=product, by=request.user, **variant_form.cleaned_data
                    )
                    messages.success(request, _("Variant added."))
                    return redirect("stock:product_detail", pk=product.pk)
        except ValidationError as error:
            target = variant_form if action == "variant_add" else stock_form
            if action == "variant_stock":
                messages.error(request, _error_text(error))
            else:
                target.add_error(None, error)
    entries = list(waitlist_entries(shop=shop, product=product))
    return render(
        request,
        "stock/product_detail.html",
        {
            "product": product,
            "variants": variants,
            "stock_form": stock_form,
            "variant_form": variant_form,
            "entries": entries,
            "waiting": [e for e in entries if e.told_at is None],
            "told": [e for e in entries if e.told_at is not None],
            "restocks": product.restock_events.select_related("variant", "by")[:10],
        },
    )


def _stock_save(request: HttpRequest, product: Product, data: dict, variants: list) -> None:
    # Both writes or neither: a past date must not leave a half-saved stock behind.
    with transaction.atomic():
        if data["restock_eta"] != product.restock_eta:
            services.restock_eta_set(product=product, eta=data["restock_eta"])
        if variants:
            if data["quantity"] != product.stock:
                raise ValidationError(
                    _("This product has variants: set each variant's stock below."),
                    code="has_variants",
                )
            messages.success(request, _("Saved."))
            return
        change = services.stock_set(product=product, quantity=data["quantity"], by=request.user)
    _restock_message(request, change)


def _restock_message(request: HttpRequest, change: services.StockChange) -> None:
    if change.event is not None:
        messages.success(
            request,
            _("Back in stock: %(n)d waiting buyer(s) get a message in the outbox.")
            % {"n": change.notified},
        )
    else:
        messages.success(request, _("Stock saved: %(n)d.") % {"n": change.after})


@login_required
@shop_required
@require_GET
def buyer_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    """One buyer's waiting lists, and a form to add them to a sold-out product's list."""
    shop = request.shop
    buyer = get_object_or_404(Buyer.objects.for_shop(shop), pk=pk)
    sold_out = list(
        Product.objects.for_shop(shop)
        .filter(Q(stock=0) | Q(variants__stock=0))
        .distinct()
        .prefetch_related("variants")
        .order_by("name")
    )
    return render(
        request,
        "stock/buyer_waitlist.html",
        {
            "buyer": buyer,
            "entries": waitlist_entries(shop=shop, buyer=buyer),
            "sold_out": sold_out,
            "next": request.get_full_path(),
        },
    )


@login_required
@shop_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = services.stock_templates_ensure(shop=request.shop)
    rows = sorted(templates.values(), key=lambda t: (t.situation, t.language))
    return render(request, "stock/template_list.html", {"templates": rows})


@login_required
@shop_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MessageTemplate.objects.for_shop(request.shop), pk=pk)
    form = TemplateForm(request.POST or None, initial={"body": template.body})
    if request.method == "POST":
        if request.POST.get("reset"):
            services.stock_template_reset(template=template)
            messages.success(request, _("Back to the default text."))
            return redirect("stock:template_list")
        if form.is_valid():
            try:
                services.stock_template_update(template=template, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("Template saved."))
                return redirect("stock:template_list")
    return render(
        request,
        "stock/template_edit.html",
        {"template": template, "form": form, "placeholders": PLACEHOLDERS},
    )
