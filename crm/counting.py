"""Counts that cost the same in a shop with a thousand rows and one with a million.

A seller glancing at the dashboard needs "how many are waiting" exactly while the number is
small enough to work through, and only "a lot" beyond that. Counting every waiting review of a
big shop reads its whole index range on every page view; counting up to a cap reads at most
``cap + 1`` index entries. The template filter ``capped`` (crm.templatetags.rawat) shows a
count above the cap as "10.000+".
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet

COUNT_CAP = 10_000


def capped_counts(querysets: dict[str, QuerySet], *, cap: int | None = None) -> dict[str, int]:
    """The number of rows of each queryset, at most ``cap + 1`` (= "more than cap"; the cap
    defaults to COUNT_CAP).

    One query for all of them: each queryset becomes ``(SELECT COUNT(*) FROM (... LIMIT
    cap + 1))``, so each reads at most cap + 1 rows of its index range. All querysets must use
    the same database.
    """
    if not querysets:
        return {}
    cap = COUNT_CAP if cap is None else cap
    parts, params, using = [], [], None
    for index, queryset in enumerate(querysets.values()):
        using = using or queryset.db
        limited = queryset.order_by().values("pk")[: cap + 1]
        sql, part_params = limited.query.get_compiler(using=using).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{index})")
        params.extend(part_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def capped_sum(*counts: int, cap: int | None = None) -> int:
    """Capped counts added up, still at most ``cap + 1``."""
    return min(sum(counts), (COUNT_CAP if cap is None else cap) + 1)
