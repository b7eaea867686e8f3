"""Small filters of the stock pages: durations, shares and channel names."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from crm.models import Channel

register = template.Library()


@register.filter
def duration_words(seconds: float | None) -> str:
    """1500 -> "25 min", 7200 -> "2.0 h", None -> "–"."""
    if seconds is None:
        return "–"
    minutes = seconds / 60
    if minutes < 60:
        return _("%(n)d min") % {"n": round(minutes)}
    return _("%(n).1f h") % {"n": minutes / 60}


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{round(100 * share)}%"


@register.filter
def channel_label(value: str) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return value
