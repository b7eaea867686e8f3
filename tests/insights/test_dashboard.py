"""The care dashboard: charts from grouped queries, tables, CSV exports, filters and scoping."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crm.csvsafe import cell_safe
from crm.models import Channel
from customers.models import Courier
from tests.factories import (
    BuyerFactory,
    CancellationFactory,
    ChatQuestionFactory,
    FollowUpFactory,
    OrderFactory,
    ReviewFactory,
    ToneEventFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("insights:dashboard")
NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta
DASHBOARD_MAX_QUERIES = 20


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _order(shop, *, courier=Courier.JNE, channel=Channel.SHOPEE, late_days=0, days_ago=10):
    ordered = NOW - timedelta(days=days_ago + 5)
    promised = NOW - timedelta(days=days_ago)
    return OrderFactory(
        buyer=BuyerFactory(shop=shop),
        channel=channel,
        courier=courier,
        ordered_at=ordered,
        promised_at=promised,
        delivered_at=promised + timedelta(days=late_days),
    )


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _config(response, key):
    html = response.content.decode()
    marker = f'id="chart-{key}-config" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def test_ratings_are_counted_per_jakarta_month_and_rating(seller_client, shop, other_shop):
    # 31 May 18:00 UTC is 1 June 01:00 in Jakarta: a June review.
    ReviewFactory(order=_order(shop), rating=5, posted_at=datetime(2026, 5, 31, 18, tzinfo=UTC))
    ReviewFactory(order=_order(shop), rating=4, posted_at=datetime(2026, 5, 20, tzinfo=UTC))
    ReviewFactory(
        order=_order(shop), rating=4, needs_care=True, posted_at=datetime(2026, 6, 2, tzinfo=UTC)
    )
    ReviewFactory(order=_order(other_shop), rating=1, posted_at=datetime(2026, 6, 2, tzinfo=UTC))

    response = seller_client.get(DASHBOARD)

    charts = response.context["charts"]
    assert charts["ratings"].rows == [
        ["2026-05", 0, 0, 0, 1, 0, 1],
        ["2026-06", 0, 0, 0, 1, 1, 2],
    ]
    assert charts["four_star"].rows == [["2026-05", 1, 0, 0.0], ["2026-06", 1, 1, 100.0]]
    assert charts["four_star"].summary["pct"] == 50.0
    config = _config(response, "ratings")
    assert config["type"] == "bar"
    assert config["data"]["labels"] == ["2026-05", "2026-06"]
    assert config["data"]["datasets"][4]["data"] == [0, 1]


def test_care_funnel_counts_each_step(seller_client, shop):
    posted = NOW - timedelta(days=20)
    replied_fast = ReviewFactory(
        order=_order(shop),
        rating=2,
        needs_care=True,
        posted_at=posted,
        reply_status="sent",
        replied_at=posted + timedelta(hours=3),
    )
    ReviewFactory(
        order=_order(shop),
        rating=3,
        needs_care=True,
        posted_at=posted,
        reply_status="sent",
        replied_at=posted + timedelta(hours=30),
    )
    ReviewFactory(order=_order(shop), rating=1, needs_care=True, posted_at=posted)
    ReviewFactory(order=_order(shop), rating=5, posted_at=posted)  # no care needed
    buyer = replied_fast.order.buyer
    FollowUpFactory(buyer=buyer, review=replied_fast, kind="care", status="sent", sent_at=posted)
    OrderFactory(buyer=buyer, ordered_at=posted + timedelta(days=10))

    response = seller_client.get(DASHBOARD)

    rows = response.context["charts"]["funnel"].rows
    assert [row[1] for row in rows] == [3, 2, 1, 1, 1]
    assert rows[2][2] == pytest.approx(33.3)


def test_courier_league_puts_the_fastest_courier_first(seller_client, shop):
    for _ in range(3):
        _order(shop, courier=Courier.JNT)  # on time
    _order(shop, courier=Courier.JNE, late_days=2)
    _order(shop, courier=Courier.JNE, late_days=4)
    _order(shop, courier=Courier.JNE)
    _order(shop, courier=Courier.SICEPAT, late_days=1, channel=Channel.TOKOPEDIA)
    _order(shop, courier=Courier.SICEPAT, channel=Channel.TOKOPEDIA)

    response = seller_client.get(DASHBOARD)

    couriers = response.context["charts"]["couriers"].rows
    assert couriers == [
        ["J&T Express", 3, 0, 0.0, None],
        ["SiCepat", 2, 1, 50.0, 1.0],
        ["JNE", 3, 2, 66.7, 3.0],
    ]
    channels = response.context["charts"]["channels"].rows
    assert channels == [["Tokopedia", 2, 1, 50.0, 1.0], ["Shopee", 6, 2, 33.3, 3.0]][::-1]


def test_channel_filter_and_date_range_narrow_every_chart(seller_client, shop):
    _order(shop, courier=Courier.JNE, late_days=2, channel=Channel.SHOPEE)
    _order(shop, courier=Courier.JNT, channel=Channel.TOKOPEDIA)
    _order(shop, courier=Courier.POS, late_days=1, days_ago=200)  # before the range

    response = seller_client.get(DASHBOARD, {"channel": "tokopedia"})
    assert response.context["charts"]["couriers"].rows == [["J&T Express", 1, 0, 0.0, None]]

    start = (NOW - timedelta(days=400)).date().isoformat()
    response = seller_client.get(DASHBOARD, {"start": start, "end": NOW.date().isoformat()})
    assert [row[0] for row in response.context["charts"]["couriers"].rows] == [
        "J&T Express",
        "Pos Indonesia",  # as late as JNE, by fewer days
        "JNE",
    ]


def test_default_range_is_the_last_90_days(seller_client, shop):
    response = seller_client.get(DASHBOARD)
    filters = response.context["filters"]
    assert filters.end == timezone.localdate()
    assert (filters.end - filters.start).days == 89


def test_reversed_dates_show_an_error_and_the_default_range(seller_client, shop):
    response = seller_client.get(DASHBOARD, {"start": "2026-06-10", "end": "2026-06-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"][0]
    assert response.context["filters"].days == 90
    csv_response = seller_client.get(
        reverse("insights:chart_csv", args=["couriers"]), {"start": "2026-06-10", "end": "x"}
    )
    assert csv_response.status_code == 400


def test_chat_rejections_followups_and_tone_come_from_their_apps(seller_client, shop):
    ChatQuestionFactory(
        shop=shop,
        channel=Channel.SHOPEE,
        received_at=NOW - timedelta(days=2),
        human_responded_at=NOW - timedelta(days=2) + timedelta(minutes=30),
    )
    CancellationFactory(order=_order(shop), occurred_at=NOW - timedelta(days=1))
    FollowUpFactory(buyer=BuyerFactory(shop=shop), status="skipped", skip_reason="no_consent")
    FollowUpFactory(buyer=BuyerFactory(shop=shop), status="sent", sent_at=NOW)
    ToneEventFactory(shop=shop, outcome="overrode", reason="Pembeli memang salah alamat")
    ToneEventFactory(shop=shop, outcome="edited")

    charts = seller_client.get(DASHBOARD).context["charts"]

    assert charts["chat"].rows == [["Shopee", 1, 1, 30.0, 100.0, 100.0]]
    shopee = next(row for row in charts["rejections"].rows if row[0] == "Shopee")
    assert shopee[2] == 1
    followups = charts["followups"].rows
    assert followups[0][:4] == ["Thank-you", 2, 1, 1]
    assert followups[0][4] == 1  # skipped: no consent
    assert {row[0]: row[1] for row in charts["tone"].rows}["Sent despite a hostile verdict"] == 1


def test_each_chart_has_a_canvas_a_json_config_and_a_table(seller_client, shop):
    ReviewFactory(order=_order(shop, late_days=1), rating=4, posted_at=NOW - timedelta(days=3))
    response = seller_client.get(DASHBOARD)
    html = response.content.decode()
    for key in ("ratings", "four_star", "funnel", "couriers", "channels", "rejections"):
        assert f'data-insights-chart="chart-{key}-config"' in html
        assert f'<script id="chart-{key}-config" type="application/json">' in html
    assert "<table" in html and "<details" in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "js/insights.js" in html
    assert " onclick=" not in html and "<script>" not in html


def test_csv_export_has_the_table_and_keeps_the_filters(seller_client, shop):
    _order(shop, courier=Courier.JNE, late_days=2, channel=Channel.SHOPEE)
    _order(shop, courier=Courier.JNT, channel=Channel.TOKOPEDIA)
    response = seller_client.get(
        reverse("insights:chart_csv", args=["couriers"]), {"channel": "shopee"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][0] == "Courier"
    assert rows[1:] == [["JNE", "1", "1", "100.0", "2.0"]]
    page = seller_client.get(DASHBOARD, {"channel": "shopee"}).content.decode()
    assert "/insights/couriers.csv?start=" in page and "channel=shopee" in page


def test_unknown_chart_csv_is_404(seller_client, shop):
    assert seller_client.get("/insights/nothing.csv").status_code == 404


def test_csv_cells_cannot_start_a_formula():
    assert cell_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert cell_safe("+62812") == "'+62812"
    assert cell_safe("-1+2") == "'-1+2"
    assert cell_safe("@SUM(A1)") == "'@SUM(A1)"
    assert cell_safe("\tx") == "'\tx"
    assert cell_safe("Budi") == "Budi"
    assert cell_safe(-3) == -3
    assert cell_safe(None) == ""


def test_another_shops_data_never_shows(seller_client, shop, other_shop):
    _order(other_shop, courier=Courier.JNE, late_days=3)
    ReviewFactory(order=_order(other_shop), rating=1, posted_at=NOW - timedelta(days=1))
    charts = seller_client.get(DASHBOARD).context["charts"]
    assert charts["couriers"].rows == []
    assert charts["ratings"].rows == []


def test_dashboard_speaks_indonesian_by_default(seller_client, shop, settings):
    settings.LANGUAGE_CODE = "id"
    html = seller_client.get(DASHBOARD).content.decode()
    assert 'lang="id"' in html
    assert "Semua kanal" in html or "Kanal" in html


def test_login_is_required(client, shop):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def _fill(shop, size):
    for i in range(size):
        order = _order(
            shop,
            courier=[Courier.JNE, Courier.JNT, Courier.SICEPAT][i % 3],
            channel=[Channel.SHOPEE, Channel.TOKOPEDIA][i % 2],
            late_days=i % 3,
        )
        ReviewFactory(
            order=order, rating=i % 5 + 1, needs_care=i % 2 == 0, posted_at=NOW - timedelta(days=i)
        )
        FollowUpFactory(buyer=order.buyer, status="sent", sent_at=NOW)
        ChatQuestionFactory(shop=shop, received_at=NOW - timedelta(hours=i + 1))
        ToneEventFactory(shop=shop)


@pytest.mark.parametrize("size", [3, 40])
def test_dashboard_runs_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    _fill(shop, size)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = seller_client.get(DASHBOARD)
    assert response.context["charts"]["ratings"].rows


def test_dashboard_query_count_does_not_grow_with_the_shop(seller_client, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            seller_client.get(DASHBOARD)
        return len(queries)

    _fill(shop, 3)
    small = count()
    _fill(shop, 30)
    assert count() == small
