"""How fast the composer's live tone check answers (issue 3: under 50 ms).

Runs the real view through Django's test client (middleware, session, shop scoping, tone guard,
template rendering) against a throwaway in-memory SQLite database, and prints p50/p99/max of
N requests with replies of about 500 characters, half of them hostile.

    DEBUG=1 .venv/bin/python bench/live_check.py [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DEBUG", "1")

TEXTS = [
    (
        "Halo Kak Sari, terima kasih sudah berbelanja di toko kami dan mohon maaf pesanannya "
        "datang lebih lama dari yang dijanjikan. Pesanan Kakak sudah kami serahkan ke J&T "
        "Express pada 10 Maret 2026. Estimasi tiba 13 Maret 2026, namun paket baru sampai 16 "
        "Maret 2026, terlambat 3 hari. Kami akan sampaikan masukan ini ke pihak kurir agar tidak "
        "terulang. Sebagai permintaan maaf, kami berikan voucher belanja Rp 20.000 untuk pesanan "
        "berikutnya. Terima kasih atas kesabarannya, semoga kemejanya bermanfaat ya, Kak."
    ),
    (
        "Kok cuma bintang 4? Tolong diubah jadi 5! Paketnya telat itu salah kurir, bukan salah "
        "kami. Kakak harusnya baca dulu deskripsinya sebelum komplain, jangan asal kasih "
        "bintang. Kalau tidak diubah kami laporkan akun Kakak. TERSERAH mau belanja lagi atau "
        "tidak!!! Dasar pembeli g0bl0k, bgst. Hubungi saja 0812-3456-7890 kalau masih mau "
        "protes, atau datang ke Jl. Melati No. 5. Whatever, kami sudah kirim tepat waktu dan "
        "ini bukan urusan kami lagi ya Kak, jadi tolong hapus ulasannya sekarang juga."
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests.factories import MembershipFactory, ReviewFactory, ShopFactory, UserFactory

    setup_test_environment()
    call_command("migrate", verbosity=0)
    shop = ShopFactory(name="Toko Bench", slug="toko-bench")
    user = UserFactory(username="bench")
    MembershipFactory(shop=shop, user=user)
    review = ReviewFactory(order__buyer__shop=shop, rating=4, text="Pengiriman telat banget")

    client = Client()
    client.force_login(user)
    url = reverse("reviews:tone_check")
    for text in TEXTS * 10:  # Warm-up: imports, template loading, the guard's tables.
        assert client.post(url, {"text": text, "review": review.pk}).status_code == 200

    timings: list[float] = []
    for n in range(args.requests):
        text = TEXTS[n % 2]
        start = time.perf_counter()
        response = client.post(url, {"text": text, "review": review.pk})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    chars = sum(len(t) for t in TEXTS) // len(TEXTS)
    print(
        f"live tone check view: {args.requests} requests, ~{chars} chars, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
