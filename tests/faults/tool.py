"""Run inside a subprocess by the fault tests: seed, enqueue, seller actions.

python -m tests.faults.tool seed-due COUNT [ENQUEUE]   -> JSON list of the due follow-up ids
python -m tests.faults.tool enqueue [COUNT]            -> queue followups.tasks.send_due
python -m tests.faults.tool seed-web                   -> JSON {"review": id, "followup": id}
python -m tests.faults.tool resend PK...               -> the seller's "resend" on failed emails
python -m tests.faults.tool mark-sent PK...            -> the seller's "it arrived" on failed ones
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.faults.proc_settings")

PASSWORD = "Rawat-faults-2026!"


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, args = argv[0], argv[1:]
    if command == "seed-due":
        print(json.dumps(seed_due(int(args[0]))))
        enqueue(int(args[1]) if len(args) > 1 else 0)
    elif command == "enqueue":
        enqueue(int(args[0]) if args else 1)
    elif command == "seed-web":
        print(json.dumps(seed_web()))
    elif command in ("resend", "mark-sent"):
        seller_action(command, [int(a) for a in args])
    else:
        raise SystemExit(f"unknown command {command}")


def _reset() -> None:
    from django.contrib.auth import get_user_model
    from django_q.models import OrmQ, Schedule, Task

    from customers.models import Shop

    Shop.objects.all().delete()
    get_user_model().objects.all().delete()
    for model in (OrmQ, Task, Schedule):
        model.objects.all().delete()


def _shop(slug: str):
    from customers.models import Shop
    from followups.models import CareSettings

    shop = Shop.objects.create(name=f"Toko {slug}", slug=slug)
    # No quiet hours: the tests must not depend on the hour they run at.
    CareSettings.objects.create(shop=shop, quiet_start="00:00", quiet_end="00:00")
    return shop


def _due(shop, buyers) -> list[int]:
    from django.utils import timezone

    from followups.models import FollowUp

    now = timezone.now()
    FollowUp.objects.bulk_create(
        FollowUp(
            shop=shop,
            buyer=buyer,
            kind="thank_you",
            channel="email",
            recipient=buyer.email,
            due_at=now,
            status="due",
            subject="Terima kasih",
            text=f"Terima kasih sudah berbelanja, {buyer.name}!",
            tone_verdict="ok",
            idempotency_key=f"faults:{buyer.pk}",
        )
        for buyer in buyers
    )
    return sorted(FollowUp.objects.filter(shop=shop).values_list("pk", flat=True))


def seed_due(count: int) -> list[int]:
    """``count`` consenting buyers of one shop, each with a thank-you email due now."""
    from customers.models import Buyer

    _reset()
    shop = _shop("toko-gangguan")
    buyers = Buyer.objects.bulk_create(
        Buyer(shop=shop, name=f"Pembeli {i}", email=f"p{i}@example.com", marketing_consent=True)
        for i in range(count)
    )
    return _due(shop, buyers)


def enqueue(count: int) -> None:
    """Queue send_due as the `followups.send_due` schedule does (django-q2's scheduler only
    looks at schedules every 30 s; the task is the same)."""
    from django_q.tasks import async_task

    for _ in range(count):
        async_task("followups.tasks.send_due")


def seed_web() -> dict[str, int]:
    """A seller who can sign in, a buyer with an order, an unanswered review, a due email."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from customers.models import Buyer, Membership, Order
    from reviews.models import Review

    _reset()
    shop = _shop("toko-padam")
    user = get_user_model().objects.create_user("penjual", password=PASSWORD)
    Membership.objects.create(shop=shop, user=user)
    buyer = Buyer.objects.create(
        shop=shop, name="Sari Wulandari", email="sari@example.com", marketing_consent=True
    )
    now = timezone.now()
    order = Order.objects.create(
        shop=shop,
        buyer=buyer,
        external_id="INV-PADAM-1",
        channel="shopee",
        ordered_at=now - datetime.timedelta(days=5),
        status="delivered",
        total=150_000,
    )
    review = Review.objects.create(
        shop=shop,
        order=order,
        channel="shopee",
        rating=4,
        text="Barang bagus, pengiriman agak lama.",
        posted_at=now - datetime.timedelta(days=1),
    )
    (followup,) = _due(shop, [buyer])
    return {"review": review.pk, "followup": followup}


def seller_action(command: str, pks: list[int]) -> None:
    from followups.models import FollowUp
    from followups.services import followup_mark_sent, followup_resend

    service = followup_resend if command == "resend" else followup_mark_sent
    for followup in FollowUp.objects.filter(pk__in=pks).select_related("buyer"):
        service(followup=followup)


if __name__ == "__main__":
    main(sys.argv[1:])
