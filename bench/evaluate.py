"""`make eval`: score the tone guard and review triage on the team's corpora and public data sets.

    python bench/evaluate.py [--split dev|test|all] [--external PATH] [--misses]

Prints precision, recall and F1 per category and overall, for the development split (used while
writing the rules) and the held-out split (never used for tuning) separately. When the public
data sets exist (../shared/eval by default), runs the checks over them without any tuning.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from crm import tone  # noqa: E402
from crm.tone.normalize import normalize  # noqa: E402
from reviews.triage import triage  # noqa: E402
from tests.data.corpus import (  # noqa: E402
    load_replies,
    load_reviews,
    prf,
    score_replies,
    score_reviews,
)


def _row(name: str, tp: int, fp: int, fn: int) -> str:
    p, r, f = prf(tp, fp, fn)
    return f"  {name:<18} P {p:5.3f}  R {r:5.3f}  F1 {f:5.3f}   (tp {tp}, fp {fp}, fn {fn})"


def report_replies(split: str, misses: bool) -> None:
    replies = load_replies(split)
    s = score_replies(replies)
    labels = Counter(r.label for r in replies)
    print(f"\n== Seller replies, {split} split: {s.n} ({dict(labels)})")
    for name, (tp, fp, fn) in s.per_category.items():
        print(_row(name, tp, fp, fn))
    total = [sum(v[i] for v in s.per_category.values()) for i in range(3)]
    print(_row("categories (micro)", *total))
    print(
        f"  hostile verdict     P {s.hostile_precision:5.3f}  R {s.hostile_recall:5.3f}"
        f"  F1 {prf_f1(s.hostile_precision, s.hostile_recall):5.3f}"
    )
    print(
        f"  caring replies: judged hostile {s.false_alarm_hostile:.3f},"
        f" any warning {s.false_alarm_any:.3f};  verdict accuracy {s.verdict_accuracy:.3f}"
    )
    if misses:
        for r, verdict, found in s.misses:
            print(f"    {r.label}/{sorted(r.categories)} -> {verdict}/{found}: {r.text}")


def prf_f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def report_reviews(split: str, misses: bool) -> None:
    s = score_reviews(load_reviews(split))
    print(f"\n== Buyer reviews, {split} split: {s.n}")
    for name, (tp, fp, fn) in s.per_topic.items():
        print(_row(name, tp, fp, fn))
    p, r, f = s.topic_micro
    print(f"  topics (micro)     P {p:5.3f}  R {r:5.3f}  F1 {f:5.3f}")
    print(
        f"  needs_care accuracy {s.needs_care_accuracy:.3f};"
        f"  sentiment accuracy {s.sentiment_accuracy:.3f}"
    )
    if misses:
        for c, t in s.misses:
            print(
                f"    {c.rating}★ +{c.delay_days}d {sorted(c.topics)} {c.sentiment} {c.needs_care}"
                f" -> {t['topics']} {t['sentiment']} {t['needs_care']}: {c.text}"
            )


def report_prdect(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    started = time.perf_counter()
    results = [
        (row, triage(rating=int(row["Customer Rating"]), text=row["Customer Review"]))
        for row in rows
    ]
    elapsed = time.perf_counter() - started
    print(f"\n== PRDECT-ID (Tokopedia reviews, not tuned on): {len(rows)} rows, {elapsed:.2f} s")
    confusion = Counter((row["Sentiment"], t.sentiment) for row, t in results)
    for gold in ("Positive", "Negative"):
        counts = {ours: confusion[(gold, ours)] for ours in ("positive", "neutral", "negative")}
        print(f"  label {gold:<8} -> ours {counts}")
    decided = [(row, t) for row, t in results if t.sentiment != "neutral"]
    agree = sum(row["Sentiment"].lower() == t.sentiment for row, t in decided)
    print(
        f"  sentiment agreement where we decide: {agree}/{len(decided)}"
        f" = {agree / max(len(decided), 1):.3f}; neutral {len(results) - len(decided)}"
    )
    tp = sum(t.needs_care and row["Sentiment"] == "Negative" for row, t in results)
    fp = sum(t.needs_care and row["Sentiment"] == "Positive" for row, t in results)
    fn = sum(not t.needs_care and row["Sentiment"] == "Negative" for row, t in results)
    p, r, f = prf(tp, fp, fn)
    print(f"  needs_care vs label Negative: P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    four = [(row, t) for row, t in results if row["Customer Rating"] == "4"]
    care4 = sum(t.needs_care for _, t in four)
    delay4 = sum("delivery_delay" in t.topics for _, t in four)
    print(
        f"  4-star reviews: {len(four)}; needs care {care4}; delivery_delay {delay4}"
        " (the dataset notes 86 of them mention lama/lambat/telat/kurir/pengiriman)"
    )
    hostile = Counter(
        row["Sentiment"] for row in rows if tone.check(row["Customer Review"]).hostile
    )
    print(f"  buyer reviews the tone guard would call hostile: {dict(hostile)}")


def _stif_pairs(folder: Path):
    for split in ("train", "dev", "test"):
        inf = (folder / f"{split}.inf.txt").read_text(encoding="utf-8").splitlines()
        formal = (folder / f"{split}.for.txt").read_text(encoding="utf-8").splitlines()
        yield from zip(inf, formal, strict=True)


def report_stif(folder: Path) -> None:
    pairs = list(_stif_pairs(folder))
    verdicts = Counter()
    flips = []
    for informal, formal in pairs:
        a, b = tone.check(informal).verdict, tone.check(formal).verdict
        verdicts[("informal", a)] += 1
        verdicts[("formal", b)] += 1
        if (a == "hostile") != (b == "hostile"):
            flips.append((informal, a, b))
    n = len(pairs)
    print(f"\n== STIF (customer-service tweets, informal/formal pairs, not tuned on): {n} pairs")
    for side in ("informal", "formal"):
        counts = {v: verdicts[(side, v)] for v in ("ok", "caution", "hostile")}
        print(f"  {side:<8} verdicts {counts}  hostile rate {counts['hostile'] / n:.3f}")
    print(
        f"  pairs whose hostile verdict flips when formalised: {len(flips)} ({len(flips) / n:.3f})"
    )

    # Normalisation: bag-of-words overlap of the informal text with its formal rewrite, before and
    # after our normaliser (punctuation and masked user/number tokens left out).
    def bag(text: str) -> Counter:
        return Counter(t for t in text.lower().split() if t.isalpha() or "-" in t)

    before = [0, 0, 0]
    after = [0, 0, 0]
    for informal, formal in pairs:
        gold = bag(formal)
        for acc, tokens in ((before, bag(informal)), (after, bag(normalize(informal).text))):
            common = sum((tokens & gold).values())
            acc[0] += common
            acc[1] += sum(tokens.values()) - common
            acc[2] += sum(gold.values()) - common
    f_before = prf(*before)[2]
    f_after = prf(*after)[2]
    print(
        f"  normaliser: word overlap (F1) with the annotators' formal rewrite "
        f"{f_before:.3f} as written -> {f_after:.3f} after normalising"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--external", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--misses", action="store_true", help="List every disagreement.")
    args = parser.parse_args()
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    for split in splits:
        report_replies(split, args.misses)
    for split in splits:
        report_reviews(split, args.misses)
    external = Path(args.external)
    if not external.is_dir():
        print(f"\n(no public data sets at {external}; skipped)")
        return
    if (external / "prdect-id" / "prdect-id.csv").exists():
        report_prdect(external / "prdect-id" / "prdect-id.csv")
    if (external / "stif-informal-formal").is_dir():
        report_stif(external / "stif-informal-formal")


if __name__ == "__main__":
    main()
