from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Channel
from customers.models import Courier, Interaction, Order, Tag
from customers.selectors import buyer_timeline
from customers.templatetags.buyers import phone_display
from tests.factories import (
    BuyerFactory,
    BuyerHandleFactory,
    CancellationFactory,
    FollowUpFactory,
    InteractionFactory,
    OrderFactory,
    OrderLineFactory,
    ReviewFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read English text; Indonesian is the site's default language."""
    settings.LANGUAGE_CODE = "en"


BUYER_LIST = reverse("customers:buyer_list")
ORDER_LIST = reverse("customers:order_list")

# The most queries a list or buyer page may run, whatever the data: session, user, shops
# (middleware), then the page's own reads (count, rows, prefetches). Same bound for 5 and 200.
BUYER_LIST_MAX_QUERIES = 7  # + count, rows, handles, tags
ORDER_LIST_MAX_QUERIES = 5  # + count, rows with buyers joined
BUYER_PAGE_MAX_QUERIES = 13  # + buyer, handles, tags, orders, lines, their reviews, reviews, notes,
# follow-ups, cancellations


def _buyer_with_everything(shop, *, name="Siti Rahmawati", phone="0812-3456-7890"):
    buyer = BuyerFactory(shop=shop, name=name, phone=phone)
    BuyerHandleFactory(
        buyer=buyer, channel=Channel.SHOPEE, handle=f"{name.split()[0].lower()}_shop"
    )
    buyer.tags.add(TagFactory(shop=shop, name=f"vip-{buyer.pk}"))
    order = OrderFactory(buyer=buyer, total=250_000)
    OrderLineFactory(order=order, quantity=2, unit_price=125_000)
    ReviewFactory(order=order, rating=4, text="Barang oke tapi kurir telat.")
    return buyer


def _fill_shop(shop, count):
    """`count` buyers, each with a handle, a tag, an order with a line, and a review."""
    tag, _ = Tag.objects.get_or_create(shop=shop, name="langganan")
    for _ in range(count):
        buyer = BuyerFactory(shop=shop)
        BuyerHandleFactory(buyer=buyer)
        buyer.tags.add(tag)
        order = OrderFactory(buyer=buyer)
        OrderLineFactory(order=order)
        ReviewFactory(order=order, rating=4)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("customers:buyer_list"),
        reverse("customers:buyer_detail", args=[1]),
        reverse("customers:order_list"),
        reverse("customers:order_detail", args=[1]),
    ],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_a_shop_gets_the_no_shop_page(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(BUYER_LIST)
    assert response.status_code == 403
    assert "crm/no_shop.html" in [t.name for t in response.templates]


def test_owner_of_another_shop_gets_404_on_buyer_page(seller_client, other_shop):
    buyer = _buyer_with_everything(other_shop)
    response = seller_client.get(reverse("customers:buyer_detail", args=[buyer.pk]))
    assert response.status_code == 404


def test_owner_of_another_shop_gets_404_on_order_page(seller_client, other_shop):
    order = OrderFactory(buyer=BuyerFactory(shop=other_shop))
    response = seller_client.get(reverse("customers:order_detail", args=[order.pk]))
    assert response.status_code == 404


def test_a_note_cannot_be_posted_to_another_shops_buyer(seller_client, other_shop):
    buyer = BuyerFactory(shop=other_shop)
    response = seller_client.post(
        reverse("customers:buyer_detail", args=[buyer.pk]), {"kind": "note", "text": "halo"}
    )
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_buyer_list_and_search_never_show_another_shops_buyers(seller_client, shop, other_shop):
    _buyer_with_everything(shop, name="Siti Rahmawati")
    _buyer_with_everything(other_shop, name="Siti Nurhaliza", phone="0813-1111-2222")

    for query in ["", "?q=siti", "?q=0813-1111-2222", "?q=siti_shop"]:
        content = seller_client.get(BUYER_LIST + query).content.decode()
        assert "Siti Nurhaliza" not in content, query
    assert "Siti Rahmawati" in seller_client.get(BUYER_LIST + "?q=siti").content.decode()


def test_order_list_never_shows_another_shops_orders(seller_client, shop, other_shop):
    OrderFactory(buyer=BuyerFactory(shop=shop), external_id="MINE-1")
    OrderFactory(buyer=BuyerFactory(shop=other_shop), external_id="THEIRS-1")
    content = seller_client.get(ORDER_LIST).content.decode()
    assert "MINE-1" in content
    assert "THEIRS-1" not in content


def test_order_list_filtered_by_another_shops_buyer_shows_nothing(seller_client, other_shop):
    theirs = OrderFactory(buyer=BuyerFactory(shop=other_shop), external_id="THEIRS-1")
    response = seller_client.get(ORDER_LIST + f"?buyer={theirs.buyer_id}")
    assert "THEIRS-1" not in response.content.decode()
    assert list(response.context["orders"]) == []


# --- buyer list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["siti", "RAHMA", "081234567890", "6281234567890", "+62 812-3456-7890", "@siti_shop"]
)
def test_buyer_search_finds_by_name_phone_in_any_form_or_handle(seller_client, shop, query):
    _buyer_with_everything(shop, name="Siti Rahmawati", phone="0812-3456-7890")
    _buyer_with_everything(shop, name="Budi Santoso", phone="0857-9999-0000")

    response = seller_client.get(BUYER_LIST, {"q": query})

    assert [b.name for b in response.context["buyers"]] == ["Siti Rahmawati"]


