from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import CareSettings, CourierSlowdown, FollowUp, Kind, MembershipTier
from followups.occasions import HOLIDAY_LABELS


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("To do (due and needs approval)")), ("all", _("All"))]
        + list(FollowUp.Status.choices),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(Kind.choices)
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels"))] + list(FollowUp.Via.choices),
    )


class FollowUpEditForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class InboundReplyForm(forms.Form):
    text = forms.CharField(
        label=_("What the buyer replied"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A reply starting with STOP or BERHENTI opts the buyer out at once."),
    )


class CareSettingsForm(forms.ModelForm):
    holiday_keys = forms.MultipleChoiceField(
        label=_("Holidays to greet"),
        required=False,
        choices=list(HOLIDAY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CareSettings
        fields = [
            "channel_order",
            "late_apology_enabled",
            "delay_notice_enabled",
            "delay_notice_lead_days",
            "thank_you_enabled",
            "thank_you_days",
            "review_request_enabled",
            "review_request_days",
            "care_enabled",
            "care_auto_send",
            "restock_enabled",
            "birthday_enabled",
            "holiday_enabled",
            "holiday_keys",
            "harbolnas_enabled",
            "tiers_enabled",
            "winback_enabled",
            "winback_days",
            "anniversary_enabled",
            "marketing_gap_days",
            "quiet_start",
            "quiet_end",
        ]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean_marketing_gap_days(self) -> int:
        value = self.cleaned_data["marketing_gap_days"]
        if value > 365:
            raise forms.ValidationError(_("At most 365 days."), code="max_value")
        return value


class MembershipTierForm(forms.ModelForm):
    class Meta:
        model = MembershipTier
        fields = ["rank", "name", "min_orders", "min_spend", "perk"]
        help_texts = {"rank": ""}  # said once above the tiers, not under each one

    def clean(self):
        data = super().clean()
        no_threshold = not (data.get("min_orders") or data.get("min_spend"))
        if not data.get("DELETE") and self.has_changed() and no_threshold:
            raise forms.ValidationError(
                _("Give a tier a minimum number of orders or a minimum spend."),
                code="no_threshold",
            )
        return data


class BaseTierFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        ranks = [
            form.cleaned_data["rank"]
            for form in self.forms
            if form.cleaned_data.get("rank") and not form.cleaned_data.get("DELETE")
        ]
        if len(ranks) != len(set(ranks)):
            raise forms.ValidationError(_("Two tiers have the same rank."), code="duplicate_rank")


TierFormSet = forms.modelformset_factory(
    MembershipTier, form=MembershipTierForm, formset=BaseTierFormSet, extra=1, can_delete=True
)


class CourierSlowdownForm(forms.ModelForm):
    class Meta:
        model = CourierSlowdown
        fields = ["courier", "starts_on", "ends_on", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            raise forms.ValidationError(
                _("The slow-down must end on or after its first day."), code="ends_before_start"
            )
        return data


class FollowUpTemplateForm(forms.Form):
    """A shop's text for one follow-up kind, occasion and language (checked by the service)."""

    subject = forms.CharField(
        label=_("Email subject"),
        required=False,
        max_length=200,
        help_text=_("Used when the message goes out by email."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
