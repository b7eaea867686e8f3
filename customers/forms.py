"""Forms of the buyer and order pages: the note form and the list filters."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Channel
from customers.models import Courier, Interaction, Order
from customers.services import TEXT_MAX_LENGTH

# What a seller records by hand; follow-ups, replies and system entries are written by Rawat.
MANUAL_KINDS = [
    (Interaction.Kind.NOTE.value, Interaction.Kind.NOTE.label),
    (Interaction.Kind.CHAT.value, Interaction.Kind.CHAT.label),
    (Interaction.Kind.CALL.value, Interaction.Kind.CALL.label),
]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=MANUAL_KINDS,
        initial="note",
        widget=forms.Select(attrs={"aria-label": _("Kind")}),
    )
    text = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": _("e.g. Asked for thicker bubble wrap next time."),
                "aria-label": _("Note"),
            }
        ),
        error_messages={"required": _("The note is empty: write something first.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "note-form"
        self.helper.form_method = "post"
        # The card's heading says what the form is for; labels stay for screen readers only.
        self.helper.form_show_labels = False
        self.helper.layout = Layout(
            Field("text", wrapper_class="mb-2"),
            Div(
                Div(
                    Field("kind", css_class="form-select-sm", wrapper_class="mb-0"),
                    css_class="col-auto",
                ),
                Div(
                    Submit("add_note", _("Add to timeline"), css_class="btn-rawat btn-sm"),
                    css_class="col-auto ms-auto",
                ),
                css_class="row align-items-end",
            ),
        )


def _select(choices: list[tuple[str, str]], label: str, empty: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


class OrderFilterForm(forms.Form):
    """The order list's filters, read from the query string; invalid values are ignored."""

    status = _select(Order.Status.choices, _("Status"), _("Any status"))
    channel = _select(Channel.choices, _("Channel"), _("Any channel"))
    courier = _select(Courier.choices, _("Courier"), _("Any courier"))
    late = _select(
        [
            ("1", _("Late: delivered late or overdue")),
            ("delivered", _("Delivered late")),
            ("overdue", _("Overdue, not delivered yet")),
        ],
        _("Delivery"),
        _("Any delivery"),
    )
    buyer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    delivered_since = forms.DateField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for customers.selectors.order_list."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
