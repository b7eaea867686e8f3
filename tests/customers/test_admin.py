"""The admin site for managers: a staff manager who is not a superuser sees only their shops."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from customers.managers import MANAGERS_GROUP, managers_group_ensure
from customers.models import (
    Buyer,
    BuyerHandle,
    Interaction,
    Membership,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from reviews.models import Review
from tests.factories import (
    BuyerFactory,
    BuyerHandleFactory,
    InteractionFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ReviewFactory,
    ShopFactory,
    TagFactory,
    UserFactory,
)

# (admin url name prefix, model, how a row reaches its shop)
SCOPED_MODELS = [
    ("customers_shop", Shop, "pk"),
    ("customers_membership", Membership, "shop"),
    ("customers_tag", Tag, "shop"),
    ("customers_buyer", Buyer, "shop"),
    ("customers_buyerhandle", BuyerHandle, "shop"),
    ("customers_product", Product, "shop"),
    ("customers_order", Order, "shop"),
    ("customers_orderline", OrderLine, "order__shop"),
    ("customers_interaction", Interaction, "shop"),
    ("reviews_review", Review, "shop"),
]


def _populate(shop, label):
    """One row of every model in a shop, names carrying the label."""
    buyer = BuyerFactory(shop=shop, name=f"Pembeli {label}")
    buyer.tags.add(TagFactory(shop=shop, name=f"tag-{label}"))
    BuyerHandleFactory(buyer=buyer, handle=f"handle_{label}")
    product = ProductFactory(shop=shop, sku=f"SKU-{label}", name=f"Pashmina {label}")
    order = OrderFactory(buyer=buyer, external_id=f"ORDER-{label}")
    OrderLineFactory(order=order, product=product)
    review = ReviewFactory(order=order, text=f"Ulasan {label}")
    InteractionFactory(buyer=buyer, text=f"Catatan {label}")
    return {"buyer": buyer, "product": product, "order": order, "review": review}


@pytest.fixture
def rows_a(shop):
    return _populate(shop, "A")


@pytest.fixture
def rows_b(other_shop, other_owner):
    return _populate(other_shop, "B")


@pytest.fixture
def manager(shop):
    """A staff manager (not a superuser) of shop A, in the Shop managers group."""
    user = UserFactory(username="manager_a", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def superuser_client(client, db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _changelist(client, prefix, **params):
    response = client.get(reverse(f"admin:{prefix}_changelist"), params)
    assert response.status_code == 200
    return response


def _shop_ids(model, path, pks):
    lookup = "pk" if path == "pk" else f"{path}_id"
    return set(model.objects.filter(pk__in=pks).values_list(lookup, flat=True))


def _autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in json.loads(response.content)["results"]}


def _inline_management(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize(("prefix", "model", "path"), SCOPED_MODELS)
def test_manager_changelist_shows_only_own_shop_rows(
    manager_client, shop, rows_a, rows_b, prefix, model, path
):
    response = _changelist(manager_client, prefix)

    pks = [obj.pk for obj in response.context["cl"].result_list]
    assert pks, "the manager's own rows must be listed"
    assert _shop_ids(model, path, pks) == {shop.pk}


@pytest.mark.parametrize(("prefix", "model", "path"), SCOPED_MODELS)
def test_superuser_changelist_shows_every_shop(
    superuser_client, shop, other_shop, owner, rows_a, rows_b, prefix, model, path
):
    response = _changelist(superuser_client, prefix)

    pks = [obj.pk for obj in response.context["cl"].result_list]
    assert _shop_ids(model, path, pks) == {shop.pk, other_shop.pk}


def test_manager_buyer_search_never_finds_another_shops_buyer(manager_client, rows_a, rows_b):
    response = _changelist(manager_client, "customers_buyer", q="handle_B")

    assert list(response.context["cl"].result_list) == []
    assert "Pembeli B" not in response.content.decode()


def test_manager_shop_filter_in_url_cannot_reach_another_shop(
    manager_client, other_shop, rows_a, rows_b
):
    response = _changelist(manager_client, "customers_order", shop=other_shop.pk)

    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("name", ["buyer", "order", "review", "product"])
def test_manager_cannot_open_another_shops_change_page(manager_client, rows_a, rows_b, name):
    obj = rows_b[name]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    response = manager_client.get(url, follow=True)

    assert response.redirect_chain, "another shop's row must not render"
    assert response.redirect_chain[0][1] == 302
    assert response.request["PATH_INFO"] == reverse("admin:index")
    content = response.content.decode()
    for marker in ("Pembeli B", "ORDER-B", "Ulasan B", "Pashmina B"):
        assert marker not in content


def test_manager_cannot_delete_another_shops_buyer(manager_client, rows_b):
    buyer = rows_b["buyer"]
    url = reverse("admin:customers_buyer_delete", args=[buyer.pk])

    response = manager_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert Buyer.objects.filter(pk=buyer.pk).exists()


def test_manager_can_open_own_buyer_page_with_orders_and_reviews(manager_client, rows_a):
    buyer = rows_a["buyer"]

    response = manager_client.get(reverse("admin:customers_buyer_change", args=[buyer.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "ORDER-A" in content  # orders inline
    assert "Ulasan A" in content  # reviews section
    assert "handle_A" in content  # handles inline
    assert "Catatan A" in content  # timeline inline


def test_manager_order_form_offers_only_own_shop_choices(manager_client, shop, rows_a, rows_b):
    response = manager_client.get(reverse("admin:customers_order_add"))

    form = response.context["adminform"].form
    assert list(form.fields["shop"].queryset) == [shop]
    assert list(form.fields["buyer"].queryset) == [rows_a["buyer"]]
    line_formset = response.context["inline_admin_formsets"][0].formset
    assert list(line_formset.form.base_fields["product"].queryset) == [rows_a["product"]]


def test_manager_buyer_form_offers_only_own_tags(manager_client, shop, rows_a, rows_b):
    response = manager_client.get(reverse("admin:customers_buyer_add"))

    tags = response.context["adminform"].form.fields["tags"].queryset
    assert {tag.shop_id for tag in tags} == {shop.pk}


def test_manager_review_and_line_forms_offer_only_own_orders(manager_client, rows_a, rows_b):
    for name in ("reviews_review", "customers_orderline", "customers_interaction"):
        response = manager_client.get(reverse(f"admin:{name}_add"))
        orders = response.context["adminform"].form.fields["order"].queryset
        assert list(orders) == [rows_a["order"]], name


def test_manager_interaction_author_choices_are_members_of_own_shops(
    manager_client, manager, owner, other_owner
):
    response = manager_client.get(reverse("admin:customers_interaction_add"))

    authors = set(response.context["adminform"].form.fields["author"].queryset)
    assert authors == {manager, owner}


@pytest.mark.parametrize(
    ("model_name", "field_name", "target"),
    [
        ("order", "buyer", "buyer"),
        ("orderline", "product", "product"),
        ("review", "order", "order"),
        ("interaction", "order", "order"),
    ],
)
def test_manager_autocomplete_returns_only_own_shop_rows(
    manager_client, rows_a, rows_b, model_name, field_name, target
):
    app_label = "reviews" if model_name == "review" else "customers"

    ids = _autocomplete(manager_client, app_label, model_name, field_name)

    assert ids == {rows_a[target].pk}


def test_manager_autocomplete_of_shop_lists_only_own_shops(manager_client, shop, other_shop):
    assert _autocomplete(manager_client, "customers", "buyer", "shop") == {shop.pk}


def test_superuser_autocomplete_returns_every_shop(superuser_client, rows_a, rows_b):
    ids = _autocomplete(superuser_client, "customers", "order", "buyer", term="Pembeli")

    assert ids == {rows_a["buyer"].pk, rows_b["buyer"].pk}


def test_manager_cannot_create_buyer_in_another_shop(manager_client, other_shop):
    data = {
        "shop": other_shop.pk,
        "name": "Penyusup",
        "phone": "0812 1111 2222",
        **_inline_management("handles", "interactions", "orders"),
    }

    response = manager_client.post(reverse("admin:customers_buyer_add"), data)

    assert response.status_code == 200
    assert "shop" in response.context["adminform"].form.errors
    assert not Buyer.objects.filter(name="Penyusup").exists()


def test_manager_creates_buyer_in_own_shop_with_handle(manager_client, shop):
    data = {
        "shop": shop.pk,
        "name": "Siti Nurhaliza",
        "phone": "0812-3456-7890",
        **_inline_management("handles", "interactions", "orders"),
        "handles-TOTAL_FORMS": "1",
        "handles-0-channel": "shopee",
        "handles-0-handle": "@siti.nur",
    }

    response = manager_client.post(reverse("admin:customers_buyer_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    buyer = Buyer.objects.get(name="Siti Nurhaliza")
    assert buyer.shop == shop
    assert buyer.phone == "+6281234567890"
    handle = buyer.handles.get()
    assert (handle.shop, handle.handle) == (shop, "siti.nur")


def _order_post_data(order, **overrides):
    data = {
        "shop": order.shop_id,
        "buyer": order.buyer_id,
        "channel": order.channel,
        "external_id": order.external_id,
        "status": order.status,
        "total": order.total,
        "ordered_at_0": "2026-03-01",
        "ordered_at_1": "10:00:00",
        "courier": order.courier,
        "tracking_number": order.tracking_number,
        **_inline_management("lines", "reviews"),
    }
    data.update(overrides)
    return data


def test_manager_cannot_move_order_to_buyer_of_another_shop(manager_client, rows_a, rows_b):
    order = rows_a["order"]
    data = _order_post_data(order, buyer=rows_b["buyer"].pk)

    response = manager_client.post(reverse("admin:customers_order_change", args=[order.pk]), data)

    assert response.status_code == 200
    assert "buyer" in response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.buyer == rows_a["buyer"]


def test_manager_cannot_add_line_with_another_shops_product(manager_client, rows_a, rows_b):
    order = rows_a["order"]
    data = _order_post_data(
        order,
        **{
            "lines-TOTAL_FORMS": "1",
            "lines-0-product": rows_b["product"].pk,
            "lines-0-quantity": "1",
            "lines-0-unit_price": "1000",
        },
    )

    response = manager_client.post(reverse("admin:customers_order_change", args=[order.pk]), data)

    assert response.status_code == 200
    assert order.lines.count() == 1  # only the line made by the fixture


def test_manager_of_two_shops_cannot_mix_them_in_one_order(client, shop, rows_a):
    third = ShopFactory(name="Toko C", slug="toko-c")
    rows_c = _populate(third, "C")
    user = UserFactory(username="manager_ac", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    MembershipFactory(shop=third, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    client.force_login(user)
    order = rows_a["order"]

    response = client.post(
        reverse("admin:customers_order_change", args=[order.pk]),
        _order_post_data(order, buyer=rows_c["buyer"].pk),
    )

    assert response.status_code == 200
    assert "buyer" in response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.buyer == rows_a["buyer"]


def test_manager_review_inline_saves_into_the_orders_shop(manager_client, shop, rows_a):
    order = rows_a["order"]
    data = _order_post_data(order)
    # the existing line and review are submitted unchanged, as the browser would
    line = order.lines.get()
    data.update(
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": line.pk,
            "lines-0-order": order.pk,
            "lines-0-product": line.product_id,
            "lines-0-name": line.name,
            "lines-0-quantity": line.quantity,
            "lines-0-unit_price": line.unit_price,
        }
    )
    review = order.reviews.get()
    data.update(
        {
            "reviews-TOTAL_FORMS": "2",
            "reviews-INITIAL_FORMS": "1",
            "reviews-1-rating": "4",
            "reviews-1-text": "Bagus, cuma kurirnya telat 2 hari",
            "reviews-1-posted_at_0": "2026-03-05",
            "reviews-1-posted_at_1": "09:00:00",
            "reviews-1-reply_status": "none",
            "reviews-0-id": review.pk,
            "reviews-0-order": order.pk,
            "reviews-0-rating": review.rating,
            "reviews-0-text": review.text,
            "reviews-0-posted_at_0": review.posted_at.strftime("%Y-%m-%d"),
            "reviews-0-posted_at_1": review.posted_at.strftime("%H:%M:%S"),
            "reviews-0-reply_status": review.reply_status,
        }
    )

    response = manager_client.post(reverse("admin:customers_order_change", args=[order.pk]), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    new = Review.objects.get(text="Bagus, cuma kurirnya telat 2 hari")
    assert (new.shop, new.order, new.channel) == (shop, order, order.channel)


def test_manager_cannot_add_or_delete_shops(manager_client, shop):
    assert manager_client.get(reverse("admin:customers_shop_add")).status_code == 403
    delete = reverse("admin:customers_shop_delete", args=[shop.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert Shop.objects.filter(pk=shop.pk).exists()


def test_manager_shop_filter_lists_only_own_shops(client, shop, other_shop, rows_a, rows_b):
    third = ShopFactory(name="Toko C", slug="toko-c")
    user = UserFactory(username="manager_ac", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    MembershipFactory(shop=third, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    client.force_login(user)

    response = _changelist(client, "customers_buyer")

    content = response.content.decode()
    assert "Toko C" in content
    assert other_shop.name not in content


def test_managers_group_grants_rawat_models_but_not_users_or_shop_creation(db):
    group = managers_group_ensure()

    perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert group.name == MANAGERS_GROUP
    assert {"customers.view_buyer", "customers.change_order", "reviews.delete_review"} <= perms
    assert "customers.change_shop" in perms
    assert "customers.add_shop" not in perms
    assert "customers.delete_shop" not in perms
    assert not {p for p in perms if p.startswith(("auth.", "contenttypes.", "django_q."))}


def test_managers_group_ensure_is_idempotent(db):
    first = managers_group_ensure()
    count = first.permissions.count()
    first.permissions.remove(Permission.objects.get(codename="view_buyer"))

    second = managers_group_ensure()

    assert second.pk == first.pk
    assert second.permissions.count() == count
    assert second.permissions.filter(codename="view_buyer").exists()


@pytest.mark.parametrize("size", [5, 40])
def test_order_changelist_runs_a_fixed_number_of_queries(
    manager_client, shop, size, django_assert_max_num_queries
):
    for n in range(size):
        order = OrderFactory(buyer=BuyerFactory(shop=shop), external_id=f"N-{n}")
        ReviewFactory(order=order)

    for prefix in ("customers_order", "reviews_review", "customers_buyer"):
        with django_assert_max_num_queries(14):
            _changelist(manager_client, prefix)


@pytest.mark.parametrize("size", [2, 12])
def test_buyer_change_page_runs_a_fixed_number_of_queries(
    manager_client, shop, size, django_assert_max_num_queries
):
    buyer = BuyerFactory(shop=shop)
    for n in range(size):
        order = OrderFactory(buyer=buyer, external_id=f"Q-{n}")
        ReviewFactory(order=order)
        InteractionFactory(buyer=buyer, text=f"Catatan {n}")

    with django_assert_max_num_queries(20):
        response = manager_client.get(reverse("admin:customers_buyer_change", args=[buyer.pk]))

    assert response.status_code == 200


def test_note_added_on_buyer_page_gets_shop_and_author(manager_client, manager, shop):
    buyer = BuyerFactory(shop=shop, name="Dewi Lestari", phone="")
    data = {
        "shop": shop.pk,
        "name": buyer.name,
        "phone": "",
        **_inline_management("handles", "interactions", "orders"),
        "interactions-TOTAL_FORMS": "1",
        "interactions-0-occurred_at_0": "2026-03-01",
        "interactions-0-occurred_at_1": "10:00:00",
        "interactions-0-kind": "note",
        "interactions-0-text": "Minta dikirim pakai bubble wrap.",
    }

    response = manager_client.post(reverse("admin:customers_buyer_change", args=[buyer.pk]), data)

    assert response.status_code == 302
    note = buyer.interactions.get()
    assert (note.shop, note.author, note.text) == (
        shop,
        manager,
        "Minta dikirim pakai bubble wrap.",
    )
