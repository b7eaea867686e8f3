"""check_reply and triage_reviews: JSON lines in, JSON lines out, bad lines named."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Review
from tests.factories import ReviewFactory


def run(command: str, lines: list[str], *args: str) -> tuple[list[dict], CommandError | None]:
    out = StringIO()
    error = None
    try:
        call_command(command, "--jsonl", *args, stdin=StringIO("\n".join(lines) + "\n"), stdout=out)
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], error


def test_check_reply_answers_each_line_in_the_issue_format():
    lines = [
        json.dumps({"text": "Kok cuma bintang 4? Tolong diubah jadi 5!"}),
        json.dumps({"text": "Terima kasih kak", "lang": "id"}),
        json.dumps(
            {
                "text": "Silakan perbarui ulasan jika berkenan",
                "channel": "tokopedia",
                "after_resolution": True,
            }
        ),
    ]
    results, error = run("check_reply", lines)
    assert error is None
    assert [r["verdict"] for r in results] == ["hostile", "ok", "caution"]
    first = results[0]
    assert first["hostile"] is True and 0 < first["score"] <= 1
    assert {"category", "start", "end", "explanation"} <= set(first["findings"][0])


def test_check_reply_names_bad_lines_answers_the_rest_and_fails():
    lines = [
        "not json",
        json.dumps({"text": "Bodo amat"}),
        json.dumps({"lang": "id"}),
        "",
        json.dumps({"text": "halo", "lang": "fr"}),
        json.dumps(["a list"]),
    ]
    results, error = run("check_reply", lines)
    assert error is not None and error.returncode == 2
    assert results[0]["line"] == 1 and "JSON" in results[0]["error"]
    assert results[1]["verdict"] == "hostile"
    assert results[2] == {"error": '"text" is required and must be a string', "line": 3}
    assert results[3]["line"] == 5
    assert results[4]["line"] == 6
    assert len(results) == 5  # the blank line is skipped


def test_triage_reviews_answers_each_line_in_the_issue_format():
    lines = [
        json.dumps({"rating": 4, "text": "Bagus tapi kurirnya lama"}),
        json.dumps({"rating": 4, "text": "Sesuai", "delay_days": 3}),
        json.dumps({"rating": 5, "text": "Mantap"}),
    ]
    results, error = run("triage_reviews", lines)
    assert error is None
    assert results[0] == {
        "topics": ["delivery_delay", "courier_service"],
        "sentiment": "neutral",
        "needs_care": True,
        "action": "delay_explanation",
    }
    assert results[1]["topics"] == ["delivery_delay"]
    assert results[2]["needs_care"] is False


def test_triage_reviews_names_bad_lines_and_fails():
    lines = [
        json.dumps({"rating": 7, "text": "x"}),
        json.dumps({"rating": 3}),
        json.dumps({"rating": 2, "text": "pecah"}),
        json.dumps({"rating": "5", "text": "ok"}),
        json.dumps({"rating": 4, "text": "ok", "delay_days": -1}),
    ]
    results, error = run("triage_reviews", lines)
    assert error is not None
    assert [r.get("line") for r in results] == [1, 2, None, 4, 5]
    assert results[2]["topics"] == ["damaged"]


@pytest.mark.django_db
def test_triage_reviews_without_jsonl_triages_stored_reviews(shop):
    ReviewFactory(order__buyer__shop=shop, rating=2, text="Telat seminggu")
    out = StringIO()
    call_command("triage_reviews", "--shop", shop.slug, stdout=out)
    assert "Triaged 1 review(s)." in out.getvalue()
    assert Review.objects.get(shop=shop).topics == ["delivery_delay"]
    with pytest.raises(CommandError):
        call_command("triage_reviews", "--shop", "no-such-shop", stdout=StringIO())


def test_check_reply_without_jsonl_prints_findings():
    out = StringIO()
    call_command("check_reply", "Dasar goblok", stdout=out)
    assert out.getvalue().startswith("hostile")
    with pytest.raises(CommandError):
        call_command("check_reply", stdout=StringIO())
