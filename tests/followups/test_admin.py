from __future__ import annotations

import pytest
from django.urls import reverse

from followups.services import care_settings_get
from tests.factories import BuyerFactory, CourierSlowdownFactory, FollowUpFactory, UserFactory


@pytest.mark.parametrize(
    "model", ["followup", "caresettings", "membershiptier", "buyertier", "courierslowdown"]
)
def test_admin_pages_load_for_a_superuser(client, shop, model):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    followup = FollowUpFactory(buyer=BuyerFactory(shop=shop))
    care_settings_get(shop=shop)
    CourierSlowdownFactory(shop=shop)
    response = client.get(reverse(f"admin:followups_{model}_changelist"))
    assert response.status_code == 200
    if model == "followup":
        change = client.get(reverse("admin:followups_followup_change", args=[followup.pk]))
        assert change.status_code == 200


def test_shop_manager_sees_only_their_shops_follow_ups_in_admin(client, shop, other_shop):
    from customers.managers import managers_group_ensure
    from tests.factories import MembershipFactory

    manager = UserFactory(username="mgr", is_staff=True)
    manager.groups.add(managers_group_ensure())
    MembershipFactory(shop=shop, user=manager, role="staff")
    client.force_login(manager)
    mine = FollowUpFactory(buyer=BuyerFactory(shop=shop), text="MINE")
    theirs = FollowUpFactory(buyer=BuyerFactory(shop=other_shop), text="THEIRS")

    listing = client.get(reverse("admin:followups_followup_changelist"))

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]
    change = client.get(reverse("admin:followups_followup_change", args=[theirs.pk]))
    assert change.status_code in (302, 404)