def test_buyer_search_with_no_match_says_so(seller_client, shop):
    _buyer_with_everything(shop)
    response = seller_client.get(BUYER_LIST, {"q": "zzz-nobody"})
    assert list(response.context["buyers"]) == []
    assert "zzz-nobody" in response.content.decode()


def test_buyer_list_shows_stats_handles_tags_and_rupiah(seller_client, shop):
    buyer = _buyer_with_everything(shop, name="Siti Rahmawati")
    OrderFactory(buyer=buyer, total=1_000_000)

    response = seller_client.get(BUYER_LIST)

    row = response.context["buyers"][0]
    assert (row.order_count, row.total_spend, row.average_rating) == (2, 1_250_000, 4.0)
    content = response.content.decode()
    assert "Rp 1.250.000" in content
    assert "@siti_shop" in content
    assert f"vip-{buyer.pk}" in content


def test_buyer_list_paginates_by_25_and_keeps_the_search_in_page_links(seller_client, shop):
    BuyerFactory.create_batch(30, shop=shop, name=factory_name("Ani"))

    first = seller_client.get(BUYER_LIST, {"q": "ani"})
    second = seller_client.get(BUYER_LIST, {"q": "ani", "page": 2})

    assert len(first.context["buyers"]) == 25
    assert len(second.context["buyers"]) == 5
    assert "q=ani&amp;page=2" in first.content.decode()


def factory_name(prefix):
    import factory

    return factory.Sequence(lambda n: f"{prefix} {n:03d}")


def test_buyer_list_sorts_by_spend(seller_client, shop):
    small = BuyerFactory(shop=shop, name="A Kecil")
    big = BuyerFactory(shop=shop, name="Z Besar")
    OrderFactory(buyer=small, total=10_000)
    OrderFactory(buyer=big, total=900_000)

    response = seller_client.get(BUYER_LIST, {"sort": "spend"})

    assert [b.pk for b in response.context["buyers"]] == [big.pk, small.pk]


def test_buyer_list_ignores_an_unknown_sort(seller_client, shop):
    BuyerFactory(shop=shop)
    response = seller_client.get(BUYER_LIST, {"sort": "password"})
    assert response.status_code == 200
    assert response.context["sort"] == "name"


@pytest.mark.parametrize("size", [5, 200])
def test_buyer_list_runs_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    _fill_shop(shop, size)
    with django_assert_max_num_queries(BUYER_LIST_MAX_QUERIES):
        response = seller_client.get(BUYER_LIST)
    assert len(response.context["buyers"]) == min(size, 25)


def test_buyer_list_query_count_does_not_grow_with_the_shop(seller_client, shop):
    _fill_shop(shop, 5)
    small = _count_queries(seller_client, BUYER_LIST + "?q=pembeli")
    _fill_shop(shop, 195)
    large = _count_queries(seller_client, BUYER_LIST + "?q=pembeli")
    assert small == large


# --- buyer page -----------------------------------------------------------------------------


def test_buyer_page_shows_header_facts(seller_client, shop):
    buyer = _buyer_with_everything(shop, name="Siti Rahmawati")
    buyer.opted_out_at = timezone.now()
    buyer.save()

    response = seller_client.get(buyer.get_absolute_url())

    content = response.content.decode()
    assert response.context["buyer"].order_count == 1
    assert "Rp 250.000" in content
    assert "+62 812-3456-7890" in content
    assert "https://wa.me/6281234567890" in content
    assert "@siti_shop" in content
    assert "Barang oke tapi kurir telat." in content
    assert 'id="note-form"' in content


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+6281234567890", "+62 812-3456-7890"), ("+62215551234", "+62 215551234"), ("", "")],
)
def test_phone_numbers_are_shown_grouped(stored, shown):
    assert phone_display(stored) == shown


