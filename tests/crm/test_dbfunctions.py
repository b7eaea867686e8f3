"""crm.dbfunctions.LocalDate: the Jakarta day of a datetime, the same on every backend."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db.models.functions import TruncDate
from django.utils import timezone

from crm.dbfunctions import LocalDate, fixed_offset_minutes
from customers.models import Order
from tests.factories import OrderFactory

UTC = datetime.UTC


def test_jakarta_keeps_one_offset_and_berlin_does_not():
    assert fixed_offset_minutes("Asia/Jakarta") == 7 * 60
    assert fixed_offset_minutes("Asia/Jayapura") == 9 * 60
    assert fixed_offset_minutes("Europe/Berlin") is None
    assert fixed_offset_minutes("No/Such_Zone") is None


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Europe/Berlin"])
def test_local_date_agrees_with_truncdate_around_midnight(db, shop, zone):
    # 16:59:59 UTC is 23:59:59 in Jakarta, 17:00 is the next day; Berlin changes at 22/23 UTC.
    moments = [
        datetime.datetime(2026, 3, 11, hour, minute, second, micro, tzinfo=UTC)
        for hour, minute, second, micro in [
            (16, 59, 59, 999999),
            (17, 0, 0, 0),
            (21, 59, 59, 0),
            (22, 0, 0, 0),
            (23, 0, 0, 1),
        ]
    ] + [datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)]  # Berlin's spring-forward night
    for moment in moments:
        OrderFactory(buyer__shop=shop, delivered_at=moment, promised_at=moment)

    with timezone.override(zoneinfo.ZoneInfo(zone)):
        rows = list(
            Order.objects.order_by("delivered_at")
            .annotate(fast=LocalDate("delivered_at"), django=TruncDate("delivered_at"))
            .values_list("delivered_at", "fast", "django")
        )

    expected = [moment.astimezone(zoneinfo.ZoneInfo(zone)).date() for moment in moments]
    assert [django for _at, _fast, django in rows] == expected
    assert [fast for _at, fast, _django in rows] == expected
