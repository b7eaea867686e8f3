"""Load the team-written corpora in tests/data/ and score the tone guard and triage on them.

Used by the floor tests (tests/tone/test_corpus.py, tests/reviews/test_triage_corpus.py) and by
`make eval` (bench/evaluate.py). Format of the files: tests/data/README.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Reply:
    line: int
    label: str  # hostile | caution | ok
    categories: frozenset[str]
    lang: str
    channel: str | None
    after_resolution: bool
    text: str


@dataclass(frozen=True)
class ReviewCase:
    line: int
    rating: int
    delay_days: int
    lang: str
    topics: frozenset[str]
    sentiment: str
    needs_care: bool
    text: str


def _rows(name: str, fields: int):
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ", fields - 1)]
        if len(parts) == fields - 1 and line.rstrip().endswith("|"):
            parts.append("")  # an empty review text
        if len(parts) != fields:
            raise ValueError(f"{name}:{number}: expected {fields} fields")
        yield number, parts


def load_replies(split: str) -> list[Reply]:
    out = []
    for number, (label, cats, lang, meta, text) in _rows(f"replies_{split}.txt", 5):
        if label not in ("hostile", "caution", "ok"):
            raise ValueError(f"replies_{split}.txt:{number}: bad label {label!r}")
        channel, resolved = None, False
        if meta != "-":
            for item in meta.split(","):
                if item.startswith("channel="):
                    channel = item.split("=", 1)[1]
                elif item == "resolved":
                    resolved = True
        categories = frozenset() if cats == "-" else frozenset(cats.split(","))
        out.append(Reply(number, label, categories, lang, channel, resolved, text))
    return out


def load_reviews(split: str) -> list[ReviewCase]:
    out = []
    for number, (rating, delay, lang, topics, sentiment, care, text) in _rows(
        f"reviews_{split}.txt", 7
    ):
        out.append(
            ReviewCase(
                number,
                int(rating),
                int(delay),
                lang,
                frozenset() if topics == "-" else frozenset(topics.split(",")),
                sentiment,
                care == "yes",
                text.rstrip("|").strip() if text == "|" else text,
            )
        )
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class ReplyScores:
    n: int
    per_category: dict[str, tuple[int, int, int]]  # tp, fp, fn
    hostile_recall: float
    hostile_precision: float
    false_alarm_hostile: float  # caring replies judged hostile
    false_alarm_any: float  # caring replies with any finding (caution or hostile)
    verdict_accuracy: float
    misses: list[tuple[Reply, str, list[str]]]


def score_replies(replies: list[Reply]) -> ReplyScores:
    from crm import tone

    counts: dict[str, list[int]] = {}
    hostile_tp = hostile_fp = hostile_fn = 0
    ok_total = ok_hostile = ok_any = correct = 0
    misses = []
    for r in replies:
        v = tone.check(r.text, channel=r.channel, after_resolution=r.after_resolution)
        found = {f.category for f in v.findings}
        for cat in found | r.categories:
            c = counts.setdefault(cat, [0, 0, 0])
            if cat in found and cat in r.categories:
                c[0] += 1
            elif cat in found:
                c[1] += 1
            else:
                c[2] += 1
        predicted_hostile = v.verdict == "hostile"
        if r.label == "hostile":
            hostile_tp += predicted_hostile
            hostile_fn += not predicted_hostile
        else:
            hostile_fp += predicted_hostile
        if r.label == "ok":
            ok_total += 1
            ok_hostile += predicted_hostile
            ok_any += v.verdict != "ok"
        correct += v.verdict == r.label
        if v.verdict != r.label or found != r.categories:
            misses.append((r, v.verdict, sorted(found)))
    _, recall, _ = prf(hostile_tp, hostile_fp, hostile_fn)
    precision, _, _ = prf(hostile_tp, hostile_fp, hostile_fn)
    return ReplyScores(
        n=len(replies),
        per_category={k: tuple(v) for k, v in sorted(counts.items())},  # type: ignore[misc]
        hostile_recall=recall,
        hostile_precision=precision,
        false_alarm_hostile=ok_hostile / ok_total if ok_total else 0.0,
        false_alarm_any=ok_any / ok_total if ok_total else 0.0,
        verdict_accuracy=correct / len(replies) if replies else 0.0,
        misses=misses,
    )


@dataclass
class ReviewScores:
    n: int
    per_topic: dict[str, tuple[int, int, int]]
    topic_micro: tuple[float, float, float]
    needs_care_accuracy: float
    sentiment_accuracy: float
    sentiment_confusion: Counter
    misses: list[tuple[ReviewCase, dict]]


def score_reviews(cases: list[ReviewCase]) -> ReviewScores:
    from reviews.triage import triage

    counts: dict[str, list[int]] = {}
    care_ok = sentiment_ok = 0
    confusion: Counter = Counter()
    misses = []
    for c in cases:
        t = triage(rating=c.rating, text=c.text, delay_days=c.delay_days)
        found = set(t.topics)
        for topic in found | c.topics:
            k = counts.setdefault(topic, [0, 0, 0])
            if topic in found and topic in c.topics:
                k[0] += 1
            elif topic in found:
                k[1] += 1
            else:
                k[2] += 1
        care_ok += t.needs_care == c.needs_care
        sentiment_ok += t.sentiment == c.sentiment
        confusion[(c.sentiment, t.sentiment)] += 1
        if found != c.topics or t.needs_care != c.needs_care or t.sentiment != c.sentiment:
            misses.append((c, t.as_dict()))
    tp = sum(v[0] for v in counts.values())
    fp = sum(v[1] for v in counts.values())
    fn = sum(v[2] for v in counts.values())
    return ReviewScores(
        n=len(cases),
        per_topic={k: tuple(v) for k, v in sorted(counts.items())},  # type: ignore[misc]
        topic_micro=prf(tp, fp, fn),
        needs_care_accuracy=care_ok / len(cases) if cases else 0.0,
        sentiment_accuracy=sentiment_ok / len(cases) if cases else 0.0,
        sentiment_confusion=confusion,
        misses=misses,
    )
