"""The audit trail (issue 8, part 7): who changed what, visible to the shop's managers only."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from audit.tracking import TRACKED
from customers.managers import managers_group_ensure
from customers.models import Buyer, Interaction, Membership
from followups.models import FollowUp
from imports.models import ImportRun
from reviews.models import ToneEvent
from tests.factories import (
    BuyerFactory,
    FollowUpFactory,
    MembershipFactory,
    ReviewFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _manager(shop, username):
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(shop=shop, user=user, role=Membership.Role.STAFF)
    user.groups.add(managers_group_ensure())
    return user


def _entries(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    )


def test_a_sellers_opt_out_of_a_buyer_is_seen_by_the_manager_with_the_field_diff(
    client, seller_client, shop, owner, other_shop
):
    buyer = BuyerFactory(shop=shop, name="Siti Aminah")
    followup = FollowUpFactory(buyer=buyer)
    response = seller_client.post(
        reverse("followups:followup_action", args=[followup.pk, "opt_out"])
    )
    assert response.status_code == 302
    entry = _entries(buyer).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == owner and entry.actor_label == "owner_a"
    assert entry.shop_id == shop.pk
    assert entry.changes_dict["opted_out_at"][0] == "None"
    assert entry.changes_dict["opted_out_at"][1].startswith(str(buyer.created_at.year))

    client.force_login(_manager(shop, "manager_a"))
    changelist = client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    assert b"Siti Aminah" in changelist.content and b"owner_a" in changelist.content
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert b"opted_out_at" in page.content and b"None" in page.content

    client.force_login(_manager(other_shop, "manager_b"))
    assert b"Siti Aminah" not in client.get(reverse("admin:audit_auditentry_changelist")).content
    refused = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert refused.status_code == 302  # Django's admin: "not found" goes back to the index
    assert (
        b"Siti Aminah"
        not in client.get(reverse("admin:audit_auditentry_changelist"), {"q": "Siti"}).content
    )


def test_a_note_on_the_buyer_page_is_recorded_with_its_author_and_text(seller_client, shop, owner):
    buyer = BuyerFactory(shop=shop)
    seller_client.post(
        reverse("customers:buyer_detail", args=[buyer.pk]),
        {"kind": "note", "text": "Minta dikirim sore saja"},
    )
    note = Interaction.objects.get(buyer=buyer, kind="note")
    entry = _entries(note).get()
    assert (entry.action, entry.actor, entry.shop_id) == (AuditEntry.Action.CREATE, owner, shop.pk)
    assert entry.changes_dict["text"] == ["None", "Minta dikirim sore saja"]


def test_a_manager_editing_a_buyer_in_the_admin_is_recorded_field_by_field(client, shop):
    manager = _manager(shop, "manager_a")
    buyer = BuyerFactory(shop=shop, name="Budi", phone="081234567890", email="")
    vip = TagFactory(shop=shop, name="VIP")
    client.force_login(manager)
    url = reverse("admin:customers_buyer_change", args=[buyer.pk])
    page = client.get(url).content.decode()
    # The inlines' management forms, as the browser would send them back.
    management = dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page
        )
    )
    assert management, "the change page has inlines"
    response = client.post(
        url,
        {
            **management,
            "shop": shop.pk,
            "name": "Budi Santoso",
            "phone": "081234567890",
            "email": "budi@example.com",
            "tags": [vip.pk],
            "notes": "",
            "marketing_consent": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entries = _entries(buyer).filter(action=AuditEntry.Action.UPDATE)
    fields = {name: change for e in entries for name, change in e.changes_dict.items()}
    assert fields["name"] == ["Budi", "Budi Santoso"]
    assert fields["email"] == ["", "budi@example.com"]
    assert fields["tags"]["objects"] == ["VIP"]
    assert {e.actor for e in entries} == {manager}


def test_a_jobs_change_is_attributed_to_the_job(shop, owner, settings, monkeypatch, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_q.conf import Conf
    from django_q.tasks import async_task

    from imports.services import import_run_create

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    monkeypatch.setattr(Conf, "SYNC", True)
    run = import_run_create(
        shop=shop,
        upload=SimpleUploadedFile("buyers.csv", b"name,phone\nSiti,081234567890\n"),
        file_name="buyers.csv",
        user=owner,
    )
    async_task("imports.tasks.import_run_task", run.pk, False, task_name=f"import-{run.pk}")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    entry = _entries(run).filter(action=AuditEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor is None
    assert entry.actor_label == f"job: imports.tasks.import_run_task [import-{run.pk}]"
    assert entry.changes_dict["status"][1] == "checked"
    # Outside the job, the same process is "system" again.
    BuyerFactory(shop=shop, name="Later")
    assert _entries(Buyer.objects.get(name="Later")).get().actor_label == "system"


def test_an_import_is_recorded_as_its_run_not_row_by_row(shop, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.services import import_run_commit, import_run_create

    rows = "".join(f"Pembeli {i},0812{i:08d},vip\n" for i in range(5))
    run = import_run_create(
        shop=shop,
        upload=SimpleUploadedFile("buyers.csv", f"name,phone,tags\n{rows}".encode()),
        file_name="buyers.csv",
        user=owner,
    )
    import_run_commit(run=run, require_check=False)
    assert run.status == ImportRun.Status.DONE and Buyer.objects.filter(shop=shop).count() == 5
    done = _entries(run).filter(action=AuditEntry.Action.UPDATE).latest("pk")
    assert done.changes_dict["status"][1] == "done" and "buyers" in done.changes_dict["counts"][1]
    buyer_type = ContentType.objects.get_for_model(Buyer)
    assert not AuditEntry.objects.filter(content_type=buyer_type).exists()


def test_a_tone_override_in_the_composer_is_recorded(seller_client, shop, owner):
    buyer = BuyerFactory(shop=shop)
    review = ReviewFactory(order__buyer=buyer, order__shop=shop, shop=shop, rating=1)
    hostile = "Dasar pembeli bodoh, baca deskripsi dong!"
    seller_client.post(
        reverse("reviews:review_reply_send", args=[review.pk]),
        {"text": hostile, "override": "1", "override_reason": "Tes"},
    )
    event = ToneEvent.objects.get(review=review)
    assert event.outcome == ToneEvent.Outcome.OVERRODE
    entry = _entries(event).get()
    assert entry.actor == owner
    assert entry.changes_dict["reason"] == ["None", "Tes"]


def test_approving_a_held_follow_up_is_recorded(seller_client, shop, owner):
    followup = FollowUpFactory(
        buyer=BuyerFactory(shop=shop), status=FollowUp.Status.HELD, needs_approval=True
    )
    seller_client.post(reverse("followups:followup_action", args=[followup.pk, "approve"]))
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DUE
    entry = _entries(followup).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == owner
    assert entry.changes_dict["status"] == ["held", "due"]


def test_care_rules_and_tiers_saved_by_a_seller_are_recorded(seller_client, shop, owner):
    from followups.models import CareSettings, MembershipTier

    url = reverse("followups:care_settings")
    response = seller_client.get(url)
    tiers = list(MembershipTier.objects.filter(shop=shop).order_by("rank"))
    form = response.context["form"]
    data = {f"rules-{k}": v for k, v in form.initial.items() if v is not None and v is not False}
    data.update({"rules-thank_you_days": "4", "rules-quiet_start": "22:00"})
    data.update({"rules-quiet_end": "07:30", "rules-holiday_keys": ["natal"]})
    data.update({"tiers-TOTAL_FORMS": "3", "tiers-INITIAL_FORMS": "3"})
    data.update({"tiers-MIN_NUM_FORMS": "0", "tiers-MAX_NUM_FORMS": "1000"})
    for i, tier in enumerate(tiers):
        for name in ("id", "rank", "name", "min_orders", "min_spend", "perk"):
            data[f"tiers-{i}-{name}"] = getattr(tier, "pk" if name == "id" else name)
    data["tiers-2-perk"] = "Gratis ongkir"
    assert seller_client.post(url, data).status_code == 302
    rules = _entries(CareSettings.objects.get(shop=shop)).get(action=AuditEntry.Action.UPDATE)
    assert rules.actor == owner and rules.changes_dict["thank_you_days"][1] == "4"
    perk = _entries(tiers[2]).get(action=AuditEntry.Action.UPDATE)
    assert perk.actor == owner and perk.changes_dict["perk"] == [tiers[2].perk, "Gratis ongkir"]


def test_follow_up_templates_saved_by_a_seller_are_recorded(seller_client, shop, owner):
    from followups.models import FollowUpTemplate

    seller_client.post(
        reverse("followups:template_edit") + "?kind=thank_you&occasion=&language=id",
        {"subject": "Terima kasih", "body": "Terima kasih, Kak {buyer_name}!"},
    )
    template = FollowUpTemplate.objects.get(shop=shop, kind="thank_you")
    entry = _entries(template).get()
    assert entry.actor == owner and entry.changes_dict["body"][1].startswith("Terima kasih")


def test_automatic_timeline_lines_are_not_recorded(shop):
    buyer = BuyerFactory(shop=shop)
    line = Interaction.objects.create(shop=shop, buyer=buyer, kind="system", text="Dikirim")
    assert not _entries(line).exists()


def test_the_trail_is_read_only_in_the_admin(client, shop):
    client.force_login(_manager(shop, "manager_a"))
    BuyerFactory(shop=shop)
    entry = AuditEntry.objects.filter(shop=shop).first()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"actor_label": "x"})
    entry.refresh_from_db()
    assert entry.actor_label == "system"


def test_the_trail_filters_by_shop_model_who_and_date(client, shop, other_shop):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    BuyerFactory(shop=shop, name="Pembeli Satu")
    BuyerFactory(shop=other_shop, name="Pembeli Dua")
    client.force_login(root)
    url = reverse("admin:audit_auditentry_changelist")
    buyer_type = ContentType.objects.get_for_model(Buyer).pk
    page = client.get(url, {"shop": shop.pk, "model": buyer_type, "who": "system"}).content
    assert b"Pembeli Satu" in page and b"Pembeli Dua" not in page
    assert b"Pembeli Dua" in client.get(url, {"shop": other_shop.pk}).content
    today = AuditEntry.objects.latest("timestamp").timestamp
    dated = client.get(
        url, {"timestamp__year": today.year, "timestamp__month": today.month}
    ).content
    assert b"Pembeli Dua" in dated


def test_every_tracked_model_exists_and_audit_entries_stay_out_of_backups():
    from django.apps import apps

    from imports.backup import backup_models

    for label in TRACKED:
        apps.get_model(label)
    assert AuditEntry not in [model for model, _path in backup_models()]
