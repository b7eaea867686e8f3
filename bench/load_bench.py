"""Load: Rawat under gunicorn (4 workers, DEBUG=0) with a running qcluster.

1. PostgreSQL (own database, default rawat_load): the demo shop and a second shop
   (`manage.py seed_demo`), seller accounts, then 50 locust sellers for 60 s over the review
   inbox, the reply composer with its live tone checks (htmx POSTs with CSRF), buyer search and
   buyer pages, and the dashboard, 1-3 s of reading between pages. Target: zero errors, p95 <
   500 ms. The 60 s window starts when the last seller has signed in (sign-ins are a separate
   row: a PBKDF2 hash each, by design slow).
2. SQLite in WAL mode (a fresh file): 10 writers with no pause (timeline notes, reply drafts,
   follow-up approvals, CSV imports) while the cluster sends due emails. Target: zero
   "database is locked" (crm/settings.py: WAL, busy_timeout 20 s, IMMEDIATE transactions).

Everything runs on 127.0.0.1; locust shares the machine's cores with the server (said in the
report). `make bench-load` runs both and writes docs/benchmarks.md (section load-bench).

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 60] [--writers 10]
        [--pg-url postgres://postgres@127.0.0.1:5432/rawat_load] [--skip-pg] [--skip-sqlite]
        [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECTION_START = "<!-- load-bench:start -->"
SECTION_END = "<!-- load-bench:end -->"
PASSWORD = "rawat-load-2026"
SECOND_SHOP = "toko-kedua"
LOGIN_NAMES = {"login", "login page"}


# --- inside Django (a child process) ----------------------------------------------------------


def child(command: str, options: dict) -> dict:
    import django

    django.setup()
    if command == "prepare":
        return prepare(**options)
    if command == "enqueue":
        from django_q.tasks import async_task

        for _ in range(options.get("count", 1)):
            async_task("followups.tasks.send_due")
        return {}
    if command == "counts":
        from followups.models import FollowUp

        return {
            status: FollowUp.objects.filter(
                idempotency_key__startswith="load:", status=status
            ).count()
            for status in ("due", "sending", "sent", "failed")
        }
    raise SystemExit(f"unknown child command {command}")


def prepare(*, users: int, held: int, due: int, writers_shop_only: bool) -> dict:
    """Migrate, seed the shops, create seller accounts, held and due follow-ups."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from crm.services import schedules_setup
    from customers.models import Buyer, Membership, Shop
    from followups.models import CareSettings, FollowUp
    from followups.services import care_settings_get

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0)
    shops = [Shop.objects.get(slug="demo")]
    if not writers_shop_only:
        call_command("seed_demo", shop=SECOND_SHOP, verbosity=0)
        shops.append(Shop.objects.get(slug=SECOND_SHOP))
    for shop in shops:
        care_settings_get(shop=shop)
    # The bench must not depend on the hour it runs at: no quiet hours.
    CareSettings.objects.update(quiet_start="00:00", quiet_end="00:00")
    hashed = make_password(PASSWORD)  # one hash for every account: seeding stays quick
    User = get_user_model()
    names = [f"penjual{i:02d}" for i in range(1, users + 1)]
    for i, name in enumerate(names):
        user, _ = User.objects.update_or_create(username=name, defaults={"password": hashed})
        Membership.objects.get_or_create(
            shop=shops[i % len(shops)], user=user, defaults={"role": "owner"}
        )
    demo = shops[0]
    buyers = list(Buyer.objects.for_shop(demo).order_by("pk")[:200])
    now = timezone.now()

    def followup(i: int, status: str) -> FollowUp:
        buyer = buyers[i % len(buyers)]
        return FollowUp(
            shop=demo,
            buyer=buyer,
            kind="thank_you",
            channel="email",
            recipient=buyer.email or f"pembeli{buyer.pk}@example.com",
            due_at=now - datetime.timedelta(minutes=1),
            status=status,
            needs_approval=status == "held",
            subject="Terima kasih",
            text=f"Terima kasih sudah berbelanja, {buyer.name}!",
            tone_verdict="ok",
            idempotency_key=f"load:{status}:{i}",
        )

    FollowUp.objects.filter(idempotency_key__startswith="load:").delete()
    FollowUp.objects.bulk_create([followup(i, "held") for i in range(held)])
    FollowUp.objects.bulk_create([followup(i, "due") for i in range(due)])
    schedules_setup()
    return {
        "usernames": names,
        "held": list(
            FollowUp.objects.filter(idempotency_key__startswith="load:held:").values_list(
                "pk", flat=True
            )
        ),
        "buyers": Buyer.objects.count(),
        "shops": len(shops),
    }


