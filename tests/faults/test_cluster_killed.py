"""Fault (a): `kill -9` of the whole qcluster in the middle of a sending batch, then a restart.

The sender claims one email at a time (UPDATE ... WHERE status='due'), sends it, then marks it
sent (followups/services/sending.py). So after a SIGKILL of every cluster process:
- no email is ever delivered twice, by the restarted cluster or by django-q2 redelivering the
  killed task;
- every email that was not being sent at that instant is sent exactly once after the restart;
- the at most one email per killed worker that was mid-send stays "sending" (nobody resends
  it while its fate is unknown) until the claim is older than STALE_AFTER (300 s, longer than
  django-q2's task timeout); then it is moved to "failed" with a note, and the seller settles
  it: "resend" if it did not arrive, "mark as sent" if it did. After that, every due email has
  been delivered exactly once.
"""

from __future__ import annotations

from collections import Counter

import pytest

from followups.services.sending import STALE_AFTER
from tests.faults.harness import Db, wait_for

pytestmark = pytest.mark.slow

COUNT = 30
WORKERS = 2
DELAY = 0.2  # seconds per email inside the mail backend: the kill lands mid-send


def test_cluster_killed_mid_batch_sends_every_due_email_exactly_once(faults_db_url, make_procs):
    procs = make_procs(faults_db_url)
    db = Db(faults_db_url)
    ids = procs.tool_json("seed-due", str(COUNT), str(WORKERS))  # + one send_due per worker
    slow = {"FOLLOWUPS_TEST_SEND_DELAY": str(DELAY), "FAULTS_Q_WORKERS": str(WORKERS)}

    cluster = procs.cluster(**slow)
    # Kill while both workers are mid-batch: some emails out, one being sent right now.
    assert wait_for(
        lambda: sum(procs.mails().values()) >= 6 and "sending" in db.statuses().values(),
        timeout=60,
        interval=0.02,
    ), procs.output(cluster)
    procs.kill9(cluster)

    killed = db.statuses()
    mails = procs.mails()
    in_flight = {pk for pk, s in killed.items() if s == "sending"}
    assert "due" in killed.values(), "the kill came after the batch: nothing to prove"
    assert 1 <= len(in_flight) <= WORKERS  # one claim at a time per worker
    assert max(mails.values()) == 1
    assert {pk for pk, s in killed.items() if s == "sent"} <= set(mails)  # sent = delivered

    # Restart: the schedule queues send_due again (and django-q2 would redeliver the killed
    # task after `retry`; both are safe). The in-flight emails are not touched yet.
    cluster = procs.cluster(FAULTS_Q_WORKERS=str(WORKERS))
    procs.tool("enqueue", str(WORKERS))

    def settled() -> bool:  # everything sent, except what the killed workers held
        return all(s == "sent" or pk in in_flight for pk, s in db.statuses().items())

    assert wait_for(settled, timeout=60), procs.output(cluster)
    restarted = db.statuses()
    mails = procs.mails()
    assert {pk for pk, s in restarted.items() if s == "sending"} == in_flight
    assert {pk for pk, s in restarted.items() if s == "sent"} == set(ids) - in_flight
    assert max(mails.values()) == 1, "an email went out twice"
    assert set(mails) >= set(ids) - in_flight

    # STALE_AFTER later (the clock is moved by ageing the claims), the next run hands the
    # unknown ones to the seller instead of sending a possible duplicate.
    db.query(
        "UPDATE followups_followup SET claimed_at = %s WHERE status = 'sending'",
        (_long_ago(faults_db_url, STALE_AFTER),),
    )
    procs.tool("enqueue")
    assert wait_for(lambda: "sending" not in db.statuses().values(), timeout=60)
    flagged = db.query(
        "SELECT id, last_error FROM followups_followup WHERE status = 'failed' ORDER BY id"
    )
    assert {pk for pk, _ in flagged} == in_flight
    # Jobs write in the default language (Indonesian): "check with the buyer".
    assert all("Tanyakan ke pembeli" in error for _, error in flagged), flagged
    assert max(procs.mails().values()) == 1

    # The seller checks with the buyers: resend what did not arrive, confirm what did.
    mails = procs.mails()
    arrived = sorted(pk for pk in in_flight if mails[pk])
    missing = sorted(pk for pk in in_flight if not mails[pk])
    if missing:
        procs.tool("resend", *map(str, missing))
    if arrived:
        procs.tool("mark-sent", *map(str, arrived))
    procs.tool("enqueue")
    assert wait_for(lambda: set(db.statuses().values()) == {"sent"}, timeout=60)
    assert procs.mails() == Counter(dict.fromkeys(ids, 1))
    # Each email is on its buyer's timeline once.
    timeline = db.query(
        "SELECT COUNT(*), COUNT(DISTINCT buyer_id) FROM customers_interaction"
        " WHERE kind = 'followup'"
    )
    assert timeline == [(COUNT, COUNT)]


def _long_ago(url: str, age) -> object:
    import datetime

    moment = datetime.datetime.now(datetime.UTC) - age - datetime.timedelta(seconds=1)
    if url.startswith("sqlite"):
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # how Django stores it in SQLite
    return moment
