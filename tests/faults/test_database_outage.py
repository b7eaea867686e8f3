"""Fault (b): PostgreSQL goes away during a request, and while a job runs, then comes back.

The machine's PostgreSQL is shared, so it is never stopped: the processes reach it through a
TCP proxy in this test (harness.PgProxy) that the test cuts, at a moment it chooses. Promises:
- a seller whose request meets the outage gets a clear page (503, in Indonesian and English,
  with Retry-After), from gunicorn with DEBUG=0 as in production, and the error is logged;
- a write cut between two statements of one transaction leaves nothing half-written (the
  database rolls the open transaction back when the connection dies);
- a django-q2 job that fails during the outage is retried when the database is back (the ORM
  broker redelivers an unacknowledged task after `retry` seconds) and then succeeds, once.
"""

from __future__ import annotations

import socket
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.faults.harness import Db, PgProxy, WebClient, wait_for
from tests.faults.tool import PASSWORD

pytestmark = pytest.mark.slow

REPLY = "Terima kasih atas ulasannya, Kak Sari! Maaf pengirimannya agak lama."


@pytest.fixture
def proxy(faults_pg_url):
    parts = urlsplit(faults_pg_url)
    proxy = PgProxy(target=(parts.hostname, parts.port or 5432))
    proxy.database = parts.path.lstrip("/")  # type: ignore[attr-defined]
    proxy.user = parts.username or "postgres"  # type: ignore[attr-defined]
    yield proxy
    proxy.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_request_during_an_outage_gets_a_clear_page_and_writes_nothing(
    faults_pg_url, proxy, make_procs
):
    procs = make_procs(faults_pg_url)
    db = Db(faults_pg_url)  # the test itself reads past the proxy
    review = procs.tool_json("seed-web")["review"]
    port = _free_port()
    server = procs.start(
        [sys.executable, "-m", "gunicorn", "crm.wsgi:application", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}", "--graceful-timeout", "1"],
        DATABASE_URL=proxy.url(proxy.database, proxy.user),
        DEBUG="0",
        SECRET_KEY="faults-test-secret-key-that-is-long-enough-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    web = WebClient(f"http://127.0.0.1:{port}")

    def up() -> bool:
        try:
            return web.get("/login/").status == 200
        except OSError:
            return False

    assert wait_for(up, timeout=30, interval=0.2), procs.output(server)
    web.login("penjual", PASSWORD)
    assert web.get(f"/reviews/{review}/reply/").status == 200

    # The database is gone: any page answers 503 with the bilingual page, not a bare 500.
    proxy.cut()
    page = web.get("/")
    assert page.status == 503
    assert page.getheader("Retry-After") == "30"
    assert "Database sedang tidak tersedia" in page.text
    assert "The database is unavailable right now" in page.text
    assert "Traceback" not in page.text and "psycopg" not in page.text
    proxy.restore()
    assert web.get("/").status == 200  # back as soon as the database is

    # Cut mid-transaction: the review's UPDATE went through, the timeline INSERT never did.
    proxy.cut_on(b'INSERT INTO "customers_interaction"')
    page = web.post(f"/reviews/{review}/reply/send/", {"text": REPLY})
    assert proxy.tripped.is_set()
    assert page.status == 503 and "tidak ada data yang tersimpan setengah" in page.text
    proxy.restore()
    assert db.query("SELECT reply_status, reply_text FROM reviews_review WHERE id = %s", (review,))[
        0
    ] != ("sent", REPLY)
    assert db.query("SELECT COUNT(*) FROM customers_interaction WHERE kind = 'reply'") == [(0,)]

    # The seller presses send again: recorded once, review and timeline together.
    web.get(f"/reviews/{review}/reply/")
    assert web.post(f"/reviews/{review}/reply/send/", {"text": REPLY}).status == 302
    assert db.query("SELECT reply_status FROM reviews_review WHERE id = %s", (review,)) == [
        ("sent",)
    ]
    assert db.query("SELECT COUNT(*) FROM customers_interaction WHERE kind = 'reply'") == [(1,)]
    time.sleep(0.2)
    assert "Service Unavailable" in procs.output(server)  # the operator sees it in the log


def test_a_job_failed_during_the_outage_is_retried_and_succeeds_once(
    faults_pg_url, proxy, make_procs
):
    procs = make_procs(faults_pg_url)
    db = Db(faults_pg_url)
    followup = procs.tool_json("seed-web")["followup"]
    procs.tool("enqueue")
    # The claim of the email is the statement the outage swallows.
    proxy.cut_on(b"SET \"status\" = 'sending'")
    cluster = procs.cluster(
        DATABASE_URL=proxy.url(proxy.database, proxy.user),
        FAULTS_Q_WORKERS="1",
        FAULTS_Q_TIMEOUT="5",
        FAULTS_Q_RETRY="6",
    )
    assert wait_for(proxy.tripped.is_set, timeout=60), procs.output(cluster)
    time.sleep(1.0)  # the outage lasts a moment; the worker's job has failed meanwhile
    assert db.statuses() == {followup: "due"}
    assert procs.mails() == Counter()
    proxy.restore()

    assert wait_for(lambda: db.statuses() == {followup: "sent"}, timeout=60), procs.output(cluster)
    assert procs.mails() == Counter({followup: 1})
    log = procs.output(cluster)
    assert "Failed 'followups.tasks.send_due'" in log
    assert wait_for(
        lambda: "Processed 'followups.tasks.send_due'" in procs.output(cluster), timeout=10
    )
    tasks = db.query("SELECT success FROM django_q_task WHERE func = 'followups.tasks.send_due'")
    assert tasks == [(True,)]  # one task, retried, finally successful
    assert db.query("SELECT COUNT(*) FROM django_q_ormq") == [(0,)]  # acknowledged
