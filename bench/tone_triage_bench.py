"""Speed of the tone guard and of review triage on one core (issue 3, part 7).

Targets: tone check of a 500-character reply p99 < 2 ms and >= 5,000 replies/s; triage >= 5,000
reviews/s. Texts are built from the team corpora (tests/data) and, when present, real PRDECT-ID
reviews, so the vocabulary varies like real traffic. Exit status 1 when a target is missed.

    DEBUG=1 .venv/bin/python bench/tone_triage_bench.py [--replies 5000] [--reviews 20000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from crm import tone  # noqa: E402
from reviews.triage import triage  # noqa: E402
from tests.data.corpus import load_replies, load_reviews  # noqa: E402

PRDECT = ROOT.parent / "shared" / "eval" / "prdect-id" / "prdect-id.csv"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _replies_500(count: int, rng: random.Random) -> list[str]:
    """Replies of 480-520 characters glued from corpus sentences (a third with a hostile one)."""
    kind = [r.text for r in load_replies("dev") + load_replies("test") if r.label == "ok"]
    rude = [r.text for r in load_replies("dev") + load_replies("test") if r.label == "hostile"]
    texts = []
    while len(texts) < count:
        parts = [rng.choice(rude)] if len(texts) % 3 == 0 else []
        while sum(len(p) + 1 for p in parts) < 480:
            parts.append(rng.choice(kind))
        rng.shuffle(parts)
        texts.append(" ".join(parts)[:520])
    return texts


def _reviews(count: int, rng: random.Random) -> list[tuple[int, str, int]]:
    pool = [(c.rating, c.text, c.delay_days) for c in load_reviews("dev") + load_reviews("test")]
    if PRDECT.exists():
        with PRDECT.open(encoding="utf-8") as f:
            pool += [
                (int(r["Customer Rating"]), r["Customer Review"], 0) for r in csv.DictReader(f)
            ]
    return [rng.choice(pool) for _ in range(count)]


def _percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=20000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    rng = random.Random(20260324)
    replies = _replies_500(args.replies, rng)
    reviews = _reviews(args.reviews, rng)
    mean_len = sum(map(len, replies)) / len(replies)

    started = time.perf_counter()
    tone.check(replies[0])
    cold_ms = (time.perf_counter() - started) * 1000

    for text in replies[:200]:  # warm the word cache as a running server would be
        tone.check(text)
    gc.collect()
    # Wall-clock time includes waiting for a CPU when other processes share the machine; CPU
    # time (time.thread_time) is the work done on the one core. Both are reported; the targets
    # are judged on CPU time, which is what "on one core" measures.
    wall_ms, cpu_ms = [], []
    wall, cpu = time.perf_counter, time.thread_time
    for text in replies:
        w0, c0 = wall(), cpu()
        tone.check(text)
        cpu_ms.append((cpu() - c0) * 1000)
        wall_ms.append((wall() - w0) * 1000)
    # Throughput without the per-call clocks.
    wall_started, cpu_started = wall(), cpu()
    for text in replies:
        tone.check(text)
    tone_wall_rate = len(replies) / (wall() - wall_started)
    tone_cpu_rate = len(replies) / (cpu() - cpu_started)
    wall_ms.sort()
    cpu_ms.sort()

    wall_started, cpu_started = wall(), cpu()
    for rating, text, delay in reviews:
        triage(rating=rating, text=text, delay_days=delay)
    triage_wall_rate = len(reviews) / (wall() - wall_started)
    triage_cpu_rate = len(reviews) / (cpu() - cpu_started)

    p50, p99 = _percentile(cpu_ms, 0.50), _percentile(cpu_ms, 0.99)
    wp50, wp99 = _percentile(wall_ms, 0.50), _percentile(wall_ms, 0.99)
    checks = [
        ("tone p99 (500 chars) < 2 ms", p99 < 2.0, f"{p99:.3f} ms CPU (wall {wp99:.3f} ms)"),
        (
            "tone throughput >= 5,000/s",
            tone_cpu_rate >= 5000,
            f"{tone_cpu_rate:,.0f}/s CPU (wall {tone_wall_rate:,.0f}/s)",
        ),
        (
            "triage throughput >= 5,000/s",
            triage_cpu_rate >= 5000,
            f"{triage_cpu_rate:,.0f}/s CPU (wall {triage_wall_rate:,.0f}/s)",
        ),
    ]
    print(f"Machine: {_cpu()}, {os.cpu_count()} logical CPUs; pinned to one core")
    print(f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Load average at start: {load}")
    print(
        f"Tone check: {len(replies)} replies, mean {mean_len:.0f} chars; first call (cold) "
        f"{cold_ms:.1f} ms; CPU p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {cpu_ms[-1]:.3f} ms; "
        f"wall p50 {wp50:.3f} ms, p99 {wp99:.3f} ms, max {wall_ms[-1]:.3f} ms"
    )
    print(f"Triage: {len(reviews)} reviews (team corpora + PRDECT-ID when present)")
    failed = False
    for label, ok, value in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value}")
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
