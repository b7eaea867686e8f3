"""Tenant isolation in the admin site, generated from the registered ModelAdmins (issue 8, 1).

A staff manager of shop A (not a superuser, in the "Shop managers" group) must not see or choose
shop B's rows anywhere: changelists (also as raw-id popups), change and delete pages, add forms'
choices, autocomplete and bulk actions. Every registered model is covered as it is registered.
"""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from crm.admin import shop_path_of
from customers.managers import managers_group_ensure, rawat_app_labels
from customers.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.security.graph import MARKER_A, MARKER_B
from tests.security.routes import RAWAT_APPS

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
RAWAT_ADMINS = [(m, a) for m, a in REGISTRY if m._meta.app_label in RAWAT_APPS]


def _label(item) -> str:
    return item[0]._meta.label


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _rows_of_b(model, shop_b):
    path = shop_path_of(model)
    lookup = "pk" if path is None else path
    return model._default_manager.filter(**{lookup: shop_b.pk})


@pytest.fixture
def manager_client(client, shop, graph_a, graph_b):
    user = UserFactory(username="manager_a", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    client.force_login(user)
    return client


def test_every_rawat_app_is_covered():
    assert set(rawat_app_labels()) <= RAWAT_APPS | {"crm"}, (
        "A new app: add it to RAWAT_APPS in tests/security/routes.py"
    )


@pytest.mark.parametrize("item", REGISTRY, ids=_label)
def test_changelist_and_raw_id_popup_never_show_another_shop(item, manager_client, graph_b):
    model, _ = item
    url = _admin_url(model, "changelist")
    for params in ({}, {"q": "Pashmina"}, {"_popup": "1", "_to_field": "id"}):
        response = manager_client.get(url, params)
        assert response.status_code in (200, 403), f"{model._meta.label}: {response.status_code}"
        assert MARKER_B.encode() not in response.content, f"{model._meta.label} shows shop B"
    if model._meta.app_label in RAWAT_APPS:
        assert manager_client.get(url).status_code == 200, "a manager may use Rawat's models"
    if model.__name__ in {"Buyer", "Product", "Review", "Interaction"}:
        assert MARKER_A.encode() in manager_client.get(url).content, "control: own rows listed"


@pytest.mark.parametrize("item", RAWAT_ADMINS, ids=_label)
def test_change_and_delete_pages_of_another_shops_row_are_refused(item, manager_client, graph_b):
    model, _ = item
    rows = list(_rows_of_b(model, graph_b["shop"])[:1])
    assert rows, f"Add a {model.__name__} to tests/security/graph.py so its admin is tested"
    obj = rows[0]
    for view in ("change", "delete", "history"):
        try:
            url = _admin_url(model, view, obj.pk)
        except NoReverseMatch:
            continue
        response = manager_client.get(url)
        # Django's admin answers a row outside get_queryset with a redirect to the index.
        assert response.status_code in (302, 403, 404), f"{model._meta.label} {view}: 200"
        assert MARKER_B.encode() not in response.content
        response = manager_client.post(url, {"post": "yes"})
        assert response.status_code in (302, 403, 404)
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("item", RAWAT_ADMINS, ids=_label)
def test_add_form_offers_no_choice_from_another_shop(item, manager_client, graph_b):
    model, _ = item
    response = manager_client.get(_admin_url(model, "add"))
    assert response.status_code in (200, 403)
    assert MARKER_B.encode() not in response.content


@pytest.mark.parametrize("item", RAWAT_ADMINS, ids=_label)
def test_bulk_actions_skip_another_shops_rows(item, manager_client, graph_b):
    model, model_admin = item
    ids = list(_rows_of_b(model, graph_b["shop"]).values_list("pk", flat=True))
    assert ids
    url = _admin_url(model, "changelist")
    request = manager_client.get(url).wsgi_request
    for action in model_admin.get_actions(request):
        manager_client.post(
            url, {"action": action, "_selected_action": [str(pk) for pk in ids], "post": "yes"}
        )
    assert _rows_of_b(model, graph_b["shop"]).count() == len(ids), f"{model._meta.label}"


AUTOCOMPLETES = [
    (model, field)
    for model, model_admin in RAWAT_ADMINS
    for field in model_admin.autocomplete_fields
]


@pytest.mark.parametrize(
    "model,field", AUTOCOMPLETES, ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETES]
)
def test_autocomplete_never_returns_another_shops_rows(
    model, field, manager_client, graph_a, graph_b
):
    target = model._meta.get_field(field).related_model
    foreign = {str(pk) for pk in _rows_of_b(target, graph_b["shop"]).values_list("pk", flat=True)}
    own = {str(pk) for pk in _rows_of_b(target, graph_a["shop"]).values_list("pk", flat=True)}
    assert foreign, f"Add a {target.__name__} to tests/security/graph.py"
    seen_own = False
    for term in ("", "Pashmina", "Pembeli", "Toko", MARKER_B):
        response = manager_client.get(
            reverse("admin:autocomplete"),
            {
                "term": term,
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
            },
        )
        assert response.status_code == 200
        ids = {row["id"] for row in json.loads(response.content)["results"]}
        assert not ids & foreign, f"autocomplete {model._meta.label}.{field} returns shop B's rows"
        seen_own = seen_own or bool(ids & own)
    assert seen_own, "control: the autocomplete lists the manager's own rows"
