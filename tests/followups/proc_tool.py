"""Run inside a subprocess by the integration tests: seed, enqueue, send, report.

python -m tests.followups.proc_tool seed 50
python -m tests.followups.proc_tool enqueue
python -m tests.followups.proc_tool send [--ready FILE --go FILE] [--stale-after 0]
python -m tests.followups.proc_tool report
python -m tests.followups.proc_tool cap-seed
python -m tests.followups.proc_tool cap-promote PK --ready FILE --go FILE
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.followups.proc_settings")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "seed":
        seed(int(argv[1]))
    elif command == "enqueue":
        from django_q.tasks import async_task

        print(async_task("followups.tasks.send_due"))
    elif command == "send":
        send(argv[1:])
    elif command == "cap-seed":
        cap_seed()
    elif command == "cap-promote":
        cap_promote(int(argv[1]), argv[2:])
    elif command == "report":
        from followups.models import FollowUp

        rows = FollowUp.objects.values_list("pk", "status", "attempts")
        print(json.dumps([list(row) for row in rows]))


def seed(count: int) -> None:
    from django.utils import timezone
    from django_q.models import OrmQ, Schedule, Task

    from customers.models import Buyer, Shop
    from followups.models import CareSettings, FollowUp

    Shop.objects.all().delete()
    OrmQ.objects.all().delete()
    Task.objects.all().delete()
    Schedule.objects.all().delete()
    shop = Shop.objects.create(name="Toko Proses", slug="toko-proses")
    # No quiet hours: the test must not depend on the hour it runs at.
    CareSettings.objects.create(shop=shop, quiet_start="00:00", quiet_end="00:00")
    now = timezone.now()
    buyers = Buyer.objects.bulk_create(
        Buyer(shop=shop, name=f"Pembeli {i}", email=f"p{i}@example.com", marketing_consent=True)
        for i in range(count)
    )
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
            text=f"Terima kasih, {buyer.name}!",
            tone_verdict="ok",
            idempotency_key=f"proc:{buyer.pk}",
        )
        for buyer in buyers
    )
    print(json.dumps(sorted(FollowUp.objects.values_list("pk", flat=True))))


def send(args: list[str]) -> None:
    import datetime
    from pathlib import Path

    from followups.services import followups_send_due

    options = dict(zip(args[::2], args[1::2], strict=True))
    if "--ready" in options:
        Path(options["--ready"]).touch()
        deadline = time.monotonic() + 30
        while not Path(options["--go"]).exists():
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.01)
    stale = datetime.timedelta(seconds=float(options.get("--stale-after", 300)))
    result = followups_send_due(stale_after=stale)
    print(json.dumps({"sent": result.sent, "recovered": result.recovered}))


def _wait_for_go(options: dict[str, str]) -> None:
    from pathlib import Path

    Path(options["--ready"]).touch()
    deadline = time.monotonic() + 30
    while not Path(options["--go"]).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.01)


def cap_seed() -> None:
    """One consenting buyer with two planned greetings due now; prints their ids."""
    from django.utils import timezone

    from customers.models import Buyer, Shop
    from followups.models import CareSettings, FollowUp

    Shop.objects.all().delete()
    shop = Shop.objects.create(name="Toko Batas", slug="toko-batas")
    CareSettings.objects.create(shop=shop, quiet_start="00:00", quiet_end="00:00")
    buyer = Buyer.objects.create(
        shop=shop, name="Sari", email="sari@example.com", marketing_consent=True
    )
    now = timezone.now()
    pks = [
        FollowUp.objects.create(
            shop=shop,
            buyer=buyer,
            kind=kind,
            channel="email",
            recipient=buyer.email,
            due_at=now,
            status="planned",
            subject="Salam",
            text=f"Salam hangat, {buyer.name}!",
            tone_verdict="ok",
            idempotency_key=f"cap:{kind}:{buyer.pk}",
        ).pk
        for kind in ("holiday", "birthday")
    ]
    print(json.dumps(pks))


def cap_promote(pk: int, args: list[str]) -> None:
    """Promote one planned greeting, as a promoter whose chunk holds only that one would.

    Each decision is slowed down (as a busy database would), so without a per-buyer lock both
    promoters read "nothing recent" before either writes.
    """
    from followups.models import FollowUp
    from followups.services import sending

    options = dict(zip(args[::2], args[1::2], strict=True))
    real = sending._decide

    def slow_decide(*a, **kw):
        time.sleep(1.0)
        return real(*a, **kw)

    sending._decide = slow_decide
    followup = FollowUp.objects.select_related("buyer", "order").get(pk=pk)
    settings = sending._settings_by_shop()
    _wait_for_go(options)
    result = sending.SendResult()
    sending._promote_chunk([followup], settings=settings, now=followup.due_at, result=result)
    print(json.dumps({"promoted": result.promoted, "skipped": dict(result.skipped)}))


if __name__ == "__main__":
    main(sys.argv[1:])
