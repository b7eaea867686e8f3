"""The dashboard's filter form: a date range and a channel."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Channel
from insights.selectors import Filters

MAX_DAYS = 3 * 366


class InsightsFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *Channel.choices],
    )

    def clean(self) -> dict:
        data = super().clean()
        default = Filters.default()
        start = data.get("start") or default.start
        end = data.get("end") or default.end
        if start > end:
            raise forms.ValidationError(
                _("The start date must be on or before the end date."), code="range_reversed"
            )
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose at most three years at a time."), code="range_too_long"
            )
        if end > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The end date is in the future."), code="range_future")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        """The valid filters, or the defaults when the form is not valid."""
        if self.is_valid():
            data = self.cleaned_data
            return Filters(start=data["start"], end=data["end"], channel=data.get("channel") or "")
        return Filters.default()


class SegmentTouchForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("{buyer_name} and {shop_name} are filled in for each buyer."),
    )