def test_buyer_timeline_merges_orders_reviews_and_notes_newest_first(shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    first = OrderFactory(buyer=buyer, ordered_at=now - timedelta(days=30))
    review = ReviewFactory(order=first, posted_at=now - timedelta(days=20))
    note = InteractionFactory(buyer=buyer, occurred_at=now - timedelta(days=25))
    second = OrderFactory(buyer=buyer, ordered_at=now - timedelta(days=10))
    chat = InteractionFactory(buyer=buyer, kind="chat", occurred_at=now - timedelta(days=1))
    InteractionFactory(buyer=BuyerFactory(shop=shop))  # someone else's

    timeline = buyer_timeline(buyer=buyer)

    assert [(e.kind, e.item.pk) for e in timeline] == [
        ("interaction", chat.pk),
        ("order", second.pk),
        ("review", review.pk),
        ("interaction", note.pk),
        ("order", first.pk),
    ]
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)


def test_buyer_timeline_keeps_only_the_newest_entries_overall(shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    old_orders = [
        OrderFactory(buyer=buyer, ordered_at=now - timedelta(days=100 + i)) for i in range(3)
    ]
    notes = [InteractionFactory(buyer=buyer, occurred_at=now - timedelta(days=i)) for i in range(3)]

    timeline = buyer_timeline(buyer=buyer, limit=4)

    assert [e.item.pk for e in timeline] == [n.pk for n in notes] + [old_orders[0].pk]


def test_buyer_page_renders_the_timeline_in_time_order(seller_client, shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    OrderFactory(buyer=buyer, external_id="ORD-OLD", ordered_at=now - timedelta(days=9))
    InteractionFactory(buyer=buyer, text="Catatan terbaru", occurred_at=now)

    content = seller_client.get(buyer.get_absolute_url()).content.decode()

    timeline = content[content.index('id="timeline"') :]
    assert timeline.index("Catatan terbaru") < timeline.index("ORD-OLD")


def test_adding_a_note_saves_it_and_redirects_with_a_message(seller_client, shop, owner):
    buyer = BuyerFactory(shop=shop)
    url = buyer.get_absolute_url()

    response = seller_client.post(url, {"kind": "call", "text": "  Minta kirim ulang resi.  "})

    assert response.status_code == 302
    assert response.url == url
    note = Interaction.objects.get()
    assert (note.shop, note.buyer, note.kind, note.text, note.author) == (
        shop,
        buyer,
        "call",
        "Minta kirim ulang resi.",
        owner,
    )
    page = seller_client.get(url)
    assert "Minta kirim ulang resi." in page.content.decode()
    assert [str(m) for m in page.context["messages"]] == [
        f"Note added to the timeline of {buyer.name}."
    ]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_note_shows_an_error_and_writes_nothing(seller_client, shop, text):
    buyer = BuyerFactory(shop=shop)

    response = seller_client.post(buyer.get_absolute_url(), {"kind": "note", "text": text})

    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert "is-invalid" in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_note_of_a_kind_sellers_cannot_add_is_refused(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    response = seller_client.post(buyer.get_absolute_url(), {"kind": "system", "text": "x"})
    assert response.context["form"].errors["kind"]
    assert not Interaction.objects.exists()


def _buyer_with_history(shop, size):
    buyer = BuyerFactory(shop=shop)
    BuyerHandleFactory(buyer=buyer)
    buyer.tags.add(TagFactory(shop=shop))
    for i in range(size):
        order = OrderFactory(buyer=buyer, ordered_at=timezone.now() - timedelta(days=i + 10))
        OrderLineFactory(order=order)
        OrderLineFactory(order=order, product=None, name="Ongkir", unit_price=9_000)
        ReviewFactory(order=order, rating=1 + i % 5)
        InteractionFactory(buyer=buyer, order=order)
        FollowUpFactory(buyer=buyer, order=order, status="sent", sent_at=order.ordered_at)
        if i % 3 == 0:
            CancellationFactory(order=order)
    return buyer


@pytest.mark.parametrize("size", [2, 50])
def test_buyer_page_runs_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    buyer = _buyer_with_history(shop, size)
    with django_assert_max_num_queries(BUYER_PAGE_MAX_QUERIES):
        response = seller_client.get(buyer.get_absolute_url())
    assert len(response.context["history"].orders) == size


def test_buyer_page_query_count_does_not_grow_with_history(seller_client, shop):
    small = _count_queries(seller_client, _buyer_with_history(shop, 2).get_absolute_url())
    large = _count_queries(seller_client, _buyer_with_history(shop, 50).get_absolute_url())
    assert small == large


# --- orders ---------------------------------------------------------------------------------


def test_order_list_filters_by_status_channel_and_courier(seller_client, shop):
    buyer = BuyerFactory(shop=shop)
    wanted = OrderFactory(
        buyer=buyer, status=Order.Status.SHIPPED, channel=Channel.TOKOPEDIA, courier=Courier.SICEPAT
    )
    OrderFactory(buyer=buyer, status=Order.Status.SHIPPED, channel=Channel.TOKOPEDIA)
    OrderFactory(
        buyer=buyer,
        status=Order.Status.COMPLETED,
        channel=Channel.TOKOPEDIA,
        courier=Courier.SICEPAT,
    )
    OrderFactory(
        buyer=buyer, status=Order.Status.SHIPPED, channel=Channel.SHOPEE, courier=Courier.SICEPAT
    )

    response = seller_client.get(
        ORDER_LIST, {"status": "shipped", "channel": "tokopedia", "courier": "sicepat"}
    )

    assert [o.pk for o in response.context["orders"]] == [wanted.pk]


def test_order_list_late_filters(seller_client, shop):
    now = timezone.now()
    buyer = BuyerFactory(shop=shop)
    on_time = OrderFactory(buyer=buyer)
    late = OrderFactory(
        buyer=buyer, promised_at=now - timedelta(days=5), delivered_at=now - timedelta(days=2)
    )
    overdue = OrderFactory(
        buyer=buyer,
        status=Order.Status.SHIPPED,
        promised_at=now - timedelta(days=3),
        delivered_at=None,
    )

    def pks(late_value):
        response = seller_client.get(ORDER_LIST, {"late": late_value})
        return {o.pk for o in response.context["orders"]}

    assert pks("1") == {late.pk, overdue.pk}
    assert pks("delivered") == {late.pk}
    assert pks("overdue") == {overdue.pk}
    assert pks("") == {on_time.pk, late.pk, overdue.pk}


def test_order_list_ignores_an_invalid_filter_value(seller_client, shop):
    OrderFactory(buyer=BuyerFactory(shop=shop))
    response = seller_client.get(ORDER_LIST, {"status": "stolen", "buyer": "abc"})
    assert response.status_code == 200
    assert len(response.context["orders"]) == 1


def test_order_list_filters_by_buyer(seller_client, shop):
    mine = OrderFactory(buyer=BuyerFactory(shop=shop))
    OrderFactory(buyer=BuyerFactory(shop=shop))
    response = seller_client.get(ORDER_LIST, {"buyer": mine.buyer_id})
    assert [o.pk for o in response.context["orders"]] == [mine.pk]


@pytest.mark.parametrize("size", [5, 200])
def test_order_list_runs_a_fixed_number_of_queries(
    seller_client, shop, size, django_assert_max_num_queries
):
    _fill_shop(shop, size)
    with django_assert_max_num_queries(ORDER_LIST_MAX_QUERIES):
        response = seller_client.get(ORDER_LIST, {"late": "1", "channel": "shopee"})
    assert response.status_code == 200
    with django_assert_max_num_queries(ORDER_LIST_MAX_QUERIES):
        response = seller_client.get(ORDER_LIST)
    assert len(response.context["orders"]) == min(size, 25)


def test_order_page_shows_lines_in_rupiah_courier_jakarta_times_and_delay(seller_client, shop):
    buyer = BuyerFactory(shop=shop, name="Dewi Lestari")
    # 2026-03-01 01:30 UTC is 08:30 in Jakarta.
    ordered = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    order = OrderFactory(
        buyer=buyer,
        ordered_at=ordered,
        promised_at=ordered + timedelta(days=3),
        delivered_at=ordered + timedelta(days=5),
        courier=Courier.JNT,
        tracking_number="JT0001234567",
        total=259_000,
    )
    OrderLineFactory(order=order, quantity=2, unit_price=125_000)
    ReviewFactory(order=order, rating=4, text="Kurirnya lama sekali.")

    response = seller_client.get(order.get_absolute_url())

    content = response.content.decode()
    assert "Rp 250.000" in content
    assert "Rp 259.000" in content
    assert "J&amp;T Express" in content
    assert "JT0001234567" in content
    assert "08:30" in content
    assert "WIB" in content
    assert "2 days late" in content
    assert "Kurirnya lama sekali." in content
    assert buyer.get_absolute_url() in content
