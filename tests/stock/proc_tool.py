"""Run inside a subprocess by tests/stock/test_concurrency.py.

python -m tests.stock.proc_tool seed 40            -> prints the product id
python -m tests.stock.proc_tool restock PK QTY --ready FILE --go FILE
python -m tests.stock.proc_tool report PK          -> JSON counts
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    {"seed": seed, "restock": restock, "report": report}[argv[0]](argv[1:])


def seed(args: list[str]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from customers.models import Buyer, Product, Shop
    from followups.models import CareSettings
    from stock.services import waitlist_join

    Shop.objects.filter(slug="toko-stok").delete()
    shop = Shop.objects.create(name="Toko Stok", slug="toko-stok")
    CareSettings.objects.create(shop=shop, quiet_start="00:00", quiet_end="00:00")
    product = Product.objects.create(shop=shop, sku="SOLD", name="Pashmina Sage", stock=0)
    start = timezone.now() - timedelta(days=1)
    for i in range(int(args[0])):
        buyer = Buyer.objects.create(shop=shop, name=f"Pembeli {i}", email=f"p{i}@example.com")
        waitlist_join(product=product, buyer=buyer, now=start + timedelta(seconds=i))
    print(product.pk)


def restock(args: list[str]) -> None:
    from customers.models import Product
    from stock.services import stock_set

    pk, quantity, *rest = args
    options = dict(zip(rest[::2], rest[1::2], strict=True))
    Path(options["--ready"]).touch()
    deadline = time.monotonic() + 30
    while not Path(options["--go"]).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.005)
    product = Product.objects.get(pk=int(pk))  # read before the other worker commits
    change = stock_set(product=product, quantity=int(quantity), by=None, source="command")
    print(json.dumps({"notified": change.notified, "event": change.event is not None}))


def report(args: list[str]) -> None:
    from collections import Counter

    from followups.models import FollowUp
    from stock.models import RestockEvent, WaitlistEntry

    pk = int(args[0])
    per_buyer = Counter(
        FollowUp.objects.filter(product_id=pk, kind="restock").values_list("buyer_id", flat=True)
    )
    entries = list(WaitlistEntry.objects.filter(product_id=pk).order_by("joined_at", "pk"))
    followup_order = list(
        FollowUp.objects.filter(product_id=pk, kind="restock")
        .order_by("pk")
        .values_list("buyer_id", flat=True)
    )
    print(
        json.dumps(
            {
                "messages": sum(per_buyer.values()),
                "max_per_buyer": max(per_buyer.values(), default=0),
                "entries": len(entries),
                "told": sum(1 for e in entries if e.told_at and e.followup_id),
                "events": RestockEvent.objects.filter(product_id=pk).count(),
                "in_join_order": followup_order == [e.buyer_id for e in entries],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
