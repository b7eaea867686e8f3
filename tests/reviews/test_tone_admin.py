"""Managers see the tone guard's events of their own shops, filterable by shop, user and date."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.managers import managers_group_ensure
from customers.models import Membership
from reviews.models import ReplyTemplate, ToneEvent
from tests.factories import MembershipFactory, ReviewFactory, UserFactory

URL = reverse("admin:reviews_toneevent_changelist")


@pytest.fixture
def manager_client(client, shop):
    user = UserFactory(username="manager_a", is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    client.force_login(user)
    return client


def _event(shop, user, outcome="overrode", reason="Pembeli minta"):
    return ToneEvent.objects.create(
        shop=shop,
        user=user,
        review=ReviewFactory(order__buyer__shop=shop),
        verdict="hostile",
        findings=[{"category": "rating_pressure", "start": 0, "end": 3}],
        outcome=outcome,
        reason=reason if outcome == "overrode" else "",
    )


def _ids(response):
    return {event.pk for event in response.context["cl"].result_list}


def test_manager_sees_only_their_shops_overrides(
    manager_client, owner, other_owner, shop, other_shop
):
    mine = _event(shop, owner)
    _event(other_shop, other_owner)
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert _ids(response) == {mine.pk}
    assert "Pembeli minta" in response.content.decode()


def test_events_filter_by_user_outcome_and_date(manager_client, owner, shop):
    staff = UserFactory(username="staff_a")
    MembershipFactory(shop=shop, user=staff, role=Membership.Role.STAFF)
    by_owner = _event(shop, owner)
    by_staff = _event(shop, staff, outcome="edited")
    assert _ids(manager_client.get(URL, {"user": owner.pk})) == {by_owner.pk}
    assert _ids(manager_client.get(URL, {"outcome": "edited"})) == {by_staff.pk}
    day = by_owner.created_at
    params = {"created_at__year": day.year, "created_at__month": day.month}
    assert _ids(manager_client.get(URL, params)) == {by_owner.pk, by_staff.pk}


def test_user_filter_offers_only_people_of_the_managers_shops(
    manager_client, owner, other_owner, shop, other_shop
):
    _event(shop, owner)
    _event(other_shop, other_owner)
    body = manager_client.get(URL).content.decode()
    assert "owner_a" in body and "owner_b" not in body


def test_events_are_read_only_for_managers(manager_client, owner, shop):
    event = _event(shop, owner)
    change = reverse("admin:reviews_toneevent_change", args=[event.pk])
    response = manager_client.post(change, {"reason": "rewritten"})
    event.refresh_from_db()
    assert event.reason == "Pembeli minta"
    delete = reverse("admin:reviews_toneevent_delete", args=[event.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert ToneEvent.objects.filter(pk=event.pk).exists()
    assert response.status_code in (200, 403)


def test_manager_edits_a_template_and_unknown_placeholder_is_refused(manager_client, shop):
    template = ReplyTemplate.objects.create(shop=shop, action="thank", language="id", body="Halo")
    url = reverse("admin:reviews_replytemplate_change", args=[template.pk])
    data = {"shop": shop.pk, "action": "thank", "language": "id", "body": "Halo {nama}"}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "{nama}" in response.content.decode()
    template.refresh_from_db()
    assert template.body == "Halo"
    data["body"] = "Halo Kak {buyer_name}"
    assert manager_client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.body == "Halo Kak {buyer_name}"
