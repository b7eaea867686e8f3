"""What the fault tests drive: real processes, a database they share, a cuttable TCP proxy to
PostgreSQL, and a small HTTP client that keeps its own cookies.

Deliveries are counted in the mail directory (one file per email, written whole), never
inferred from statuses; the database is read with plain SQL so the test process needs no
Django connection to it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


def pg_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Db:
    """Plain-SQL reads and small writes on the database the processes use."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _connect(self):
        if self.url.startswith("sqlite:///"):
            connection = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=20)
            return connection, "?"
        import psycopg

        return psycopg.connect(self.url, autocommit=True), "%s"

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        connection, mark = self._connect()
        try:
            cursor = connection.execute(sql.replace("%s", mark), params)
            rows = cursor.fetchall() if cursor.description else []
            connection.commit()
            return rows
        finally:
            connection.close()

    def statuses(self) -> dict[int, str]:
        return dict(self.query("SELECT id, status FROM followups_followup ORDER BY id"))


class Procs:
    """Processes of one test, each in its own process group (qcluster forks its workers)."""

    def __init__(self, *, env: dict[str, str], maildir: Path, tmp: Path) -> None:
        self.env = env
        self.maildir = maildir
        self.tmp = tmp
        self.started: list[subprocess.Popen] = []

    def tool(self, *args: str, **extra_env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.tool", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.strip().splitlines()
        return lines[-1] if lines else ""

    def tool_json(self, *args: str, **extra_env: str):
        return json.loads(self.tool(*args, **extra_env))

    def start(self, argv: list[str], **extra_env: str) -> subprocess.Popen:
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
        log.close()
        self.started.append(process)
        return process

    def cluster(self, **extra_env: str) -> subprocess.Popen:
        return self.start([sys.executable, "manage.py", "qcluster"], **extra_env)

    @staticmethod
    def output(process: subprocess.Popen) -> str:
        return Path(process.log_path).read_text()  # type: ignore[attr-defined]

    @staticmethod
    def kill9(process: subprocess.Popen) -> None:
        """SIGKILL the whole group at once, as the OOM killer or a power cut would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def mails(self) -> Counter:
        return Counter(int(p.name.split("-")[0]) for p in self.maildir.glob("*.eml"))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def proc_env(database_url: str, maildir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.faults.proc_settings",
        "FAULTS_MAILDIR": str(maildir),
        "FAULTS_Q_NAME": f"rawat-faults-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "INFO",
    }
    env.pop("REDIS_URL", None)  # the ORM broker: its row lock is what redelivers a failed job
    return env


class PgProxy:
    """A TCP proxy to PostgreSQL that the test can cut, like a database that goes away.

    ``cut()`` closes every open connection and refuses new ones until ``restore()``.
    ``cut_on(fragment)`` forwards traffic until a client message contains ``fragment`` (a
    piece of SQL), then cuts *before* passing that message on: the database never sees it,
    exactly as if it had died between two statements of one transaction.
    """

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.fragment: bytes | None = None
        self.tripped = threading.Event()
        self.refused = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_client and self.fragment and self.fragment in data:
                    self.fragment = None
                    self.tripped.set()
                    self.cut()
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                self._close(s)

    def _close(self, s: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(s)
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            open_sockets = list(self.sockets)
        for s in open_sockets:
            self._close(s)

    def cut_on(self, fragment: bytes) -> None:
        self.tripped.clear()
        self.fragment = fragment

    def restore(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.closed.set()
        self.cut()
        self.listener.close()


class WebClient:
    """Enough of a browser for the tests: cookies, CSRF token, form posts, no redirects."""

    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        connection = HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if match := self.CSRF.search(text):
            self.csrf = match.group(1)
        connection.close()
        response.text = text  # type: ignore[attr-defined]
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]):
        return self.request("POST", path, form)

    def login(self, username: str, password: str) -> None:
        self.get("/login/")
        response = self.post("/login/", {"username": username, "password": password})
        assert response.status == 302, response.text[:2000]
