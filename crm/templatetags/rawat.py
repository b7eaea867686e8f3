"""Template filters every page uses: rupiah amounts, capped counts, query strings."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.formats import number_format

from crm import counting

register = template.Library()


def format_rupiah(amount: int | None) -> str:
    """125000 -> 'Rp 125.000' (Indonesian thousands separator, no decimals)."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")


@register.filter(name="rupiah")
def rupiah(amount: int | None) -> str:
    return format_rupiah(amount)


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **kwargs: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


@register.filter(name="grouped")
def grouped(number: int | None) -> str:
    """A whole number with the language's thousands separator: '100.000' (id), '100,000' (en)."""
    if number is None:
        return "–"
    return number_format(number, force_grouping=True)


@register.filter(name="capped")
def capped(count: int | None) -> str:
    """A count from crm.counting.capped_counts: '1.234', or '10.000+' above the cap."""
    if count is not None and count > counting.COUNT_CAP:
        return grouped(counting.COUNT_CAP) + "+"
    return grouped(count)
