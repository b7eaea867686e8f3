"""Two workers restock the same sold-out product at the same moment: each buyer told once.

Real processes against a real database file (the in-memory test database is invisible to a
subprocess): a migrated SQLite file, or a PostgreSQL database next to the test one when the
suite runs on PostgreSQL. The pattern follows tests/followups' process tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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


@pytest.fixture(scope="module")
def proc_env(tmp_path_factory):
    created_pg = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        created_pg = f"rawat_stock_procs_{os.getpid()}"
        with psycopg.connect(_postgres_url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{created_pg}"')
            connection.execute(f'CREATE DATABASE "{created_pg}"')
        url = _postgres_url(created_pg)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('stockdb') / 'procs.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    yield env
    if created_pg:
        import psycopg

        with psycopg.connect(_postgres_url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{created_pg}" WITH (FORCE)')


def _tool(env, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.stock.proc_tool", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("quantities", [("5", "5"), ("3", "8")])
def test_two_workers_restocking_at_once_tell_each_waiting_buyer_exactly_once(
    proc_env, tmp_path, quantities
):
    waiting = 40
    pk = _tool(proc_env, "seed", str(waiting))
    go = tmp_path / "go"
    workers = []
    for n, quantity in enumerate(quantities):
        ready = tmp_path / f"ready{n}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.stock.proc_tool",
                "restock",
                pk,
                quantity,
                "--ready",
                str(ready),
                "--go",
                str(go),
            ],
            cwd=ROOT,
            env=proc_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        workers.append((ready, process))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in workers):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.05)
    go.touch()  # both call stock_set at the same moment
    results = []
    for _, process in workers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    report = json.loads(_tool(proc_env, "report", pk))
    assert sorted(r["notified"] for r in results) == [0, waiting]  # one worker saw the restock
    assert [r["event"] for r in results].count(True) == 1
    assert report == {
        "messages": waiting,
        "max_per_buyer": 1,
        "entries": waiting,
        "told": waiting,
        "events": 1,
        "in_join_order": True,
    }
