"""Databases the fault tests' processes share: migrated once per session.

(a) and (c) run on the suite's own engine (a SQLite file, or a PostgreSQL database of their own
next to the test database); (b) is about PostgreSQL going away, so it always uses PostgreSQL and
is skipped only when no PostgreSQL answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.faults.harness import ROOT, Procs, pg_answers, proc_env


def _pg_server() -> tuple[str, str, int]:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return (
            db.get("USER") or "postgres",
            db.get("HOST") or "127.0.0.1",
            int(db.get("PORT") or 5432),
        )
    return "postgres", "127.0.0.1", 5432


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
        check=True,
        timeout=300,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def faults_pg_url():
    """A migrated PostgreSQL database of the fault tests' own (never the shared one)."""
    user, host, port = _pg_server()
    if not pg_answers(host, port):
        pytest.skip(f"PostgreSQL does not answer on {host}:{port}")
    import psycopg

    name = f"rawat_faults_{os.getpid()}"
    admin = f"postgres://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{user}@{host}:{port}/{name}"
    _migrate(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def faults_db_url(request, tmp_path_factory):
    """The suite's engine: PostgreSQL when the suite runs on it, else a migrated SQLite file."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return request.getfixturevalue("faults_pg_url")
    url = f"sqlite:///{tmp_path_factory.mktemp('faultsdb') / 'faults.sqlite3'}"
    _migrate(url)
    return url


@pytest.fixture
def make_procs(tmp_path):
    """Procs on a given database URL; every process is killed when the test ends."""
    made: list[Procs] = []

    def make(url: str) -> Procs:
        maildir = tmp_path / f"mail{len(made)}"
        maildir.mkdir()
        procs = Procs(env=proc_env(url, maildir), maildir=maildir, tmp=tmp_path)
        made.append(procs)
        return procs

    yield make
    for procs in made:
        procs.stop_all()
