"""Real processes against a real database file: qcluster, two senders at once, a killed sender.

The in-memory test database is invisible to a subprocess, so these tests migrate a database of
their own (a SQLite file; or, when the suite runs on PostgreSQL, a PostgreSQL database next to
the test one) and drive it through `tests.followups.proc_tool` and `manage.py qcluster`.
The scheduler of django-q2 looks at schedules only every 30 s, so the tests enqueue the task the
`followups.send_due` schedule would enqueue, exactly as the scheduler does (`async_task`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


@pytest.fixture(scope="session")
def proc_database(tmp_path_factory):
    """A migrated database URL the subprocesses share; dropped at the end."""
    created_pg = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        created_pg = f"rawat_followups_procs_{os.getpid()}"
        admin_url = _postgres_url("postgres")
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{created_pg}"')
            connection.execute(f'CREATE DATABASE "{created_pg}"')
        url = _postgres_url(created_pg)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('procdb') / 'procs.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    yield url
    if created_pg:
        import psycopg

        with psycopg.connect(_postgres_url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{created_pg}" WITH (FORCE)')


@pytest.fixture
def procs(proc_database, tmp_path):
    maildir = tmp_path / "mail"
    maildir.mkdir()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": proc_database,
        "DJANGO_SETTINGS_MODULE": "tests.followups.proc_settings",
        "FOLLOWUPS_TEST_MAILDIR": str(maildir),
        "FOLLOWUPS_TEST_Q_NAME": f"rawat-test-{uuid.uuid4().hex[:8]}",
    }
    env.pop("REDIS_URL", None)
    return Procs(env=env, maildir=maildir, tmp=tmp_path)


class Procs:
    def __init__(self, *, env: dict[str, str], maildir: Path, tmp: Path) -> None:
        self.env = env
        self.maildir = maildir
        self.tmp = tmp
        self.started: list[subprocess.Popen] = []

    def tool(self, *args: str, **extra_env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.followups.proc_tool", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def start(self, argv: list[str], **extra_env: str) -> subprocess.Popen:
        """Start a process in its own group (qcluster forks workers); output to a log file."""
        log = (self.tmp / f"process{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        process.log_path = log.name  # type: ignore[attr-defined]
        log.close()  # the child has its own copy
        self.started.append(process)
        return process

    @staticmethod
    def output(process: subprocess.Popen) -> str:
        return Path(process.log_path).read_text()  # type: ignore[attr-defined]

    def statuses(self) -> dict[int, str]:
        return {pk: status for pk, status, _ in json.loads(self.tool("report"))}

    def mails(self) -> Counter:
        return Counter(int(p.name.split("-")[0]) for p in self.maildir.glob("*.eml"))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=3)  # qcluster drains slowly; the test is over anyway
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


@pytest.fixture
def cleanup(procs):
    yield
    procs.stop_all()


def _wait_for(condition, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


def _run_cluster_and_expect_sent(procs: Procs, **extra_env: str) -> None:
    ids = json.loads(procs.tool("seed", "3", **extra_env))
    procs.tool("enqueue", **extra_env)
    procs.start([sys.executable, "manage.py", "qcluster"], **extra_env)

    statuses = _wait_for(
        lambda: (s := procs.statuses()) and set(s.values()) == {"sent"} and s, timeout=40
    )

    assert statuses == dict.fromkeys(ids, "sent"), procs.statuses()
    assert procs.mails() == Counter(dict.fromkeys(ids, 1))
    sample = next(procs.maildir.glob("*.eml")).read_text()
    assert "Content-Type: text/html" in sample and "List-Unsubscribe" in sample


def test_qcluster_with_the_orm_broker_sends_a_due_followup(procs, cleanup):
    _run_cluster_and_expect_sent(procs)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
def test_qcluster_with_the_redis_broker_sends_a_due_followup(procs, cleanup):
    _run_cluster_and_expect_sent(procs, REDIS_URL="redis://127.0.0.1:6379/0")


def test_two_senders_at_once_send_each_message_exactly_once(procs, cleanup):
    ids = json.loads(procs.tool("seed", "80"))
    go = procs.tmp / "go"
    senders = []
    for n in range(2):
        ready = procs.tmp / f"ready{n}"
        senders.append(
            (
                ready,
                procs.start(
                    [
                        sys.executable,
                        "-m",
                        "tests.followups.proc_tool",
                        "send",
                        "--ready",
                        str(ready),
                        "--go",
                        str(go),
                    ],
                    FOLLOWUPS_TEST_SEND_DELAY="0.01",
                ),
            )
        )
    assert _wait_for(lambda: all(r.exists() for r, _ in senders), timeout=30)
    go.touch()  # both start claiming at the same moment
    results = []
    for _, process in senders:
        process.wait(timeout=60)
        out = procs.output(process)
        assert process.returncode == 0, out
        results.append(json.loads(out.strip().splitlines()[-1])["sent"])

    assert sum(results) == len(ids)
    assert all(results), results  # both really worked the same batch
    assert procs.mails() == Counter(dict.fromkeys(ids, 1))
    assert set(procs.statuses().values()) == {"sent"}


def test_sender_killed_mid_batch_loses_nothing_and_doubles_nothing(procs, cleanup):
    ids = json.loads(procs.tool("seed", "60"))
    sender = procs.start(
        [sys.executable, "-m", "tests.followups.proc_tool", "send"],
        FOLLOWUPS_TEST_SEND_DELAY="0.03",
    )
    assert _wait_for(lambda: sum(procs.mails().values()) >= 15, timeout=30, interval=0.02)
    os.killpg(sender.pid, signal.SIGKILL)
    sender.wait(timeout=10)

    before = procs.statuses()
    assert "due" in before.values()  # it really died mid-batch
    assert list(before.values()).count("sending") <= 1
    mails_before = procs.mails()
    assert all(n == 1 for n in mails_before.values())
    # Every message marked sent was really sent.
    assert {pk for pk, s in before.items() if s == "sent"} <= set(mails_before)

    # Restart. The dead worker's claim is older than any live one could be (stale-after 0 here,
    # 300 s in production): it goes to failed for review instead of a second email.
    out = json.loads(procs.tool("send", "--stale-after", "0"))
    after = procs.statuses()
    mails = procs.mails()

    assert set(after.values()) <= {"sent", "failed"}
    assert all(n == 1 for n in mails.values()), "an email went out twice"
    sent = {pk for pk, s in after.items() if s == "sent"}
    failed = {pk for pk, s in after.items() if s == "failed"}
    assert sent == set(mails) - failed
    assert len(failed) == out["recovered"] <= 1
    assert sent | failed == set(ids)  # nothing lost: each one sent, or flagged for the seller


def test_two_promoters_at_once_let_one_marketing_message_through_per_buyer(procs):
    holiday, birthday = json.loads(procs.tool("cap-seed"))
    go = procs.tmp / "go"
    workers = []
    for pk in (holiday, birthday):
        ready = procs.tmp / f"ready{pk}"
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.followups.proc_tool", "cap-promote", str(pk)]
            + ["--ready", str(ready), "--go", str(go)],
            cwd=ROOT,
            env=procs.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        workers.append((ready, process))
    assert _wait_for(lambda: all(ready.exists() for ready, _ in workers), timeout=60)
    go.touch()  # both promoters read the buyer's recent messages at the same moment
    results = []
    for _, process in workers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    statuses = procs.statuses()
    assert sorted([statuses[holiday], statuses[birthday]]) == ["due", "skipped"]
    assert sorted(r["promoted"] for r in results) == [0, 1]
    assert {"marketing_cap": 1} in [r["skipped"] for r in results]
