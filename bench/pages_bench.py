"""Seller pages at scale: a 1,000-order shop and a 1,000,000-order shop, side by side.

    .venv/bin/python bench/pages_bench.py [--databases sqlite,postgresql] [--runs 20]
                                          [--write docs/benchmarks.md]

Builds (or reuses) two shops with ``seed_demo``'s generator: 100 buyers / 1,000 orders and
100,000 buyers / 1,000,000 orders, on SQLite (files under bench/out/, gitignored, reused while
they hold the right shop) and on PostgreSQL (PAGES_BENCH_PG, default
postgres://postgres@127.0.0.1:5432/rawat_h2_bench, suffixed _1k and _1m; also reused). Each
database is migrated first, so a cached file gets the newest indexes.

Then, in a fresh process per database with DEBUG off (no SQL log, cached templates), it signs in
as the shop's owner with Django's test client and requests every seller page ``--runs`` times
after two warm-up requests: the dashboard, insights (default 90 days), segments, the reviews
inbox, the buyer list, the page of the buyer with the most orders, and the follow-up outbox. It
reports the median and p95 wall time, the number of SQL queries (the same at both sizes when a
page does not grow with the data) and the query plan of each page's slowest query. ``--write``
replaces the section between <!-- pages-bench:start --> and <!-- pages-bench:end -->.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
OUT = Path(os.environ.get("PAGES_BENCH_DIR", ROOT / "bench" / "out"))
PG_BASE = os.environ.get("PAGES_BENCH_PG", "postgres://postgres@127.0.0.1:5432/rawat_h2_bench")
SECTION_START = "<!-- pages-bench:start -->"
SECTION_END = "<!-- pages-bench:end -->"
SIZES = {"1k": (100, 1_000), "1m": (100_000, 1_000_000)}
PAGES = [
    ("dashboard", "Dashboard", "/"),
    ("insights", "Insights (90 days)", "/insights/"),
    ("segments", "Segments", "/insights/segments/"),
    ("inbox", "Reviews inbox", "/reviews/inbox/"),
    ("buyers", "Buyer list", "/buyers/"),
    ("buyer", "Buyer page", "/buyers/{buyer}/"),
    ("outbox", "Follow-up outbox", "/followups/"),
    # The default tab holds 6 messages in the small shop and a full page in the big one; the
    # "sent" tab is a full page at both sizes, the like-for-like comparison.
    ("outbox_sent", "Outbox, sent tab", "/followups/?status=sent"),
]


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # DEBUG=1 loads the development settings (no manifest for static files); the child turns
    # DEBUG off before Django starts, as in production.
    env.update(
        DEBUG="1",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="testserver,localhost",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        PYTHONWARNINGS="ignore",
    )
    return env


def _targets(databases: list[str]) -> list[tuple[str, str, str]]:
    """(database kind, size, DATABASE_URL) for every database to measure."""
    targets = []
    for kind in databases:
        for size in SIZES:
            if kind == "sqlite":
                url = f"sqlite:///{OUT / f'pages-{size}.sqlite3'}"
            else:
                url = f"{PG_BASE}_{size}"
            targets.append((kind, size, url))
    return targets


def _pg_ensure(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            con.execute(f'CREATE DATABASE "{name}"')


def _child(args: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run(
        [PY, __file__, "--child", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- children ----------------------------------------------------------------------------------


def _django(debug: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    from django.conf import settings

    settings.DEBUG = debug  # before setup: the template engines read it when they are built
    import django

    django.setup()


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its ended children (seed_demo's worker processes)."""
    import resource

    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_prepare(size: str) -> dict:
    """Migrate, and seed the shop unless it already has the right size; the seed's times."""
    _django(debug=False)
    from django.core.management import call_command
    from django.db.models import Count

    from customers.demo import demo_seed
    from customers.models import Buyer, Order, Shop

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    migrate_s = time.perf_counter() - started
    buyers, orders = SIZES[size]
    shop = Shop.objects.filter(slug="demo").first()
    seeded = None
    have = (
        (Buyer.objects.filter(shop=shop).count(), Order.objects.filter(shop=shop).count())
        if shop
        else (0, 0)
    )
    if have != (buyers, orders):
        wall, cpu = time.perf_counter(), _cpu_with_children()
        report = demo_seed(buyers=buyers, orders=orders)
        seeded = {
            "wall_s": round(time.perf_counter() - wall, 1),
            "cpu_s": round(_cpu_with_children() - cpu, 1),
            "load": os.getloadavg(),
            "created": report.created,
            "at": datetime.datetime.now().isoformat(timespec="minutes"),
        }
        shop = report.shop
    # What the django-q2 schedule does every 10 minutes: the dashboard's rollup and segment
    # sizes (insights.rollup), timed.
    from insights.rollup import rollup_refresh

    refresh = rollup_refresh(shop=shop)
    # ... and what the nightly job does: fresh planner statistics (a cached file may predate
    # the newest indexes).
    from insights.tasks import planner_statistics_refresh

    planner_statistics_refresh()
    buyer = (
        Order.objects.filter(shop=shop)
        .values("buyer")
        .annotate(n=Count("pk"))
        .order_by("-n", "buyer")
        .values_list("buyer", "n")
        .first()
    )
    return {
        "seeded": seeded,
        "migrate_s": round(migrate_s, 1),
        "buyer": buyer,
        "rollup": {
            "took_ms": refresh.took_ms,
            "first_day": refresh.first_day,
            "review_rows": refresh.review_rows,
            "delivery_rows": refresh.delivery_rows,
        },
    }


