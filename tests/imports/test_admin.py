"""Import runs and column mappings in the admin: a manager sees only her shops' rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from imports.models import ImportRun, MappingOverride
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, shop):
    user = UserFactory(username="manager_a", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="imports"))
    MembershipFactory(shop=shop, user=user)
    client.force_login(user)
    return client


def _run(shop, name):
    return ImportRun.objects.create(shop=shop, file_name=name, sha256="0" * 64, file="x.csv")


def test_manager_sees_only_her_shops_import_runs(manager, shop, other_shop):
    mine, theirs = _run(shop, "mine.csv"), _run(other_shop, "theirs.csv")
    page = manager.get(reverse("admin:imports_importrun_changelist")).content.decode()
    assert "mine.csv" in page and "theirs.csv" not in page
    assert manager.get(reverse("admin:imports_importrun_change", args=[theirs.pk])).status_code in (
        302,
        404,
    )
    assert manager.get(reverse("admin:imports_importrun_change", args=[mine.pk])).status_code == 200


def test_a_broken_mapping_is_refused_in_the_admin(manager, shop):
    response = manager.post(
        reverse("admin:imports_mappingoverride_add"),
        {"shop": shop.pk, "name": "shopee", "content": 'name = "shopee"\n[columns\n'},
    )
    assert response.status_code == 200
    assert "not valid TOML" in response.content.decode()
    assert not MappingOverride.objects.exists()
