"""A seller's journey in a real browser: inbox, a 4-star late-courier review, the tone guard's
block and override, the insights charts and the segment counts.

Playwright's sync API drives Debian's Chromium (``/usr/bin/chromium``, headless) against
pytest-django's ``live_server``; the data is written with ``transactional_db`` so the server
thread sees it. Screenshots land in ``test-artifacts/`` (gitignored).

Playwright's sync API runs an asyncio event loop in this thread while it waits for the browser,
so Django's async-safety check would refuse ORM calls made from this test between browser steps
("You cannot call this from an async context"). The ORM is only used here by the test itself, on
the test database, never concurrently with a request it serves: ``DJANGO_ALLOW_ASYNC_UNSAFE`` is
set for this module only (see ``_async_unsafe_allowed``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from customers.models import Courier
from reviews.models import Review, ToneEvent
from reviews.services import review_triage
from tests.browser.conftest import CHROMIUM, MISSING, chromium_missing
from tests.factories import (
    BuyerFactory,
    MembershipFactory,
    OrderFactory,
    ReviewFactory,
    ShopFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_missing(), reason=MISSING),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HOSTILE = "Kok cuma bintang 4? Tolong diubah jadi 5!"
PASSWORD = "rahasia-Rawat-2026"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _async_unsafe_allowed(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def console(message) -> None:
            # Script errors and CSP refusals count; the browser asking for /favicon.ico does not.
            if message.type == "error" and "favicon" not in message.location.get("url", ""):
                errors.append(message.text)

        page.on("console", console)
        page.js_errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Django keeps its connections per context; the ORM calls made while Playwright ran
            # used their own one, which Django's teardown cannot see: close it here, or
            # PostgreSQL refuses to drop the test database ("being accessed by other users").
            connections.close_all()


@pytest.fixture
def seller_shop(transactional_db):
    """A shop with a 4-star review about a late courier, and enough history for the charts."""
    shop = ShopFactory(name="Toko Batik Sari", slug="batik-sari")
    seller = UserFactory(username="sari")
    seller.set_password(PASSWORD)
    seller.save()
    MembershipFactory(shop=shop, user=seller, role="owner")
    now = timezone.now()

    buyer = BuyerFactory(shop=shop, name="Rina Wulandari")
    late = OrderFactory(
        buyer=buyer,
        courier=Courier.JNE,
        ordered_at=now - timedelta(days=9),
        promised_at=now - timedelta(days=6),
        delivered_at=now - timedelta(days=3),
    )
    review = ReviewFactory(
        order=late,
        rating=4,
        text="Batiknya bagus, tapi kurirnya telat 3 hari dari estimasi.",
        posted_at=now - timedelta(days=2),
    )
    review_triage(review=review)

    loyal = BuyerFactory(shop=shop, name="Budi Santoso")
    for days, rating in ((70, 5), (40, 5), (20, 3)):
        order = OrderFactory(
            buyer=loyal,
            courier=Courier.JNT,
            ordered_at=now - timedelta(days=days),
            promised_at=now - timedelta(days=days - 4),
            delivered_at=now - timedelta(days=days - 3),
        )
        review_triage(
            review=ReviewFactory(
                order=order, rating=rating, posted_at=now - timedelta(days=days - 5)
            )
        )
    dormant = BuyerFactory(shop=shop, name="Citra Lestari")
    OrderFactory(buyer=dormant, ordered_at=now - timedelta(days=150))
    connections.close_all()  # see browser_page: the test's later ORM calls use another context
    return {"shop": shop, "review": review}


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_seller_answers_a_late_courier_review_and_reads_the_insights(
    live_server, seller_shop, browser_page
):
    page = browser_page
    base = live_server.url
    review = seller_shop["review"]
    assert review.needs_care, "triage should flag a 4-star review about a late courier"

    _log_in(page, base)

    # The inbox lists the 4-star late-courier review; open it.
    page.goto(f"{base}/reviews/inbox/")
    _shot(page, "journey-1-inbox")
    page.locator(f"a[href='/reviews/{review.pk}/reply/']").first.click()
    page.wait_for_url(f"**/reviews/{review.pk}/**")

    # The drafted apology is ready in the composer.
    draft = page.input_value("#reply-text")
    assert "maaf" in draft.lower(), draft
    assert page.locator(".tone-verdict.tone-ok").is_visible()
    _shot(page, "journey-2-drafted-apology")

    # A hostile sentence: the guard warns and Send is blocked.
    box = page.locator("#reply-text")
    box.fill("")
    box.press_sequentially(HOSTILE, delay=5)
    page.locator(".tone-verdict.tone-hostile").wait_for(timeout=10_000)
    send = page.locator("[data-send-reply]")
    assert send.is_disabled()
    _shot(page, "journey-3-hostile-blocked")

    # Override with a reason; Send opens and the reply is recorded as sent.
    page.check("#id_override")
    page.fill("#id_override_reason", "Pembeli sendiri yang minta kami menanyakan ulang ratingnya.")
    page.wait_for_function("!document.querySelector('[data-send-reply]').disabled")
    send.click()
    page.wait_for_url("**/reviews/inbox/**")
    _shot(page, "journey-4-sent")
    review.refresh_from_db()
    assert review.reply_status == Review.ReplyStatus.SENT
    assert review.reply_text == HOSTILE
    override = ToneEvent.objects.get(review=review)
    assert override.outcome == ToneEvent.Outcome.OVERRODE and override.reason

    # The insights charts drew: each canvas holds a Chart.js chart with a real size.
    page.goto(f"{base}/insights/")
    page.wait_for_selector("canvas[data-drawn]")
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-insights-chart]')).map(c => ({
            id: c.getAttribute('data-insights-chart'),
            chart: Boolean(window.Chart && window.Chart.getChart(c)),
            width: c.width, height: c.height}))"""
    )
    _shot(page, "journey-5-insights")
    by_id = {entry["id"]: entry for entry in drawn}
    for key in ("chart-ratings-config", "chart-couriers-config", "chart-tone-config"):
        assert by_id[key]["chart"], by_id
        assert by_id[key]["width"] > 0 and by_id[key]["height"] > 0, by_id
    assert not page.js_errors, page.js_errors

    # Segment counts.
    page.goto(f"{base}/insights/segments/")
    _shot(page, "journey-6-segments")
    count = lambda key: page.inner_text(f"[data-segment-count='{key}']").strip()  # noqa: E731
    assert count("loyal") == "1"  # Budi, three orders
    assert count("dormant") == "1"  # Citra, 150 days
    assert count("at_risk") == "1"  # Budi's last review: 3 stars
    assert not page.js_errors, page.js_errors
