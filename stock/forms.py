"""Forms of the stock pages. They parse input; the rules live in stock.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import MARKETPLACES, Channel
from stock.models import Cancellation, MessageTemplate

LANGUAGE_CHOICES = MessageTemplate.Language.choices
MARKETPLACE_CHOICES = [(c.value, c.label) for c in MARKETPLACES]


class AnswerForm(forms.Form):
    q = forms.CharField(
        label=_("Product (name or SKU)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. pashmina sage or DEMO-SOLDOUT")}),
    )
    question = forms.CharField(
        label=_("Buyer's question (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Ready kak? Warna lain ada?")}),
    )
    lang = forms.ChoiceField(
        label=_("Reply language"), choices=LANGUAGE_CHOICES, initial="id", required=False
    )
    product = forms.IntegerField(required=False, widget=forms.HiddenInput)
    buyer = forms.IntegerField(required=False, widget=forms.HiddenInput)


class WaitlistJoinForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    variant = forms.IntegerField(required=False)
    buyer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    buyer_term = forms.CharField(
        label=_("Buyer (name, phone or @handle)"), required=False, max_length=100
    )
    source = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("buyer") and not (cleaned.get("buyer_term") or "").strip():
            raise forms.ValidationError(_("Say which buyer to add."), code="buyer_missing")
        return cleaned


class StockForm(forms.Form):
    quantity = forms.IntegerField(label=_("Stock"))
    restock_eta = forms.DateField(
        label=_("Restock estimate"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class VariantStockForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Stock"))


class VariantCreateForm(forms.Form):
    colour = forms.CharField(label=_("Colour"), required=False, max_length=40)
    size = forms.CharField(label=_("Size"), required=False, max_length=20)
    sku_suffix = forms.CharField(label=_("SKU suffix"), required=False, max_length=20)
    stock = forms.IntegerField(label=_("Stock"), initial=0)


class CancellationForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    order_number = forms.CharField(label=_("Order number"), max_length=64)
    initiator = forms.ChoiceField(label=_("Started by"), choices=Cancellation.Initiator.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=Cancellation.Reason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PenaltyRuleForm(forms.Form):
    channel = forms.ChoiceField(choices=MARKETPLACE_CHOICES, widget=forms.HiddenInput)
    window_days = forms.IntegerField(label=_("Window (days)"), min_value=1, max_value=365)
    threshold = forms.IntegerField(label=_("Rejections per penalty"), min_value=1, max_value=1000)
    penalty = forms.CharField(label=_("Penalty"), max_length=200)
    repeats = forms.BooleanField(label=_("Every further batch costs again"), required=False)


class ChatQuestionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    text = forms.CharField(
        label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    responded_at = forms.DateTimeField(
        label=_("First reply at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    response_automatic = forms.BooleanField(label=_("That reply was automatic"), required=False)
    buyer_handle = forms.CharField(label=_("Buyer's handle"), required=False, max_length=150)
    product_sku = forms.CharField(label=_("Product SKU"), required=False, max_length=64)


class ChatImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class TemplateForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
