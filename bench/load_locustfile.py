"""Locust users for bench/load_bench.py (run it, not this file).

SellerUser: signs in once, then opens the review inbox, the reply composer of a review while
the live tone check runs (htmx POSTs with the CSRF header, a few per reply as the seller types),
buyer search and buyer pages, and the dashboard, with 2-6 s of reading between pages
(BENCH_THINK_MIN/MAX) and 0.5-1 s between two tone checks (the seller typing on).

WriterUser (the SQLite run): signs in, then only writes, with no pause: timeline notes, reply
drafts, approvals of held follow-ups, and small CSV imports (checked and imported in the
request). A write's time is the POST up to its redirect (the page the browser loads next is a
read, not counted).

Rawat runs with DEBUG=0 behind a TLS-terminating proxy in production: the users send
``X-Forwarded-Proto: https`` and an https Origin, and keep the Secure cookies Django sets
(requests would otherwise only send them over TLS). Every request's start time, name, duration
and outcome goes to the JSON file BENCH_SAMPLES when the run stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, constant, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "rawat-load-2026")
USERNAMES = itertools.cycle(os.environ.get("BENCH_USERNAMES", "penjual01").split(","))
SAMPLES: list[tuple[float, str, float, bool, str]] = []
LOGGED_IN: list[float] = []
REVIEW_LINK = re.compile(r'href="/reviews/(\d+)/(?:reply/)?"')
BUYER_LINK = re.compile(r'href="/buyers/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPLIES = [
    "Terima kasih banyak atas ulasannya, Kak {name}! Senang sekali produknya cocok.",
    "Mohon maaf atas keterlambatan pengirimannya, Kak. Kami sudah menegur kurirnya.",
    "Halo Kak, maaf ukurannya kurang pas. Boleh kami bantu tukar ke ukuran yang lebih besar?",
    "Kak, baca dulu deskripsinya dong sebelum kasih bintang satu. Itu bukan salah kami.",
    "Terima kasih sudah berbelanja! Ditunggu pesanan berikutnya ya, ada promo minggu depan.",
]
NOTES = [
    "Minta bubble wrap lebih tebal untuk pesanan berikutnya.",
    "Pelanggan setia, suka warna gelap. Tawarkan koleksi baru.",
    "Komplain ukuran, sudah ditukar. Cek lagi minggu depan.",
]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=None, **kw):
    started = start_time if start_time is not None else time.time() - response_time / 1000
    SAMPLES.append((started, name, response_time, exception is None, str(exception or "")[:200]))


@events.quitting.add_listener
def _dump(environment, **kw):
    path = os.environ.get("BENCH_SAMPLES")
    if path:
        with open(path, "w") as handle:
            json.dump({"samples": SAMPLES, "logged_in": LOGGED_IN}, handle)


# The TLS proxy in front of gunicorn is simulated: Secure cookies go over http too. requests
# builds a fresh cookie jar (default policy) for every request, so the policy itself is patched,
# in this load-generating process only.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class _Seller(HttpUser):
    abstract = True

    def on_start(self) -> None:
        origin = self.host.replace("http://", "https://")
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
        )
        self.username = next(USERNAMES)
        self.reviews: list[str] = []
        self.buyers: list[str] = []
        self.client.get("/login/", name="login page")
        self._post("/login/", {"username": self.username, "password": PASSWORD}, name="login")
        LOGGED_IN.append(time.time())
        self._collect(self.client.get("/reviews/inbox/", name="inbox").text)
        self._collect(self.client.get("/buyers/", name="buyer list").text)

    def _collect(self, html: str) -> None:
        self.reviews = REVIEW_LINK.findall(html) or self.reviews
        self.buyers = BUYER_LINK.findall(html) or self.buyers

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def _post(self, path: str, data: dict, *, name: str, headers=None, files=None, follow=True):
        headers = {"X-CSRFToken": self._csrf(), **(headers or {})}
        with self.client.post(
            path,
            data=data,
            files=files,
            headers=headers,
            name=name,
            catch_response=True,
            allow_redirects=follow,
        ) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            elif "/login/" in (response.headers.get("Location") or response.url or "") and (
                name != "login"
            ):
                response.failure("signed out")
            return response


class SellerUser(_Seller):
    wait_time = between(
        float(os.environ.get("BENCH_THINK_MIN", 2)), float(os.environ.get("BENCH_THINK_MAX", 6))
    )

    @task(3)
    def inbox(self) -> None:
        page = random.choice(["", "?page=2", "?rating=1", "?care=1"])
        self._collect(self.client.get(f"/reviews/inbox/{page}", name="inbox").text)

    @task(3)
    def compose_with_tone_checks(self) -> None:
        if not self.reviews:
            return
        review = random.choice(self.reviews)
        self.client.get(f"/reviews/{review}/reply/", name="composer")
        text = random.choice(REPLIES).format(name="Sari")
        for end in sorted(random.sample(range(20, len(text) + 1), k=4)):
            time.sleep(random.uniform(0.5, 1.0))  # htmx fires after the seller pauses typing
            self._post(
                "/reviews/tone-check/",
                {"review": review, "text": text[:end]},
                name="tone check (htmx)",
                headers={"HX-Request": "true", "HX-Target": "tone-findings"},
            )

    @task(2)
    def buyer_pages(self) -> None:
        query = random.choice(["", "?q=sari", "?q=budi", "?q=0812"])
        self._collect(self.client.get(f"/buyers/{query}", name="buyer list").text)
        if self.buyers:
            self.client.get(f"/buyers/{random.choice(self.buyers)}/", name="buyer page")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")


HELD = (
    itertools.cycle(os.environ.get("BENCH_HELD", "").split(","))
    if os.environ.get("BENCH_HELD")
    else None
)
IMPORTS = itertools.count(1)


class WriterUser(_Seller):
    wait_time = constant(0)

    @task(3)
    def note(self) -> None:
        if self.buyers:
            buyer = random.choice(self.buyers)
            self._post(
                f"/buyers/{buyer}/",
                {"kind": "note", "text": random.choice(NOTES)},
                name="write: timeline note",
                follow=False,
            )

    @task(3)
    def reply_draft(self) -> None:
        if self.reviews:
            review = random.choice(self.reviews)
            self._post(
                f"/reviews/{review}/reply/draft/",
                {"text": random.choice(REPLIES).format(name="Budi")},
                name="write: reply draft",
                follow=False,
            )

    @task(2)
    def approve(self) -> None:
        if HELD is not None:
            self._post(
                f"/followups/{next(HELD)}/approve/",
                {},
                name="write: approve follow-up",
                follow=False,
            )

    @task(1)
    def import_buyers(self) -> None:
        n = next(IMPORTS)
        rows = "\n".join(
            f"Pembeli Impor {self.username} {n}-{i},0813{n:04d}{i:04d},impor{n}x{i}@example.com,"
            f"whatsapp,,1990-05-17,Impor,ya,dari bench"
            for i in range(20)
        )
        body = "name,phone,email,channel,handle,birthday,tags,marketing_consent,notes\n" + rows
        response = self._post(
            "/imports/",
            {"format": "auto"},
            files={"file": (f"pembeli-{n}.csv", body.encode(), "text/csv")},
            name="write: import upload + check",
            follow=False,
        )
        run = re.search(r"/imports/(\d+)/", response.headers.get("Location") or "")
        if run:
            self._post(
                f"/imports/{run.group(1)}/commit/", {}, name="write: import commit", follow=False
            )
