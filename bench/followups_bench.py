"""Follow-ups benchmark: planning over a big shop, and the email sending rate.

    DEBUG=1 .venv/bin/python bench/followups_bench.py [--buyers 100000] [--orders 1000000]

Works on its own SQLite file (FOLLOWUPS_BENCH_DB, default /tmp/rawat-followups-bench.sqlite3),
migrated and seeded with `seed_demo`'s generator on the first run and reused afterwards (seeding a
million orders takes minutes; planning is what is measured). Targets from issue 4:

- planning (order rules + the daily loyalty pass on a Harbolnas day, so every consenting buyer
  gets a greeting) over 100,000 buyers and 1,000,000 orders: under 60 s, memory flat;
- sending due emails with the locmem backend: at least 200 per second.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    """Current resident memory of this process in MB (from /proc; peak is ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--emails", type=int, default=2_000)
    args = parser.parse_args()

    database = os.environ.get("FOLLOWUPS_BENCH_DB", "/tmp/rawat-followups-bench.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.conf import settings

    # As in production: DEBUG=1 only gets the development settings loaded; with DEBUG on, Django
    # would also keep the last 9,000 SQL statements in memory, which is not the planner's.
    settings.DEBUG = False
    from django.core.management import call_command
    from django.utils import timezone

    from customers.models import Buyer, Order, Shop
    from followups.models import CareSettings, CourierSlowdown, FollowUp
    from followups.services import followups_plan_loyalty, followups_plan_orders
    from followups.services.sending import followups_send_due

    call_command("migrate", verbosity=0)
    slug = "followups-bench"
    shop = Shop.objects.filter(slug=slug).first()
    have_buyers = Buyer.objects.filter(shop=shop).count() if shop else 0
    have_orders = Order.objects.filter(shop=shop).count() if shop else 0
    if have_buyers < args.buyers or have_orders < args.orders:
        from customers.demo import demo_seed

        print(f"seeding {args.buyers:,} buyers and {args.orders:,} orders into {database} ...")
        started = time.perf_counter()
        report = demo_seed(slug=slug, owner=slug, buyers=args.buyers, orders=args.orders)
        shop = report.shop
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    buyers = Buyer.objects.filter(shop=shop).count()
    orders = Order.objects.filter(shop=shop).count()
    print(f"shop {shop.slug}: {buyers:,} buyers, {orders:,} orders")

    # A fresh start for the measured runs: no follow-ups, settings or tiers left from the last
    # run (a raw delete: the bench database has nothing that points at them).
    from django.db import connection

    from followups.models import BuyerTier, MembershipTier

    for model in (FollowUp, BuyerTier, MembershipTier, CareSettings):
        model.objects.filter(shop=shop)._raw_delete(connection.alias)
    latest = (
        Order.objects.filter(shop=shop)
        .order_by("-ordered_at")
        .values_list("ordered_at", flat=True)[0]
    )
    now = latest + datetime.timedelta(hours=1)
    today = timezone.localdate(now)
    CourierSlowdown.objects.filter(shop=shop).delete()
    CourierSlowdown.objects.create(
        shop=shop,
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=8),
        reason="Arus mudik Lebaran",
    )

    rss_before = _rss_mb()
    started = time.perf_counter()
    orders_result = followups_plan_orders(shop=shop, now=now)
    orders_seconds = time.perf_counter() - started
    # The loyalty pass on the next 12.12 after the data's last order: every consenting buyer
    # gets a Harbolnas greeting, every buyer's tier is computed (first run: silent baseline).
    harbolnas = datetime.datetime(
        today.year if today < datetime.date(today.year, 12, 12) else today.year + 1,
        12,
        12,
        8,
        0,
        tzinfo=timezone.get_current_timezone(),
    )
    started = time.perf_counter()
    loyalty_result = followups_plan_loyalty(shop=shop, now=harbolnas)
    loyalty_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = followups_plan_orders(shop=shop, now=now)
    again_loyalty = followups_plan_loyalty(shop=shop, now=harbolnas)
    again_seconds = time.perf_counter() - started
    rss_after = _rss_mb()

    total = orders_seconds + loyalty_seconds
    print("\nplanning")
    print(f"  order rules:   {orders_seconds:6.1f} s  planned {dict(orders_result.planned)}")
    print(f"  loyalty pass:  {loyalty_seconds:6.1f} s  planned {dict(loyalty_result.planned)}")
    print(f"                 skipped {dict(loyalty_result.skipped)}")
    print(f"  total:         {total:6.1f} s  (target < 60 s)  {'OK' if total < 60 else 'TOO SLOW'}")
    print(
        f"  re-run:        {again_seconds:6.1f} s  new rows "
        f"{again.total + again_loyalty.total} (must be 0)"
    )
    print(
        f"  memory:        RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after, "
        f"peak {_peak_mb():.0f} MB"
    )

    # Sending: due emails in a shop of their own, no quiet hours, locmem backend.
    bench_send = Shop.objects.get_or_create(slug="followups-bench-send", defaults={"name": "Send"})[
        0
    ]
    from customers.models import Interaction

    for model in (Interaction, FollowUp, Buyer):
        model.objects.filter(shop=bench_send)._raw_delete(connection.alias)
    CareSettings.objects.update_or_create(
        shop=bench_send, defaults={"quiet_start": "00:00", "quiet_end": "00:00"}
    )
    send_buyers = Buyer.objects.bulk_create(
        Buyer(shop=bench_send, name=f"Pembeli {i}", email=f"b{i}@example.com")
        for i in range(args.emails)
    )
    stamp = timezone.now() - datetime.timedelta(minutes=1)
    FollowUp.objects.bulk_create(
        FollowUp(
            shop=bench_send,
            buyer=b,
            kind="thank_you",
            channel="email",
            recipient=b.email,
            due_at=stamp,
            status="due",
            subject="Terima kasih",
            text=f"Halo {b.name}, terima kasih sudah belanja!",
            tone_verdict="ok",
            idempotency_key=f"bench:{b.pk}",
        )
        for b in send_buyers
    )
    from django.core import mail

    mail.outbox = []
    started = time.perf_counter()
    result = followups_send_due(limit=args.emails)
    seconds = time.perf_counter() - started
    rate = result.sent / seconds if seconds else 0
    print("\nsending (locmem)")
    print(
        f"  {result.sent:,} emails in {seconds:.2f} s = {rate:,.0f}/s (target >= 200/s)  "
        f"{'OK' if rate >= 200 else 'TOO SLOW'}"
    )
    ok = total < 60 and rate >= 200 and again.total + again_loyalty.total == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