def _explain(connection, sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            rows = cursor.fetchall()
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return lines
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


def child_measure(runs: int, buyer: int) -> dict:
    _django(debug=False)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from customers.models import Membership

    owner = Membership.objects.select_related("user").get(shop__slug="demo", role="owner").user
    client = Client()
    client.force_login(owner)
    results = {}
    for key, _label, path in PAGES:
        url = path.format(buyer=buyer)
        for _warm in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times, cpu = [], []
        for _run in range(runs):
            wall, process = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - wall)
            cpu.append(time.process_time() - process)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # The query that took longest, timed again alone (the log's clock is coarse).
        slowest, slowest_s = "", -1.0
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()
            took = time.perf_counter() - started
            if took > slowest_s:
                slowest, slowest_s = sql, took
        times.sort()
        results[key] = {
            "median_ms": round(1000 * statistics.median(times), 1),
            "p95_ms": round(1000 * times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
            "cpu_ms": round(1000 * statistics.median(cpu), 1),
            "queries": len(captured.captured_queries),
            "main_sql": slowest,
            "main_ms": round(1000 * slowest_s, 1),
            "plan": _explain(connection, slowest) if slowest else [],
        }
    return {"pages": results, "load": os.getloadavg(), "vendor": connection.vendor}


# --- report ------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def render(results: dict, runs: int) -> str:
    lines = [
        SECTION_START,
        "## Seller pages at 1,000 and 1,000,000 orders",
        "",
        "`make bench-pages` (part of `make bench`) runs `bench/pages_bench.py`: the shop of "
        "`seed_demo --buyers 100 --orders 1000` against `seed_demo --buyers 100000 --orders "
        f"1000000`, each page requested {runs} times after two warm-ups through Django's test "
        "client with DEBUG off, signed in as the owner. Times are wall-clock per request (the "
        "machine is shared: load averages below); *CPU* is the median CPU time of the process "
        "serving the page (Python and, on SQLite, the database; not PostgreSQL's own server "
        "processes), which load inflates much less; *queries* is the number of SQL statements the "
        "page runs, which must not grow with the data (tests/insights/test_page_queries.py holds "
        "them).",
        "",
        f"Machine: {_machine()}. Run {datetime.datetime.now():%Y-%m-%d %H:%M}.",
        "",
    ]
    for kind in ("sqlite", "postgresql"):
        small, large = results.get((kind, "1k")), results.get((kind, "1m"))
        if not small or not large:
            continue
        title = "SQLite" if kind == "sqlite" else "PostgreSQL"
        lines += [
            f"### {title}",
            "",
            f"Load average during the runs: 1k {small['load'][0]:.1f}, "
            f"1M {large['load'][0]:.1f} (2 cores).",
            "",
            "| page | 1k median | 1k p95 | 1M median | 1M p95 | 1M / 1k | CPU 1k / 1M | "
            "queries 1k / 1M |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for key, label, _path in PAGES:
            s, m = small["pages"][key], large["pages"][key]
            ratio = m["median_ms"] / s["median_ms"] if s["median_ms"] else 0
            lines.append(
                f"| {label} | {s['median_ms']:.0f} ms | {s['p95_ms']:.0f} ms | "
                f"**{m['median_ms']:.0f} ms** | {m['p95_ms']:.0f} ms | {ratio:.1f}× | "
                f"{s['cpu_ms']:.0f} / {m['cpu_ms']:.0f} ms | {s['queries']} / {m['queries']} |"
            )
        seeded = large.get("seeded")
        if seeded:
            lines += [
                "",
                f"The 1M shop was seeded for this run in {seeded['wall_s']:.0f} s wall "
                f"({seeded['cpu_s']:.0f} s CPU in Python, worker processes included, load "
                f"{seeded['load'][0]:.1f}).",
            ]
        lines += ["", f"Slowest query of each page at 1M orders ({title}) and its plan:", ""]
        for key, label, _path in PAGES:
            page = large["pages"][key]
            sql = page["main_sql"]
            if len(sql) > 700:
                sql = sql[:700] + " …"
            lines += [
                f"<details><summary>{label}: {page['main_ms']:.0f} ms</summary>",
                "",
                "```sql",
                sql,
                "```",
                "",
                "```",
                *page["plan"],
                "```",
                "",
                "</details>",
                "",
            ]
    lines += [SECTION_END, ""]
    return "\n".join(lines)


def write_section(path: Path, report: str) -> None:
    """Replace (or append) only this bench's section; the others belong to other benches."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if SECTION_START in text and SECTION_END in text:
        before = text[: text.index(SECTION_START)]
        after = text[text.index(SECTION_END) + len(SECTION_END) :].lstrip("\n")
        text = before + report + after
    else:
        text = text.rstrip("\n") + "\n\n" + report
    path.write_text(text)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "prepare":
            result = child_prepare(rest[0])
        else:
            result = child_measure(int(rest[0]), int(rest[1]))
        print(json.dumps(result, default=str))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1k,1m")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--json", type=Path, help="also save the raw results here")
    parser.add_argument(
        "--merge",
        type=Path,
        action="append",
        default=[],
        help="results saved by an earlier --json run, for the databases not measured now",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = args.sizes.split(",")
    results = {}
    for saved in args.merge:
        for key, value in json.loads(saved.read_text()).items():
            kind, size = key.rsplit("-", 1)
            results[(kind, size)] = value
    for kind, size, url in _targets(args.databases.split(",") if args.databases else []):
        if size not in sizes:
            continue
        if kind == "postgresql":
            _pg_ensure(url)
        env = _env(url)
        print(f"{kind} {size}: preparing {url}", flush=True)
        prepared = _child(["prepare", size], env)
        if prepared["seeded"]:
            print(f"  seeded: {prepared['seeded']}", flush=True)
        buyer, orders = prepared["buyer"]
        print(f"  measuring ({args.runs} runs per page; buyer {buyer} has {orders} orders)")
        measured = _child(["measure", str(args.runs), str(buyer)], env)
        measured["seeded"] = prepared["seeded"]
        measured["rollup"] = prepared["rollup"]
        print(f"  rollup refresh: {prepared['rollup']}", flush=True)
        results[(kind, size)] = measured
        for key, label, _path in PAGES:
            page = measured["pages"][key]
            print(
                f"  {label:<20} median {page['median_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms"
                f"  queries {page['queries']:3}  slowest {page['main_ms']:.1f} ms",
                flush=True,
            )
    if args.json:
        args.json.write_text(
            json.dumps({f"{k}-{s}": v for (k, s), v in results.items()}, indent=1, default=str)
        )
    report = render(results, args.runs)
    if args.write:
        write_section(args.write, report)
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
