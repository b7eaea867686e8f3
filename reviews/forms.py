"""Forms of the reply composer, the reply templates and the shop's offer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import ReplyTemplate, ShopReplySettings

REPLY_MAX_LENGTH = 4000


class ReplyForm(forms.Form):
    """The composer: the reply, and the override a hostile reply needs to be recorded as sent."""

    text = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 11, "class": "form-control", "id": "reply-text", "spellcheck": "true"}
        ),
    )
    override = forms.BooleanField(
        label=_("Send it anyway: I have read the warning"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "data-override": ""}),
    )
    override_reason = forms.CharField(
        label=_("Why must it go out as it is?"),
        required=False,
        max_length=500,
        # A textarea, not an input: Enter in a text input would submit the form.
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control", "data-override-reason": ""}
        ),
    )

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("override") and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                forms.ValidationError(
                    _("Write why this reply must go out as it is."), code="reason_required"
                ),
            )
        return cleaned

    @property
    def reason(self) -> str:
        """The override reason, only when the override box is ticked."""
        if not self.cleaned_data.get("override"):
            return ""
        return self.cleaned_data.get("override_reason", "").strip()


class ReplyTemplateForm(forms.ModelForm):
    """A seller's edit of one template; ReplyTemplate.clean names any unknown placeholder."""

    class Meta:
        model = ReplyTemplate
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "class": "form-control"})}


class ShopReplySettingsForm(forms.ModelForm):
    class Meta:
        model = ShopReplySettings
        fields = ["offer", "voucher_amount", "voucher_code", "custom_offer_id", "custom_offer_en"]
        widgets = {
            "offer": forms.Select(attrs={"class": "form-select"}),
            "voucher_amount": forms.NumberInput(attrs={"class": "form-control", "step": 1000}),
            "voucher_code": forms.TextInput(attrs={"class": "form-control"}),
            "custom_offer_id": forms.TextInput(attrs={"class": "form-control"}),
            "custom_offer_en": forms.TextInput(attrs={"class": "form-control"}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        offer = cleaned.get("offer")
        if offer == ShopReplySettings.Offer.VOUCHER and not cleaned.get("voucher_amount"):
            self.add_error(
                "voucher_amount",
                forms.ValidationError(
                    _("Say how much the voucher is worth."), code="voucher_amount"
                ),
            )
        if offer == ShopReplySettings.Offer.CUSTOM and not (
            cleaned.get("custom_offer_id", "").strip() or cleaned.get("custom_offer_en", "").strip()
        ):
            self.add_error(
                "custom_offer_id",
                forms.ValidationError(_("Write your own wording."), code="custom_offer"),
            )
        return cleaned