# --- the orchestrator -------------------------------------------------------------------------


class Stack:
    """gunicorn + qcluster on one database, with logs in a temporary directory."""

    def __init__(
        self, *, database_url: str, work: Path, static_root: Path, label: str, conn_max_age: int = 0
    ) -> None:
        self.work = work
        self.label = label
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "load-bench-secret-key-not-for-production-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "BENCH_STATIC_ROOT": str(static_root),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "DB_CONN_MAX_AGE": str(conn_max_age),
        }
        self.env.pop("REDIS_URL", None)
        self.processes: dict[str, subprocess.Popen] = {}

    def run_child(self, command: str, **options) -> dict:
        out = subprocess.run(
            [PY, __file__, "--child", command, json.dumps(options)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise SystemExit(f"{command} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    def log(self, name: str) -> Path:
        return self.work / f"{self.label}-{name}.log"

    def start(self) -> None:
        for name, argv in (
            (
                "gunicorn",
                [PY, "-m", "gunicorn", "crm.wsgi:application", "--workers", "4"]
                + ["--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5"],
            ),
            ("qcluster", [PY, "manage.py", "qcluster"]),
        ):
            with self.log(name).open("w") as log:
                self.processes[name] = subprocess.Popen(
                    argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = Request(self.url + "/login/", headers={"X-Forwarded-Proto": "https"})
                with urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer:\n{self.log('gunicorn').read_text()[-3000:]}")

    def cpu_seconds(self) -> dict[str, float]:
        """User+system CPU of each process tree so far (psutil comes with locust)."""
        import psutil

        result = {}
        for name, process in self.processes.items():
            total = 0.0
            try:
                root = psutil.Process(process.pid)
                for p in [root, *root.children(recursive=True)]:
                    times = p.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
            except psutil.NoSuchProcess:
                pass
            result[name] = total
        return result

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log_count(self, pattern: str) -> dict[str, int]:
        return {
            name: len(re.findall(pattern, self.log(name).read_text(errors="replace")))
            for name in self.processes
        }


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_cores(before: tuple[float, float], after: tuple[float, float]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return round(busy / total * (os.cpu_count() or 1), 2) if total else 0.0


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collectstatic(static_root: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-only",
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "BENCH_STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def run_locust(
    stack: Stack, *, user_class: str, users: int, seconds: int, warmup: int, extra_env: dict
) -> dict:
    samples_path = stack.work / f"{stack.label}-samples.json"
    env = {**os.environ, "BENCH_SAMPLES": str(samples_path), **extra_env}
    argv = [
        PY, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless",
        "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds + warmup}s",
        "--host", stack.url, "--only-summary", "--stop-timeout", "5", "--exit-code-on-error", "0",
        user_class,
    ]  # fmt: skip
    with (stack.work / f"{stack.label}-locust.log").open("w") as log:
        subprocess.run(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    return json.loads(samples_path.read_text())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]


def summarise(data: dict, *, seconds: int) -> dict:
    samples = data["samples"]
    start = max(data["logged_in"]) if data["logged_in"] else min(s[0] for s in samples)
    end = start + seconds
    rows: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, list[str]] = defaultdict(list)
    for started, name, ms, ok, error in samples:
        if not ok:
            failures[name].append(error)
        if name in LOGIN_NAMES or start <= started < end:
            rows[name].append(ms)
    measured = [ms for name, values in rows.items() if name not in LOGIN_NAMES for ms in values]
    last = max((s[0] for s in samples), default=start)
    return {
        "window_s": round(min(end, last) - start, 1),
        "rows": {
            name: {
                "n": len(values),
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "p99": percentile(values, 99),
                "errors": len(failures.get(name, [])),
            }
            for name, values in sorted(rows.items())
        },
        "all": {
            "n": len(measured),
            "p50": percentile(measured, 50),
            "p95": percentile(measured, 95),
            "p99": percentile(measured, 99),
            "rps": round(len(measured) / max(1e-9, min(end, last) - start), 1),
        },
        "errors": sum(len(v) for v in failures.values()),
        "requests_total": len(samples),
        "error_samples": sorted({e for v in failures.values() for e in v})[:5],
    }


class Enqueuer(threading.Thread):
    """Queues send_due every `every` seconds during the run (the schedule does it each minute;
    more often here, so the cluster writes all through the window)."""

    def __init__(self, stack: Stack, every: float) -> None:
        super().__init__(daemon=True)
        self.stack, self.every, self.stop_event = stack, every, threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.stack.run_child("enqueue", count=1)
            self.stop_event.wait(self.every)


def bench_postgres(args, work: Path, static_root: Path) -> dict:
    import psycopg

    url = args.pg_url
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    stack = Stack(
        database_url=url,
        work=work,
        static_root=static_root,
        label="pg",
        conn_max_age=args.conn_max_age,
    )
    print(f"PostgreSQL {name}: migrate, seed the demo shops, {args.users} sellers ...", flush=True)
    prepared = stack.run_child(
        "prepare", users=args.users, held=0, due=args.pg_due, writers_shop_only=False
    )
    stack.start()
    enqueuer = Enqueuer(stack, every=60)  # as the followups.send_due schedule
    try:
        before = stack.cpu_seconds()
        load_before = os.getloadavg()
        machine_before, children_before, started = machine_cpu(), children_cpu(), time.monotonic()
        enqueuer.start()
        print(f"  locust: {args.users} sellers, {args.seconds} s ...", flush=True)
        data = run_locust(
            stack, user_class="SellerUser", users=args.users, seconds=args.seconds,
            warmup=args.warmup, extra_env={"BENCH_USERNAMES": ",".join(prepared["usernames"])},
        )  # fmt: skip
        load_after = os.getloadavg()
        after = stack.cpu_seconds()
        after["locust"] = children_cpu() - children_before  # + the small enqueue helpers
        elapsed = time.monotonic() - started
        cores = busy_cores(machine_before, machine_cpu())
    finally:
        enqueuer.stop_event.set()
        enqueuer.join(timeout=30)
        counts = stack.run_child("counts")
        stack.stop()
    result = summarise(data, seconds=args.seconds)
    result.update(
        database="PostgreSQL",
        users=args.users,
        shops=prepared["shops"],
        buyers=prepared["buyers"],
        followups=counts,
        cpu={k: round(after[k] - before.get(k, 0), 1) for k in after},
        elapsed=round(elapsed, 1),
        busy_cores=cores,
        load=(load_before, load_after),
        log_errors=stack.log_count(r"Traceback|ERROR"),
    )
    return result


def bench_sqlite(args, work: Path, static_root: Path) -> dict:
    path = work / "load.sqlite3"
    stack = Stack(
        database_url=f"sqlite:///{path}", work=work, static_root=static_root, label="sqlite"
    )
    print(f"SQLite {path}: migrate, seed the demo shop, {args.writers} writers ...", flush=True)
    prepared = stack.run_child(
        "prepare", users=args.writers, held=3000, due=args.due, writers_shop_only=True
    )
    journal = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    stack.start()
    enqueuer = Enqueuer(stack, every=10)
    try:
        before = stack.cpu_seconds()
        load_before = os.getloadavg()
        machine_before, children_before, started = machine_cpu(), children_cpu(), time.monotonic()
        enqueuer.start()
        print(
            f"  locust: {args.writers} writers, {args.seconds} s, with the cluster sending ...",
            flush=True,
        )
        data = run_locust(
            stack, user_class="WriterUser", users=args.writers, seconds=args.seconds,
            warmup=args.warmup,
            extra_env={
                "BENCH_USERNAMES": ",".join(prepared["usernames"]),
                "BENCH_HELD": ",".join(map(str, prepared["held"])),
            },
        )  # fmt: skip
        load_after = os.getloadavg()
        after = stack.cpu_seconds()
        after["locust"] = children_cpu() - children_before  # + the small enqueue helpers
        elapsed = time.monotonic() - started
        cores = busy_cores(machine_before, machine_cpu())
    finally:
        enqueuer.stop_event.set()
        enqueuer.join(timeout=30)
        counts = stack.run_child("counts")
        stack.stop()
    result = summarise(data, seconds=args.seconds)
    connection = sqlite3.connect(path)
    failed_jobs = connection.execute(
        "SELECT COUNT(*) FROM django_q_task WHERE success = 0"
    ).fetchone()[0]
    locked_jobs = connection.execute(
        "SELECT COUNT(*) FROM django_q_task WHERE success = 0 AND result LIKE '%locked%'"
    ).fetchone()[0]
    connection.close()
    result.update(
        database="SQLite",
        journal_mode=journal,
        users=args.writers,
        followups=counts,
        cpu={k: round(after[k] - before.get(k, 0), 1) for k in after},
        elapsed=round(elapsed, 1),
        busy_cores=cores,
        load=(load_before, load_after),
        locked_in_logs=stack.log_count(r"database is locked"),
        locked_503=sum(1 for s in data["samples"] if "HTTP 503" in s[4]),
        failed_jobs=failed_jobs,
        locked_jobs=locked_jobs,
        log_errors=stack.log_count(r"Traceback|ERROR"),
    )
    return result


# --- the report -------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"


def _table(result: dict) -> list[str]:
    lines = [
        "| Endpoint | Requests | p50 ms | p95 ms | p99 ms | Errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in result["rows"].items():
        lines.append(
            f"| {name} | {row['n']:,} | {_ms(row['p50'])} | {_ms(row['p95'])} | {_ms(row['p99'])} | {row['errors']} |"
        )
    every = result["all"]
    lines.append(
        f"| **all pages (sign-in excluded)** | **{every['n']:,}** | **{_ms(every['p50'])}** | "
        f"**{_ms(every['p95'])}** | **{_ms(every['p99'])}** | **{result['errors']}** |"
    )
    return lines


def report(pg: dict | None, lite: dict | None, args, when: str | None = None) -> str:
    cpu = platform.processor() or platform.machine()
    when = when or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION_START,
        "## Load: gunicorn (4 workers) + qcluster",
        "",
        f"Measured {when} by `make bench-load` (`bench/load_bench.py`, locust users in "
        "`bench/load_locustfile.py`) on this machine: "
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. gunicorn 4 sync workers, DEBUG=0, "
        "collected static files served by WhiteNoise, `manage.py qcluster` (2 workers, ORM "
        "broker) running and sending; locust runs on the same 2 cores (its CPU is part of the "
        "load). Requests carry `X-Forwarded-Proto: https`, as behind the TLS proxy of a "
        "production set-up.",
        "",
    ]
    if pg:
        ok = pg["errors"] == 0 and pg["all"]["p95"] < 500
        lines += [
            f"### PostgreSQL: {pg['users']} sellers for {pg['window_s']:.0f} s — "
            f"{'target met' if ok else 'TARGET MISSED'} (zero errors, p95 < 500 ms)",
            "",
            _cpu_line(pg),
            "",
            f"{pg['shops']} demo shops ({pg['buyers']:,} buyers), {pg['users']} seller accounts, "
            "one per locust user. Each seller: inbox, composer with 4 live tone checks per "
            f"reply (0.5–1 s apart, as they type), buyer search and pages, dashboard; "
            f"{os.environ.get('BENCH_THINK_MIN', '2')}–{os.environ.get('BENCH_THINK_MAX', '6')} s "
            "of reading between pages. "
            f"The window starts when the last seller has signed in; sign-in rows cover the "
            f"whole ramp-up (each is one PBKDF2 hash, slow on purpose). Throughput "
            f"{pg['all']['rps']} requests/s. DB_CONN_MAX_AGE={pg.get('conn_max_age', 0)}"
            f"{' (a new connection per request, the default)' if not pg.get('conn_max_age') else ''}. "
            f"The cluster sent {pg['followups']['sent']:,} due emails meanwhile (dummy backend).",
            "",
            *_table(pg),
            "",
        ]
        if pg["error_samples"]:
            lines += [f"Errors: {', '.join(pg['error_samples'])}", ""]
    if lite:
        locked = sum(lite["locked_in_logs"].values()) + lite["locked_jobs"]
        lines += [
            f"### SQLite (journal_mode={lite['journal_mode']}): {lite['users']} writers for "
            f"{lite['window_s']:.0f} s plus the cluster sending — "
            f'{"no" if locked == 0 else locked} "database is locked"',
            "",
            f"{lite['users']} locust users with no pause, each write a real seller action: a "
            "timeline note, a reply draft, approving a held follow-up, a 20-row buyer CSV "
            "(upload + check, then import, both in the request). Meanwhile `send_due` was "
            f"queued every 10 s and the cluster sent {lite['followups']['sent']:,} emails "
            f'(claim, send, mark sent + timeline: 3 writes each). "database is locked" in '
            f"the gunicorn and qcluster logs: {lite['locked_in_logs']}; 503 answers: "
            f"{lite['locked_503']}; failed jobs: {lite['failed_jobs']} ({lite['locked_jobs']} "
            f"locked). Throughput {lite['all']['rps']} writes/s.",
            "",
            *_table(lite),
            "",
            "SQLite serialises writers (one at a time, IMMEDIATE transactions queue on the "
            "20 s busy timeout instead of failing), so the write latencies above are queueing "
            "time under a deliberately saturating load; PostgreSQL is the choice for many "
            "concurrent sellers.",
            "",
        ]
    lines.append(SECTION_END)
    return "\n".join(lines)


def _cpu_line(result: dict) -> str:
    cpu = result["cpu"]
    ours = sum(cpu.values()) / result["elapsed"]
    return (
        f"CPU over the {result['elapsed']:.0f} s run (sign-ins included): the machine's "
        f"{os.cpu_count()} cores were {result['busy_cores']:.2f} cores busy; this bench's "
        f"processes used {ours:.2f} of them (gunicorn {cpu.get('gunicorn')} s, qcluster "
        f"{cpu.get('qcluster')} s, locust {cpu.get('locust')} s; PostgreSQL's own backends are "
        "not counted). The rest was other work on the shared machine. Load average "
        f"(1/5/15 min) before {_load(result['load'][0])}, after {_load(result['load'][1])}."
    )


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def write_section(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION_START in text and SECTION_END in text:
        before = text[: text.index(SECTION_START)]
        after = text[text.index(SECTION_END) + len(SECTION_END) :]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(sys.argv[2], json.loads(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=90, help="extra seconds for sign-ins")
    parser.add_argument(
        "--due", type=int, default=3000, help="due emails for the cluster (SQLite run)"
    )
    parser.add_argument(
        "--pg-due", type=int, default=300, help="due emails for the cluster (PostgreSQL run)"
    )
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/rawat_load")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="DB_CONN_MAX_AGE for the PostgreSQL run (0, the default: a connection per request)",
    )
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--write", type=Path, help="write the section into this markdown file")
    parser.add_argument("--json", type=Path, help="also dump the raw results here")
    parser.add_argument("--from-json", type=Path, help="only render a --json dump of a run")
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        section = report(saved["postgres"], saved["sqlite"], args, when=saved.get("when"))
        print(section)
        if args.write:
            write_section(args.write, section)
        return

    with tempfile.TemporaryDirectory(prefix="rawat-load-") as tmp:
        work = Path(tmp)
        static_root = work / "static"
        print("collectstatic ...", flush=True)
        collectstatic(static_root)
        pg = None if args.skip_pg else bench_postgres(args, work, static_root)
        if pg:
            pg["conn_max_age"] = args.conn_max_age
        lite = None if args.skip_sqlite else bench_sqlite(args, work, static_root)
        if os.environ.get("BENCH_KEEP_LOGS"):
            keep = Path(os.environ["BENCH_KEEP_LOGS"])
            keep.mkdir(parents=True, exist_ok=True)
            for log in work.glob("*.log"):
                (keep / log.name).write_bytes(log.read_bytes())
    section = report(pg, lite, args)
    print(section)
    if args.json:
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        args.json.write_text(
            json.dumps({"postgres": pg, "sqlite": lite, "when": when}, indent=2, default=str)
        )
    if args.write:
        write_section(args.write, section)
        print(f"written to {args.write}")
    failed = (pg and (pg["errors"] or not pg["all"]["p95"] < 500)) or (
        lite and (sum(lite["locked_in_logs"].values()) or lite["locked_jobs"] or lite["errors"])
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
